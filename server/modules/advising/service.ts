/**
 * The external adviser's work: the caseload (every pupil the adviser may see, by need and follow-up), one pupil's
 * readiness review, and the adviser's record of that pupil (agreed level, notes, referrals, follow-up, flags).
 *
 * Visibility goes through server/modules/sharing/access.ts only: every read of a pupil's data calls
 * `assertAdviserMaySee` (404 when not shared) and `logAdviserView`. Writes record a LearningEvent first
 * (`advising.*`, deterministic id) and then update the AdviserReview with a revision guard.
 */
import { Types } from 'mongoose';
import { yearGroupToStage, type Curriculum } from '../../../curriculum/index.js';
import { ReadinessError, scoreReadiness, type LevelOfHelp } from '../../../curriculum/readiness.js';
import type { EncounterType, Module, StageId } from '../../../curriculum/schema.js';
import { REFLECTION_PROMPTS } from '../../contract/log.js';
import type { PlanAnswer, ReflectionAnswer } from '../../contract/progress.js';
import type {
  AddNote,
  AddReferral,
  CaseloadQuery,
  CaseloadRow,
  PupilReview,
  Suggestion,
  UpdateReview,
} from '../../contract/advising.js';
import type { Models } from '../../db/models.js';
import { AppError, conflict, forbidden, invalid } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { getModule } from '../curriculum/service.js';
import { eventId, recordLearningEvent } from '../events/record.js';
import type { LogEntryDoc } from '../log/service.js';
import type { AttemptDoc } from '../progress/service.js';
import { latestReadiness, type ReadinessResultDoc } from '../readiness/service.js';
import { assertAdviserMaySee, logAdviserView, logAdviserViews, visibleCoverage } from '../sharing/access.js';
import { presentRecord } from './present.js';

export interface AdvisingDeps {
  models: Models;
  curriculum: Curriculum;
  now?: () => Date;
}

/** Learning-event kinds written here (the xAPI profile maps them). */
export const ADVISING_EVENTS = {
  levelAgreed: 'advising.level-agreed',
  followUpSet: 'advising.follow-up-set',
  flagsSet: 'advising.flags-set',
  noted: 'advising.noted',
  referred: 'advising.referred',
} as const;

type HelpLevel = Exclude<LevelOfHelp, 'universal'>;

/** An adviser's record (lean). */
export interface ReviewDoc {
  _id: Types.ObjectId;
  schoolId: string;
  pupilId: string;
  adviserId: string;
  agreedLevel: HelpLevel | null;
  followUpAt: Date | null;
  flags: string[];
  notes: { _id: string; text: string; visibleToPupil: boolean; at: Date; by: string }[];
  referrals: { _id: string; to: string; reason: string; at: Date; by: string }[];
  levelHistory: { level: HelpLevel | null; at: Date; by: string }[];
  revision: number;
  updatedAt?: Date;
}

const loc = (t: { en: string; nl: string }) => ({ en: t.en, nl: t.nl });
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

function assertAdviser(ctx: RequestContext): void {
  if (ctx.actor.role !== 'adviser') throw forbidden('Only careers advisers have a caseload.');
}

/**
 * The suggested level for a result, taking the adviser's complexity flags into account: with flags, the stored
 * answers are scored again (same instrument version); without, the stored suggestion stands.
 */
export function suggestionFor(curriculum: Curriculum, result: ReadinessResultDoc, flags: readonly string[]): Suggestion {
  const stored: Suggestion = {
    level: result.suggestedLevel,
    rule: { id: result.rule.id, explanation: loc(result.rule.explanation) },
    flags: [],
    validated: result.instrument.validated,
  };
  const { instrument } = curriculum.readiness;
  if (result.kind !== 'check' || flags.length === 0 || result.instrument.version !== instrument.version) return stored;
  try {
    const scored = scoreReadiness({ stage: result.stage as StageId, answers: result.answers }, flags, instrument);
    return {
      level: scored.level,
      rule: { id: scored.rule.id, explanation: loc(scored.rule.explanation) },
      flags: [...flags],
      validated: scored.instrument.validated,
    };
  } catch (err) {
    if (err instanceof ReadinessError) return stored; // a flag the instrument no longer knows
    throw err;
  }
}

