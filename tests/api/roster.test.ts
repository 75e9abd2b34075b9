/**
 * Class rosters from NRPS through the real service-token and paging code: a Moodle-shaped test platform serves the
 * membership in pages (Link rel="next") with short role names; Users and Memberships follow it idempotently.
 */
import express from 'express';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishToolJwks } from '../../lti/index.js';
import { ensureToolKeys } from '../../server/background.js';
import { authenticate } from '../../server/http/authenticate.js';
import { errorHandler, notFoundHandler } from '../../server/http/error-handler.js';
import { createLogger } from '../../server/log.js';
import { createLtiRuntime, type LtiRuntime } from '../../server/modules/lti/deps.js';
import { tombstoneOf } from '../../server/modules/privacy/erase.js';
import { ROSTER_RESYNC_AFTER_MS, syncRoster, syncRosterAfterLaunch } from '../../server/modules/people/roster.js';
import { peopleRoutes } from '../../server/modules/people/routes.js';
import { testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { createTestPlatform, manualClock, type FakeMember } from '../support/platform.js';

const database = await useTestDatabase();
const { models } = database;
const config = testConfig();
const logger = createLogger('silent');
const clock = manualClock(new Date());
const members: FakeMember[] = [];
// eslint-disable-next-line prefer-const -- assigned once the platform's fetch exists
let runtime: LtiRuntime;
const platform = await createTestPlatform({
  profile: 'moodle',
  clock,
  members,
  nrpsPageSize: 3,
  toolJwks: async () => publishToolJwks(await runtime.keys.list()),
});
runtime = createLtiRuntime(config, models, { fetch: platform.fetch, clock });
await ensureToolKeys(models, runtime, logger);
const deps = { models, runtime, logger };
const NRPS = platform.profile.membershipsUrl;

// The people routes as app.ts mounts them: behind `authenticate` on the /api router.
const app = express();
app.use(pinoHttp({ logger }));
app.use('/api', express.json(), authenticate(runtime.launchKey), peopleRoutes({ models, runtime }));
app.use('/api', notFoundHandler);
app.use(errorHandler);

const school = await buildSchool(models, { id: 'brookside' });
const other = await buildSchool(models, { id: 'hillcrest' });
const { id: _regId, ...registration } = platform.registration({ schoolId: school.id });
const platformDoc = await models.Platform.create({ ...registration, schoolId: school.id });
const platformId = String(platformDoc._id);
const cls = await models.Class.create({
  schoolId: school.id,
  platformId,
  contextId: 'ctx-81',
  title: 'Year 9 Careers',
  yearGroup: 'EN-Y9',
  nrps: { url: NRPS },
});
const classId = String(cls._id);

async function person(
  role: 'pupil' | 'teacher' | 'adviser' | 'planner',
  sub: string,
  name: string,
  extra: { launched?: boolean } = {},
) {
  const user = await models.User.create({
    schoolId: school.id,
    platformId,
    sub,
    role,
    name,
    source: 'launch',
    ltiRoles: ['from-launch'],
    ...(extra.launched ? { lastLaunchAt: clock.now() } : {}),
  });
  return { id: String(user._id), sub, schoolId: school.id, role };
}
const join = (userId: string, role: 'pupil' | 'teacher', status: 'active' | 'inactive' = 'active') =>
  models.Membership.create({ schoolId: school.id, classId, userId, role, status, source: 'launch' });

const teacher = await person('teacher', 'moodle-teacher-1', 'Ms Teach', { launched: true });
await join(teacher.id, 'teacher');
const leaving = await person('pupil', 'moodle-p3', 'Cat Inactive', { launched: true });
await join(leaving.id, 'pupil');
const gone = await person('pupil', 'moodle-gone', 'Gary Gone', { launched: true });
await join(gone.id, 'pupil');
// A sixth-former whose own launches made them a teacher, listed as a Learner in this class.
await person('teacher', 'moodle-sixth', 'Sam Sixth', { launched: true });

members.push(
  { user_id: 'moodle-teacher-1', roles: ['Instructor'], name: 'Ms Teach' },
  { user_id: 'moodle-p1', roles: ['Learner'], given_name: 'Ada', family_name: 'Lovelace', email: 'ada@brookside.example' },
  { user_id: 'moodle-p2', roles: ['Learner'], name: 'Ben Okafor', email: 'ben@brookside.example' },
  { user_id: 'moodle-ta1', roles: ['TeachingAssistant'], name: 'Tom Assist' },
  { user_id: 'moodle-designer', roles: ['ContentDeveloper'], name: 'Dee Signer' },
  { user_id: 'moodle-p3', roles: ['Learner'], status: 'Inactive', name: 'Cat Inactive' },
  { user_id: 'moodle-p4', roles: ['Learner'], status: 'Deleted', name: 'Del Eted' },
  { user_id: 'moodle-sixth', roles: ['Learner'] },
);

const userBySub = (sub: string) => models.User.findOne({ schoolId: school.id, platformId, sub }).lean();
async function membershipOf(sub: string) {
  const user = await userBySub(sub);
  return user ? models.Membership.findOne({ schoolId: school.id, classId, userId: String(user._id) }).lean() : null;
}
const nrpsGets = () => platform.requests.filter((r) => r.method === 'GET' && r.url.startsWith(NRPS)).length;

describe('syncRoster', () => {
  it('reads every page, maps short role names and creates pupils and teachers without e-mail', async () => {
    const before = nrpsGets();
    const result = await syncRoster(deps, school.id, classId);
    expect(result).toMatchObject({
      listed: 8,
      pages: 3,
      skipped: 0,
      ignored: 1,
      usersCreated: 3,
      usersRenamed: 0,
      membershipsAdded: 4,
      membershipsUpdated: 0,
      membershipsDeactivated: 2,
      unchanged: 1,
      complete: true,
    });
    expect(nrpsGets() - before).toBe(3);
    expect(platform.requests.filter((r) => r.url.startsWith(NRPS)).map((r) => new URL(r.url).searchParams.get('page'))).toEqual([
      null,
      '2',
      '3',
    ]);

    const ada = await userBySub('moodle-p1');
    expect(ada).toMatchObject({ role: 'pupil', source: 'nrps', name: 'Ada Lovelace' });
    expect(ada?.ltiRoles).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']);
    expect(JSON.stringify(await models.User.find({ schoolId: school.id }).lean())).not.toContain('@brookside.example');
    expect(await membershipOf('moodle-p1')).toMatchObject({ role: 'pupil', status: 'active', source: 'nrps' });
    expect(await membershipOf('moodle-ta1')).toMatchObject({ role: 'teacher', status: 'active' });
    expect(await membershipOf('moodle-teacher-1')).toMatchObject({ role: 'teacher', status: 'active', source: 'launch' });
    // No Waymark role, or never active: no record at all.
    expect(await userBySub('moodle-designer')).toBeNull();
    expect(await userBySub('moodle-p4')).toBeNull();

    const stored = await models.Class.findOne({ schoolId: school.id, _id: classId }).lean();
    expect(stored?.nrps?.syncedAt?.toISOString()).toBe(clock.now().toISOString());
  });

  it('marks members listed as Inactive and members no longer listed as inactive, deleting nothing', async () => {
    expect(await membershipOf('moodle-p3')).toMatchObject({ status: 'inactive', role: 'pupil' });
    expect(await membershipOf('moodle-gone')).toMatchObject({ status: 'inactive' });
    expect(await userBySub('moodle-gone')).toMatchObject({ name: 'Gary Gone' });
  });

  it('sets the class membership from the roster but never changes the role a launch gave the person', async () => {
    expect(await membershipOf('moodle-sixth')).toMatchObject({ role: 'pupil', status: 'active' });
    const user = await userBySub('moodle-sixth');
    expect(user).toMatchObject({ role: 'teacher', name: 'Sam Sixth', source: 'launch' });
    expect(user?.ltiRoles).toEqual(['from-launch']);
  });

  it('is idempotent: a second sync of the same roster changes nothing', async () => {
    const snapshot = async () => ({
      users: await models.User.find({ schoolId: school.id }).sort({ _id: 1 }).lean(),
      memberships: await models.Membership.find({ schoolId: school.id, classId }).sort({ _id: 1 }).lean(),
    });
    const before = await snapshot();
    clock.advance(60_000);
    const result = await syncRoster(deps, school.id, classId);
    expect(result).toMatchObject({
      usersCreated: 0,
      usersRenamed: 0,
      membershipsAdded: 0,
      membershipsUpdated: 0,
      membershipsDeactivated: 0,
      unchanged: 6,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('follows changes: renames, reactivates a returning member and deactivates one who left', async () => {
    const p2 = members.findIndex((m) => m.user_id === 'moodle-p2');
    const [removed] = members.splice(p2, 1);
    members.find((m) => m.user_id === 'moodle-p1')!.family_name = 'King';
    members.push({ user_id: 'moodle-gone', roles: ['Learner'], name: 'Gary Back' });
    try {
      const result = await syncRoster(deps, school.id, classId);
      expect(result).toMatchObject({ usersCreated: 0, usersRenamed: 2, membershipsUpdated: 1, membershipsDeactivated: 1 });
      expect(await userBySub('moodle-p1')).toMatchObject({ name: 'Ada King' });
      expect(await membershipOf('moodle-gone')).toMatchObject({ status: 'active', role: 'pupil' });
      expect(await membershipOf('moodle-p2')).toMatchObject({ status: 'inactive' });
    } finally {
      members.splice(p2, 0, removed!);
      members.pop();
    }
  });

  it('deactivates nobody when the roster comes back empty (a platform hiccup must not empty a class)', async () => {
    const saved = members.splice(0, members.length);
    try {
      const result = await syncRoster(deps, school.id, classId);
      expect(result).toMatchObject({ listed: 0, complete: false, membershipsDeactivated: 0 });
      expect(await membershipOf('moodle-p1')).toMatchObject({ status: 'active' });
    } finally {
      members.push(...saved);
    }
  });

  it('keeps a platform failure on the class, leaves syncedAt alone, and clears it on the next success', async () => {
    const syncedAt = (await models.Class.findOne({ schoolId: school.id, _id: classId }).lean())?.nrps?.syncedAt;
    clock.advance(60_000);
    platform.failNext(NRPS, 503);
    await expect(syncRoster(deps, school.id, classId)).rejects.toMatchObject({ status: 502, code: 'roster_sync_failed' });
    let stored = await models.Class.findOne({ schoolId: school.id, _id: classId }).lean();
    expect(stored?.nrps?.lastError).toMatch(/^service_unavailable \(503\)/);
    expect(stored?.nrps?.syncedAt).toEqual(syncedAt);

    await syncRoster(deps, school.id, classId);
    stored = await models.Class.findOne({ schoolId: school.id, _id: classId }).lean();
    expect(stored?.nrps?.lastError).toBeUndefined();
    expect(stored?.nrps?.syncedAt?.toISOString()).toBe(clock.now().toISOString());
  });

  it('refuses a roster that names another course', async () => {
    const otherClass = await models.Class.create({
      schoolId: school.id,
      platformId,
      contextId: 'ctx-other',
      nrps: { url: NRPS },
    });
    await expect(syncRoster(deps, school.id, String(otherClass._id))).rejects.toMatchObject({ code: 'roster_sync_failed' });
    expect(await models.Membership.countDocuments({ schoolId: school.id, classId: String(otherClass._id) })).toBe(0);
    const stored = await models.Class.findOne({ schoolId: school.id, _id: otherClass._id }).lean();
    expect(stored?.nrps?.lastError).toMatch(/context_mismatch/);
  });

  it('never brings back a pupil a planner erased, while the rest of the listing syncs', async () => {
    await models.ErasureJob.create({
      schoolId: school.id,
      pupilId: 'erased-user-id',
      tombstone: tombstoneOf(runtime.secret, school.id, platformId, 'moodle-erased'),
      status: 'done',
      reason: 'request',
      requestedBy: 'planner-1',
      requestedAt: clock.now(),
    });
    members.push(
      { user_id: 'moodle-erased', roles: ['Learner'], name: 'Eve Erased' },
      { user_id: 'moodle-new', roles: ['Learner'], name: 'Nia New' },
    );
    try {
      const result = await syncRoster(deps, school.id, classId);
      expect(await userBySub('moodle-erased')).toBeNull();
      expect(await userBySub('moodle-new')).toMatchObject({ role: 'pupil', name: 'Nia New' });
      expect(result.usersCreated).toBe(1);
    } finally {
      members.splice(-2, 2);
    }
  });
});

describe('syncRosterAfterLaunch', () => {
  it('syncs after a teacher launch only when the last sync is older than the resync interval', async () => {
    const claims = { sch: school.id, role: 'teacher' as const, cls: classId };
    expect(await syncRosterAfterLaunch(deps, claims)).toBeNull(); // just synced
    clock.advance(ROSTER_RESYNC_AFTER_MS + 1);
    expect(await syncRosterAfterLaunch(deps, { ...claims, role: 'pupil' })).toBeNull();
    const before = nrpsGets();
    expect(await syncRosterAfterLaunch(deps, claims)).toMatchObject({ listed: 8, complete: true });
    expect(nrpsGets() - before).toBe(3);
  });

  it('never rejects: a platform failure is recorded on the class', async () => {
    clock.advance(ROSTER_RESYNC_AFTER_MS + 1);
    platform.failNext(NRPS, 500);
    await expect(syncRosterAfterLaunch(deps, { sch: school.id, role: 'teacher', cls: classId })).resolves.toBeNull();
    const stored = await models.Class.findOne({ schoolId: school.id, _id: classId }).lean();
    expect(stored?.nrps?.lastError).toMatch(/500/);
  });
});

describe('POST /api/classes/:id/roster/sync', () => {
  let pupil: { id: string; schoolId: string; role: 'pupil' };
  beforeAll(async () => {
    const user = await userBySub('moodle-p1');
    pupil = { id: String(user!._id), schoolId: school.id, role: 'pupil' };
  });

  it('lets a teacher of the class sync it and answers the counts', async () => {
    const res = await request(app)
      .post(`/api/classes/${classId}/roster/sync`)
      .set('Authorization', await authHeader(teacher));
    expect(res.status, res.text).toBe(200);
    expect(res.body.sync).toMatchObject({ listed: 8, pages: 3, complete: true, usersCreated: 0 });
    const stored = await models.Class.findOne({ schoolId: school.id, _id: classId }).lean();
    expect(stored?.nrps?.lastError).toBeUndefined();
  });

  it('lets a planner of the school sync without being a member', async () => {
    const planner = await buildUser(models, school, { role: 'planner', platformId });
    const res = await request(app)
      .post(`/api/classes/${classId}/roster/sync`)
      .set('Authorization', await authHeader(planner));
    expect(res.status, res.text).toBe(200);
  });

  it('refuses pupils, advisers and teachers of other classes with 403', async () => {
    const adviser = await buildUser(models, school, { role: 'adviser', platformId });
    const otherTeacher = await buildUser(models, school, { role: 'teacher', platformId });
    for (const actor of [pupil, adviser, otherTeacher]) {
      const res = await request(app)
        .post(`/api/classes/${classId}/roster/sync`)
        .set('Authorization', await authHeader(actor));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('answers 404 for a class of another school, even to its planner', async () => {
    const planner = await buildUser(models, other, { role: 'planner' });
    const res = await request(app)
      .post(`/api/classes/${classId}/roster/sync`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers 400 for a malformed class id and 409 for a class without NRPS', async () => {
    const bad = await request(app)
      .post('/api/classes/not-an-id/roster/sync')
      .set('Authorization', await authHeader(teacher));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'id' }] });
    const plain = await models.Class.create({ schoolId: school.id, platformId, contextId: 'ctx-no-nrps' });
    const planner = await buildUser(models, school, { role: 'planner', platformId });
    const res = await request(app)
      .post(`/api/classes/${String(plain._id)}/roster/sync`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('nrps_unavailable');
  });

  it('answers 502 roster_sync_failed when the platform refuses', async () => {
    platform.failNext(NRPS, 403);
    const res = await request(app)
      .post(`/api/classes/${classId}/roster/sync`)
      .set('Authorization', await authHeader(teacher));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('roster_sync_failed');
  });
});

describe('GET /api/classes/:id/roster', () => {
  it('shows a teacher the members with role, status, launched and year group, without e-mail or platform ids', async () => {
    const res = await request(app)
      .get(`/api/classes/${classId}/roster`)
      .set('Authorization', await authHeader(teacher));
    expect(res.status, res.text).toBe(200);
    expect(res.body.class).toMatchObject({ id: classId, title: 'Year 9 Careers', yearGroup: 'EN-Y9', nrps: { available: true } });
    const byName = Object.fromEntries(res.body.members.map((m: { name: string }) => [m.name, m]));
    expect(byName['Ms Teach']).toMatchObject({
      id: teacher.id,
      role: 'teacher',
      status: 'active',
      launched: true,
      yearGroup: null,
    });
    expect(byName['Ada King']).toMatchObject({ role: 'pupil', status: 'active', launched: false, yearGroup: 'EN-Y9' });
    expect(byName['Tom Assist']).toMatchObject({ role: 'teacher', launched: false });
    expect(byName['Cat Inactive']).toMatchObject({ status: 'inactive', launched: true });
    expect(res.body.members.at(-1).status).toBe('inactive'); // active members first
    expect(Object.keys(res.body.members[0]).sort()).toEqual(['id', 'launched', 'name', 'role', 'status', 'yearGroup']);
    expect(res.text).not.toMatch(/moodle-|@brookside/);
  });

  it('refuses a pupil with 403 and another school with 404', async () => {
    const pupil = await userBySub('moodle-p1');
    const asPupil = await request(app)
      .get(`/api/classes/${classId}/roster`)
      .set('Authorization', await authHeader({ id: String(pupil!._id), schoolId: school.id, role: 'pupil' }));
    expect(asPupil.status).toBe(403);
    const teacherElsewhere = await buildUser(models, other, { role: 'teacher' });
    const elsewhere = await request(app)
      .get(`/api/classes/${classId}/roster`)
      .set('Authorization', await authHeader(teacherElsewhere));
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe('not_found');
  });

  it('answers 400 for a malformed id', async () => {
    const res = await request(app)
      .get('/api/classes/xyz/roster')
      .set('Authorization', await authHeader(teacher));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});

describe('PUT /api/classes/:id/year-group', () => {
  it('lets the class teacher set the year group, which gives pupils without their own a stage', async () => {
    const res = await request(app)
      .put(`/api/classes/${classId}/year-group`)
      .set('Authorization', await authHeader(teacher))
      .send({ yearGroup: 'nl-havo3' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.class).toEqual({ id: classId, yearGroup: 'NL-HAVO3', stage: 'S4' });
    expect((await models.Class.findOne({ schoolId: school.id, _id: classId }).lean())?.yearGroup).toBe('NL-HAVO3');
    const roster = await request(app)
      .get(`/api/classes/${classId}/roster`)
      .set('Authorization', await authHeader(teacher));
    expect(roster.body.members.find((m: { name: string }) => m.name === 'Ada King').yearGroup).toBe('NL-HAVO3');
  });

  it('refuses an unknown code with a reason, a pupil with 403 and another school with 404', async () => {
    const bad = await request(app)
      .put(`/api/classes/${classId}/year-group`)
      .set('Authorization', await authHeader(teacher))
      .send({ yearGroup: 'EN-Y99' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'yearGroup' });
    const pupil = await userBySub('moodle-p1');
    const asPupil = await request(app)
      .put(`/api/classes/${classId}/year-group`)
      .set('Authorization', await authHeader({ id: String(pupil!._id), schoolId: school.id, role: 'pupil' }))
      .send({ yearGroup: 'EN-Y8' });
    expect(asPupil.status).toBe(403);
    const elsewhere = await request(app)
      .put(`/api/classes/${classId}/year-group`)
      .set('Authorization', await authHeader(await buildUser(models, other, { role: 'planner' })))
      .send({ yearGroup: 'EN-Y8' });
    expect(elsewhere.status).toBe(404);
  });

  it('clears the year group with null', async () => {
    const res = await request(app)
      .put(`/api/classes/${classId}/year-group`)
      .set('Authorization', await authHeader(teacher))
      .send({ yearGroup: null });
    expect(res.status).toBe(200);
    expect((await models.Class.findOne({ schoolId: school.id, _id: classId }).lean())?.yearGroup).toBeUndefined();
  });
});
