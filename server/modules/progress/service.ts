/**
 * Pupils doing modules: autosaved answers checked against the module version the pupil started, completion and
 * scoring per activity type, module completion with the "was this useful?" rating, grade passback, and the
 * pupil's home list.
 *
 * Durability (issue 6, item 9). Every change is first written as an immutable LearningEvent with a deterministic
 * id (server/modules/events/model.ts), and only then applied to the attempt document:
 *   1. the answer is checked; nothing is written when it does not fit;
 *   2. the `progress.answer-saved` event (id from school, pupil, module@version, activity and clientSeq) is
 *      inserted, with everything the state needs; a retry hits the same id and inserts nothing;
 *   3. the attempt is updated with a seq guard (`activities.<id>.seq < clientSeq`), so a retry or an older save
 *      that arrives late never overwrites a newer answer.
 * If the process dies after 2, the fact is kept: the client's autosave retries until acknowledged (same seq,
 * same event id, step 3 applied), and `rebuildAttempt` recomputes the attempt from the events alone.
 */
import { Types } from 'mongoose';
import { yearGroupToStage, type Curriculum } from '../../../curriculum/index.js';
import type { Activity, Module } from '../../../curriculum/schema.js';
import type { Answer, CompleteModule, SaveAnswer, Score } from '../../contract/progress.js';
import type { Models } from '../../db/models.js';
import { AppError, conflict, forbidden, notFound, type ErrorDetail } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { eventId, recordLearningEvent, type LearningEventInput } from '../events/record.js';
import { queueScore } from '../grades/service.js';
import { getModule } from '../curriculum/service.js';
import { checkAnswer, evaluate, moduleScore, type Evaluation } from './answers.js';
import type { ActivityState } from './model.js';

export interface ProgressDeps {
  models: Models;
  curriculum: Curriculum;
  /** Injected clock for tests. */
  now?: () => Date;
}

export const EVENT_KINDS = {
  answerSaved: 'progress.answer-saved',
  activityCompleted: 'progress.activity-completed',
  moduleCompleted: 'progress.module-completed',
  rated: 'progress.rated',
} as const;

export interface AttemptDoc {
  _id: unknown;
  schoolId: string;
  userId: string;
  moduleId: string;
  moduleVersion: number;
  source: 'builtin' | 'school';
  classId?: string | null;
  resourceLinkId?: string | null;
  status: 'in_progress' | 'completed';
  activities: Record<string, ActivityState | undefined>;
  startedAt: Date;
  completedAt?: Date | null;
  score?: number | null;
  rating?: number | null;
  comment?: string | null;
  ratedAt?: Date | null;
  updatedAt?: Date;
}

export interface SaveOutcome {
  state: ActivityState;
  evaluation: Evaluation;
  moduleStatus: 'in_progress' | 'completed';
}

const clock = (deps: ProgressDeps) => (deps.now ? deps.now() : new Date());

function assertPupil(ctx: RequestContext): void {
  if (ctx.actor.role !== 'pupil') throw forbidden('Only pupils work on modules; teachers can preview them instead.');
}

const attemptFilter = (ctx: RequestContext, moduleId: string) => ({ schoolId: ctx.schoolId, userId: ctx.actor.id, moduleId });

async function findAttempt(models: Models, ctx: RequestContext, moduleId: string): Promise<AttemptDoc | null> {
  return await models.ModuleAttempt.findOne(attemptFilter(ctx, moduleId)).lean();
}

function baseEvent(ctx: RequestContext, module: Module, at: Date, kind: string, activityId?: string) {
  return {
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind,
    subject: { moduleId: module.id, moduleVersion: module.version, ...(activityId ? { activityId } : {}) },
    ...(ctx.classId ? { classId: ctx.classId } : {}),
    ...(ctx.resourceLinkId ? { resourceLinkId: ctx.resourceLinkId } : {}),
    at,
  } satisfies Omit<LearningEventInput, 'data'>;
}

