/**
 * Adviser sign-in outside the LMS: one-time expiring invitations (mailed through SMTP when configured, otherwise
 * shown to the planner); password + TOTP with an injected clock (wrong code, replayed code, lock-out after five
 * failures); passkey registration and sign-in checked by the real @simplewebauthn/server; choosing a school with an
 * active grant gives a Waymark session like an LTI launch.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { generate } from 'otplib';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLaunchToken, launchTokenKey } from '../../server/http/launch-token.js';
import { createLtiRuntime } from '../../server/modules/lti/deps.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { buildGrant, shareWithoutConsent } from '../support/factories-sharing.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

const database = await useTestDatabase();
const { models } = database;
let clockNow = new Date();
const lti = createLtiRuntime(testConfig(), models, { clock: { now: () => clockNow } });
const app = buildApp(database, { lti });
const ORIGIN = new URL(testConfig().publicUrl).origin;
const DAY = 86_400_000;

const school = await buildSchool(models, { name: 'Riverside Academy' });
await shareWithoutConsent(models, school);
const planner = await buildUser(models, school, { role: 'planner' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const pupil = await buildUser(models, school, { role: 'pupil', name: 'Amara', yearGroup: 'EN-Y10' });
const notShared = await buildUser(models, school, { role: 'pupil', name: 'Ben', yearGroup: 'EN-Y10' });
const otherSchool = await buildSchool(models, { name: 'Hillside' });
const otherPlanner = await buildUser(models, otherSchool, { role: 'planner' });

const as = async (u: Parameters<typeof authHeader>[0]) => ({ Authorization: await authHeader(u) });
let n = 0;
async function newAdviser(name = 'Sam Adviser') {
  n += 1;
  const res = await request(app)
    .post('/api/planner/sharing/advisers')
    .set(await as(planner))
    .send({ name, email: `adviser${n}-${school.id}@example.org` });
  return res.body as { id: string };
}
async function invite(adviserId: string) {
  const res = await request(app)
    .post(`/api/planner/sharing/advisers/${adviserId}/invitations`)
    .set(await as(planner));
  expect(res.status).toBe(201);
  return new URL(res.body.url as string).pathname.split('/').pop() ?? '';
}
const code = (secret: string, at = clockNow) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

describe('invitations', () => {
  it('a planner invites an adviser: without SMTP the link is shown once; it works once and until it expires', async () => {
    const adviser = await newAdviser();
    const res = await request(app)
      .post(`/api/planner/sharing/advisers/${adviser.id}/invitations`)
      .set(await as(planner))
      .expect(201);
    expect(res.body).toMatchObject({ mailed: false, url: expect.stringMatching(/\/adviser-signin\/invite\/[A-Za-z0-9_-]{32}$/) });
    const token = new URL(res.body.url).pathname.split('/').pop() ?? '';
    const info = await request(app).get(`/api/adviser-auth/invitations/${token}`).expect(200);
    expect(info.body).toMatchObject({ adviserName: 'Sam Adviser', schoolName: 'Riverside Academy', hasSignIn: false });
    const stored = await models.AdviserInvite.findOne({ schoolId: school.id }).lean();
    expect(JSON.stringify(stored)).not.toContain(token); // only its hash is kept
    const list = await request(app)
      .get('/api/planner/sharing/invitations')
      .set(await as(planner))
      .expect(200);
    expect(list.body[0]).toMatchObject({ adviserId: adviser.id, usedAt: null, mailed: false });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect((await request(app).get('/api/adviser-auth/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    const start = clockNow;
    clockNow = new Date(start.getTime() + 8 * DAY);
    try {
      const expired = await request(app).get(`/api/adviser-auth/invitations/${token}`);
      expect(expired.status).toBe(410);
      expect(expired.body.error.code).toBe('invitation_unusable');
    } finally {
      clockNow = start;
    }
  });

  it('403 for teachers, 404 for another school’s planner or an unknown adviser', async () => {
    const adviser = await newAdviser();
    expect(
      (
        await request(app)
          .post(`/api/planner/sharing/advisers/${adviser.id}/invitations`)
          .set(await as(teacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .post(`/api/planner/sharing/advisers/${adviser.id}/invitations`)
          .set(await as(otherPlanner))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .post('/api/planner/sharing/advisers/0123456789abcdef01234567/invitations')
          .set(await as(planner))
      ).status,
    ).toBe(404);
  });

  it('mails the link through SMTP when SMTP_URL is set (the planner then does not see it)', async () => {
    const received: string[] = [];
    const smtp = net.createServer((socket) => {
      let data = false;
      let buffer = '';
      socket.write('220 test ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        let i;
        while ((i = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (data) {
            if (line === '.') {
              data = false;
              socket.write('250 queued\r\n');
            } else received.push(line);
          } else if (/^DATA/i.test(line)) {
            data = true;
            socket.write('354 go on\r\n');
          } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const mailing = buildApp(
      database,
      { lti },
      { SMTP_URL: `smtp://127.0.0.1:${(smtp.address() as AddressInfo).port}`, MAIL_FROM: 'Waymark <waymark@school.example>' },
    );
    const adviser = await newAdviser();
    const res = await request(mailing)
      .post(`/api/planner/sharing/advisers/${adviser.id}/invitations`)
      .set(await as(planner))
      .expect(201);
    expect(res.body).toMatchObject({ mailed: true, url: null });
    const mail = received.join('\n');
    expect(mail).toContain(`adviser${n}-${school.id}@example.org`);
    expect(mail).toMatch(/\/adviser-signin\/invite\//);
  });
});

describe('password + TOTP', () => {
  it('sets a password and TOTP, confirms with the first code, signs in once per code, and locks after five failures', async () => {
    const adviser = await newAdviser('Pat Password');
    const token = await invite(adviser.id);
    const short = await request(app).post(`/api/adviser-auth/invitations/${token}/password`).send({ password: 'short' });
    expect(short.status).toBe(400);
    const setup = await request(app)
      .post(`/api/adviser-auth/invitations/${token}/password`)
      .send({ password: 'correct horse battery' })
      .expect(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Waymark:.*secret=/);
    const secret = setup.body.secret as string;
    const account = await models.AdviserAccount.findById(adviser.id).lean();
    expect(account?.passwordHash).toMatch(/^scrypt\$/);
    expect(account?.totpSealed).not.toContain(secret);

    const wrong = await request(app)
      .post(`/api/adviser-auth/invitations/${token}/totp`)
      .send({ code: (Number(await code(secret)) ^ 1).toString().padStart(6, '0') });
    expect(wrong.status).toBe(401);
    const confirmed = await request(app)
      .post(`/api/adviser-auth/invitations/${token}/totp`)
      .send({ code: await code(secret) })
      .expect(200);
    expect(confirmed.body).toMatchObject({ name: 'Pat Password', token: expect.any(String) });
    expect((await request(app).get(`/api/adviser-auth/invitations/${token}`)).status).toBe(410); // used up

    const email = `adviser${n}-${school.id}@example.org`;
    const signIn = (c: string, password = 'correct horse battery') =>
      request(app).post('/api/adviser-auth/password').send({ email, password, code: c });
    // The code already used for confirmation is not accepted again (same time step).
    expect((await signIn(await code(secret))).status).toBe(401);
    const start = clockNow;
    try {
      clockNow = new Date(start.getTime() + 60_000);
      expect((await signIn(await code(secret))).status).toBe(200);
      clockNow = new Date(start.getTime() + 120_000);
      expect((await signIn(await code(secret), 'wrong password!!')).status).toBe(401);
      expect((await signIn('000000')).status).toBe(401);
      expect((await signIn('not a code')).status).toBe(400);
      for (let i = 0; i < 3; i += 1) expect((await signIn('000000')).status).toBe(401);
      const locked = await signIn(await code(secret));
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('too_many_attempts');
      clockNow = new Date(start.getTime() + 20 * 60_000);
      expect((await signIn(await code(secret))).status).toBe(200);
    } finally {
      clockNow = start;
    }
    // Unknown e-mail: the same 401.
    expect(
      (await request(app).post('/api/adviser-auth/password').send({ email: 'nobody@example.org', password: 'x', code: '123456' }))
        .status,
    ).toBe(401);
  });
});

describe('passkeys and entering a school', () => {
  it('registers a passkey from the invitation, signs in with it, and enters only a school with an active grant', async () => {
    const adviser = await newAdviser('Kim Passkey');
    const token = await invite(adviser.id);
    const authenticator = new SoftAuthenticator(ORIGIN, 'localhost');

    const reg = await request(app).post(`/api/adviser-auth/invitations/${token}/passkey/options`).expect(200);
    expect(reg.body.options.rp).toEqual({ name: 'Waymark', id: 'localhost' });
    // A response made for another origin is refused, and its challenge is spent.
    const phishing = await request(app)
      .post(`/api/adviser-auth/invitations/${token}/passkey`)
      .send({ challengeId: reg.body.challengeId, response: authenticator.register(reg.body.options, 'https://evil.example') });
    expect(phishing.status).toBe(401);
    const reg2 = await request(app).post(`/api/adviser-auth/invitations/${token}/passkey/options`).expect(200);
    const registered = await request(app)
      .post(`/api/adviser-auth/invitations/${token}/passkey`)
      .send({ challengeId: reg2.body.challengeId, response: authenticator.register(reg2.body.options) });
    expect(registered.status).toBe(200);
    const reuse = await request(app).post(`/api/adviser-auth/invitations/${token}/passkey/options`);
    expect(reuse.status).toBe(410);

    const auth = await request(app).post('/api/adviser-auth/passkey/options').expect(200);
    const signedIn = await request(app)
      .post('/api/adviser-auth/passkey')
      .send({ challengeId: auth.body.challengeId, response: authenticator.authenticate(auth.body.options) });
    expect(signedIn.status).toBe(200);
    const replay = await request(app)
      .post('/api/adviser-auth/passkey')
      .send({ challengeId: auth.body.challengeId, response: authenticator.authenticate(auth.body.options) });
    expect(replay.status).toBe(401);
    const stranger = new SoftAuthenticator(ORIGIN, 'localhost');
    const auth2 = await request(app).post('/api/adviser-auth/passkey/options').expect(200);
    expect(
      (
        await request(app)
          .post('/api/adviser-auth/passkey')
          .send({ challengeId: auth2.body.challengeId, response: stranger.authenticate(auth2.body.options) })
      ).status,
    ).toBe(401);

    const bearer = { Authorization: `Bearer ${signedIn.body.token as string}` };
    expect((await request(app).get('/api/adviser-auth/schools').set(bearer).expect(200)).body).toEqual([]);
    expect((await request(app).get('/api/adviser-auth/schools')).status).toBe(401);
    const noGrant = await request(app)
      .post('/adviser-signin/enter')
      .type('form')
      .send({ token: signedIn.body.token, schoolId: school.id });
    expect(noGrant.status).toBe(404);

    await buildGrant(models, school, { adviserId: adviser.id }, 'pupil', [pupil.id]);
    expect((await request(app).get('/api/adviser-auth/schools').set(bearer)).body).toEqual([
      { id: school.id, name: 'Riverside Academy' },
    ]);
    expect(
      (
        await request(app)
          .post('/adviser-signin/enter')
          .type('form')
          .send({ token: signedIn.body.token, schoolId: otherSchool.id })
      ).status,
    ).toBe(404);
    expect(
      (await request(app).post('/adviser-signin/enter').type('form').send({ token: 'forged-token-forged', schoolId: school.id }))
        .status,
    ).toBe(401);
    const entered = await request(app)
      .post('/adviser-signin/enter')
      .type('form')
      .accept('html')
      .send({ token: signedIn.body.token, schoolId: school.id, lang: 'nl' });
    expect(entered.status).toBe(200);
    const launch = /<meta name="waymark-launch" content="([^"]+)">/.exec(entered.text)?.[1] ?? '';
    expect(entered.text).toContain('<meta name="waymark-start" content="/adviser">');
    const claims = await verifyLaunchToken(launchTokenKey(testConfig().keyEncryptionSecret), launch);
    expect(claims).toMatchObject({ sch: school.id, role: 'adviser', lang: 'nl' });
    const user = await models.User.findOne({ schoolId: school.id, _id: claims?.sub }).lean();
    expect(user).toMatchObject({ role: 'adviser', source: 'invite', name: 'Kim Passkey', platformId: 'adviser-invite' });
    const session = { Authorization: `Bearer ${launch}` };
    expect((await request(app).get('/api/session').set(session).expect(200)).body.user.role).toBe('adviser');
    const shared = await request(app).get('/api/sharing/shared-with-me').set(session).expect(200);
    expect(shared.body.map((p: { id: string }) => p.id)).toEqual([pupil.id]);
    expect(shared.body.map((p: { id: string }) => p.id)).not.toContain(notShared.id);
  });
});
