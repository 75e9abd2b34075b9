/**
 * Readiness check: which level of help a pupil may need, after Sampson, Peterson, Reardon and Lenz's
 * readiness model (capability × complexity) and differentiated levels of service (self-help, brief
 * staff-assisted, individual case-managed).
 *
 * Everything that decides a result is data in curriculum/readiness/*.json (items, reverse keys, cut-offs, flag
 * weights, ordered rules); this file only applies it. The cut-offs are NOT validated (`validated: false`): the
 * result is a suggestion for staff, never a diagnosis. Under 11 (S1, S2) there is no triage at all.
 */
import { z } from 'zod';
import { LocalizedText, Slug, StageId } from './schema.js';
import type { StageId as StageIdType } from './schema.js';

export const LEVELS_OF_HELP = ['universal', 'self-help', 'brief-staff-assisted', 'individual-case-managed'] as const;
export type LevelOfHelp = (typeof LEVELS_OF_HELP)[number];

const BANDS = ['low', 'moderate', 'high'] as const;
export type Band = (typeof BANDS)[number];
export const DECISION_STATUSES = ['decided', 'undecided', 'indecisive'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** Bands in order: a score falls in the first band whose `below` it is under; the last band has no `below`. */
const Bands = z
  .array(z.strictObject({ band: z.enum(BANDS), below: z.number().optional() }))
  .min(2)
  .refine((bands) => bands.slice(0, -1).every((b) => b.below !== undefined) && bands.at(-1)?.below === undefined, {
    error: 'every band but the last needs `below`; the last has none',
  })
  .refine((bands) => bands.every((b, i) => i === 0 || b.below === undefined || b.below > (bands[i - 1]?.below ?? -Infinity)), {
    error: 'band limits must increase',
  });

const RuleCondition = z.strictObject({
  incomplete: z.boolean().optional(),
  capability: z.array(z.enum(BANDS)).min(1).optional(),
  complexity: z.array(z.enum(BANDS)).min(1).optional(),
  decisionStatus: z.array(z.enum(DECISION_STATUSES)).min(1).optional(),
});
export type RuleCondition = z.infer<typeof RuleCondition>;

const Rule = z.strictObject({
  id: Slug,
  /** Every key present must match (AND); a list means any of its values (OR). `{}` always matches. */
  when: RuleCondition,
  level: z.enum(['self-help', 'brief-staff-assisted', 'individual-case-managed']),
  explanation: LocalizedText,
});
export type ReadinessRule = z.infer<typeof Rule>;

export const ReadinessInstrument = z
  .strictObject({
    $comment: z.string().optional(),
    id: Slug,
    version: z.number().int().min(1),
    /** Cut-offs have not been validated against outcomes; shown to staff with the result. */
    validated: z.boolean(),
    stages: z.array(StageId).min(1),
    frequency: z.literal('yearly'),
    title: LocalizedText,
    intro: LocalizedText,
    responseScale: z.strictObject({
      min: z.number().int(),
      max: z.number().int(),
      labels: z.array(z.strictObject({ value: z.number().int(), label: LocalizedText })),
    }),
    items: z
      .array(
        z.strictObject({
          id: Slug,
          scale: z.enum(['competency', ...DECISION_STATUSES]),
          competency: Slug.optional(),
          reverse: z.boolean(),
          text: LocalizedText,
        }),
      )
      .min(1),
    scoring: z.strictObject({
      $comment: z.string().optional(),
      /** More unanswered items than this makes the result `incomplete`. */
      maxMissing: z.number().int().min(0),
      /** Competencies scoring under this are listed as `lowCompetencies` for the adviser. */
      lowCompetencyBelow: z.number(),
      capabilityBands: Bands,
      complexityBands: Bands,
      decisionStatus: z.strictObject({ indecisiveAtLeast: z.number(), decidedAtLeast: z.number() }),
    }),
    flags: z.array(z.strictObject({ id: Slug, weight: z.number().int().min(0), title: LocalizedText })).min(1),
    rules: z.array(Rule).min(1),
  })
  .superRefine((inst, ctx) => {
    inst.items.forEach((item, i) => {
      if ((item.scale === 'competency') !== (item.competency !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'competency'],
          message: 'competency items name a competency; decision-status items do not',
        });
      }
    });
    const last = inst.rules.at(-1);
    if (last && Object.keys(last.when).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', inst.rules.length - 1, 'when'],
        message: 'the last rule must be the default (`when: {}`)',
      });
    }
    const values = inst.responseScale.labels.map((l) => l.value).join(',');
    const expected = Array.from(
      { length: inst.responseScale.max - inst.responseScale.min + 1 },
      (_, i) => inst.responseScale.min + i,
    ).join(',');
    if (values !== expected)
      ctx.addIssue({ code: 'custom', path: ['responseScale', 'labels'], message: `labels must cover ${expected} in order` });
  });
export type ReadinessInstrument = z.infer<typeof ReadinessInstrument>;

