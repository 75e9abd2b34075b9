/**
 * The pupil's readiness check: the instrument for their stage, scoring through curriculum/readiness.ts, storage,
 * and the pupil's kind summary. A result is recorded first as a `readiness.completed` LearningEvent (deterministic
 * id from the page's `clientId`, so a retried submit records it once), then as a ReadinessResult document.
 *
 * What the pupil sees vs what staff see (docs/readiness.md): the pupil gets strengths and things to explore, never
 * a level of help, band, score or rule; staff (the adviser review) get all of it.
 */
import { Types } from 'mongoose';
import { yearGroupToStage, type Curriculum } from '../../../curriculum/index.js';
import {
  isUniversalTierStage,
  ReadinessError,
  scorePictorialCheck,
  scoreReadiness,
  type Band,
  type DecisionStatus,
  type LevelOfHelp,
} from '../../../curriculum/readiness.js';
import type { StageId } from '../../../curriculum/schema.js';
import type { PupilInstrument, SubmitReadiness } from '../../contract/readiness.js';
import type { Models } from '../../db/models.js';
import { AppError, forbidden, invalid } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { eventId, recordLearningEvent } from '../events/record.js';

export interface ReadinessDeps {
  models: Models;
  curriculum: Curriculum;
  now?: () => Date;
}

export const READINESS_EVENT = 'readiness.completed';

/** A stored result (lean). */
export interface ReadinessResultDoc {
  _id: Types.ObjectId;
  schoolId: string;
  userId: string;
  eventId: string;
  kind: 'check' | 'pictorial';
  stage: string;
  classId?: string;
  instrument: { id: string; version: number; validated: boolean };
  answers: Record<string, number>;
  competencies: Record<string, number | null>;
  lowCompetencies: string[];
  capability: { score: number | null; band: Band } | null;
  complexity: { score: number; band: Band; flags: string[] } | null;
  decisionStatus: { status: DecisionStatus; scores: Record<DecisionStatus, number | null> } | null;
  suggestedLevel: LevelOfHelp;
  rule: { id: string; explanation: { en: string; nl: string } };
  answered: number;
  missing: number;
  at: Date;
}

function assertPupil(ctx: RequestContext): void {
  if (ctx.actor.role !== 'pupil') throw forbidden('The readiness check is for pupils.');
}

const noStage = () =>
  new AppError({
    status: 409,
    code: 'stage_unknown',
    message: 'Your year group is not known yet, so Waymark cannot choose the right check. Ask your teacher to set it.',
  });

/** The stage of a pupil: their own year group, else the launch class's. Null when neither is known. */
export async function stageOfPupil(models: Models, ctx: RequestContext): Promise<StageId | null> {
  const user = await models.User.findOne({ schoolId: ctx.schoolId, _id: ctx.actor.id }, { yearGroup: 1 }).lean();
  const own = user?.yearGroup ? yearGroupToStage(user.yearGroup) : undefined;
  if (own) return own;
  if (!ctx.classId || !Types.ObjectId.isValid(ctx.classId)) return null;
  const cls = await models.Class.findOne({ schoolId: ctx.schoolId, _id: ctx.classId }, { yearGroup: 1 }).lean();
  return (cls?.yearGroup ? yearGroupToStage(cls.yearGroup) : undefined) ?? null;
}

/**
 * The check for the pupil's stage in one language: the pictorial faces check for S1–S2, the statements for S3–S5.
 * @throws AppError 403 for anyone but a pupil; 409 `stage_unknown` when the pupil's year group is not known.
 */
export async function getInstrument(deps: ReadinessDeps, ctx: RequestContext, lang: 'en' | 'nl'): Promise<PupilInstrument> {
  assertPupil(ctx);
  const stage = await stageOfPupil(deps.models, ctx);
  if (!stage) throw noStage();
  const { instrument, pictorial } = deps.curriculum.readiness;
  if (isUniversalTierStage(stage)) {
    return {
      kind: 'pictorial',
      id: pictorial.id,
      version: pictorial.version,
      stage,
      lang,
      title: pictorial.title[lang],
      intro: '',
      options: pictorial.faces.map((f) => ({ value: f.value, label: f.label[lang], picture: f.picture })),
      items: pictorial.items.map((i) => ({ id: i.id, text: i.text[lang], picture: i.picture })),
    };
  }
  return {
    kind: 'check',
    id: instrument.id,
    version: instrument.version,
    stage,
    lang,
    title: instrument.title[lang],
    intro: instrument.intro[lang],
    options: instrument.responseScale.labels.map((l) => ({ value: l.value, label: l.label[lang], picture: null })),
    items: instrument.items.map((i) => ({ id: i.id, text: i.text[lang], picture: null })),
  };
}

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