async function record(models: Models, unique: string | number, event: LearningEventInput): Promise<boolean> {
  return recordLearningEvent(models, eventId(event, unique), event);
}

/** The log entry an experience answer links to: it must be the pupil's own, of an accepted encounter type. */
async function checkLogEntry(
  models: Models,
  ctx: RequestContext,
  activity: Extract<Activity, { type: 'experience' }>,
  logEntryId: string | null,
): Promise<{ details: ErrorDetail[]; reflected: boolean }> {
  if (logEntryId === null) return { details: [], reflected: false };
  const entry = Types.ObjectId.isValid(logEntryId)
    ? await models.LogEntry.findOne(
        { schoolId: ctx.schoolId, _id: logEntryId, pupilId: ctx.actor.id },
        { encounterType: 1, reflectedAt: 1 },
      ).lean()
    : null;
  if (!entry) return { details: [{ path: 'answer.logEntryId', message: 'no such log entry of yours' }], reflected: false };
  if (!(activity.encounterTypes as string[]).includes(entry.encounterType))
    return {
      details: [{ path: 'answer.logEntryId', message: `this activity takes ${activity.encounterTypes.join(', ')} encounters` }],
      reflected: false,
    };
  return { details: [], reflected: Boolean(entry.reflectedAt) };
}

/**
 * The pupil's attempt at a module (at the version they started) with the module content it refers to, or the
 * current version and no attempt when they have not started. Experience activities are re-checked, since the
 * pupil may have reflected on the linked log entry since.
 * @throws AppError 403 for anyone but a pupil; 404 for a module that is neither built-in nor this school's.
 */
export async function getAttempt(
  deps: ProgressDeps,
  ctx: RequestContext,
  moduleId: string,
): Promise<{ module: Module; attempt: AttemptDoc | null }> {
  assertPupil(ctx);
  const attempt = await findAttempt(deps.models, ctx, moduleId);
  const { module } = await getModule(deps.models, deps.curriculum, ctx, moduleId, attempt?.moduleVersion);
  return { module, attempt: attempt ? await refreshExperiences(deps, ctx, module, attempt) : null };
}

/**
 * Autosaves one activity's answer.
 * @throws AppError 403 for anyone but a pupil; 404 for an unknown module or activity; 400 `answer_mismatch` when
 * the answer does not fit the activity (nothing is stored).
 */
