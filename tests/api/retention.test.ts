/**
 * Retention: planners read and set their school's periods (defaults documented in docs/privacy.md); the sweep, run
 * with an injected clock, removes leavers' learning data after the learning period, erases a leaver's whole account
 * once the destinations period has passed too, drops old access logs, never touches current pupils or a school
 * whose periods have not run out, runs in one process at a time (lease) and finds nothing to do the second time.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { RETENTION_DEFAULTS, runRetention } from '../../server/modules/privacy/retention.js';
import { eraseEntries, type Subject } from '../../server/modules/privacy/registry.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildPlatform, buildSchool, buildUser } from '../support/factories.js';
import { fillPupil, type FilledPupil } from '../support/factories-privacy.js';

const database = await useTestDatabase();
const app = buildApp(database);
const { models } = database;
const config = testConfig();
const NOW = new Date('2026-11-29T03:00:00Z');
const deps = { models, publicUrl: config.publicUrl, secret: config.keyEncryptionSecret };

async function school(opts: { policy?: { learningYears: number; destinationsYears: number } } = {}) {
  const s = await buildSchool(models);
  const platform = await buildPlatform(models, s);
  const planner = await buildUser(models, s, { role: 'planner' });
  const cls = await models.Class.create({
    schoolId: s.id,
    platformId: String(platform._id),
    contextId: `c-${s.id}`,
    title: 'Y13',
  });
  const pupil = async (name: string, leaverYear?: string) => {
    const u = await buildUser(models, s, { role: 'pupil', name, yearGroup: 'EN-Y13', platformId: String(platform._id) });
    if (leaverYear) await models.User.updateOne({ schoolId: s.id, _id: u.id }, { $set: { leaverYear } });
    return u;
  };
  const longGone = await pupil('Left 2021', '2020-21');
  const lastYear = await pupil('Left 2025', '2024-25');
  const recent = await pupil('Left 2026', '2025-26');
  const current = await buildUser(models, s, {
    role: 'pupil',
    name: 'Still here',
    yearGroup: 'EN-Y10',
    platformId: String(platform._id),
  });
  const fill = (p: { id: string; sub: string }, mate: { id: string; sub: string }) =>
    fillPupil(models, {
      schoolId: s.id,
      pupil: p,
      classmate: mate,
      issuer: platform.issuer,
      publicUrl: config.publicUrl,
      classId: String(cls._id),
    });
  const filled = {
    longGone: await fill(longGone, current),
    lastYear: await fill(lastYear, current),
    recent: await fill(recent, current),
    current: await fill(current, recent),
  };
  // fillPupil records a 2024-25 destination; give each leaver their own cohort's.
  for (const [p, cohort, leftAt] of [
    [longGone, '2020-21', '2021-08-31'],
    [recent, '2025-26', '2026-08-31'],
  ] as const)
    await models.Destination.updateMany(
      { schoolId: s.id, pupilId: p.id },
      { $set: { cohort, leftAt: new Date(`${leftAt}T23:59:59Z`) } },
    );
  await models.Destination.deleteMany({ schoolId: s.id, pupilId: current.id });
  await models.XapiAccessLog.create([
    { schoolId: s.id, credentialKey: 'k', scope: 'all', resource: 'statements', count: 1, at: new Date('2025-06-01') },
    { schoolId: s.id, credentialKey: 'k', scope: 'all', resource: 'statements', count: 1, at: new Date('2026-10-01') },
  ]);
  if (opts.policy) await models.RetentionPolicy.create({ schoolId: s.id, ...opts.policy });
  return { id: s.id, planner, longGone, lastYear, recent, current, filled };
}

type Counter = { countDocuments(f: unknown): Promise<number> };
async function held(f: FilledPupil, category: 'learning' | 'outcomes' | 'account'): Promise<number> {
  const entries = await models.LogEntry.find({ schoolId: f.schoolId, pupilId: f.id }, { _id: 1 }).lean();
  const subject: Subject = {
    schoolId: f.schoolId,
    pupilId: f.id,
    sub: f.sub,
    entryIds: [f.entryId, ...entries.map((e) => String(e._id))],
  };
  let n = 0;
  for (const [name, entry] of eraseEntries())
    if (entry.category === category) n += await (models[name] as unknown as Counter).countDocuments(entry.filter(subject));
  return n;
}

const a = await school();
const b = await school({ policy: { learningYears: 10, destinationsYears: 10 } });

describe('the retention sweep', () => {
  it('waits while another process holds the lease', async () => {
    await models.Lease.create({ _id: 'privacy-retention', holder: 'another-process', until: new Date(NOW.getTime() + 60_000) });
    expect(await runRetention(deps, NOW)).toBeUndefined();
    expect(await held(a.filled.lastYear, 'learning')).toBeGreaterThan(0);
    await models.Lease.deleteOne({ _id: 'privacy-retention' });
  });

  it('applies each school’s periods to its leavers and access logs', async () => {
    const result = await runRetention(deps, NOW);
    expect(result?.[a.id]).toMatchObject({ erasedLeavers: 1, XapiAccessLog: 1 });
    // Adviser views of pupils (fixture: March 2025) are access logs too; the erased leaver's went with their account.
    expect(await models.AdviserView.countDocuments({ schoolId: a.id })).toBe(0);

    // Left in 2021: past both periods (learning 1 year, destinations 4): the whole account is erased.
    expect(await models.User.countDocuments({ schoolId: a.id, _id: a.longGone.id })).toBe(0);
    expect(await held(a.filled.longGone, 'learning')).toBe(0);
    expect(await held(a.filled.longGone, 'outcomes')).toBe(0);
    expect(await models.ErasureJob.findOne({ schoolId: a.id, pupilId: a.longGone.id }).lean()).toMatchObject({
      status: 'done',
      reason: 'retention',
    });
    // Left in 2025: learning data gone after a year; account and destinations kept for the follow-ups.
    expect(await held(a.filled.lastYear, 'learning')).toBe(0);
    expect(await held(a.filled.lastYear, 'outcomes')).toBe(1);
    expect(await models.User.countDocuments({ schoolId: a.id, _id: a.lastYear.id })).toBe(1);
    // Left this summer, and a pupil still at school: untouched.
    expect(await held(a.filled.recent, 'learning')).toBeGreaterThan(0);
    expect(await held(a.filled.current, 'learning')).toBeGreaterThan(0);
    // Access logs older than 12 months go; newer stay.
    expect(await models.XapiAccessLog.countDocuments({ schoolId: a.id })).toBe(1);

    // School B keeps learning data and destinations for 10 years: only its old access logs go.
    expect(result?.[b.id]).toEqual({ XapiAccessLog: 1, AdviserView: 4 });
    expect(await models.User.countDocuments({ schoolId: b.id, _id: b.longGone.id })).toBe(1);
    expect(await held(b.filled.longGone, 'learning')).toBeGreaterThan(0);
    expect(await held(b.filled.lastYear, 'learning')).toBeGreaterThan(0);
  });

  it('finds nothing to do the second time, and records when it ran', async () => {
    const again = await runRetention(deps, NOW);
    expect(again?.[a.id]).toEqual({});
    const policy = await models.RetentionPolicy.findOne({ schoolId: a.id }).lean();
    expect(policy?.lastRun?.at?.toISOString()).toBe(NOW.toISOString());
  });

  it('removes destinations once their own period is over', async () => {
    const later = new Date('2029-09-02T03:00:00Z'); // four years after the 2024-25 cohort left
    await runRetention(deps, later);
    expect(await held(a.filled.lastYear, 'outcomes')).toBe(0);
    expect(await models.User.countDocuments({ schoolId: a.id, _id: a.lastYear.id })).toBe(0);
  });
});

describe('GET and PUT /api/planner/retention', () => {
  it('shows the documented defaults until the school sets its own', async () => {
    const fresh = await buildSchool(models);
    const planner = await buildUser(models, fresh, { role: 'planner' });
    const res = await request(app)
      .get('/api/planner/retention')
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ periods: RETENTION_DEFAULTS, defaults: RETENTION_DEFAULTS, lastRun: null });
    expect(RETENTION_DEFAULTS).toEqual({ destinationsYears: 4, learningYears: 1, accessLogMonths: 12 });
  });
  it('sets some periods and keeps the others', async () => {
    const res = await request(app)
      .put('/api/planner/retention')
      .set('Authorization', await authHeader(a.planner))
      .send({ learningYears: 2, accessLogMonths: 6 });
    expect(res.status).toBe(200);
    expect(res.body.periods).toEqual({ destinationsYears: 4, learningYears: 2, accessLogMonths: 6 });
    expect(res.body.lastRun.at).toBe('2029-09-02T03:00:00.000Z'); // the last sweep above
    const stored = await models.RetentionPolicy.findOne({ schoolId: a.id }).lean();
    expect(stored).toMatchObject({ learningYears: 2, accessLogMonths: 6, updatedBy: a.planner.id });
  });
  it('rejects an empty change or a period out of range with 400', async () => {
    const put = async (body: object) =>
      request(app)
        .put('/api/planner/retention')
        .set('Authorization', await authHeader(a.planner))
        .send(body);
    expect((await put({})).status).toBe(400);
    const res = await put({ learningYears: 99 });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('learningYears');
    expect((await put({ destinationsYears: 0 })).status).toBe(400);
    expect((await put({ learningYears: 1.5 })).status).toBe(400);
  });
  it('is for planners only (403 for a teacher)', async () => {
    const teacher = await buildUser(models, { id: a.id }, { role: 'teacher' });
    expect(
      (
        await request(app)
          .get('/api/planner/retention')
          .set('Authorization', await authHeader(teacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .put('/api/planner/retention')
          .set('Authorization', await authHeader(teacher))
          .send({ learningYears: 3 })
      ).status,
    ).toBe(403);
  });
  it('keeps each school’s settings to itself', async () => {
    const res = await request(app)
      .get('/api/planner/retention')
      .set('Authorization', await authHeader(b.planner));
    expect(res.body.periods).toEqual({ destinationsYears: 10, learningYears: 10, accessLogMonths: 12 });
  });
});