/**
 * Scores and stores the pupil's answers, and records the `readiness.completed` learning event first.
 * Pupils set no complexity flags: those are staff knowledge (the adviser review may add them).
 * @throws AppError 403 for anyone but a pupil; 409 `stage_unknown`; 400 for unknown items or out-of-range answers.
 */
export async function submitReadiness(
  deps: ReadinessDeps,
  ctx: RequestContext,
  input: SubmitReadiness,
): Promise<ReadinessResultDoc> {
  assertPupil(ctx);
  const { models, curriculum } = deps;
  const stage = await stageOfPupil(models, ctx);
  if (!stage) throw noStage();
  const { instrument, pictorial } = curriculum.readiness;
  const universal = isUniversalTierStage(stage);

  let result: Omit<ReadinessResultDoc, '_id' | 'schoolId' | 'userId' | 'eventId' | 'at' | 'classId'>;
  try {
    if (universal) {
      const scored = scorePictorialCheck(input.answers, pictorial);
      result = {
        kind: 'pictorial',
        stage,
        instrument: { id: pictorial.id, version: pictorial.version, validated: false },
        answers: scored.answers,
        competencies: {},
        lowCompetencies: [],
        capability: null,
        complexity: null,
        decisionStatus: null,
        suggestedLevel: scored.level,
        rule: { id: scored.rule.id, explanation: { en: scored.rule.explanation.en, nl: scored.rule.explanation.nl } },
        answered: Object.keys(scored.answers).length,
        missing: pictorial.items.length - Object.keys(scored.answers).length,
      };
    } else {
      const scored = scoreReadiness({ stage, answers: input.answers }, [], instrument);
      result = {
        kind: 'check',
        stage,
        instrument: scored.instrument,
        answers: { ...input.answers },
        competencies: scored.competencies,
        lowCompetencies: scored.lowCompetencies,
        capability: scored.capability,
        complexity: scored.complexity,
        decisionStatus: scored.decisionStatus,
        suggestedLevel: scored.level,
        rule: { id: scored.rule.id, explanation: { en: scored.rule.explanation.en, nl: scored.rule.explanation.nl } },
        answered: scored.answered,
        missing: scored.missing,
      };
    }
  } catch (err) {
    if (err instanceof ReadinessError)
      throw invalid(
        'Some answers do not fit the check.',
        err.problems.map((p) => ({ path: 'answers', message: p })),
      );
    throw err;
  }
  if (result.answered === 0) throw invalid('Answer at least one question.', [{ path: 'answers', message: 'no answers' }]);

  const at = deps.now ? deps.now() : new Date();
  const event = { schoolId: ctx.schoolId, userId: ctx.actor.id, kind: READINESS_EVENT, subject: {} };
  const id = eventId(event, input.clientId);
  await recordLearningEvent(models, id, {
    ...event,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    ...(ctx.classId ? { classId: ctx.classId } : {}),
    ...(ctx.resourceLinkId ? { resourceLinkId: ctx.resourceLinkId } : {}),
    at,
    data: { ...result },
  });
  try {
    const doc = await models.ReadinessResult.create({
      ...result,
      schoolId: ctx.schoolId,
      userId: ctx.actor.id,
      eventId: id,
      at,
      ...(ctx.classId ? { classId: ctx.classId } : {}),
    });
    return doc.toObject() as unknown as ReadinessResultDoc;
  } catch (err) {
    // A retried submit: the first one stored the result already.
    if (!isDuplicateKey(err)) throw err;
    const existing = await models.ReadinessResult.findOne({ schoolId: ctx.schoolId, eventId: id }).lean<ReadinessResultDoc>();
    if (!existing) throw err;
    return existing;
  }
}

/**
 * The pupil's own results, newest first.
 * @throws AppError 403 for anyone but a pupil.
 */
export async function myResults(deps: ReadinessDeps, ctx: RequestContext): Promise<ReadinessResultDoc[]> {
  assertPupil(ctx);
  return deps.models.ReadinessResult.find({ schoolId: ctx.schoolId, userId: ctx.actor.id })
    .sort({ at: -1 })
    .limit(50)
    .lean<ReadinessResultDoc[]>();
}

/**
 * Per pupil, their latest readiness result (one aggregation, for caseloads and dashboards). Pupils without a
 * result are absent from the map. `userIds` narrows it to those pupils.
 */
export async function latestReadiness(
  models: Models,
  schoolId: string,
  userIds?: readonly string[],
): Promise<Map<string, ReadinessResultDoc>> {
  const match: Record<string, unknown> = { schoolId };
  if (userIds) match.userId = { $in: [...userIds] };
  const rows = await models.ReadinessResult.aggregate<{ _id: string; doc: ReadinessResultDoc }>([
    { $match: match },
    { $sort: { userId: 1, at: -1 } },
    { $group: { _id: '$userId', doc: { $first: '$$ROOT' } } },
  ]);
  return new Map(rows.map((r) => [r._id, r.doc]));
}
