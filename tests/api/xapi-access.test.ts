/**
 * Credentials and scope: HTTP Basic per partner key, read/write rights, one school per credential, `shared` limited
 * to the pupils the school shares with the partner, every read logged as data; and the admin CLI commands.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { revokeCredential } from '../../server/modules/xapi/credentials.js';
import { uriWithDatabase, useTestDatabase } from '../support/db.js';
import { buildSchool, buildUser } from '../support/factories.js';
import { buildGrant, buildPartner, giveConsent } from '../support/factories-sharing.js';
import { client, credential, setupLrs, statement } from './xapi-support.js';

const database = await useTestDatabase();
const { app, school, full } = await setupLrs(database);
const { models } = database;
const otherSchool = await buildSchool(models);
const foreign = await credential(database, { schoolId: otherSchool.id });
const shared = await credential(database, { schoolId: school.id, scope: 'shared', partnerId: 'careers-hub' });
const readOnly = await credential(database, { schoolId: school.id, write: false });
const writeOnly = await credential(database, { schoolId: school.id, read: false });
const sharedPupil = await buildUser(models, school, { role: 'pupil' });
const privatePupil = await buildUser(models, school, { role: 'pupil' });
// The school shares one pupil with the partner organisation (code = the credential's partnerId), with consent.
const hub = await buildPartner(models, school, { code: 'careers-hub' });
await buildGrant(models, school, { partnerId: hub.id }, 'pupil', [sharedPupil.id]);
await giveConsent(models, school, sharedPupil);
const accountOf = (sub: string) => ({ objectType: 'Agent', account: { homePage: 'https://lms.example', name: sub } });

describe.each(['1.0.3', '2.0.0'])('credentials and scope, xAPI %s', (version) => {
  const c = client(app, full.auth, version);

  it('Communication 4.0: no credentials, a wrong secret or a revoked key is 401 with WWW-Authenticate', async () => {
    const none = await request(app).get('/xapi/statements').set('X-Experience-API-Version', version);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    const wrong = await client(app, `Basic ${Buffer.from(`${full.key}:not-the-secret`).toString('base64')}`, version).get(
      '/statements',
    );
    expect(wrong.status).toBe(401);
    const revoked = await credential(database, { schoolId: school.id });
    await client(app, revoked.auth, version).get('/statements').expect(200);
    await revokeCredential(models, revoked.key);
    expect((await client(app, revoked.auth, version).get('/statements')).status).toBe(401);
  });

  it('rights: a read-only credential cannot store (403), a write-only one cannot read (403)', async () => {
    const before = await models.XapiStatement.countDocuments({ schoolId: school.id });
    expect((await client(app, readOnly.auth, version).post('/statements', statement())).status).toBe(403);
    expect(await models.XapiStatement.countDocuments({ schoolId: school.id })).toBe(before);
    expect((await client(app, writeOnly.auth, version).get('/statements')).status).toBe(403);
    await client(app, writeOnly.auth, version).post('/statements', statement()).expect(200);
  });

  it("tenancy: another school's statements are invisible, by id (404) and in queries", async () => {
    const s = statement();
    const { body } = await c.post('/statements', s).expect(200);
    const other = client(app, foreign.auth, version);
    expect((await other.get('/statements', { statementId: body[0] })).status).toBe(404);
    expect((await other.get('/statements', { agent: s.actor })).body.statements).toEqual([]);
    // The same id may exist independently in the other school.
    await other.post('/statements', { ...statement(), id: body[0] }).expect(200);
    expect((await c.get('/statements', { statementId: body[0] })).body.actor).toEqual(s.actor);
  });

  it('scope shared: reads see only shared pupils; a private pupil is not found and cannot be queried', async () => {
    const mine = await c.post('/statements', statement({ actor: accountOf(sharedPupil.sub) })).expect(200);
    const hidden = await c.post('/statements', statement({ actor: accountOf(privatePupil.sub) })).expect(200);
    const partner = client(app, shared.auth, version);
    expect((await partner.get('/statements', { statementId: mine.body[0] })).status).toBe(200);
    expect((await partner.get('/statements', { statementId: hidden.body[0] })).status).toBe(404);
    expect((await partner.get('/statements', { agent: accountOf(privatePupil.sub) })).body.statements).toEqual([]);
    const all = await partner.get('/statements');
    expect(
      all.body.statements.every((s: { actor: { account?: { name: string } } }) => s.actor.account?.name === sharedPupil.sub),
    ).toBe(true);
    expect(all.body.statements.length).toBeGreaterThan(0);
  });

  it('scope shared: storing about a pupil not shared is 403 and stores nothing; documents of such a pupil are 403', async () => {
    const partner = client(app, shared.auth, version);
    const before = await models.XapiStatement.countDocuments({ schoolId: school.id });
    const res = await partner.post('/statements', [
      statement({ actor: accountOf(sharedPupil.sub) }),
      statement({ actor: accountOf(privatePupil.sub) }),
    ]);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('outside_scope');
    expect(await models.XapiStatement.countDocuments({ schoolId: school.id })).toBe(before);
    const q = new URLSearchParams({
      activityId: 'https://waymark.example/a',
      agent: JSON.stringify(accountOf(privatePupil.sub)),
      stateId: 's',
    });
    expect((await partner.raw('get', `/activities/state?${q.toString()}`)).status).toBe(403);
    expect((await partner.get('/agents', { agent: accountOf(privatePupil.sub) })).status).toBe(403);
  });

  it('every partner read is logged as data (credential, school, resource, query, count)', async () => {
    const partner = client(app, shared.auth, version);
    const since = new Date();
    await partner.get('/statements', { limit: 5 }).expect(200);
    const log = await models.XapiAccessLog.findOne({
      schoolId: school.id,
      credentialKey: shared.key,
      at: { $gte: since },
    }).lean();
    expect(log).toMatchObject({ partnerId: 'careers-hub', scope: 'shared', resource: 'statements', query: { limit: '5' } });
    expect(log?.count).toBeGreaterThan(0);
  });
});

describe('admin CLI: lrs-credential', () => {
  const run = promisify(execFile);
  const env = {
    ...process.env,
    MONGODB_URI: uriWithDatabase(database.uri, database.name),
    PUBLIC_URL: 'https://waymark.example.org/',
    NODE_ENV: 'test',
    KEY_ENCRYPTION_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
  };
  const admin = (args: string[]) => run('npx', ['tsx', 'server/cli/admin.ts', ...args], { env });

  it('create --json prints endpoint (no trailing slash), key and secret that authenticate; list shows it; revoke ends it', async () => {
    const { stdout } = await admin([
      'lrs-credential',
      'create',
      '--school',
      school.id,
      '--scope',
      'shared',
      '--partner',
      'careers-hub',
      '--read',
      '--json',
    ]);
    const created = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { endpoint: string; key: string; secret: string };
    expect(created.endpoint).toBe('https://waymark.example.org/xapi');
    const auth = `Basic ${Buffer.from(`${created.key}:${created.secret}`).toString('base64')}`;
    await client(app, auth, '2.0.0').get('/statements').expect(200);
    expect((await client(app, auth, '2.0.0').post('/statements', statement())).status).toBe(403);
    const stored = await models.LrsCredential.findOne({ key: created.key }).lean();
    expect(stored?.secretHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(stored)).not.toContain(created.secret);

    const list = JSON.parse((await admin(['lrs-credential', 'list', '--json'])).stdout.trim().split('\n').at(-1) as string) as {
      credentials: { key: string; secret?: string }[];
    };
    const listed = list.credentials.find((x) => x.key === created.key);
    expect(listed).toMatchObject({ scope: 'shared', partnerId: 'careers-hub', read: true, write: false });
    expect(listed?.secret).toBeUndefined();

    await admin(['lrs-credential', 'revoke', '--key', created.key, '--json']);
    expect((await client(app, auth, '2.0.0').get('/statements')).status).toBe(401);
  });

  it('create refuses --scope shared without --partner', async () => {
    await expect(
      admin(['lrs-credential', 'create', '--school', school.id, '--scope', 'shared', '--read', '--json']),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('partner_required') });
  });
});