const NEED_ORDER: Record<string, number> = {
  'individual-case-managed': 0,
  'brief-staff-assisted': 1,
  'self-help': 2,
  none: 3,
  universal: 4,
};

const startOfDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/**
 * Every pupil the adviser may see now, with stage, latest suggested and agreed level, last activity and follow-up,
 * sorted by need (case-managed, brief staff-assisted, self-help, no check yet, universal tier), overdue follow-ups
 * first within a level, then by follow-up date and name. A fixed number of queries whatever the caseload size.
 * Every pupil listed is written to the audit log ('caseload': name, level, follow-up were seen) in one insert;
 * opening a pupil's review is logged on its own.
 * @throws AppError 403 for anyone but an adviser.
 */
export async function caseload(
  deps: AdvisingDeps,
  ctx: RequestContext,
  query: CaseloadQuery,
): Promise<{ pupils: CaseloadRow[]; total: number; yearGroups: string[] }> {
  assertAdviser(ctx);
  const { models, curriculum } = deps;
  const coverage = await visibleCoverage(models, ctx);
  const ids = [...coverage.keys()];
  if (ids.length === 0) return { pupils: [], total: 0, yearGroups: [] };
  const objectIds = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
  const [users, latest, reviews, summaries] = await Promise.all([
    models.User.find({ schoolId: ctx.schoolId, _id: { $in: objectIds } }, { name: 1, yearGroup: 1, lastLaunchAt: 1 }).lean(),
    latestReadiness(models, ctx.schoolId, ids),
    models.AdviserReview.find(
      { schoolId: ctx.schoolId, adviserId: ctx.actor.id, pupilId: { $in: ids } },
      { pupilId: 1, agreedLevel: 1, followUpAt: 1, flags: 1 },
    ).lean<Pick<ReviewDoc, 'pupilId' | 'agreedLevel' | 'followUpAt' | 'flags'>[]>(),
    // The dashboard's incrementally maintained summaries hold each pupil's latest own activity (no event scan).
    models.PupilSummary.find({ schoolId: ctx.schoolId, userId: { $in: ids } }, { userId: 1, last: 1 }).lean<
      { userId: string; last?: Date }[]
    >(),
  ]);
  const reviewOf = new Map(reviews.map((r) => [r.pupilId, r]));
  const lastOf = new Map<string, number>();
  for (const s of summaries) {
    const at = s.last ? new Date(s.last).getTime() : 0;
    if (at > (lastOf.get(s.userId) ?? 0)) lastOf.set(s.userId, at);
  }
  const today = startOfDay(deps.now ? deps.now() : new Date());

  const all: CaseloadRow[] = users.map((u) => {
    const id = String(u._id);
    const result = latest.get(id);
    const review = reviewOf.get(id);
    const suggested = result ? suggestionFor(curriculum, result, review?.flags ?? []).level : null;
    const agreed = review?.agreedLevel ?? null;
    const follow = review?.followUpAt ? new Date(review.followUpAt) : null;
    // The pupil's own latest activity: a learning event they made, their check, or their last launch.
    const activity = [u.lastLaunchAt, result?.at]
      .filter((d): d is Date => Boolean(d))
      .map((d) => new Date(d).getTime())
      .concat(lastOf.get(id) ?? []);
    return {
      pupilId: id,
      name: u.name ?? null,
      yearGroup: u.yearGroup ?? null,
      stage: u.yearGroup ? (yearGroupToStage(u.yearGroup) ?? null) : (result?.stage ?? null),
      suggestedLevel: suggested,
      agreedLevel: agreed,
      level: agreed ?? suggested,
      readinessAt: iso(result?.at),
      lastActivityAt: activity.length ? new Date(Math.max(...activity)).toISOString() : null,
      followUpAt: follow ? follow.toISOString().slice(0, 10) : null,
      overdue: follow !== null && follow.getTime() < today,
    };
  });

  const q = query.q?.trim().toLowerCase();
  const pupils = all
    .filter((r) => !query.level || (r.level ?? 'none') === query.level)
    .filter((r) => !query.yearGroup || r.yearGroup === query.yearGroup)
    .filter((r) => query.overdue !== 'true' || r.overdue)
    .filter((r) => !q || (r.name ?? '').toLowerCase().includes(q))
    .sort(
      (a, b) =>
        (NEED_ORDER[a.level ?? 'none'] ?? 9) - (NEED_ORDER[b.level ?? 'none'] ?? 9) ||
        Number(b.overdue) - Number(a.overdue) ||
        (a.followUpAt ?? '9999').localeCompare(b.followUpAt ?? '9999') ||
        (a.name ?? '').localeCompare(b.name ?? '') ||
        a.pupilId.localeCompare(b.pupilId),
    );
  const yearGroups = [...new Set(all.map((r) => r.yearGroup).filter((y): y is string => Boolean(y)))].sort();
  await logAdviserViews(
    models,
    ctx,
    coverage,
    pupils.map((p) => p.pupilId),
    'caseload',
  );
  return { pupils, total: all.length, yearGroups };
}

