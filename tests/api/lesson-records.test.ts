/**
 * Career learning in ordinary lessons: the teacher of a class records that a lesson developed given competencies,
 * with one learning event for the class; its teachers and planners list the records.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const teacher = await buildUser(models, school, { role: 'teacher', name: 'Ms Maths' });
const otherTeacher = await buildUser(models, school, { role: 'teacher' });
const planner = await buildUser(models, school, { role: 'planner' });
const pupil = await buildUser(models, school, { role: 'pupil' });
const foreignTeacher = await buildUser(models, otherSchool, { role: 'teacher' });
type User = Parameters<typeof authHeader>[0];

const cls = await models.Class.create({
  schoolId: school.id,
  platformId: 'platform-test',
  contextId: 'ctx-lessons',
  title: 'Y9 maths',
});
const classId = String(cls._id);
for (const [u, role] of [
  [teacher, 'teacher'],
  [pupil, 'pupil'],
] as const)
  await models.Membership.create({ schoolId: school.id, classId, userId: u.id, role, source: 'launch' });
const [competency, second] = [...curriculum.competencies.keys()];

const post = async (user: User, body: unknown, id = classId) =>
  request(app)
    .post(`/api/classes/${id}/lesson-records`)
    .set('Authorization', await authHeader(user))
    .send(body as object);
const list = async (user: User, id = classId) =>
  request(app)
    .get(`/api/classes/${id}/lesson-records`)
    .set('Authorization', await authHeader(user));
const lesson = (overrides: Record<string, unknown> = {}) => ({
  subject: 'maths',
  date: '2024-05-02',
  competencies: [competency, second],
  note: 'Budgeting for a first job: wages, tax and rent.',
  ...overrides,
});

describe('POST /api/classes/:id/lesson-records', () => {
  it('records the lesson and one learning event for the class', async () => {
    const res = await post(teacher, lesson());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.record).toMatchObject({ classId, subject: 'maths', date: '2024-05-02', competencies: [competency, second] });
    const events = await models.LearningEvent.find({ schoolId: school.id, kind: 'lesson.recorded' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: `class:${classId}`, actorId: teacher.id, classId, xapi: { status: 'pending' } });
    expect((events[0]?.data as { lessonRecordId: string }).lessonRecordId).toBe(res.body.record.id);
  });

  it('refuses an unknown subject or competency, a future date and an oversized note (400), storing nothing', async () => {
    const before = await models.LessonRecord.countDocuments({ schoolId: school.id });
    const unknown = await post(teacher, lesson({ subject: 'alchemy', competencies: ['no-such-thing'] }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.map((d: { path: string }) => d.path)).toEqual(['subject', 'competencies.0']);
    expect((await post(teacher, lesson({ date: '2999-01-01' }))).body.error.details[0].path).toBe('date');
    const long = await post(teacher, lesson({ note: 'x'.repeat(1001) }));
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toBe('note');
    expect((await post(teacher, lesson({ competencies: [] }))).status).toBe(400);
    expect(await models.LessonRecord.countDocuments({ schoolId: school.id })).toBe(before);
  });

  it('is for a teacher of that class only (403)', async () => {
    for (const user of [otherTeacher, planner, pupil]) expect((await post(user, lesson())).status, user.role).toBe(403);
  });

  it('answers 404 for another school’s class', async () => {
    const res = await post(foreignTeacher, lesson());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('GET /api/classes/:id/lesson-records', () => {
  it('lists the class’s records for its teacher and planners, with the subjects to choose from', async () => {
    await post(teacher, lesson({ date: '2024-06-01', subject: 'science' }));
    for (const user of [teacher, planner]) {
      const res = await list(user);
      expect(res.status).toBe(200);
      expect(res.body.records[0]).toMatchObject({
        date: '2024-06-01',
        subject: 'science',
        teacher: { id: teacher.id, name: 'Ms Maths' },
      });
      expect(res.body.subjects).toContain('maths');
    }
  });

  it('refuses other teachers and pupils (403), a malformed id (400) and another school (404)', async () => {
    expect((await list(otherTeacher)).status).toBe(403);
    expect((await list(pupil)).status).toBe(403);
    expect((await list(teacher, 'nope')).status).toBe(400);
    expect((await list(foreignTeacher)).status).toBe(404);
  });
});