export async function saveAnswer(
  deps: ProgressDeps,
  ctx: RequestContext,
  moduleId: string,
  activityId: string,
  input: SaveAnswer,
): Promise<SaveOutcome> {
  assertPupil(ctx);
  const { models } = deps;
  const attempt = await findAttempt(models, ctx, moduleId);
  const { module, source } = await getModule(models, deps.curriculum, ctx, moduleId, attempt?.moduleVersion);
  const activity = module.activities.find((a) => a.id === activityId);
  if (!activity) throw notFound('activity');

  const details = checkAnswer(activity, input.answer);
  let logEntryReflected = false;
  if (activity.type === 'experience' && input.answer.type === 'experience') {
    const check = await checkLogEntry(models, ctx, activity, input.answer.logEntryId);
    details.push(...check.details);
    logEntryReflected = check.reflected;
  }
  if (details.length)
    throw new AppError({ status: 400, code: 'answer_mismatch', message: 'The answer does not fit this activity.', details });

  const stored = attempt?.activities[activityId];
  // A retry (same seq) or a late older save: acknowledge with what is stored, write nothing.
  if (stored && stored.seq >= input.clientSeq) return storedOutcome(activity, stored, attempt);

  const at = clock(deps);
  const evaluation = evaluate(activity, input.answer, { logEntryReflected });
  const state: ActivityState = {
    type: activity.type,
    answer: input.answer,
    seq: input.clientSeq,
    status: evaluation.status,
    ...(evaluation.score ? { score: evaluation.score } : {}),
    savedAt: at,
    savedBy: ctx.actor.id,
    ...(ctx.classId ? { classId: ctx.classId } : {}),
    ...(evaluation.status === 'completed' ? { completedAt: stored?.completedAt ?? at } : {}),
  };

  // The fact first (see the file comment), then the state.
  await record(models, input.clientSeq, {
    ...baseEvent(ctx, module, at, EVENT_KINDS.answerSaved, activityId),
    data: {
      source,
      type: activity.type,
      answer: input.answer,
      clientSeq: input.clientSeq,
      status: state.status,
      score: state.score,
    },
  });
  // A stored completed state implies its completion event was written before it (events first), so skip the insert.
  if (evaluation.status === 'completed' && stored?.status !== 'completed')
    await record(models, 'first', {
      ...baseEvent(ctx, module, at, EVENT_KINDS.activityCompleted, activityId),
      data: { clientSeq: input.clientSeq, score: state.score },
    });

  if (!attempt) await ensureAttempt(models, ctx, module, source, at);
  const path = `activities.${activityId}`;
  const updated = (await models.ModuleAttempt.findOneAndUpdate(
    {
      ...attemptFilter(ctx, moduleId),
      moduleVersion: module.version,
      $or: [{ [`${path}.seq`]: { $exists: false } }, { [`${path}.seq`]: { $lt: input.clientSeq } }],
    },
    { $set: { [path]: state } },
    { returnDocument: 'after' },
  ).lean()) as AttemptDoc | null;
  if (!updated) {
    // A newer save won the race: answer with it.
    const latest = await findAttempt(models, ctx, moduleId);
    const winner = latest?.activities[activityId];
    if (!latest || !winner) throw conflict('attempt_changed', 'Your work changed at the same moment. Reload and try again.');
    return storedOutcome(activity, winner, latest);
  }
  return { state, evaluation, moduleStatus: updated.status };
}

function storedOutcome(activity: Activity, state: ActivityState, attempt: AttemptDoc | null): SaveOutcome {
  return {
    state,
    evaluation: reEvaluate(activity, state),
    moduleStatus: attempt?.status ?? 'in_progress',
  };
}

/** Feedback and score of a stored answer (the stored status stands: an experience's log entry is not re-read). */
export function reEvaluate(activity: Activity, state: ActivityState): Evaluation {
  const evaluation = evaluate(activity, state.answer as Answer, { logEntryReflected: state.status === 'completed' });
  return { ...evaluation, status: state.status };
}

/** Creates the attempt at this module version on the first save; later saves find it. */
async function ensureAttempt(models: Models, ctx: RequestContext, module: Module, source: 'builtin' | 'school', at: Date) {
  try {
    await models.ModuleAttempt.updateOne(
      attemptFilter(ctx, module.id),
      {
        $setOnInsert: {
          moduleVersion: module.version,
          source,
          status: 'in_progress',
          activities: {},
          startedAt: at,
          ...(ctx.classId ? { classId: ctx.classId } : {}),
          ...(ctx.resourceLinkId ? { resourceLinkId: ctx.resourceLinkId } : {}),
        },
      },
      { upsert: true },
    );
  } catch (err) {
    // Two first saves at once: the other one created it.
    if ((err as { code?: unknown }).code !== 11000) throw err;
  }
}

