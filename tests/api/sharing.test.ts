/**
 * Sharing pupils with external advisers: grants by class, year group and pupil; expiry (injected clock), renewal
 * and revocation; consent by age (missing, given, withdrawn at once); another school's grant never leaks; the
 * audit log (filters, CSV); 400/403/404 per endpoint.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../server/http/authenticate.js';
import { createLtiRuntime } from '../../server/modules/lti/deps.js';
import { adviserCapacity, assertAdviserMaySee, logAdviserView, visiblePupilIds } from '../../server/modules/sharing/access.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { buildAdviser, buildGrant, buildPartner, giveConsent, shareWithoutConsent } from '../support/factories-sharing.js';

const database = await useTestDatabase();
const { models } = database;
let clockNow = new Date();
const lti = createLtiRuntime(testConfig(), models, { clock: { now: () => clockNow } });
const app = buildApp(database, { lti });
const DAY = 86_400_000;
const inDays = (n: number) => new Date(clockNow.getTime() + n * DAY).toISOString();
type User = Parameters<typeof authHeader>[0];
const ctxOf = (u: User): RequestContext => ({
  schoolId: u.schoolId,
  actor: { id: u.id, role: u.role },
  lang: 'en',
  tokenExpiresAt: new Date(Date.now() + 60_000),
});

async function schoolWithPupils(opts: { consent?: boolean } = {}) {
  const school = await buildSchool(models);
  if (!opts.consent) await shareWithoutConsent(models, school);
  const planner = await buildUser(models, school, { role: 'planner' });
  const teacher = await buildUser(models, school, { role: 'teacher' });
  const y8a = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y8', name: 'Amara' });
  const y8b = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y8', name: 'Ben' });
  const y10 = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y10', name: 'Cleo' });
  const lone = await buildUser(models, school, { role: 'pupil', name: 'Dev' });
  const cls = await models.Class.create({
    schoolId: school.id,
    platformId: 'platform-test',
    contextId: `ctx-${school.id}`,
    title: 'Y10 Careers',
    yearGroup: 'EN-Y10',
  });
  const classId = String(cls._id);
  for (const [u, role] of [
    [teacher, 'teacher'],
    [y10, 'pupil'],
    [lone, 'pupil'],
  ] as const)
    await models.Membership.create({ schoolId: school.id, classId, userId: u.id, role, source: 'launch' });
  const adviser = await buildAdviser(models, school);
  return { school, planner, teacher, y8a, y8b, y10, lone, classId, adviser };
}

const as = async (user: User) => ({ Authorization: await authHeader(user) });
const sharedIds = async (adviser: User) =>
  (
    (
      await request(app)
        .get('/api/sharing/shared-with-me')
        .set(await as(adviser))
        .expect(200)
    ).body as { id: string }[]
  )
    .map((p) => p.id)
    .sort();
const grant = async (planner: User, body: object) =>
  request(app)
    .post('/api/planner/sharing/grants')
    .set(await as(planner))
    .send(body);

describe('grants', () => {
  it('shares by pupil, by class and by year group; the adviser sees exactly those pupils', async () => {
    const s = await schoolWithPupils();
    expect(await sharedIds(s.adviser)).toEqual([]);
    const byPupil = await grant(s.planner, {
      adviserId: s.adviser.accountId,
      kind: 'pupil',
      values: [s.y8a.id],
      expiresAt: inDays(30),
      capacity: 40,
    });
    expect(byPupil.status).toBe(201);
    expect(byPupil.body).toMatchObject({ kind: 'pupil', values: [s.y8a.id], status: 'active', pupils: 1, capacity: 40 });
    expect(await sharedIds(s.adviser)).toEqual([s.y8a.id]);
    const byClass = await grant(s.planner, {
      adviserId: s.adviser.accountId,
      kind: 'class',
      values: [s.classId],
      expiresAt: inDays(30),
    });
    expect(byClass.body.pupils).toBe(2);
    expect(await sharedIds(s.adviser)).toEqual([s.y8a.id, s.y10.id, s.lone.id].sort());
    await grant(s.planner, { adviserId: s.adviser.accountId, kind: 'yearGroup', values: ['en-y8'], expiresAt: inDays(30) }).then(
      (r) => expect(r.body.values).toEqual(['EN-Y8']),
    );
    expect(await sharedIds(s.adviser)).toEqual([s.y8a.id, s.y8b.id, s.y10.id, s.lone.id].sort());
    const list = await request(app)
      .get('/api/planner/sharing/grants')
      .set(await as(s.planner))
      .expect(200);
    expect(list.body).toHaveLength(3);
    expect(await adviserCapacity(models, s.school.id, clockNow)).toMatchObject({
      totalCapacity: 40,
      advisers: [{ adviserId: s.adviser.accountId, capacity: 40, pupilsShared: 4 }],
    });
  });

  it('shares with a partner organisation: its advisers see the pupils', async () => {
    const s = await schoolWithPupils();
    const partner = await request(app)
      .post('/api/planner/sharing/partners')
      .set(await as(s.planner))
      .send({ code: `hub-${s.school.id}`, name: 'Hub' })
      .expect(201);
    const colleague = await buildAdviser(models, s.school, { partnerId: partner.body.id });
    await grant(s.planner, { partnerId: partner.body.id, kind: 'pupil', values: [s.y10.id], expiresAt: inDays(10) }).then((r) =>
      expect(r.status).toBe(201),
    );
    expect(await sharedIds(colleague)).toEqual([s.y10.id]);
    expect(await sharedIds(s.adviser)).toEqual([]);
  });

  it('ends at expiry (injected clock), comes back when renewed, and is gone at once when revoked', async () => {
    const s = await schoolWithPupils();
    const created = await grant(s.planner, {
      adviserId: s.adviser.accountId,
      kind: 'pupil',
      values: [s.y8b.id],
      expiresAt: inDays(2),
    });
    const start = clockNow;
    try {
      clockNow = new Date(start.getTime() + 3 * DAY);
      expect(await sharedIds(s.adviser)).toEqual([]);
      const list = await request(app)
        .get('/api/planner/sharing/grants')
        .set(await as(s.planner));
      expect(list.body[0].status).toBe('expired');
      const renewed = await request(app)
        .post(`/api/planner/sharing/grants/${created.body.id}/renew`)
        .set(await as(s.planner))
        .send({ expiresAt: inDays(30) });
      expect(renewed.status).toBe(200);
      expect(renewed.body.status).toBe('active');
      expect(await sharedIds(s.adviser)).toEqual([s.y8b.id]);
      const stored = await models.SharingGrant.findOne({ schoolId: s.school.id, _id: created.body.id }).lean();
      expect(stored?.renewals).toHaveLength(1);
      const revoked = await request(app)
        .post(`/api/planner/sharing/grants/${created.body.id}/revoke`)
        .set(await as(s.planner))
        .expect(200);
      expect(revoked.body.status).toBe('revoked');
      expect(await sharedIds(s.adviser)).toEqual([]);
      const again = await request(app)
        .post(`/api/planner/sharing/grants/${created.body.id}/renew`)
        .set(await as(s.planner))
        .send({ expiresAt: inDays(30) });
      expect(again.status).toBe(400);
    } finally {
      clockNow = start;
    }
  });

  it('access.ts takes the time it is asked about: a grant not yet started or already ended shows nothing', async () => {
    const s = await schoolWithPupils();
    await buildGrant(models, s.school, { adviserId: s.adviser.accountId }, 'pupil', [s.y8a.id], {
      startsAt: new Date(Date.now() + DAY),
      expiresAt: new Date(Date.now() + 5 * DAY),
    });
    const ctx = ctxOf(s.adviser);
    expect(await visiblePupilIds(models, ctx, new Date())).toEqual([]);
    expect(await visiblePupilIds(models, ctx, new Date(Date.now() + 2 * DAY))).toEqual([s.y8a.id]);
    expect(await visiblePupilIds(models, ctx, new Date(Date.now() + 6 * DAY))).toEqual([]);
  });

  it('400: bad kind, no expiry, both or neither grantee, a past or too distant expiry, a pupil or class not of this school', async () => {
    const s = await schoolWithPupils();
    const other = await schoolWithPupils();
    const a = s.adviser.accountId;
    for (const body of [
      { adviserId: a, kind: 'school', values: ['x'], expiresAt: inDays(3) },
      { adviserId: a, kind: 'pupil', values: [s.y8a.id] },
      { kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(3) },
      { adviserId: a, partnerId: a, kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(3) },
      { adviserId: a, kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(-1) },
      { adviserId: a, kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(1000) },
      { adviserId: a, kind: 'pupil', values: [other.y8a.id], expiresAt: inDays(3) },
      { adviserId: a, kind: 'class', values: [other.classId], expiresAt: inDays(3) },
      { adviserId: a, kind: 'pupil', values: [], expiresAt: inDays(3) },
    ]) {
      const res = await grant(s.planner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect(await models.SharingGrant.countDocuments({ schoolId: s.school.id })).toBe(0);
  });

  it('403 for teachers, pupils and advisers on every planner endpoint', async () => {
    const s = await schoolWithPupils();
    for (const user of [s.teacher, s.y8a, s.adviser]) {
      const h = await as(user);
      for (const [method, path] of [
        ['get', 'grants'],
        ['post', 'grants'],
        ['get', 'partners'],
        ['post', 'partners'],
        ['get', 'advisers'],
        ['post', 'advisers'],
        ['get', 'policy'],
        ['put', 'policy'],
        ['get', 'audit'],
        ['get', 'options'],
        ['get', 'invitations'],
      ] as const) {
        const body =
          path === 'grants'
            ? { adviserId: s.adviser.accountId, kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(3) }
            : path === 'partners'
              ? { code: 'x', name: 'X' }
              : path === 'advisers'
                ? { name: 'X' }
                : path === 'policy'
                  ? { consent: 'none', pupilFromAge: 13 }
                  : undefined;
        const res = await request(app)[method](`/api/planner/sharing/${path}`).set(h).send(body);
        expect(res.status, `${user.role} ${method} ${path}`).toBe(403);
      }
    }
  });

  it("404: another school's adviser, partner and grant (to create, renew, revoke, invite, link)", async () => {
    const s = await schoolWithPupils();
    const other = await schoolWithPupils();
    const foreignGrant = await buildGrant(models, other.school, { adviserId: other.adviser.accountId }, 'pupil', [other.y8a.id]);
    const foreignPartner = await buildPartner(models, other.school);
    const h = await as(s.planner);
    const cases = [
      await grant(s.planner, { adviserId: other.adviser.accountId, kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(3) }),
      await grant(s.planner, { partnerId: foreignPartner.id, kind: 'pupil', values: [s.y8a.id], expiresAt: inDays(3) }),
      await request(app)
        .post(`/api/planner/sharing/grants/${foreignGrant.id}/renew`)
        .set(h)
        .send({ expiresAt: inDays(3) }),
      await request(app).post(`/api/planner/sharing/grants/${foreignGrant.id}/revoke`).set(h),
      await request(app).post(`/api/planner/sharing/advisers/${other.adviser.accountId}/invitations`).set(h),
      await request(app).put(`/api/planner/sharing/advisers/${other.adviser.accountId}/lms-user`).set(h).send({ userId: null }),
      await request(app)
        .put(`/api/planner/sharing/advisers/${s.adviser.accountId}/lms-user`)
        .set(h)
        .send({ userId: other.adviser.id }),
      await request(app).put(`/api/sharing/consents/${other.y8a.id}`).set(h).send({ kind: 'parent', status: 'given' }),
    ];
    expect(cases.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    expect(cases.every((r) => r.body.error.code === 'not_found')).toBe(true);
    expect(
      (await models.SharingGrant.findOne({ schoolId: other.school.id, _id: foreignGrant.id }).lean())?.revokedAt,
    ).toBeUndefined();
  });
});

describe("one adviser, two schools: nothing from one school is visible under another's grant", () => {
  it('each school grants separately; ids of the other school are never visible', async () => {
    const a = await schoolWithPupils();
    const b = await schoolWithPupils();
    const inB = await buildAdviser(models, b.school, { account: { id: a.adviser.accountId } });
    await buildGrant(models, a.school, { adviserId: a.adviser.accountId }, 'pupil', [a.y8a.id]);
    await buildGrant(models, b.school, { adviserId: a.adviser.accountId }, 'yearGroup', ['EN-Y10']);
    // A grant of school A naming school B's pupil (written directly, bypassing validation) still shows nothing of B.
    await buildGrant(models, a.school, { adviserId: a.adviser.accountId }, 'pupil', [b.y8b.id]);
    expect(await sharedIds(a.adviser)).toEqual([a.y8a.id]);
    expect(await sharedIds(inB)).toEqual([b.y10.id]);
    await expect(assertAdviserMaySee(models, ctxOf(a.adviser), b.y10.id)).rejects.toMatchObject({ status: 404 });
    await expect(assertAdviserMaySee(models, ctxOf(a.adviser), b.y8b.id)).rejects.toMatchObject({ status: 404 });
    await expect(assertAdviserMaySee(models, ctxOf(inB), a.y8a.id)).rejects.toMatchObject({ status: 404 });
    await assertAdviserMaySee(models, ctxOf(inB), b.y10.id);
  });

  it('the LMS Mentor launch adds the pupils role_scope_mentor named (and only those of this school)', async () => {
    const s = await schoolWithPupils();
    await models.User.updateOne(
      { schoolId: s.school.id, _id: s.adviser.id },
      { $set: { mentees: [s.y8b.sub, 'sub-of-nobody'] } },
    );
    expect(await sharedIds(s.adviser)).toEqual([s.y8b.id]);
  });
});

describe('consent', () => {
  it('by default: parental consent under 13, the pupil’s own from 13; missing consent hides the pupil', async () => {
    const s = await schoolWithPupils({ consent: true });
    await buildGrant(models, s.school, { adviserId: s.adviser.accountId }, 'yearGroup', ['EN-Y8', 'EN-Y10']);
    await buildGrant(models, s.school, { adviserId: s.adviser.accountId }, 'pupil', [s.lone.id]);
    expect(await sharedIds(s.adviser)).toEqual([]);
    const policy = await request(app)
      .get('/api/planner/sharing/policy')
      .set(await as(s.planner))
      .expect(200);
    expect(policy.body).toEqual({ consent: 'by-age', pupilFromAge: 13, isDefault: true });
    const list = await request(app)
      .get('/api/sharing/consents')
      .set(await as(s.planner))
      .expect(200);
    const required = Object.fromEntries((list.body as { name: string; required: string }[]).map((p) => [p.name, p.required]));
    // Year 8 (typical age 12-13) → parent; Year 10 (14-15) → pupil; unknown year group → the stricter parent.
    expect(required).toEqual({ Amara: 'parent', Ben: 'parent', Cleo: 'pupil', Dev: 'parent' });

    // A teacher records a parent's consent for a pupil they teach; the pupil appears at once.
    const byTeacher = await request(app)
      .put(`/api/sharing/consents/${s.lone.id}`)
      .set(await as(s.teacher))
      .send({ kind: 'parent', status: 'given' });
    expect(byTeacher.status).toBe(200);
    expect(byTeacher.body).toMatchObject({ required: 'parent', satisfied: true, parent: { status: 'given' } });
    expect(await sharedIds(s.adviser)).toEqual([s.lone.id]);
    // A parent's consent is not the pupil's own: Cleo (Year 10) gives hers from her page.
    await request(app)
      .put(`/api/sharing/consents/${s.y10.id}`)
      .set(await as(s.planner))
      .send({ kind: 'parent', status: 'given' })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([s.lone.id]);
    const mine = await request(app)
      .get('/api/sharing/my-consent')
      .set(await as(s.y10))
      .expect(200);
    expect(mine.body).toEqual({ required: 'pupil', status: null, at: null, canChange: true });
    await request(app)
      .put('/api/sharing/my-consent')
      .set(await as(s.y10))
      .send({ status: 'given' })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([s.y10.id, s.lone.id].sort());
    // Withdrawal removes access at once, for the adviser's reads too.
    await request(app)
      .put('/api/sharing/my-consent')
      .set(await as(s.y10))
      .send({ status: 'withdrawn' })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([s.lone.id]);
    await expect(assertAdviserMaySee(models, ctxOf(s.adviser), s.y10.id)).rejects.toMatchObject({ status: 404 });
    await request(app)
      .put(`/api/sharing/consents/${s.lone.id}`)
      .set(await as(s.planner))
      .send({ kind: 'parent', status: 'withdrawn' })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([]);
    const stored = await models.SharingConsent.findOne({ schoolId: s.school.id, pupilId: s.lone.id, kind: 'parent' }).lean();
    expect(stored?.history.map((h) => h.status)).toEqual(['given', 'withdrawn']);
    expect(stored?.withdrawnAt).toBeInstanceOf(Date);
  });

  it('the school can change the age or require no consent', async () => {
    const s = await schoolWithPupils({ consent: true });
    await buildGrant(models, s.school, { adviserId: s.adviser.accountId }, 'pupil', [s.y8a.id]);
    await giveConsent(models, s.school, s.y8a, 'pupil');
    expect(await sharedIds(s.adviser)).toEqual([]);
    await request(app)
      .put('/api/planner/sharing/policy')
      .set(await as(s.planner))
      .send({ consent: 'by-age', pupilFromAge: 12 })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([s.y8a.id]);
    await request(app)
      .put('/api/planner/sharing/policy')
      .set(await as(s.planner))
      .send({ consent: 'by-age', pupilFromAge: 16 })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([]);
    await request(app)
      .put('/api/planner/sharing/policy')
      .set(await as(s.planner))
      .send({ consent: 'none', pupilFromAge: 16 })
      .expect(200);
    expect(await sharedIds(s.adviser)).toEqual([s.y8a.id]);
  });

  it('400 bad input; 403 for a pupil where a parent consents, a teacher recording a pupil’s consent or another class, and advisers', async () => {
    const s = await schoolWithPupils({ consent: true });
    const h = await as(s.planner);
    expect(
      (await request(app).put('/api/planner/sharing/policy').set(h).send({ consent: 'always', pupilFromAge: 13 })).status,
    ).toBe(400);
    expect(
      (await request(app).put('/api/planner/sharing/policy').set(h).send({ consent: 'by-age', pupilFromAge: 40 })).status,
    ).toBe(400);
    expect(
      (await request(app).put(`/api/sharing/consents/${s.y8a.id}`).set(h).send({ kind: 'uncle', status: 'given' })).status,
    ).toBe(400);
    expect(
      (
        await request(app)
          .put('/api/sharing/my-consent')
          .set(await as(s.y10))
          .send({ status: 'maybe' })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(app)
          .put('/api/sharing/my-consent')
          .set(await as(s.y8a))
          .send({ status: 'given' })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .put(`/api/sharing/consents/${s.y10.id}`)
          .set(await as(s.teacher))
          .send({ kind: 'pupil', status: 'given' })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .put(`/api/sharing/consents/${s.y8a.id}`)
          .set(await as(s.teacher))
          .send({ kind: 'parent', status: 'given' })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .put(`/api/sharing/consents/${s.y8a.id}`)
          .set(await as(s.adviser))
          .send({ kind: 'parent', status: 'given' })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get('/api/sharing/consents')
          .set(await as(s.y8a))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get('/api/sharing/my-consent')
          .set(await as(s.teacher))
      ).status,
    ).toBe(403);
    expect(await models.SharingConsent.countDocuments({ schoolId: s.school.id })).toBe(0);
  });
});

describe('audit log', () => {
  it('records every adviser view (who, pupil, what, when, grant) and planners filter it, as JSON and CSV', async () => {
    const s = await schoolWithPupils();
    const g = await buildGrant(models, s.school, { adviserId: s.adviser.accountId }, 'pupil', [s.y8a.id, s.y10.id], {
      startsAt: new Date('2026-01-01T00:00:00Z'),
    });
    const ctx = ctxOf(s.adviser);
    await logAdviserView(models, ctx, s.y8a.id, 'readiness-review', new Date('2026-03-02T10:00:00Z'));
    await logAdviserView(models, ctx, s.y10.id, 'log', new Date('2026-03-05T10:00:00Z'));
    const h = await as(s.planner);
    const all = await request(app).get('/api/planner/sharing/audit').set(h).expect(200);
    expect(all.body).toHaveLength(2);
    expect(all.body[1]).toEqual({
      at: '2026-03-02T10:00:00.000Z',
      adviser: { userId: s.adviser.id, accountId: s.adviser.accountId, name: 'Ada Adviser' },
      pupil: { id: s.y8a.id, name: 'Amara' },
      what: 'readiness-review',
      grantIds: [g.id],
      viaMentor: false,
    });
    const byPupil = await request(app).get('/api/planner/sharing/audit').query({ pupilId: s.y10.id }).set(h);
    expect(byPupil.body.map((r: { what: string }) => r.what)).toEqual(['log']);
    const byDate = await request(app).get('/api/planner/sharing/audit').query({ from: '2026-03-01', to: '2026-03-02' }).set(h);
    expect(byDate.body.map((r: { what: string }) => r.what)).toEqual(['readiness-review']);
    const byAdviser = await request(app).get('/api/planner/sharing/audit').query({ adviserId: s.adviser.accountId }).set(h);
    expect(byAdviser.body).toHaveLength(2);
    const csv = await request(app)
      .get('/api/planner/sharing/audit')
      .query({ format: 'csv', pupilId: s.y8a.id })
      .set(h)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')).toEqual([
      'at,adviser_name,adviser_user_id,adviser_account_id,pupil_name,pupil_id,what,grant_ids,via_mentor',
      `2026-03-02T10:00:00.000Z,Ada Adviser,${s.adviser.id},${s.adviser.accountId},Amara,${s.y8a.id},readiness-review,${g.id},false`,
      '',
    ]);
    expect((await request(app).get('/api/planner/sharing/audit').query({ from: '2026-13-01' }).set(h)).status).toBe(400);
    expect(
      (await request(app).get('/api/planner/sharing/audit').query({ from: '2026-03-05', to: '2026-03-01' }).set(h)).status,
    ).toBe(400);
    expect(
      (
        await request(app)
          .get('/api/planner/sharing/audit')
          .set(await as(s.teacher))
      ).status,
    ).toBe(403);
    const other = await schoolWithPupils();
    expect(
      (
        await request(app)
          .get('/api/planner/sharing/audit')
          .set(await as(other.planner))
      ).body,
    ).toEqual([]);
  });

  it("an adviser with a grant reads the pupil's log through the log's own check", async () => {
    const s = await schoolWithPupils();
    const entry = await models.LogEntry.create({
      schoolId: s.school.id,
      pupilId: s.y8b.id,
      createdBy: s.y8b.id,
      encounterType: 'workplace-visit',
      date: '2026-03-04',
      organisation: 'Farm',
      hours: 1,
      revision: 1,
    });
    const path = `/api/log/entries/${String(entry._id)}`;
    expect(
      (
        await request(app)
          .get(path)
          .set(await as(s.adviser))
      ).status,
    ).toBe(403);
    await buildGrant(models, s.school, { adviserId: s.adviser.accountId }, 'pupil', [s.y8b.id]);
    expect(
      (
        await request(app)
          .get(path)
          .set(await as(s.adviser))
      ).status,
    ).toBe(200);
    const views = await models.AdviserView.find({ schoolId: s.school.id, pupilId: s.y8b.id }).lean();
    expect(views.map((v) => [v.adviserUserId, v.what])).toEqual([[s.adviser.id, 'log']]);
  });
});

describe('partners, advisers, options', () => {
  it('adds partners and advisers (an e-mail known elsewhere joins the account), links the LMS adviser, lists pickers', async () => {
    const a = await schoolWithPupils();
    const b = await schoolWithPupils();
    const p1 = await request(app)
      .post('/api/planner/sharing/partners')
      .set(await as(a.planner))
      .send({ code: `org-${a.school.id}`, name: 'Org' })
      .expect(201);
    const p2 = await request(app)
      .post('/api/planner/sharing/partners')
      .set(await as(b.planner))
      .send({ code: `org-${a.school.id}`, name: 'Other name' })
      .expect(201);
    expect(p2.body).toEqual(p1.body);
    const email = `adv-${a.school.id}@example.org`;
    const x = await request(app)
      .post('/api/planner/sharing/advisers')
      .set(await as(a.planner))
      .send({ name: 'Xavi', email, partnerId: p1.body.id })
      .expect(201);
    const y = await request(app)
      .post('/api/planner/sharing/advisers')
      .set(await as(b.planner))
      .send({ name: 'X.', email: email.toUpperCase() })
      .expect(201);
    expect(y.body.id).toBe(x.body.id);
    expect(y.body.name).toBe('Xavi');
    const lmsAdviser = await buildUser(models, a.school, { role: 'adviser', name: 'LMS Xavi' });
    const linked = await request(app)
      .put(`/api/planner/sharing/advisers/${x.body.id}/lms-user`)
      .set(await as(a.planner))
      .send({ userId: lmsAdviser.id })
      .expect(200);
    expect(linked.body.lmsUserId).toBe(lmsAdviser.id);
    expect(
      (
        await request(app)
          .put(`/api/planner/sharing/advisers/${x.body.id}/lms-user`)
          .set(await as(a.planner))
          .send({ userId: a.y8a.id })
      ).status,
    ).toBe(400);
    const listB = await request(app)
      .get('/api/planner/sharing/advisers')
      .set(await as(b.planner))
      .expect(200);
    expect(listB.body.find((v: { id: string }) => v.id === x.body.id).lmsUserId).toBeNull();
    const options = await request(app)
      .get('/api/planner/sharing/options')
      .set(await as(a.planner))
      .expect(200);
    expect(options.body.yearGroups).toEqual(['EN-Y10', 'EN-Y8']);
    expect(options.body.pupils).toHaveLength(4);
    expect(options.body.lmsAdvisers.map((u: { name: string }) => u.name)).toContain('LMS Xavi');
    expect(
      (
        await request(app)
          .post('/api/planner/sharing/advisers')
          .set(await as(a.planner))
          .send({ name: '', email: 'nope' })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(app)
          .post('/api/planner/sharing/partners')
          .set(await as(a.planner))
          .send({ code: 'Not A Code', name: 'x' })
      ).status,
    ).toBe(400);
  });
});

describe('at scale', () => {
  async function bulkSchool(count: number) {
    const school = await buildSchool(models);
    const users = await models.User.insertMany(
      Array.from({ length: count }, (_, i) => ({
        schoolId: school.id,
        platformId: 'platform-test',
        sub: `bulk-${school.id}-${String(i)}`,
        role: 'pupil' as const,
        source: 'nrps' as const,
        yearGroup: i % 3 === 0 ? 'EN-Y8' : 'EN-Y10',
      })),
    );
    const ids = users.map((u) => String(u._id));
    const cls = await models.Class.create({ schoolId: school.id, platformId: 'platform-test', contextId: `bulk-${school.id}` });
    await models.Membership.insertMany(
      ids
        .slice(0, Math.ceil(count / 2))
        .map((userId) => ({ schoolId: school.id, classId: String(cls._id), userId, role: 'pupil', source: 'nrps' })),
    );
    await models.SharingConsent.insertMany(
      ids.flatMap((pupilId) =>
        (['parent', 'pupil'] as const).map((kind) => ({
          schoolId: school.id,
          pupilId,
          kind,
          status: 'given',
          givenAt: new Date(),
        })),
      ),
    );
    const adviser = await buildAdviser(models, school);
    await buildGrant(models, school, { adviserId: adviser.accountId }, 'class', [String(cls._id)]);
    await buildGrant(models, school, { adviserId: adviser.accountId }, 'yearGroup', ['EN-Y8']);
    await buildGrant(models, school, { adviserId: adviser.accountId }, 'pupil', ids.slice(-Math.ceil(count / 4)));
    return { adviser, ids };
  }
  async function operations(user: User) {
    const ops: string[] = [];
    database.db.connection.set('debug', (collection: string, method: string) => ops.push(`${collection}.${method}`));
    try {
      return { ids: await visiblePupilIds(models, ctxOf(user)), ops };
    } finally {
      database.db.connection.set('debug', false);
    }
  }

  it('visiblePupilIds makes the same few indexed queries for 5 and for 300 pupils', async () => {
    const small = await bulkSchool(5);
    const large = await bulkSchool(300);
    const a = await operations(small.adviser);
    const b = await operations(large.adviser);
    // Covered: the class (first half), year group EN-Y8 (every third) and the last quarter by name.
    const expected = (ids: string[]) =>
      [
        ...new Set([
          ...ids.slice(0, Math.ceil(ids.length / 2)),
          ...ids.filter((_, i) => i % 3 === 0),
          ...ids.slice(-Math.ceil(ids.length / 4)),
        ]),
      ].sort();
    expect(a.ids.sort()).toEqual(expected(small.ids));
    expect(b.ids.sort()).toEqual(expected(large.ids));
    expect(b.ops).toEqual(a.ops);
    expect(b.ops.length).toBeLessThanOrEqual(8);
  });
});