export const PictorialCheck = z.strictObject({
  $comment: z.string().optional(),
  id: Slug,
  version: z.number().int().min(1),
  validated: z.literal(false),
  stages: z.array(StageId).min(1),
  frequency: z.literal('yearly'),
  title: LocalizedText,
  faces: z.array(z.strictObject({ value: z.number().int(), picture: z.string().min(1), label: LocalizedText })).length(3),
  items: z.array(z.strictObject({ id: Slug, competency: Slug, picture: z.string().min(1), text: LocalizedText })).min(1),
  rule: z.strictObject({ id: Slug, level: z.literal('universal'), explanation: LocalizedText }),
});
export type PictorialCheck = z.infer<typeof PictorialCheck>;

/** A pupil's answers: item id → value on the response scale. Unanswered items are left out. */
export interface ReadinessResponses {
  stage: StageIdType;
  answers: Readonly<Record<string, number>>;
}

export interface ReadinessResult {
  instrument: { id: string; version: number; validated: boolean };
  stage: StageIdType;
  level: LevelOfHelp;
  /** The rule that produced `level`, so staff can see why. */
  rule: { id: string; explanation: LocalizedText };
  /** Null in the universal tier (no triage under 11). */
  capability: { score: number | null; band: Band } | null;
  complexity: { score: number; band: Band; flags: string[] } | null;
  decisionStatus: { status: DecisionStatus; scores: Record<DecisionStatus, number | null> } | null;
  /** Competency id → mean item score (1–5), null when none of its items was answered. */
  competencies: Record<string, number | null>;
  lowCompetencies: string[];
  answered: number;
  missing: number;
}

