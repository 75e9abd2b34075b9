/**
 * The teacher's class view: who is in the class (the LMS roster, also pupils who never opened Waymark), which
 * modules the class has (LMS placements and in-Waymark assignments), how far each pupil is per module and
 * activity, who is stuck, a pupil's answers for the teacher, and the teacher's feedback on them.
 *
 * Access: the class's active teachers and the school's planners (`authorizeRoster`, shared with the roster API);
 * pupils and advisers get 403 before anything is read; another school's class answers 404 like a missing one.
 *
 * "Who is stuck" (ClassesLimits.stuckAfterDays): a pupil is stuck on an assigned module they have not completed
 * when they started it more than 7 days ago, or when its due date has passed. A pupil is stuck when stuck on any.
 *
 * Durability (issue 6, item 9): assigning, unassigning and feedback write their LearningEvent first (deterministic
 * id), then the current-state document.
 */
import { Types } from 'mongoose';
import type { Curriculum } from '../../../curriculum/index.js';
import type { Module } from '../../../curriculum/schema.js';
import { ClassesLimits, type AssignModule, type CreateFeedback } from '../../contract/classes.js';
import type { Models } from '../../db/models.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { getModule } from '../curriculum/service.js';
import { eventId, recordLearningEvent, type LearningEventInput } from '../events/record.js';
import { authorizeRoster } from '../people/roster.js';
import type { AttemptDoc } from '../progress/service.js';

export interface ClassesDeps {
  models: Models;
  curriculum: Curriculum;
  /** Injected clock for tests. */
  now?: () => Date;
}

export const EVENT_KINDS = {
  assigned: 'classes.module-assigned',
  unassigned: 'classes.module-unassigned',
  feedback: 'classes.feedback-given',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = (deps: ClassesDeps) => (deps.now ? deps.now() : new Date());

export interface AssignmentDoc {
  _id: unknown;
  classId: string;
  moduleId: string;
  moduleVersion: number;
  dueAt?: Date | null;
  assignedAt: Date;
}

export interface FeedbackDoc {
  _id: unknown;
  text: string;
  authorId: string;
  createdAt: Date;
}

export type Stuck = 'started_long_ago' | 'overdue' | null;

export interface OverviewData {
  cls: { id: string; title: string | null; label: string | null; yearGroup: string | null };
  modules: { module: Module; viaLms: boolean; assignment: AssignmentDoc | null }[];
  pupils: {
    id: string;
    name: string | null;
    launched: boolean;
    fromRoster: boolean;
    modules: { module: Module; attempt: AttemptDoc | null; stuck: Stuck }[];
  }[];
}

/** The stuck rule (see the file comment), as a pure function. */
export function stuckOn(attempt: AttemptDoc | null, dueAt: Date | null | undefined, now: Date): Stuck {
  if (attempt?.status === 'completed') return null;
  if (dueAt && dueAt.getTime() < now.getTime()) return 'overdue';
  if (attempt && now.getTime() - new Date(attempt.startedAt).getTime() > ClassesLimits.stuckAfterDays * DAY_MS)
    return 'started_long_ago';
  return null;
}

/** Modules that exist; a placement or assignment of a module that no longer exists is left out. */
async function modulesById(deps: ClassesDeps, ctx: RequestContext, ids: string[]): Promise<Map<string, Module>> {
  const found = new Map<string, Module>();
  for (const id of ids) {
    try {
      found.set(id, (await getModule(deps.models, deps.curriculum, ctx, id)).module);
    } catch (err) {
      if (!(err instanceof AppError && err.status === 404)) throw err;
    }
  }
  return found;
}

async function classPupils(models: Models, schoolId: string, classId: string) {
  const memberships = await models.Membership.find(
    { schoolId, classId, role: 'pupil', status: 'active' },
    { userId: 1, source: 1 },
  ).lean();
  const users = await models.User.find(
    { schoolId, _id: { $in: memberships.map((m) => m.userId) } },
    { name: 1, lastLaunchAt: 1, source: 1 },
  ).lean();
  return users
    .map((u) => ({
      id: String(u._id),
      name: u.name ?? null,
      launched: Boolean(u.lastLaunchAt),
      fromRoster: u.source === 'nrps',
    }))
    .sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.id.localeCompare(b.id));
}

/**
 * The class overview: roster, the class's modules, progress per pupil, module and activity, who is stuck.
 * @throws AppError 403 for anyone but the class's teachers and the school's planners; 404 for an unknown class.
 */