/** Experience activities whose log entry has been reflected on since the last save become completed. */
async function refreshExperiences(
  deps: ProgressDeps,
  ctx: RequestContext,
  module: Module,
  attempt: AttemptDoc,
): Promise<AttemptDoc> {
  let current = attempt;
  for (const activity of module.activities) {
    const state = current.activities[activity.id];
    if (activity.type !== 'experience' || !state || state.status === 'completed') continue;
    const logEntryId = (state.answer as Extract<Answer, { type: 'experience' }>).logEntryId;
    const { reflected } = await checkLogEntry(deps.models, ctx, activity, logEntryId);
    if (!reflected) continue;
    const at = clock(deps);
    await record(deps.models, 'first', {
      ...baseEvent(ctx, module, at, EVENT_KINDS.activityCompleted, activity.id),
      data: { clientSeq: state.seq, logEntryId },
    });
    const path = `activities.${activity.id}`;
    const updated = (await deps.models.ModuleAttempt.findOneAndUpdate(
      { ...attemptFilter(ctx, module.id), [`${path}.seq`]: state.seq },
      { $set: { [`${path}.status`]: 'completed', [`${path}.completedAt`]: at } },
      { returnDocument: 'after' },
    ).lean()) as AttemptDoc | null;
    if (updated) current = updated;
  }
  return current;
}

/**
 * Completes the module when every activity is complete, records the rating, and sends the score to the LMS
 * gradebook when the pupil came through a placement of this module that has AGS. Calling it again (a changed
 * rating, a retry) keeps the first completion and queues the same score again, which the LMS takes idempotently.
 * @throws AppError 403 for anyone but a pupil; 404 for an unknown module; 409 `module_incomplete` listing the
 * activities still to do.
 */
export async function completeModule(
  deps: ProgressDeps,
  ctx: RequestContext,
  moduleId: string,
  input: CompleteModule,
): Promise<{ module: Module; attempt: AttemptDoc; scoreQueued: boolean }> {
  assertPupil(ctx);
  const { models } = deps;
  const found = await findAttempt(models, ctx, moduleId);
  const { module } = await getModule(models, deps.curriculum, ctx, moduleId, found?.moduleVersion);
  const attempt = found ? await refreshExperiences(deps, ctx, module, found) : null;
  const todo = module.activities.filter((a) => attempt?.activities[a.id]?.status !== 'completed');
  // Once completed, a module stays completed (a later edit does not undo it), so a new rating is always taken.
  if (!attempt || (attempt.status !== 'completed' && todo.length)) {
    throw new AppError({
      status: 409,
      code: 'module_incomplete',
      message: 'Finish every activity first.',
      details: todo.map((a) => ({ path: `activities.${a.id}`, message: 'not completed' })),
    });
  }

  const at = clock(deps);
  const scores: Record<string, Score | undefined> = {};
  for (const a of module.activities) scores[a.id] = attempt.activities[a.id]?.score;
  const score = attempt.score ?? moduleScore(module, scores);
  const set: Record<string, unknown> = {};
  if (attempt.status !== 'completed') {
    await record(models, 'once', { ...baseEvent(ctx, module, at, EVENT_KINDS.moduleCompleted), data: { score } });
    Object.assign(set, { status: 'completed', completedAt: at, score });
  }
  if (input.rating !== undefined || input.comment !== undefined) {
    // A later call may change the rating or add a comment; what it leaves out stays as it was.
    const rating = { rating: input.rating ?? attempt.rating ?? null, comment: input.comment ?? attempt.comment ?? null };
    await record(models, JSON.stringify(rating), { ...baseEvent(ctx, module, at, EVENT_KINDS.rated), data: rating });
    Object.assign(set, { ...rating, ratedAt: at });
  }
  const updated = Object.keys(set).length
    ? ((await models.ModuleAttempt.findOneAndUpdate(
        attemptFilter(ctx, moduleId),
        { $set: set },
        { returnDocument: 'after' },
      ).lean()) as AttemptDoc)
    : attempt;

  const scoreQueued = await queueModuleScore(models, ctx, updated, score, at);
  return { module, attempt: updated, scoreQueued };
}

/**
 * Queues the score when the launch's placement (or the one the attempt started in) opens this module. The score
 * is out of 100: see `moduleScore` for the rule.
 */