async function moduleOr404(deps: AdvisingDeps, ctx: RequestContext, attempt: AttemptDoc): Promise<Module | null> {
  try {
    return (await getModule(deps.models, deps.curriculum, ctx, attempt.moduleId, attempt.moduleVersion)).module;
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  }
}

/**
 * One pupil's readiness review: readiness scores by competency, the suggested level with its rule, modules done,
 * encounters logged by type, goals, reflections the pupil has not made private, and the adviser's record.
 * @throws AppError 403 for anyone but an adviser; 404 when the pupil is not shared with the adviser (or missing,
 * or of another school).
 */
export async function getReview(deps: AdvisingDeps, ctx: RequestContext, pupilId: string): Promise<PupilReview> {
  assertAdviser(ctx);
  const { models, curriculum } = deps;
  await assertAdviserMaySee(models, ctx, pupilId);
  await logAdviserView(models, ctx, pupilId, 'readiness-review');

  const [user, latest, attempts, entries, review] = await Promise.all([
    models.User.findOne({ schoolId: ctx.schoolId, _id: pupilId }, { name: 1, yearGroup: 1 }).lean(),
    latestReadiness(models, ctx.schoolId, [pupilId]),
    models.ModuleAttempt.find({ schoolId: ctx.schoolId, userId: pupilId }).lean() as Promise<AttemptDoc[]>,
    models.LogEntry.find({ schoolId: ctx.schoolId, pupilId }).sort({ date: -1 }).lean<LogEntryDoc[]>(),
    models.AdviserReview.findOne({ schoolId: ctx.schoolId, adviserId: ctx.actor.id, pupilId }).lean<ReviewDoc>(),
  ]);
  const result = latest.get(pupilId) ?? null;
  const flags = review?.flags ?? [];

  const modules: PupilReview['modules'] = [];
  const goals: PupilReview['goals'] = [];
  const reflections: PupilReview['reflections'] = [];
  let modulesInProgress = 0;
  for (const attempt of attempts) {
    const module = await moduleOr404(deps, ctx, attempt);
    if (!module) continue;
    const title = loc(module.title);
    if (attempt.status === 'completed')
      modules.push({
        moduleId: module.id,
        title,
        completedAt: iso(attempt.completedAt),
        score: typeof attempt.score === 'number' ? attempt.score : null,
      });
    else modulesInProgress += 1;
    for (const activity of module.activities) {
      const state = attempt.activities[activity.id];
      if (!state) continue;
      const at = iso(state.savedAt) ?? new Date(0).toISOString();
      if (activity.type === 'reflection' && state.type === 'reflection') {
        const answer = state.answer as ReflectionAnswer;
        for (const prompt of activity.prompts) {
          const response = answer.responses[prompt.id];
          // Private answers are for the pupil's eyes only: never to an adviser.
          if (!response?.text.trim() || response.private) continue;
          reflections.push({ context: title, prompt: loc(prompt.text), text: response.text, at });
        }
      } else if (activity.type === 'plan' && state.type === 'plan') {
        const plan = state.answer as PlanAnswer;
        if (!plan.goal.trim() && !plan.steps.length) continue;
        goals.push({
          moduleId: module.id,
          moduleTitle: title,
          goal: plan.goal,
          steps: plan.steps.filter((s) => s.text.trim()).map((s) => ({ text: s.text, date: s.date ?? null })),
          at,
        });
      }
    }
  }

  const byType = new Map<string, { count: number; hours: number }>();
  for (const entry of entries) {
    const row = byType.get(entry.encounterType) ?? { count: 0, hours: 0 };
    row.count += 1;
    row.hours += entry.hours;
    byType.set(entry.encounterType, row);
    const def = curriculum.encounterTypes.get(entry.encounterType as EncounterType);
    const encounterTitle = def ? loc(def.title) : { en: entry.encounterType, nl: entry.encounterType };
    const at = new Date(`${entry.date}T12:00:00Z`).toISOString();
    for (const prompt of REFLECTION_PROMPTS) {
      const answer = entry.reflection[prompt];
      if (!answer.text.trim() || answer.private) continue;
      reflections.push({
        context: { en: `${encounterTitle.en}: ${entry.organisation}`, nl: `${encounterTitle.nl}: ${entry.organisation}` },
        prompt: LOG_PROMPTS[prompt],
        text: answer.text,
        at,
      });
    }
  }
  const encounters = [...byType]
    .map(([type, row]) => {
      const def = curriculum.encounterTypes.get(type as EncounterType);
      return { encounterType: type, title: def ? loc(def.title) : { en: type, nl: type }, count: row.count, hours: row.hours };
    })
    .sort((a, b) => b.count - a.count || a.encounterType.localeCompare(b.encounterType));

  const { instrument } = curriculum.readiness;
  return {
    pupil: {
      id: pupilId,
      name: user?.name ?? null,
      yearGroup: user?.yearGroup ?? null,
      stage: (user?.yearGroup ? yearGroupToStage(user.yearGroup) : undefined) ?? result?.stage ?? null,
    },
    readiness: result
      ? {
          at: new Date(result.at).toISOString(),
          kind: result.kind,
          stage: result.stage,
          instrument: result.instrument,
          competencies: Object.entries(result.competencies).map(([id, score]) => {
            const c = curriculum.competencies.get(id);
            return { id, title: c ? loc(c.title) : { en: id, nl: id }, score, low: result.lowCompetencies.includes(id) };
          }),
          capability: result.capability ? { score: result.capability.score, band: result.capability.band } : null,
          decisionStatus: result.decisionStatus?.status ?? null,
          answered: result.answered,
          missing: result.missing,
        }
      : null,
    suggestion: result ? suggestionFor(curriculum, result, flags) : null,
    modules: modules.sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? '')),
    modulesInProgress,
    encounters,
    goals: goals.sort((a, b) => b.at.localeCompare(a.at)),
    reflections: reflections.sort((a, b) => b.at.localeCompare(a.at)),
    record: presentRecord(review),
    availableFlags: instrument.flags.map((f) => ({ id: f.id, title: loc(f.title) })),
  };
}

