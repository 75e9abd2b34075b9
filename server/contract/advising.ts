/**
 * The external careers adviser's views: the caseload (every pupil the adviser may see, sorted by need and
 * follow-up) and one pupil's readiness review, plus the adviser's own record (agreed level, notes, referrals,
 * follow-up date, complexity flags). Private reflections never appear here.
 */
import { z } from 'zod';

const Localized = z.object({ en: z.string(), nl: z.string() });

export const HELP_LEVELS = ['self-help', 'brief-staff-assisted', 'individual-case-managed'] as const;
export const AdvisingLimits = { noteMax: 4000, referralToMax: 200, referralReasonMax: 1000 } as const;

const Level = z.enum(HELP_LEVELS);
/** Suggested levels include the universal tier (S1–S2: no triage). */
const SuggestedLevel = z.enum(['universal', ...HELP_LEVELS]);
const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(80);
const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _');

// ---- Requests

export const CaseloadQuery = z.strictObject({
  level: z.enum([...HELP_LEVELS, 'universal', 'none']).optional(),
  yearGroup: z.string().max(40).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().max(100).optional(),
});
export type CaseloadQuery = z.infer<typeof CaseloadQuery>;

/** Agreed level, follow-up date and complexity flags: each optional, null clears. */
export const UpdateReview = z
  .strictObject({
    agreedLevel: Level.nullable().optional(),
    followUpAt: DateOnly.nullable().optional(),
    flags: z.array(Slug).max(20).optional(),
  })
  .refine((v) => v.agreedLevel !== undefined || v.followUpAt !== undefined || v.flags !== undefined, {
    error: 'change at least one of agreedLevel, followUpAt, flags',
  });
export type UpdateReview = z.infer<typeof UpdateReview>;

export const AddNote = z.strictObject({
  clientId: ClientId,
  text: z.string().trim().min(1, 'write a note').max(AdvisingLimits.noteMax),
  visibleToPupil: z.boolean(),
});
export type AddNote = z.infer<typeof AddNote>;

export const AddReferral = z.strictObject({
  clientId: ClientId,
  to: z.string().trim().min(1, 'say who the referral is to').max(AdvisingLimits.referralToMax),
  reason: z.string().trim().min(1, 'give a reason').max(AdvisingLimits.referralReasonMax),
});
export type AddReferral = z.infer<typeof AddReferral>;

// ---- Responses

export const AdviserRecord = z.object({
  agreedLevel: Level.nullable(),
  followUpAt: z.string().nullable(),
  flags: z.array(z.string()),
  notes: z.array(z.object({ id: z.string(), text: z.string(), visibleToPupil: z.boolean(), at: z.string(), by: z.string() })),
  referrals: z.array(z.object({ id: z.string(), to: z.string(), reason: z.string(), at: z.string(), by: z.string() })),
  levelHistory: z.array(z.object({ level: Level.nullable(), at: z.string(), by: z.string() })),
  updatedAt: z.string().nullable(),
});
export type AdviserRecord = z.infer<typeof AdviserRecord>;

export const Suggestion = z.object({
  level: SuggestedLevel,
  rule: z.object({ id: z.string(), explanation: Localized }),
  /** Complexity flags the suggestion took into account (the adviser's record). */
  flags: z.array(z.string()),
  /** Cut-offs are not validated: a conversation starter, never a diagnosis. */
  validated: z.boolean(),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const PupilReview = z.object({
  pupil: z.object({
    id: z.string(),
    name: z.string().nullable(),
    yearGroup: z.string().nullable(),
    stage: z.string().nullable(),
  }),
  readiness: z
    .object({
      at: z.string(),
      kind: z.enum(['check', 'pictorial']),
      stage: z.string(),
      instrument: z.object({ id: z.string(), version: z.number(), validated: z.boolean() }),
      competencies: z.array(z.object({ id: z.string(), title: Localized, score: z.number().nullable(), low: z.boolean() })),
      capability: z.object({ score: z.number().nullable(), band: z.string() }).nullable(),
      decisionStatus: z.string().nullable(),
      answered: z.number(),
      missing: z.number(),
    })
    .nullable(),
  suggestion: Suggestion.nullable(),
  modules: z.array(
    z.object({ moduleId: z.string(), title: Localized, completedAt: z.string().nullable(), score: z.number().nullable() }),
  ),
  modulesInProgress: z.number(),
  encounters: z.array(z.object({ encounterType: z.string(), title: Localized, count: z.number(), hours: z.number() })),
  goals: z.array(
    z.object({
      moduleId: z.string(),
      moduleTitle: Localized,
      goal: z.string(),
      steps: z.array(z.object({ text: z.string(), date: z.string().nullable() })),
      at: z.string(),
    }),
  ),
  /** Reflections the pupil has not marked private (module and log), newest first. */
  reflections: z.array(z.object({ context: Localized, prompt: Localized, text: z.string(), at: z.string() })),
  record: AdviserRecord,
  /** Complexity flags the adviser may set (from the readiness instrument). */
  availableFlags: z.array(z.object({ id: z.string(), title: Localized })),
});
export type PupilReview = z.infer<typeof PupilReview>;

export const CaseloadRow = z.object({
  pupilId: z.string(),
  name: z.string().nullable(),
  yearGroup: z.string().nullable(),
  stage: z.string().nullable(),
  suggestedLevel: SuggestedLevel.nullable(),
  agreedLevel: Level.nullable(),
  /** The level the sort uses: agreed when set, else suggested. */
  level: SuggestedLevel.nullable(),
  readinessAt: z.string().nullable(),
  lastActivityAt: z.string().nullable(),
  followUpAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type CaseloadRow = z.infer<typeof CaseloadRow>;

export const Caseload = z.object({ pupils: z.array(CaseloadRow), total: z.number(), yearGroups: z.array(z.string()) });
export type Caseload = z.infer<typeof Caseload>;