async function queueModuleScore(
  models: Models,
  ctx: RequestContext,
  attempt: AttemptDoc,
  score: number,
  at: Date,
): Promise<boolean> {
  const candidates = [ctx.resourceLinkId, attempt.resourceLinkId].filter((id): id is string => Boolean(id));
  for (const resourceLinkId of new Set(candidates)) {
    if (!Types.ObjectId.isValid(resourceLinkId)) continue;
    const link = await models.ResourceLink.findOne({ schoolId: ctx.schoolId, _id: resourceLinkId }, { moduleId: 1 }).lean();
    if (link?.moduleId !== attempt.moduleId) continue;
    const { queued } = await queueScore(models, {
      schoolId: ctx.schoolId,
      resourceLinkId,
      userId: ctx.actor.id,
      scoreGiven: score,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      at,
    });
    if (queued) return true;
  }
  return false;
}

export interface MyModuleRow {
  module: Module;
  assigned: boolean;
  attempt: AttemptDoc | null;
  /** The due date of an in-Waymark assignment (LMS placements carry none). */
  dueAt?: Date | null;
}

/**
 * The pupil's modules for the home page: those assigned in their classes (placements that open a module),
 * those they started or completed, the pupil's stage, and a suggestion of what to do next.
 * @throws AppError 403 for anyone but a pupil.
 */
export async function myProgress(
  deps: ProgressDeps,
  ctx: RequestContext,
): Promise<{ rows: MyModuleRow[]; next: string | null; stage: string | null }> {
  assertPupil(ctx);
  const { models, curriculum } = deps;
  const memberships = await models.Membership.find(
    { schoolId: ctx.schoolId, userId: ctx.actor.id, status: 'active' },
    { classId: 1 },
  ).lean();
  const classIds = memberships.map((m) => m.classId);
  const links = classIds.length
    ? await models.ResourceLink.find(
        { schoolId: ctx.schoolId, classId: { $in: classIds }, moduleId: { $type: 'string' } },
        { moduleId: 1 },
      )
        .sort({ createdAt: 1 })
        .lean()
    : [];
  // In-Waymark assignments (the class view) carry due dates; with several classes the earliest due date counts.
  const assignments = classIds.length
    ? await models.Assignment.find({ schoolId: ctx.schoolId, classId: { $in: classIds } }, { moduleId: 1, dueAt: 1 }).lean()
    : [];
  const dueOf = new Map<string, Date>();
  for (const a of assignments) {
    const due = a.dueAt ? new Date(a.dueAt) : null;
    const known = dueOf.get(a.moduleId);
    if (due && (!known || due < known)) dueOf.set(a.moduleId, due);
  }
  const assignedIds = [
    ...new Set(
      [...links.map((l) => l.moduleId), ...assignments.map((a) => a.moduleId)].filter((id): id is string => Boolean(id)),
    ),
  ];
  const attempts = (await models.ModuleAttempt.find({ schoolId: ctx.schoolId, userId: ctx.actor.id })
    .sort({ updatedAt: -1 })
    .lean()) as AttemptDoc[];
  const byModule = new Map(attempts.map((a) => [a.moduleId, a]));

  const rows: MyModuleRow[] = [];
  for (const moduleId of new Set([...assignedIds, ...attempts.map((a) => a.moduleId)])) {
    const attempt = byModule.get(moduleId) ?? null;
    try {
      const { module } = await getModule(models, curriculum, ctx, moduleId, attempt?.moduleVersion);
      rows.push({ module, assigned: assignedIds.includes(moduleId), attempt, dueAt: dueOf.get(moduleId) ?? null });
    } catch (err) {
      // A placement pointing at a module that no longer exists is left out rather than breaking the home page.
      if (!(err instanceof AppError && err.status === 404)) throw err;
    }
  }
  const rank = (r: MyModuleRow) => (r.assigned ? 0 : 3) + (r.attempt?.status === 'completed' ? 2 : r.attempt ? 0 : 1);
  const due = (r: MyModuleRow) => r.dueAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
  rows.sort((a, b) => rank(a) - rank(b) || due(a) - due(b));

  const user = await models.User.findOne({ schoolId: ctx.schoolId, _id: ctx.actor.id }, { yearGroup: 1 }).lean();
  const cls =
    ctx.classId && Types.ObjectId.isValid(ctx.classId)
      ? await models.Class.findOne({ schoolId: ctx.schoolId, _id: ctx.classId }, { yearGroup: 1 }).lean()
      : null;
  const stage =
    (user?.yearGroup ? yearGroupToStage(user.yearGroup) : null) ??
    (cls?.yearGroup ? yearGroupToStage(cls.yearGroup) : null) ??
    null;

  // Next: an unfinished assigned module (started first), else one in progress, else a module of the pupil's stage
  // they have not opened.
  const unfinished = rows.find((r) => r.attempt?.status !== 'completed');
  const explore = stage ? [...curriculum.modules.values()].find((m) => m.stage === stage && !byModule.has(m.id)) : undefined;
  return { rows, next: unfinished?.module.id ?? explore?.id ?? null, stage };
}