export async function classOverview(deps: ClassesDeps, ctx: RequestContext, classId: string): Promise<OverviewData> {
  const { models } = deps;
  const cls = await authorizeRoster(models, ctx, classId);
  const schoolId = ctx.schoolId;
  const links = await models.ResourceLink.find({ schoolId, classId, moduleId: { $type: 'string' } }, { moduleId: 1 })
    .sort({ createdAt: 1 })
    .lean();
  const assignments = (await models.Assignment.find({ schoolId, classId }).sort({ assignedAt: 1 }).lean()) as AssignmentDoc[];
  const lmsIds = new Set(links.map((l) => l.moduleId).filter((id): id is string => Boolean(id)));
  const byAssignment = new Map(assignments.map((a) => [a.moduleId, a]));
  const ids = [...new Set([...lmsIds, ...byAssignment.keys()])];
  const found = await modulesById(deps, ctx, ids);
  const modules = ids.flatMap((id) => {
    const module = found.get(id);
    return module ? [{ module, viaLms: lmsIds.has(id), assignment: byAssignment.get(id) ?? null }] : [];
  });

  const roster = await classPupils(models, schoolId, classId);
  const attempts =
    roster.length && modules.length
      ? ((await models.ModuleAttempt.find({
          schoolId,
          userId: { $in: roster.map((p) => p.id) },
          moduleId: { $in: modules.map((m) => m.module.id) },
        }).lean()) as AttemptDoc[])
      : [];
  const attemptOf = new Map(attempts.map((a) => [`${a.userId}:${a.moduleId}`, a]));
  const now = clock(deps);
  return {
    cls: { id: String(cls._id), title: cls.title ?? null, label: cls.label ?? null, yearGroup: cls.yearGroup ?? null },
    modules,
    pupils: roster.map((p) => ({
      ...p,
      modules: modules.map(({ module, assignment }) => {
        const attempt = attemptOf.get(`${p.id}:${module.id}`) ?? null;
        return { module, attempt, stuck: stuckOn(attempt, assignment?.dueAt, now) };
      }),
    })),
  };
}

function classEvent(
  ctx: RequestContext,
  classId: string,
  module: Module,
  kind: string,
  at: Date,
): Omit<LearningEventInput, 'data'> {
  return {
    schoolId: ctx.schoolId,
    // Assignments concern the class, not one pupil: the event is the teacher's own (the actor).
    userId: ctx.actor.id,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind,
    subject: { moduleId: module.id, moduleVersion: module.version },
    classId,
    at,
  };
}

/** End of the given day (UTC): a module due on 14 March may be finished all that day. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);

/**
 * Assigns a module to the class inside Waymark, with an optional due date; assigning it again changes the due date.
 * @returns the assignment and whether it was new.
 * @throws AppError 403 (not a teacher of the class or a planner), 404 (unknown class or module).
 */
