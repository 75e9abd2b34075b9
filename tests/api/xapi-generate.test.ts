/**
 * Statement generation end to end: pupils and teachers work through the real API (answers, a completed and rated
 * module, a log entry verified and commented on), the generator turns the learning events into statements, and a
 * partner credential reads them from GET /xapi/statements. Reruns and a crash between storing and marking add
 * nothing; another school's events never reach this school's store.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity, Module } from '../../curriculum/schema.js';
import { commands } from '../../server/cli/commands.js';
import { logEntryStatementId, registrationFor, statementIdFor, VERBS } from '../../server/modules/xapi/generate.js';
import { generateStatements, WAYMARK_CREDENTIAL_KEY, xapiAgentForUser } from '../../server/modules/xapi/generator.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildPlatform, buildSchool, buildUser } from '../support/factories.js';
import { client, credential } from './xapi-support.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;
const publicUrl = testConfig().publicUrl;
const generate = () => generateStatements({ models, publicUrl, curriculum });

async function buildSchoolWithPeople() {
  const school = await buildSchool(models);
  const platform = await buildPlatform(models, school);
  const platformId = String(platform._id);
  const pupil = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y8', platformId, name: 'Amira Haddad' });
  const teacher = await buildUser(models, school, { role: 'teacher', platformId, name: 'Hannah Teacher' });
  const cls = await models.Class.create({
    schoolId: school.id,
    platformId,
    contextId: `ctx-${school.id}`,
    title: 'Year 8 Careers',
  });
  const classId = String(cls._id);
  for (const m of [pupil, teacher])
    await models.Membership.create({ schoolId: school.id, classId, userId: m.id, role: m.role, source: 'launch' });
  const full = await credential(database, { schoolId: school.id });
  return {
    school,
    issuer: platform.issuer,
    pupil,
    teacher,
    classId,
    lrs: client(app, full.auth, '2.0.0'),
    lrs1: client(app, full.auth, '1.0.3'),
  };
}

/** A module with no experience activity, so a pupil can finish it with answers alone. */
const module = [...curriculum.modules.values()].find((m) =>
  m.activities.every((a) => ['reflection', 'choice', 'picture-choice', 'scale', 'plan'].includes(a.type)),
) as Module;

function answerFor(activity: Activity): Record<string, unknown> {
  switch (activity.type) {
    case 'reflection':
      return {
        type: 'reflection',
        responses: Object.fromEntries(
          activity.prompts.map((p) => [p.id, { text: `PRIVATE answer to ${p.id}.`, private: false }]),
        ),
      };
    case 'choice':
    case 'picture-choice':
      return {
        type: activity.type,
        selected: [activity.options.find((o) => o.correct !== false)?.id ?? activity.options[0]!.id],
      };
    case 'scale':
      return { type: 'scale', ratings: Object.fromEntries(activity.statements.map((s) => [s.id, 2])) };
    case 'plan':
      return {
        type: 'plan',
        goal: 'PRIVATE goal',
        steps: Array.from({ length: activity.minSteps }, (_, i) => ({ text: `PRIVATE step ${String(i + 1)}`, date: null })),
      };
    default:
      throw new Error(`no answer for ${activity.type}`);
  }
}

type People = Awaited<ReturnType<typeof buildSchoolWithPeople>>;

