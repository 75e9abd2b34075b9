/**
 * Career learning in ordinary lessons (issue 6, item 8): the teacher of a class records that a lesson of theirs
 * (maths, science, languages...) developed given competencies, with a short note.
 *
 * One LearningEvent per record, for the class rather than per pupil: the lesson happened to the class, and the
 * coverage dashboard counts competencies per class and year group. The event's `userId` is therefore the class
 * (`class:<classId>`), which the xAPI forwarder turns into a Group actor. The event is written first, with an id
 * derived from the record's id, then the record document (rebuildable from the event's data).
 */
import { Types } from 'mongoose';
import type { Curriculum } from '../../../curriculum/index.js';
import { SUBJECTS } from '../../../curriculum/schema.js';
import type { CreateLessonRecord } from '../../contract/lessons.js';
import type { Models } from '../../db/models.js';
import { forbidden, invalid, notFound, type ErrorDetail } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { eventId, recordLearningEvent } from '../events/record.js';

export interface LessonDeps {
  models: Models;
  curriculum: Curriculum;
  now?: () => Date;
}

export const LESSON_EVENT_KIND = 'lesson.recorded';

async function loadClass(models: Models, ctx: RequestContext, classId: string) {
  const cls = await models.Class.findOne({ schoolId: ctx.schoolId, _id: classId }, { _id: 1 }).lean();
  if (!cls) throw notFound('class');
  return cls;
}

async function teachesClass(models: Models, ctx: RequestContext, classId: string): Promise<boolean> {
  return Boolean(
    await models.Membership.exists({ schoolId: ctx.schoolId, classId, userId: ctx.actor.id, role: 'teacher', status: 'active' }),
  );
}

/**
 * Records a lesson for a class the teacher teaches.
 * @throws AppError 404 for a class not in this school; 403 for anyone but a teacher of that class; 400 for an
 * unknown subject or competency, or a date in the future.
 */
export async function recordLesson(deps: LessonDeps, ctx: RequestContext, classId: string, input: CreateLessonRecord) {
  const { models } = deps;
  await loadClass(models, ctx, classId);
  if (ctx.actor.role !== 'teacher' || !(await teachesClass(models, ctx, classId)))
    throw forbidden('Only a teacher of this class can record its lessons.');
  const at = deps.now ? deps.now() : new Date();
  const details: ErrorDetail[] = [];
  if (!(SUBJECTS as readonly string[]).includes(input.subject)) details.push({ path: 'subject', message: 'unknown subject' });
  input.competencies.forEach((c, i) => {
    if (!deps.curriculum.competencies.has(c))
      details.push({ path: `competencies.${String(i)}`, message: `unknown competency "${c}"` });
  });
  if (new Set(input.competencies).size !== input.competencies.length)
    details.push({ path: 'competencies', message: 'listed twice' });
  // A lesson that has happened: allow the time zone furthest ahead (UTC+14).
  if (input.date > new Date(at.getTime() + 14 * 3600_000).toISOString().slice(0, 10))
    details.push({ path: 'date', message: 'must not be in the future' });
  if (details.length) throw invalid('The lesson record is not valid.', details);

  const _id = new Types.ObjectId();
  const fields = { subject: input.subject, date: input.date, competencies: input.competencies, note: input.note };
  const event = {
    schoolId: ctx.schoolId,
    userId: `class:${classId}`,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind: LESSON_EVENT_KIND,
    subject: {},
    classId,
    at,
    data: { lessonRecordId: String(_id), teacherId: ctx.actor.id, ...fields },
  };
  await recordLearningEvent(models, eventId(event, String(_id)), event);
  const record = await models.LessonRecord.create({
    _id,
    schoolId: ctx.schoolId,
    classId,
    teacherId: ctx.actor.id,
    ...fields,
    recordedAt: at,
  });
  return record.toObject();
}

/**
 * The class's lesson records, newest lesson first, with teacher names.
 * @throws AppError 404 for a class not in this school; 403 for anyone but its teachers and planners.
 */
export async function listLessons(deps: LessonDeps, ctx: RequestContext, classId: string) {
  const { models } = deps;
  await loadClass(models, ctx, classId);
  const allowed = ctx.actor.role === 'planner' || (ctx.actor.role === 'teacher' && (await teachesClass(models, ctx, classId)));
  if (!allowed) throw forbidden("Only this class's teachers and planners see its lesson records.");
  const records = await models.LessonRecord.find({ schoolId: ctx.schoolId, classId })
    .sort({ date: -1, recordedAt: -1 })
    .limit(500)
    .lean();
  const teacherIds = [...new Set(records.map((r) => r.teacherId))];
  const teachers = teacherIds.length
    ? await models.User.find({ schoolId: ctx.schoolId, _id: { $in: teacherIds } }, { name: 1 }).lean()
    : [];
  return { records, names: new Map(teachers.map((t) => [String(t._id), t.name ?? null])) };
}