export async function assignModule(
  deps: ClassesDeps,
  ctx: RequestContext,
  classId: string,
  input: AssignModule,
): Promise<{ assignment: AssignmentDoc; created: boolean }> {
  const { models } = deps;
  await authorizeRoster(models, ctx, classId);
  const { module } = await getModule(models, deps.curriculum, ctx, input.moduleId);
  const at = clock(deps);
  const dueAt = input.dueDate ? endOfDay(input.dueDate) : null;
  const event = classEvent(ctx, classId, module, EVENT_KINDS.assigned, at);
  await recordLearningEvent(models, eventId(event, `${classId}|${dueAt?.toISOString() ?? 'none'}|${at.toISOString()}`), {
    ...event,
    data: { dueAt },
  });
  const filter = { schoolId: ctx.schoolId, classId, moduleId: module.id };
  const before = await models.Assignment.findOneAndUpdate(
    filter,
    {
      $set: { dueAt },
      $setOnInsert: { moduleVersion: module.version, assignedBy: ctx.actor.id, assignedAt: at },
    },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  const assignment = (await models.Assignment.findOne(filter).lean()) as AssignmentDoc;
  return { assignment, created: !before };
}

/**
 * Takes an in-Waymark assignment back (LMS placements are removed in the LMS). Pupils' work is kept.
 * @throws AppError 403, 404 (unknown class, or the module is not assigned in Waymark).
 */
export async function unassignModule(deps: ClassesDeps, ctx: RequestContext, classId: string, moduleId: string): Promise<void> {
  const { models } = deps;
  await authorizeRoster(models, ctx, classId);
  const filter = { schoolId: ctx.schoolId, classId, moduleId };
  const assignment = (await models.Assignment.findOne(filter).lean()) as AssignmentDoc | null;
  if (!assignment) throw notFound('assignment');
  const { module } = await getModule(models, deps.curriculum, ctx, moduleId, assignment.moduleVersion);
  const event = classEvent(ctx, classId, module, EVENT_KINDS.unassigned, clock(deps));
  await recordLearningEvent(models, eventId(event, String(assignment._id)), {
    ...event,
    data: { assignmentId: String(assignment._id) },
  });
  await models.Assignment.deleteOne({ ...filter, _id: assignment._id });
}

/** The pupil as a member of the class; 404 for anyone who is not (another class's pupil, a teacher, another school). */
async function classPupil(models: Models, ctx: RequestContext, classId: string, pupilId: string) {
  const member = await models.Membership.exists({ schoolId: ctx.schoolId, classId, userId: pupilId, role: 'pupil' });
  if (!member) throw notFound('pupil');
  const user = await models.User.findOne({ schoolId: ctx.schoolId, _id: pupilId }, { name: 1 }).lean();
  if (!user) throw notFound('pupil');
  return { id: pupilId, name: user.name ?? null };
}

async function feedbackFor(models: Models, schoolId: string, pupilId: string, moduleId: string) {
  const docs = (await models.ModuleFeedback.find({ schoolId, pupilId, moduleId })
    .sort({ createdAt: -1 })
    .lean()) as FeedbackDoc[];
  const authors = await models.User.find(
    { schoolId, _id: { $in: [...new Set(docs.map((d) => d.authorId))].filter((id) => Types.ObjectId.isValid(id)) } },
    { name: 1 },
  ).lean();
  const names = new Map(authors.map((a) => [String(a._id), a.name ?? null]));
  return docs.map((d) => ({ ...d, authorName: names.get(d.authorId) ?? null }));
}

export interface PupilWork {
  pupil: { id: string; name: string | null };
  module: Module;
  attempt: AttemptDoc | null;
  feedback: (FeedbackDoc & { authorName: string | null })[];
}

/**
 * A pupil's work on a module for the class's teacher, at the version the pupil started. The presenter leaves
 * private reflection texts out.
 * @throws AppError 403; 404 for an unknown class, a pupil not in the class, or an unknown module.
 */
export async function pupilModuleWork(
  deps: ClassesDeps,
  ctx: RequestContext,
  classId: string,
  pupilId: string,
  moduleId: string,
): Promise<PupilWork> {
  const { models } = deps;
  await authorizeRoster(models, ctx, classId);
  const pupil = await classPupil(models, ctx, classId, pupilId);
  const attempt = (await models.ModuleAttempt.findOne({
    schoolId: ctx.schoolId,
    userId: pupilId,
    moduleId,
  }).lean()) as AttemptDoc | null;
  const { module } = await getModule(models, deps.curriculum, ctx, moduleId, attempt?.moduleVersion);
  return { pupil, module, attempt, feedback: await feedbackFor(models, ctx.schoolId, pupilId, moduleId) };
}

/**
 * Records a teacher's feedback on a pupil's module work; the pupil reads it with `myFeedback`.
 * @throws AppError 403; 404 for an unknown class, pupil or module.
 */
export async function giveFeedback(
  deps: ClassesDeps,
  ctx: RequestContext,
  classId: string,
  pupilId: string,
  moduleId: string,
  input: CreateFeedback,
): Promise<PupilWork> {
  const { models } = deps;
  await authorizeRoster(models, ctx, classId);
  await classPupil(models, ctx, classId, pupilId);
  const attempt = await models.ModuleAttempt.findOne(
    { schoolId: ctx.schoolId, userId: pupilId, moduleId },
    { moduleVersion: 1 },
  ).lean();
  const { module } = await getModule(models, deps.curriculum, ctx, moduleId, attempt?.moduleVersion);
  const at = clock(deps);
  const _id = new Types.ObjectId();
  const event: LearningEventInput = {
    schoolId: ctx.schoolId,
    userId: pupilId,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind: EVENT_KINDS.feedback,
    subject: { moduleId: module.id, moduleVersion: module.version },
    classId,
    at,
    data: { feedbackId: String(_id), text: input.text },
  };
  await recordLearningEvent(models, eventId(event, String(_id)), event);
  await models.ModuleFeedback.create({
    _id,
    schoolId: ctx.schoolId,
    classId,
    pupilId,
    moduleId: module.id,
    moduleVersion: module.version,
    authorId: ctx.actor.id,
    authorRole: ctx.actor.role,
    text: input.text,
    createdAt: at,
  });
  return pupilModuleWork(deps, ctx, classId, pupilId, moduleId);
}

/**
 * The signed-in pupil's teacher feedback on one module, newest first.
 * @throws AppError 403 for anyone but a pupil.
 */
export async function myFeedback(deps: ClassesDeps, ctx: RequestContext, moduleId: string) {
  if (ctx.actor.role !== 'pupil') throw forbidden('This is a pupil’s own feedback.');
  return feedbackFor(deps.models, ctx.schoolId, ctx.actor.id, moduleId);
}
