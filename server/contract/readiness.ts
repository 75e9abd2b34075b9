/**
 * The pupil's readiness check (S3–S5 statements on a 1–5 scale; S1–S2 a pictorial faces check) and what the pupil
 * sees afterwards. The pupil's view is deliberately kind and non-labelling: it names strengths and things to
 * explore, never a level of help, a band or a score (see docs/readiness.md). Staff see the full result through
 * the adviser review (server/contract/advising.ts).
 */
import { z } from 'zod';

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(80);

export const ReadinessLimits = { maxAnswers: 100 } as const;

/** The instrument for the pupil's stage, in one language (the strings a pupil reads, nothing about scoring). */
export const PupilInstrument = z.object({
  kind: z.enum(['check', 'pictorial']),
  id: z.string(),
  version: z.number(),
  stage: z.string(),
  lang: z.enum(['en', 'nl']),
  title: z.string(),
  intro: z.string(),
  /** Answer options: 1–5 agreement labels (check) or three faces (pictorial; `picture` is decorative). */
  options: z.array(z.object({ value: z.number(), label: z.string(), picture: z.string().nullable() })),
  items: z.array(z.object({ id: z.string(), text: z.string(), picture: z.string().nullable() })),
});
export type PupilInstrument = z.infer<typeof PupilInstrument>;

export const InstrumentQuery = z.strictObject({ lang: z.enum(['en', 'nl']).optional() });

/** A submitted check. `clientId` (chosen by the page once per attempt) makes a retried submit record it once. */
export const SubmitReadiness = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _'),
  answers: z
    .record(Slug, z.number().int())
    .refine((a) => Object.keys(a).length <= ReadinessLimits.maxAnswers, { error: 'too many answers' }),
});
export type SubmitReadiness = z.infer<typeof SubmitReadiness>;

const Localized = z.object({ en: z.string(), nl: z.string() });

/** What the pupil sees after a check: no level, band or score. */
export const PupilReadinessSummary = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(['check', 'pictorial']),
  stage: z.string(),
  /** Up to three competencies the pupil feels most sure about (check only). */
  strengths: z.array(z.object({ id: z.string(), title: Localized })),
  /** Up to three competencies to explore next, framed as growth (check only). */
  toExplore: z.array(z.object({ id: z.string(), title: Localized })),
  answered: z.number(),
  total: z.number(),
});
export type PupilReadinessSummary = z.infer<typeof PupilReadinessSummary>;

export const ReadinessHistory = z.object({ results: z.array(PupilReadinessSummary) });
export type ReadinessHistory = z.infer<typeof ReadinessHistory>;