/** Thrown for answers or flags the instrument does not know; callers map it to a 400. */
export class ReadinessError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid readiness input: ${problems.join('; ')}`);
    this.name = 'ReadinessError';
  }
}

const UNDER_11: readonly StageIdType[] = ['S1', 'S2'];

/** True for stages where the psychometric check is not used (S1, S2: ages 5–11). */
export function isUniversalTierStage(stage: StageIdType): boolean {
  return UNDER_11.includes(stage);
}

/** The band a score falls in. */
export function bandOf(score: number, bands: ReadinessInstrument['scoring']['capabilityBands']): Band {
  for (const b of bands) if (b.below === undefined || score < b.below) return b.band;
  throw new Error('bands must end with an open band');
}

/** An item's score after reverse keying: reverse items score (min + max) − answer. */
export function itemScore(answer: number, reverse: boolean, scale: { min: number; max: number }): number {
  return reverse ? scale.min + scale.max - answer : answer;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Decision status from the three decision scales: indecisive first (the most help needed), then decided. */
export function decisionStatusOf(
  scores: Record<DecisionStatus, number | null>,
  cutoffs: ReadinessInstrument['scoring']['decisionStatus'],
): DecisionStatus {
  if ((scores.indecisive ?? 0) >= cutoffs.indecisiveAtLeast) return 'indecisive';
  if ((scores.decided ?? 0) >= cutoffs.decidedAtLeast) return 'decided';
  return 'undecided';
}

function assertInput(responses: ReadinessResponses, flags: readonly string[], instrument: ReadinessInstrument): void {
  const problems: string[] = [];
  const items = new Set(instrument.items.map((i) => i.id));
  const { min, max } = instrument.responseScale;
  for (const [id, value] of Object.entries(responses.answers)) {
    if (!items.has(id)) problems.push(`unknown item "${id}"`);
    else if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`item "${id}": answer must be an integer ${min}–${max}`);
  }
  const known = new Set(instrument.flags.map((f) => f.id));
  for (const f of flags) if (!known.has(f)) problems.push(`unknown flag "${f}"`);
  if (!isUniversalTierStage(responses.stage) && !instrument.stages.includes(responses.stage)) {
    problems.push(`instrument "${instrument.id}" is not for stage ${responses.stage}`);
  }
  if (problems.length > 0) throw new ReadinessError(problems);
}

function matches(
  when: RuleCondition,
  facts: { incomplete: boolean; capability: Band; complexity: Band; decisionStatus: DecisionStatus },
): boolean {
  if (when.incomplete !== undefined && when.incomplete !== facts.incomplete) return false;
  if (when.capability && !when.capability.includes(facts.capability)) return false;
  if (when.complexity && !when.complexity.includes(facts.complexity)) return false;
  if (when.decisionStatus && !when.decisionStatus.includes(facts.decisionStatus)) return false;
  return true;
}

/**
 * Scores a readiness check and suggests a level of help, with the rule that produced it.
 * `flags` are complexity flags set by the school or adviser (ids from `instrument.flags`); they raise the level.
 * For S1–S2 the result is always the universal tier (`pictorial.rule`), whatever the answers or flags.
 * Throws ReadinessError for unknown items, out-of-range answers, unknown flags or a stage the instrument is not for.
 */
export function scoreReadiness(
  responses: ReadinessResponses,
  flags: readonly string[],
  instrument: ReadinessInstrument,
  pictorial?: PictorialCheck,
): ReadinessResult {
  assertInput(responses, flags, instrument);
  if (isUniversalTierStage(responses.stage)) return universalResult(responses, pictorial, instrument);

  const scale = instrument.responseScale;
  const byCompetency = new Map<string, number[]>();
  const byStatus: Record<DecisionStatus, number[]> = { decided: [], undecided: [], indecisive: [] };
  let answered = 0;
  for (const item of instrument.items) {
    if (item.competency && !byCompetency.has(item.competency)) byCompetency.set(item.competency, []);
    const answer = responses.answers[item.id];
    if (answer === undefined) continue;
    answered += 1;
    const score = itemScore(answer, item.reverse, scale);
    if (item.scale === 'competency' && item.competency) byCompetency.get(item.competency)?.push(score);
    else if (item.scale !== 'competency') byStatus[item.scale].push(score);
  }
  const missing = instrument.items.length - answered;
  const { scoring } = instrument;

  const competencies: Record<string, number | null> = {};
  for (const [id, scores] of byCompetency) competencies[id] = mean(scores);
  const competencyScores = Object.values(competencies).filter((s): s is number => s !== null);
  const capabilityScore = mean(competencyScores);
  const lowCompetencies = Object.entries(competencies)
    .filter(([, s]) => s !== null && s < scoring.lowCompetencyBelow)
    .map(([id]) => id);

  const statusScores: Record<DecisionStatus, number | null> = {
    decided: mean(byStatus.decided),
    undecided: mean(byStatus.undecided),
    indecisive: mean(byStatus.indecisive),
  };
  const status = decisionStatusOf(statusScores, scoring.decisionStatus);

  const uniqueFlags = [...new Set(flags)];
  const complexityScore = uniqueFlags.reduce((sum, id) => sum + (instrument.flags.find((f) => f.id === id)?.weight ?? 0), 0);
  const complexityBand = bandOf(complexityScore, scoring.complexityBands);
  // With no competency answered there is no capability to band; `incomplete` then decides the rule.
  const capabilityBand = capabilityScore === null ? 'low' : bandOf(capabilityScore, scoring.capabilityBands);
  const incomplete = missing > scoring.maxMissing || capabilityScore === null;

  const facts = { incomplete, capability: capabilityBand, complexity: complexityBand, decisionStatus: status };
  const rule = instrument.rules.find((r) => matches(r.when, facts));
  if (!rule) throw new Error(`instrument "${instrument.id}" has no default rule`);

  return {
    instrument: { id: instrument.id, version: instrument.version, validated: instrument.validated },
    stage: responses.stage,
    level: rule.level,
    rule: { id: rule.id, explanation: rule.explanation },
    capability: { score: capabilityScore, band: capabilityBand },
    complexity: { score: complexityScore, band: complexityBand, flags: uniqueFlags },
    decisionStatus: { status, scores: statusScores },
    competencies,
    lowCompetencies,
    answered,
    missing,
  };
}

const FALLBACK_UNIVERSAL = {
  id: 'under-11-universal',
  explanation: {
    en: 'Under 11 there is no readiness triage: every pupil follows the class programme (universal tier).',
    nl: 'Onder de 11 jaar is er geen indeling naar begeleidingsniveau: elke leerling volgt het klassenprogramma (basisaanbod).',
  },
};

function universalResult(
  responses: ReadinessResponses,
  pictorial: PictorialCheck | undefined,
  instrument: ReadinessInstrument,
): ReadinessResult {
  const rule = pictorial?.rule ?? FALLBACK_UNIVERSAL;
  return {
    instrument: { id: pictorial?.id ?? instrument.id, version: pictorial?.version ?? instrument.version, validated: false },
    stage: responses.stage,
    level: 'universal',
    rule: { id: rule.id, explanation: rule.explanation },
    capability: null,
    complexity: null,
    decisionStatus: null,
    competencies: {},
    lowCompetencies: [],
    answered: Object.keys(responses.answers).length,
    missing: 0,
  };
}

export interface PictorialResult {
  level: 'universal';
  rule: { id: string; explanation: LocalizedText };
  /** Item id → face value (1–3) for the answered items; for the teacher's class overview only. */
  answers: Record<string, number>;
}

/**
 * Records a pupil's faces self-rating (S1–S2). No scores, no cut-offs: every pupil is in the universal tier.
 * Throws ReadinessError for unknown items or values that are not one of the faces.
 */
export function scorePictorialCheck(answers: Readonly<Record<string, number>>, check: PictorialCheck): PictorialResult {
  const items = new Set(check.items.map((i) => i.id));
  const faces = new Set(check.faces.map((f) => f.value));
  const problems: string[] = [];
  for (const [id, value] of Object.entries(answers)) {
    if (!items.has(id)) problems.push(`unknown item "${id}"`);
    else if (!faces.has(value)) problems.push(`item "${id}": answer must be one of the faces`);
  }
  if (problems.length > 0) throw new ReadinessError(problems);
  return { level: 'universal', rule: { id: check.rule.id, explanation: check.rule.explanation }, answers: { ...answers } };
}
