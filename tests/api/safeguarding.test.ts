/**
 * Safeguarding: a planner names the designated contact; a pupil's teacher or adviser reports a concern about
 * something the pupil wrote or recorded; only the contact and planners read concerns (every read logged), never
 * other teachers or the pupil; another school's ids answer 404; concerns never enter the xAPI outbox.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { giveConsent } from '../support/factories-sharing.js';

const database = await useTestDatabase();
const app = buildApp(database);
const { models } = database;

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const planner = await buildUser(models, school, { role: 'planner', name: 'Pat Planner' });
const contact = await buildUser(models, school, { role: 'teacher', name: 'Dana Designated' });
const teacher = await buildUser(models, school, { role: 'teacher', name: 'Tom Teacher' });
const otherTeacher = await buildUser(models, school, { role: 'teacher' });
const adviser = await buildUser(models, school, { role: 'adviser' });
const pupil = await buildUser(models, school, { role: 'pupil', name: 'Amara' });
const foreignPlanner = await buildUser(models, otherSchool, { role: 'planner' });
const foreignTeacher = await buildUser(models, otherSchool, { role: 'teacher' });
const foreignPupil = await buildUser(models, otherSchool, { role: 'pupil' });
type User = Parameters<typeof authHeader>[0];

const cls = await models.Class.create({ schoolId: school.id, platformId: 'platform-test', contextId: 'ctx-sg', title: 'Y8' });
for (const [u, role] of [
  [teacher, 'teacher'],
  [pupil, 'pupil'],
] as const)
  await models.Membership.create({ schoolId: school.id, classId: String(cls._id), userId: u.id, role, source: 'launch' });
await models.User.updateOne({ schoolId: school.id, _id: adviser.id }, { $set: { mentees: [pupil.sub] } });
await giveConsent(models, school, pupil); // sharing with an adviser needs consent (server/modules/sharing)
const entry = await models.LogEntry.create({
  schoolId: school.id,
  pupilId: pupil.id,
  createdBy: pupil.id,
  encounterType: 'workplace-visit',
  date: '2024-03-04',
  organisation: 'Farm',
  hours: 1,
  revision: 1,
});
const entryId = String(entry._id);

const send = async (method: 'get' | 'put' | 'post', path: string, user: User, body?: unknown) => {
  const agent = request(app);
  const req = agent[method](`/api/safeguarding${path}`).set('Authorization', await authHeader(user));
  return body === undefined ? req : req.send(body as object);
};
const concern = (overrides: Record<string, unknown> = {}) => ({
  pupilId: pupil.id,
  source: { kind: 'log-entry', id: entryId },
  text: 'The pupil wrote about being afraid to go home.',
  ...overrides,
});

describe('PUT /api/safeguarding/contact', () => {
  it('lets a planner name a teacher of the school', async () => {
    const res = await send('put', '/contact', planner, { userId: contact.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.contact).toMatchObject({ userId: contact.id, name: 'Dana Designated', role: 'teacher' });
    expect(await models.SafeguardingContact.countDocuments({ schoolId: school.id })).toBe(1);
    const seen = await send('get', '/contact', contact);
    expect(seen.body).toMatchObject({ contact: { userId: contact.id }, canViewConcerns: true });
    expect((await send('get', '/contact', teacher)).body.canViewConcerns).toBe(false);
  });

  it('refuses a pupil as contact and a malformed id (400)', async () => {
    const asPupil = await send('put', '/contact', planner, { userId: pupil.id });
    expect(asPupil.status).toBe(400);
    expect(asPupil.body.error.details[0].path).toBe('userId');
    const malformed = await send('put', '/contact', planner, { userId: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_request');
  });

  it('is for planners only (403)', async () => {
    const res = await send('put', '/contact', teacher, { userId: teacher.id });
    expect(res.status).toBe(403);
    expect((await models.SafeguardingContact.findOne({ schoolId: school.id }).lean())?.userId).toBe(contact.id);
  });

  it('answers 404 for another school’s user', async () => {
    const res = await send('put', '/contact', planner, { userId: foreignTeacher.id });
    expect(res.status).toBe(404);
    expect((await send('put', '/contact', foreignPlanner, { userId: contact.id })).status).toBe(404);
  });
});

describe('POST /api/safeguarding/concerns', () => {
  it('records a timestamped concern from the pupil’s teacher, outside the xAPI outbox', async () => {
    const events = await models.LearningEvent.countDocuments({ schoolId: school.id });
    const res = await send('post', '/concerns', teacher, concern());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stored = await models.SafeguardingConcern.findOne({ schoolId: school.id, _id: res.body.id }).lean();
    expect(stored).toMatchObject({
      pupilId: pupil.id,
      reporterId: teacher.id,
      reporterRole: 'teacher',
      source: { kind: 'log-entry', id: entryId },
    });
    expect(stored?.reportedAt).toBeInstanceOf(Date);
    // The reporter gets a receipt, not the concern back.
    expect(Object.keys(res.body).sort()).toEqual(['id', 'reportedAt']);
    expect(await models.LearningEvent.countDocuments({ schoolId: school.id })).toBe(events);
  });

  it('takes a concern from an adviser the pupil is shared with', async () => {
    const res = await send('post', '/concerns', adviser, concern({ source: { kind: 'reflection', id: entryId } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('refuses bad input: empty or oversized text, unknown source kind, a source that is not the pupil’s', async () => {
    const before = await models.SafeguardingConcern.countDocuments({ schoolId: school.id });
    const empty = await send('post', '/concerns', teacher, concern({ text: '  ' }));
    expect(empty.status).toBe(400);
    const long = await send('post', '/concerns', teacher, concern({ text: 'x'.repeat(4001) }));
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toBe('text');
    const kind = await send('post', '/concerns', teacher, concern({ source: { kind: 'diary', id: entryId } }));
    expect(kind.status).toBe(400);
    const missing = await send('post', '/concerns', teacher, concern({ source: { kind: 'voice-note', id: entryId } }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('source.id');
    expect(await models.SafeguardingConcern.countDocuments({ schoolId: school.id })).toBe(before);
  });

  it('refuses pupils, planners and teachers who do not teach the pupil (403)', async () => {
    for (const user of [pupil, planner, otherTeacher]) {
      const res = await send('post', '/concerns', user, concern());
      expect(res.status, user.role).toBe(403);
    }
  });

  it('answers 404 for another school’s pupil', async () => {
    const res = await send('post', '/concerns', teacher, concern({ pupilId: foreignPupil.id }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('GET /api/safeguarding/concerns', () => {
  it('shows concerns to the designated contact and planners, and logs every view', async () => {
    await send('post', '/concerns', teacher, concern({ text: 'Seen by the contact' }));
    for (const viewer of [contact, planner]) {
      const before = await models.SafeguardingAccessLog.countDocuments({ schoolId: school.id, viewerId: viewer.id });
      const res = await send('get', '/concerns', viewer);
      expect(res.status).toBe(200);
      const seen = (res.body.concerns as { text: string; pupil: { name: string }; reporter: { name: string } }[]).find(
        (c) => c.text === 'Seen by the contact',
      );
      expect(seen).toMatchObject({ pupil: { name: 'Amara' }, reporter: { name: 'Tom Teacher' } });
      const logs = await models.SafeguardingAccessLog.find({ schoolId: school.id, viewerId: viewer.id }).lean();
      expect(logs).toHaveLength(before + 1);
      expect(logs.at(-1)?.concernIds).toHaveLength(res.body.concerns.length);
    }
  });

  it('never shows them to other teachers, the reporter, advisers or the pupil (403)', async () => {
    for (const user of [teacher, otherTeacher, adviser, pupil]) {
      const res = await send('get', '/concerns', user);
      expect(res.status, user.role).toBe(403);
      expect(res.body.concerns).toBeUndefined();
    }
  });

  it('keeps schools apart: another school’s planner sees none of these', async () => {
    const res = await send('get', '/concerns', foreignPlanner);
    expect(res.status).toBe(200);
    expect(res.body.concerns).toEqual([]);
  });
});