/**
 * Rebuilds a pupil's attempt from their learning events alone (the events are the record; the attempt is derived).
 * Used after a crash between an event and its state update, and by tests to prove nothing lives only in state.
 * @returns the rebuilt attempt, or null when there are no events for it.
 */
export async function rebuildAttempt(
  models: Models,
  schoolId: string,
  userId: string,
  moduleId: string,
): Promise<AttemptDoc | null> {
  const events = await models.LearningEvent.find({
    schoolId,
    userId,
    'subject.moduleId': moduleId,
    kind: { $in: Object.values(EVENT_KINDS) },
  })
    .sort({ at: 1 })
    .lean();
  const first = events.find((e) => e.kind === EVENT_KINDS.answerSaved);
  if (!first) return null;
  const data = (e: (typeof events)[number]) => (e.data ?? {}) as Record<string, unknown>;
  const attempt: Omit<AttemptDoc, '_id'> = {
    schoolId,
    userId,
    moduleId,
    moduleVersion: first.subject?.moduleVersion ?? 1,
    source: data(first).source === 'school' ? 'school' : 'builtin',
    ...(first.classId ? { classId: first.classId } : {}),
    ...(first.resourceLinkId ? { resourceLinkId: first.resourceLinkId } : {}),
    status: 'in_progress',
    activities: {},
    startedAt: first.at,
  };
  for (const e of events) {
    const d = data(e);
    const activityId = e.subject?.activityId;
    if (e.kind === EVENT_KINDS.answerSaved && activityId) {
      const before = attempt.activities[activityId];
      const seq = Number(d.clientSeq);
      if (before && before.seq >= seq) continue;
      const status = d.status === 'completed' ? 'completed' : 'in_progress';
      attempt.activities[activityId] = {
        type: String(d.type),
        answer: d.answer,
        seq,
        status,
        ...(d.score ? { score: d.score as Score } : {}),
        savedAt: e.at,
        savedBy: e.actorId,
        ...(e.classId ? { classId: e.classId } : {}),
        ...(status === 'completed' ? { completedAt: before?.completedAt ?? e.at } : {}),
      };
    } else if (e.kind === EVENT_KINDS.activityCompleted && activityId) {
      const state = attempt.activities[activityId];
      if (state && state.seq === Number(d.clientSeq))
        Object.assign(state, { status: 'completed', completedAt: state.completedAt ?? e.at });
    } else if (e.kind === EVENT_KINDS.moduleCompleted) {
      Object.assign(attempt, { status: 'completed', completedAt: e.at, score: d.score });
    } else if (e.kind === EVENT_KINDS.rated) {
      Object.assign(attempt, { rating: d.rating, comment: d.comment, ratedAt: e.at });
    }
  }
  await models.ModuleAttempt.replaceOne({ schoolId, userId, moduleId }, attempt, { upsert: true });
  return await models.ModuleAttempt.findOne({ schoolId, userId, moduleId }).lean();
}