/** The log's Kolb prompts, worded as the pupil saw them (same as the journey's). */
const LOG_PROMPTS = {
  happened: { en: 'What happened?', nl: 'Wat gebeurde er?' },
  aboutMe: { en: 'What did I learn about myself?', nl: 'Wat leerde ik over mezelf?' },
  aboutWork: { en: 'What did I learn about work?', nl: 'Wat leerde ik over werk?' },
  nextStep: { en: 'What will I do next?', nl: 'Wat ga ik nu doen?' },
} as const;

async function ensureReview(models: Models, ctx: RequestContext, pupilId: string): Promise<ReviewDoc> {
  const doc = await models.AdviserReview.findOneAndUpdate(
    { schoolId: ctx.schoolId, adviserId: ctx.actor.id, pupilId },
    { $setOnInsert: { schoolId: ctx.schoolId, adviserId: ctx.actor.id, pupilId, revision: 0 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<ReviewDoc>();
  if (!doc) throw new Error('upsert returned no review');
  return doc;
}

async function record(
  deps: AdvisingDeps,
  ctx: RequestContext,
  pupilId: string,
  kind: string,
  unique: string,
  at: Date,
  data: Record<string, unknown>,
): Promise<string> {
  const event = { schoolId: ctx.schoolId, userId: pupilId, kind, subject: {} };
  const id = eventId(event, `${ctx.actor.id}:${unique}`);
  await recordLearningEvent(deps.models, id, {
    ...event,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    at,
    data: { adviserId: ctx.actor.id, ...data },
  });
  return id;
}

const reviewChanged = () => conflict('review_changed', 'This record was changed at the same time. Reload and try again.');

/**
 * Records the agreed level of help, the follow-up date and/or the complexity flags (null clears a value). Each
 * change is one LearningEvent (`advising.level-agreed`, `advising.follow-up-set`, `advising.flags-set`).
 * @throws AppError 403 for anyone but an adviser; 404 when the pupil is not shared; 400 for an unknown flag;
 * 409 `review_changed` when another change landed in between.
 */
export async function updateReview(
  deps: AdvisingDeps,
  ctx: RequestContext,
  pupilId: string,
  input: UpdateReview,
): Promise<ReviewDoc> {
  assertAdviser(ctx);
  const { models, curriculum } = deps;
  await assertAdviserMaySee(models, ctx, pupilId);
  const known = new Set(curriculum.readiness.instrument.flags.map((f) => f.id));
  const unknown = (input.flags ?? []).filter((f) => !known.has(f));
  if (unknown.length)
    throw invalid(
      'Unknown flag.',
      unknown.map((f) => ({ path: 'flags', message: `unknown flag "${f}"` })),
    );

  const review = await ensureReview(models, ctx, pupilId);
  const at = deps.now ? deps.now() : new Date();
  const rev = review.revision + 1;
  const $set: Record<string, unknown> = { revision: rev };
  const $push: Record<string, unknown> = {};
  if (input.agreedLevel !== undefined && input.agreedLevel !== review.agreedLevel) {
    const latest = (await latestReadiness(models, ctx.schoolId, [pupilId])).get(pupilId);
    const suggestion = latest ? suggestionFor(curriculum, latest, input.flags ?? review.flags) : null;
    await record(deps, ctx, pupilId, ADVISING_EVENTS.levelAgreed, `${rev}`, at, {
      level: input.agreedLevel,
      previous: review.agreedLevel,
      suggestedLevel: suggestion?.level ?? null,
      ruleId: suggestion?.rule.id ?? null,
    });
    $set.agreedLevel = input.agreedLevel;
    $push.levelHistory = { level: input.agreedLevel, at, by: ctx.actor.id };
  }
  if (input.followUpAt !== undefined) {
    const next = input.followUpAt === null ? null : new Date(`${input.followUpAt}T00:00:00Z`);
    if (next && Number.isNaN(next.getTime()))
      throw invalid('The follow-up date is not a date.', [{ path: 'followUpAt', message: 'not a date' }]);
    if ((next?.getTime() ?? null) !== (review.followUpAt ? new Date(review.followUpAt).getTime() : null)) {
      await record(deps, ctx, pupilId, ADVISING_EVENTS.followUpSet, `${rev}`, at, { followUpAt: input.followUpAt });
      $set.followUpAt = next;
    }
  }
  if (input.flags !== undefined) {
    const flags = [...new Set(input.flags)].sort();
    if (flags.join(',') !== [...review.flags].sort().join(',')) {
      await record(deps, ctx, pupilId, ADVISING_EVENTS.flagsSet, `${rev}`, at, { flags });
      $set.flags = flags;
    }
  }
  if (Object.keys($set).length === 1 && Object.keys($push).length === 0) return review; // nothing changed
  const updated = await models.AdviserReview.findOneAndUpdate(
    { schoolId: ctx.schoolId, _id: review._id, revision: review.revision },
    { $set, ...(Object.keys($push).length ? { $push } : {}) },
    { returnDocument: 'after' },
  ).lean<ReviewDoc>();
  if (!updated) throw reviewChanged();
  return updated;
}

/**
 * Adds a note (marked for the pupil or not). A retried request with the same `clientId` adds it once.
 * @throws AppError 403 for anyone but an adviser; 404 when the pupil is not shared.
 */
export async function addNote(deps: AdvisingDeps, ctx: RequestContext, pupilId: string, input: AddNote): Promise<ReviewDoc> {
  assertAdviser(ctx);
  await assertAdviserMaySee(deps.models, ctx, pupilId);
  const review = await ensureReview(deps.models, ctx, pupilId);
  const at = deps.now ? deps.now() : new Date();
  const id = await record(deps, ctx, pupilId, ADVISING_EVENTS.noted, `note:${input.clientId}`, at, {
    noteId: `note:${input.clientId}`,
    text: input.text,
    visibleToPupil: input.visibleToPupil,
  });
  return pushOnce(deps.models, ctx, review, 'notes', {
    _id: id,
    text: input.text,
    visibleToPupil: input.visibleToPupil,
    at,
    by: ctx.actor.id,
  });
}

/**
 * Records a referral (to whom and why). A retried request with the same `clientId` adds it once.
 * @throws AppError 403 for anyone but an adviser; 404 when the pupil is not shared.
 */
export async function addReferral(
  deps: AdvisingDeps,
  ctx: RequestContext,
  pupilId: string,
  input: AddReferral,
): Promise<ReviewDoc> {
  assertAdviser(ctx);
  await assertAdviserMaySee(deps.models, ctx, pupilId);
  const review = await ensureReview(deps.models, ctx, pupilId);
  const at = deps.now ? deps.now() : new Date();
  const id = await record(deps, ctx, pupilId, ADVISING_EVENTS.referred, `referral:${input.clientId}`, at, {
    to: input.to,
    reason: input.reason,
  });
  return pushOnce(deps.models, ctx, review, 'referrals', { _id: id, to: input.to, reason: input.reason, at, by: ctx.actor.id });
}

async function pushOnce(
  models: Models,
  ctx: RequestContext,
  review: ReviewDoc,
  field: 'notes' | 'referrals',
  item: { _id: string } & Record<string, unknown>,
): Promise<ReviewDoc> {
  // Guarded by the item id (the event id), so a retry never adds it twice.
  const updated = await models.AdviserReview.findOneAndUpdate(
    { schoolId: ctx.schoolId, _id: review._id, [`${field}._id`]: { $ne: item._id } },
    { $push: { [field]: item }, $inc: { revision: 1 } },
    { returnDocument: 'after' },
  ).lean<ReviewDoc>();
  if (updated) return updated;
  const current = await models.AdviserReview.findOne({ schoolId: ctx.schoolId, _id: review._id }).lean<ReviewDoc>();
  if (!current) throw reviewChanged();
  return current;
}

/**
 * Notes advisers marked for this pupil, newest first, with the adviser's name (for the pupil's journey).
 */
export async function notesForPupil(
  models: Models,
  schoolId: string,
  pupilId: string,
): Promise<{ id: string; text: string; at: Date; adviserName: string | null }[]> {
  const reviews = await models.AdviserReview.find(
    { schoolId, pupilId, 'notes.visibleToPupil': true },
    { adviserId: 1, notes: 1 },
  ).lean<Pick<ReviewDoc, 'adviserId' | 'notes'>[]>();
  if (!reviews.length) return [];
  const advisers = await models.User.find(
    { schoolId, _id: { $in: reviews.map((r) => r.adviserId).filter((id) => Types.ObjectId.isValid(id)) } },
    { name: 1 },
  ).lean();
  const names = new Map(advisers.map((a) => [String(a._id), a.name ?? null]));
  return reviews
    .flatMap((r) =>
      r.notes
        .filter((n) => n.visibleToPupil)
        .map((n) => ({ id: n._id, text: n.text, at: new Date(n.at), adviserName: names.get(r.adviserId) ?? null })),
    )
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}