/** The pupil finishes and rates the module and logs an encounter; the teacher verifies it and comments. */
async function work(p: People): Promise<{ logEntryId: string }> {
  const pupilAuth = await authHeader(p.pupil, { cls: p.classId });
  const teacherAuth = await authHeader(p.teacher, { cls: p.classId });
  for (const activity of module.activities) {
    const res = await request(app)
      .put(`/api/progress/modules/${module.id}/activities/${activity.id}`)
      .set('Authorization', pupilAuth)
      .send({ answer: answerFor(activity), clientSeq: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const done = await request(app)
    .post(`/api/progress/modules/${module.id}/complete`)
    .set('Authorization', pupilAuth)
    .send({ rating: 4, comment: 'PRIVATE comment' });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  const entry = await request(app)
    .post('/api/log/entries')
    .set('Authorization', pupilAuth)
    .send({
      encounterType: 'employer-talk',
      date: '2026-03-14',
      organisation: 'PRIVATE Hospital',
      hours: 1.5,
      competencies: ['career-information'],
      checklist: { preparedBeforehand: true, askedQuestions: true, reflectedAfterwards: false },
    });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  const logEntryId = entry.body.entry.id as string;
  const verify = await request(app)
    .post(`/api/log/entries/${logEntryId}/verify`)
    .set('Authorization', teacherAuth)
    .send({ note: 'PRIVATE note' });
  expect(verify.status).toBe(200);
  const comment = await request(app)
    .post(`/api/log/entries/${logEntryId}/comments`)
    .set('Authorization', teacherAuth)
    .send({ text: 'PRIVATE well done' });
  expect(comment.status).toBe(201);
  return { logEntryId };
}

const pending = (schoolId: string) => models.LearningEvent.countDocuments({ schoolId, 'xapi.status': 'pending' });
const storedCount = (schoolId: string) => models.XapiStatement.countDocuments({ schoolId });

const a = await buildSchoolWithPeople();
const b = await buildSchoolWithPeople();
const aWork = await work(a);
await work(b);
const firstRun = await generate();

describe('xAPI statement generation from the learning-event outbox', () => {
  it('works the whole outbox: every event is stored or skipped with its reason, none left pending', async () => {
    expect(firstRun.ran).toBe(true);
    expect(firstRun.failed).toBe(0);
    for (const s of [a, b]) {
      expect(await pending(s.school.id)).toBe(0);
      const events = await models.LearningEvent.find({ schoolId: s.school.id }).lean();
      for (const e of events) {
        expect(['stored', 'skipped'], e.kind).toContain(e.xapi?.status);
        if (e.xapi?.status === 'stored') expect(e.xapi.statementIds?.[0]).toBe(statementIdFor(e._id));
        if (e.xapi?.status === 'skipped') expect(e.xapi.reason?.length).toBeGreaterThan(10);
      }
      const made = events.reduce((n, e) => n + (e.xapi?.statementIds?.length ?? 0), 0);
      expect(await storedCount(s.school.id)).toBe(made);
    }
  });

  it('serves the pupil statements through GET /xapi/statements (agent = LMS account), under both versions', async () => {
    const agent = { objectType: 'Agent', account: { homePage: a.issuer, name: a.pupil.sub } };
    for (const lrs of [a.lrs, a.lrs1]) {
      const res = await lrs.get('/statements', { agent, limit: 0 });
      expect(res.status).toBe(200);
      const verbs = new Set((res.body.statements as { verb: { id: string } }[]).map((s) => s.verb.id));
      for (const verb of [
        VERBS.answered,
        VERBS.completed,
        VERBS.progressed,
        VERBS.rated,
        VERBS.experienced,
        VERBS.verified,
        VERBS.commented,
      ])
        expect(verbs, verb).toContain(verb);
      for (const s of res.body.statements as Record<string, unknown>[]) {
        expect(JSON.stringify(s)).not.toContain('PRIVATE');
        expect(JSON.stringify(s)).not.toContain('Amira');
        expect(s.authority).toMatchObject({ name: 'Waymark', account: { homePage: publicUrl, name: WAYMARK_CREDENTIAL_KEY } });
      }
    }
    const byRegistration = await a.lrs.get('/statements', { registration: registrationFor(a.school.id, a.pupil.id, module.id) });
    expect(byRegistration.body.statements.length).toBeGreaterThanOrEqual(module.activities.length * 2 + 1);
    const verified = await a.lrs.get('/statements', { verb: VERBS.verified });
    expect(verified.body.statements).toHaveLength(1);
    expect(verified.body.statements[0].object).toEqual({
      objectType: 'StatementRef',
      id: logEntryStatementId(a.school.id, a.pupil.id, aWork.logEntryId),
    });
  });

  it('stores nothing twice when run again', async () => {
    const before = await storedCount(a.school.id);
    const again = await generate();
    expect(again).toMatchObject({ ran: true, stored: 0, statements: 0, skipped: 0 });
    expect(await storedCount(a.school.id)).toBe(before);
  });

  it('recovers from a crash after storing and before marking: the events are marked, no statement duplicated', async () => {
    const before = await storedCount(a.school.id);
    const stored = await models.LearningEvent.find({ schoolId: a.school.id, 'xapi.status': 'stored' }).lean();
    // Exactly what a crash between storeStatements and the marking bulkWrite leaves behind.
    await models.LearningEvent.updateMany(
      { schoolId: a.school.id, 'xapi.status': 'stored' },
      { $set: { 'xapi.status': 'pending' }, $unset: { 'xapi.statementId': 1, 'xapi.statementIds': 1, 'xapi.storedAt': 1 } },
    );
    const run = await generate();
    expect(run.stored).toBe(stored.length);
    expect(await storedCount(a.school.id)).toBe(before);
    expect(await pending(a.school.id)).toBe(0);
    const after = await models.LearningEvent.find({ schoolId: a.school.id, 'xapi.status': 'stored' }).lean();
    expect(after.map((e) => e.xapi?.statementIds).sort()).toEqual(stored.map((e) => e.xapi?.statementIds).sort());
  });

  it("never puts another school's events in this school's store", async () => {
    const bAgent = { objectType: 'Agent', account: { homePage: b.issuer, name: b.pupil.sub } };
    expect((await a.lrs.get('/statements', { agent: bAgent })).body.statements).toEqual([]);
    expect((await b.lrs.get('/statements', { agent: bAgent })).body.statements.length).toBeGreaterThan(0);
    const aDocs = await models.XapiStatement.find({ schoolId: a.school.id }, { json: 1 }).lean();
    for (const d of aDocs) {
      expect(d.json).not.toContain(b.issuer);
      expect(d.json).not.toContain(b.pupil.sub);
    }
  });

  it('leaves the queue to the process holding the lease', async () => {
    await models.Lease.updateOne(
      { _id: 'xapi-generator' },
      { $set: { holder: 'another-process', until: new Date(Date.now() + 60_000) } },
      { upsert: true },
    );
    const pupilAuth = await authHeader(a.pupil, { cls: a.classId });
    await request(app).post(`/api/progress/modules/${module.id}/complete`).set('Authorization', pupilAuth).send({ rating: 2 });
    expect(await pending(a.school.id)).toBe(1);
    expect((await generate()).ran).toBe(false);
    expect(await pending(a.school.id)).toBe(1);
    await models.Lease.updateOne({ _id: 'xapi-generator' }, { $set: { until: new Date(0) } });
    expect(await generate()).toMatchObject({ ran: true, stored: 1 });
    expect(await pending(a.school.id)).toBe(0);
  });

  it('names people only after the school turns xapi.identifiable on (admin CLI)', async () => {
    const on = await commands['xapi identifiable']!.run({
      config: testConfig(),
      models,
      values: { school: a.school.id, on: true },
    });
    expect(on.json).toEqual({ school: a.school.id, identifiable: true });
    expect(await xapiAgentForUser(models, { schoolId: a.school.id, userId: a.pupil.id, publicUrl })).toEqual({
      objectType: 'Agent',
      name: 'Amira Haddad',
      account: { homePage: a.issuer, name: a.pupil.sub },
    });
    const pupilAuth = await authHeader(a.pupil, { cls: a.classId });
    await request(app).post(`/api/progress/modules/${module.id}/complete`).set('Authorization', pupilAuth).send({ rating: 5 });
    await generate();
    const rated = await a.lrs.get('/statements', { verb: VERBS.rated, limit: 1 });
    expect(rated.body.statements[0].actor).toEqual({
      objectType: 'Agent',
      name: 'Amira Haddad',
      account: { homePage: a.issuer, name: a.pupil.sub },
    });

    const off = await commands['xapi identifiable']!.run({
      config: testConfig(),
      models,
      values: { school: a.school.id, off: true },
    });
    expect(off.json).toEqual({ school: a.school.id, identifiable: false });
    expect(await xapiAgentForUser(models, { schoolId: a.school.id, userId: a.pupil.id, publicUrl })).toEqual({
      objectType: 'Agent',
      account: { homePage: a.issuer, name: a.pupil.sub },
    });
    await expect(
      commands['xapi identifiable']!.run({ config: testConfig(), models, values: { school: 'no-such-school', on: true } }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('serves the xAPI Profile (JSON-LD) without credentials', async () => {
    const res = await request(app).get('/xapi/profile');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(res.body.id ?? JSON.parse(res.text).id).toBe('https://w3id.org/xapi/waymark');
  });
});
