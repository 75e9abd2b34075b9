/**
 * The admin API for LRS destinations (planners of the school only) and the operator CLI `lrs-destination …`,
 * the CLI run as a real process against this file's database.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase, uriWithDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { cleanEnv } from '../support/process.js';

const database = await useTestDatabase();
const { models } = database;
const app = buildApp(database);
const school = await buildSchool(models);
const other = await buildSchool(models);
const planner = await buildUser(models, school, { role: 'planner' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const otherPlanner = await buildUser(models, other, { role: 'planner' });
const asPlanner = await authHeader(planner);
const asTeacher = await authHeader(teacher);
const asOther = await authHeader(otherPlanner);

const valid = {
  name: 'Regional LRS',
  endpoint: 'https://lrs.example.org/xapi/',
  auth: { kind: 'basic', key: 'school-key', secret: 'school-secret-value' },
  filters: { statements: 'waymark', verbs: ['http://adlnet.gov/expapi/verbs/completed'] },
};

async function addOne(auth = asPlanner, body: unknown = valid) {
  return request(app)
    .post('/api/admin/lrs-destinations')
    .set('Authorization', auth)
    .send(body as object);
}

describe('admin API: /api/admin/lrs-destinations', () => {
  it('adds a destination (endpoint without trailing slash, secret never shown) and lists it with its status', async () => {
    const res = await addOne();
    expect(res.status).toBe(201);
    const d = res.body.destination as Record<string, unknown>;
    expect(d).toMatchObject({
      name: 'Regional LRS',
      endpoint: 'https://lrs.example.org/xapi',
      auth: { kind: 'basic', key: 'school-key', secretSet: true },
      filters: { statements: 'waymark', pupils: 'all' },
      status: 'active',
      backlog: 0,
      deadLetters: 0,
      lastError: null,
    });
    expect(JSON.stringify(res.body)).not.toContain('school-secret-value');
    const list = await request(app).get('/api/admin/lrs-destinations').set('Authorization', asPlanner).expect(200);
    expect((list.body.destinations as { id: string }[]).map((x) => x.id)).toContain(d.id);
    const stored = await models.LrsDestination.findById(d.id as string).lean();
    expect(JSON.stringify(stored)).not.toContain('school-secret-value');
  });

  it('refuses bad input with 400 and a reason per field', async () => {
    const res = await addOne(asPlanner, {
      endpoint: 'http://lrs.example.org/xapi?x=1',
      auth: { kind: 'oauth2', clientId: 'c' },
      filters: { pupils: 'shared' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const paths = (res.body.error.details as { path: string }[]).map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining(['endpoint', 'auth.tokenUrl', 'auth.clientSecret', 'filters.partnerId']));
    expect(
      (
        await request(app)
          .post('/api/admin/lrs-destinations/not-an-id/replay')
          .set('Authorization', asPlanner)
          .send({ all: true })
      ).status,
    ).toBe(400);
    const id = (await addOne()).body.destination.id as string;
    const replay = await request(app).post(`/api/admin/lrs-destinations/${id}/replay`).set('Authorization', asPlanner).send({});
    expect(replay.status).toBe(400);
  });

  it('is for planners only (403 for a teacher)', async () => {
    expect((await request(app).get('/api/admin/lrs-destinations').set('Authorization', asTeacher)).status).toBe(403);
    const res = await addOne(asTeacher);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it("answers 404 for another school's destination, as for a missing one", async () => {
    const id = (await addOne()).body.destination.id as string;
    for (const [method, suffix] of [
      ['delete', ''],
      ['post', '/pause'],
      ['post', '/resume'],
      ['get', '/dead-letters'],
      ['post', '/replay'],
    ] as const) {
      const agent = request(app);
      const res = await agent[method](`/api/admin/lrs-destinations/${id}${suffix}`)
        .set('Authorization', asOther)
        .send(suffix === '/replay' ? { all: true } : {});
      expect(res.status, `${method} ${suffix}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const missing = new Types.ObjectId().toHexString();
    expect((await request(app).delete(`/api/admin/lrs-destinations/${missing}`).set('Authorization', asPlanner)).status).toBe(
      404,
    );
    expect((await request(app).get('/api/admin/lrs-destinations').set('Authorization', asOther)).body.destinations).toEqual([]);
    expect(await models.LrsDestination.exists({ _id: id })).toBeTruthy();
  });

  it('pauses and resumes; lists dead letters and queues a replay; removes', async () => {
    const id = (await addOne()).body.destination.id as string;
    const paused = await request(app)
      .post(`/api/admin/lrs-destinations/${id}/pause`)
      .set('Authorization', asPlanner)
      .send({ reason: 'LRS migration' });
    expect(paused.status).toBe(200);
    expect(paused.body.destination).toMatchObject({ status: 'paused', pausedReason: 'LRS migration' });
    const resumed = await request(app).post(`/api/admin/lrs-destinations/${id}/resume`).set('Authorization', asPlanner).send({});
    expect(resumed.body.destination).toMatchObject({ status: 'active', pausedReason: null });

    const letter = await models.LrsDeadLetter.create({
      schoolId: school.id,
      destinationId: new Types.ObjectId(id),
      statementRef: new Types.ObjectId(),
      statementId: randomUUID(),
      stored: new Date(),
      reason: 'rejected',
      detail: '400: bad',
      status: 'dead',
      deadAt: new Date(),
    });
    const dead = await request(app)
      .get(`/api/admin/lrs-destinations/${id}/dead-letters`)
      .set('Authorization', asPlanner)
      .expect(200);
    expect(dead.body.deadLetters).toEqual([
      expect.objectContaining({ id: String(letter._id), reason: 'rejected', status: 'dead' }),
    ]);
    const unknown = await request(app)
      .post(`/api/admin/lrs-destinations/${id}/replay`)
      .set('Authorization', asPlanner)
      .send({ ids: [new Types.ObjectId().toHexString()] });
    expect(unknown.status).toBe(404);
    const replay = await request(app)
      .post(`/api/admin/lrs-destinations/${id}/replay`)
      .set('Authorization', asPlanner)
      .send({ ids: [String(letter._id)] });
    expect(replay.body).toEqual({ queued: 1 });
    const list = await request(app).get('/api/admin/lrs-destinations').set('Authorization', asPlanner);
    expect((list.body.destinations as { id: string; replaysQueued: number }[]).find((x) => x.id === id)?.replaysQueued).toBe(1);

    await request(app).delete(`/api/admin/lrs-destinations/${id}`).set('Authorization', asPlanner).expect(204);
    expect(await models.LrsDestination.exists({ _id: id })).toBeNull();
    expect(await models.LrsDeadLetter.countDocuments({ schoolId: school.id, destinationId: new Types.ObjectId(id) })).toBe(0);
  });
});

describe('admin CLI: lrs-destination', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-lrs-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const env = cleanEnv({
    DATA_DIR: tmp,
    MONGODB_URI: uriWithDatabase(database.uri, database.name),
    KEY_ENCRYPTION_SECRET: testConfig().keyEncryptionSecret,
    LOG_LEVEL: 'silent',
  });
  const admin = (args: string[]) => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const last = (out: string) => {
      try {
        return JSON.parse(out.trim().split('\n').at(-1) ?? '') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CLI JSON
      } catch {
        return undefined;
      }
    };
    return {
      status: res.status,
      stdout: res.stdout,
      json: last(res.stdout),
      error: last(res.stderr)?.error as { code: string; message: string } | undefined,
    };
  };

  it('adds (OAuth2), lists with status and dead letters, replays and removes; secrets never printed', async () => {
    const added = admin([
      'lrs-destination',
      'add',
      '--school',
      school.id,
      '--url',
      'https://lrs.example.org/xapi/',
      '--oauth-token-url',
      'https://lrs.example.org/oauth/token',
      '--client-id',
      'waymark',
      '--client-secret',
      'cli-client-secret',
      '--verbs',
      'http://adlnet.gov/expapi/verbs/completed,http://adlnet.gov/expapi/verbs/experienced',
      '--pupils',
      'shared',
      '--partner',
      'careers-hub',
      '--json',
    ]);
    expect(added.status).toBe(0);
    const d = added.json?.destination as { id: string; endpoint: string; auth: unknown; filters: unknown };
    expect(d.endpoint).toBe('https://lrs.example.org/xapi');
    expect(d.auth).toMatchObject({ kind: 'oauth2', clientId: 'waymark', secretSet: true });
    expect(d.filters).toMatchObject({
      pupils: 'shared',
      partnerId: 'careers-hub',
      verbs: [expect.any(String), expect.any(String)],
    });
    expect(added.stdout).not.toContain('cli-client-secret');

    await models.LrsDeadLetter.create({
      schoolId: school.id,
      destinationId: new Types.ObjectId(d.id),
      statementRef: new Types.ObjectId(),
      statementId: randomUUID(),
      stored: new Date(),
      reason: 'conflict',
      status: 'dead',
      deadAt: new Date(),
    });
    const listed = admin(['lrs-destination', 'list', '--school', school.id, '--json']);
    const mine = (listed.json?.destinations as { id: string; deadLetters: number; deadLetterList: unknown[] }[]).find(
      (x) => x.id === d.id,
    );
    expect(mine).toMatchObject({ deadLetters: 1, status: 'active' });
    expect(mine?.deadLetterList).toHaveLength(1);
    const text = admin(['lrs-destination', 'list', '--school', school.id]);
    expect(text.stdout).toContain('dead letters 1');

    expect(admin(['lrs-destination', 'replay', '--id', d.id, '--all', '--json']).json).toEqual({ queued: 1 });
    expect(admin(['lrs-destination', 'remove', '--id', d.id, '--json']).json).toEqual({ removed: d.id });
    expect(await models.LrsDestination.exists({ _id: d.id })).toBeNull();
  });

  it('refuses both or neither kind of credentials, and a bad URL, naming the problem', () => {
    const neither = admin(['lrs-destination', 'add', '--school', school.id, '--url', 'https://lrs.example.org/xapi', '--json']);
    expect(neither.status).not.toBe(0);
    expect(neither.error?.code).toBe('auth_required');
    const badUrl = admin([
      'lrs-destination',
      'add',
      '--school',
      school.id,
      '--url',
      'ftp://x',
      '--basic-key',
      'k',
      '--basic-secret',
      's',
      '--json',
    ]);
    expect(badUrl.error?.code).toBe('invalid_request');
    expect(badUrl.error?.message).toContain('endpoint');
    const unknownSchool = admin([
      'lrs-destination',
      'add',
      '--school',
      'no-such-school',
      '--url',
      'https://lrs.example.org/xapi',
      '--basic-key',
      'k',
      '--basic-secret',
      's',
      '--json',
    ]);
    expect(unknownSchool.error?.code).toBe('not_found');
  });

  it('has --help like the other commands', () => {
    const help = admin(['lrs-destination', 'add', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--basic-secret');
    expect(help.stdout).toContain('--oauth-token-url');
  });
});
