/**
 * My career journey: the pupil's own portfolio timeline (completed modules, reflections, log entries, plan goals,
 * saved occupations), the privacy switch on a reflection, and the PDF download. Only the pupil reads it, so
 * private reflection texts are included here; the PDF leaves them out unless the pupil asks for them.
 */
import { z } from 'zod';

const Localized = z.object({ en: z.string(), nl: z.string() });
const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(80);

export const JOURNEY_KINDS = ['module', 'reflection', 'log', 'plan', 'occupation', 'adviser-note'] as const;
export type JourneyKind = (typeof JOURNEY_KINDS)[number];

/** Where a reflection lives: a prompt of a module's reflection activity, or a Kolb prompt of a log entry. */
export const ReflectionRef = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('module'), moduleId: Slug, activityId: Slug, promptId: Slug }),
  z.strictObject({
    type: z.literal('log'),
    entryId: z.string().regex(/^[a-f0-9]{24}$/, 'must be an id'),
    prompt: z.enum(['happened', 'aboutMe', 'aboutWork', 'nextStep']),
  }),
]);
export type ReflectionRef = z.infer<typeof ReflectionRef>;

const base = { id: z.string(), at: z.string() };

export const JourneyItem = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('module'),
    moduleId: z.string(),
    title: Localized,
    /** What the module teaches (its outcomes): "what I learned". */
    outcomes: z.array(Localized),
    score: z.number().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('reflection'),
    ref: ReflectionRef,
    /** The module or the encounter the reflection belongs to. */
    context: Localized,
    prompt: Localized,
    text: z.string(),
    private: z.boolean(),
    /** Whether the activity lets this answer be private (module prompts may forbid it). */
    privateAllowed: z.boolean(),
  }),
  z.object({
    ...base,
    kind: z.literal('log'),
    entryId: z.string(),
    encounterType: z.string(),
    encounterTitle: Localized,
    organisation: z.string(),
    hours: z.number(),
    verified: z.boolean(),
    hostConfirmed: z.boolean(),
  }),
  z.object({
    ...base,
    kind: z.literal('plan'),
    moduleId: z.string(),
    moduleTitle: Localized,
    goal: z.string(),
    steps: z.array(z.object({ text: z.string(), date: z.string().nullable() })),
    support: z.string().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('occupation'),
    occupationId: z.string(),
    title: Localized,
    note: z.string(),
  }),
  // A note the pupil's careers adviser marked for them (server/modules/advising).
  z.object({
    ...base,
    kind: z.literal('adviser-note'),
    text: z.string(),
    adviserName: z.string().nullable(),
  }),
]);
export type JourneyItem = z.infer<typeof JourneyItem>;

/** GET /api/journey: newest first. */
export const Journey = z.object({ items: z.array(JourneyItem) });
export type Journey = z.infer<typeof Journey>;

/** PATCH /api/journey/reflections */
export const SetReflectionPrivacy = z.strictObject({ ref: ReflectionRef, private: z.boolean() });
export type SetReflectionPrivacy = z.infer<typeof SetReflectionPrivacy>;

/**
 * GET /api/journey.pdf. The PDF is for applications, so private reflection texts stay out unless the pupil ticks
 * "include private reflections" (`includePrivate=true`); the language defaults to the session's.
 */
export const JourneyPdfQuery = z.strictObject({
  includePrivate: z.enum(['true', 'false']).default('false'),
  lang: z.enum(['en', 'nl']).optional(),
});
export type JourneyPdfQuery = z.infer<typeof JourneyPdfQuery>;
