/**
 * Shapes of the curriculum's reference data: stages and year groups, crosswalk frameworks, encounter types and
 * reading-level thresholds. Module and indicator shapes live in schema.ts; readiness shapes in readiness.ts.
 */
import { z } from 'zod';
import { EncounterType, LANGUAGES, LearningStage, LocalizedText, Slug, StageId } from './schema.js';

export const SCHOOL_SYSTEMS = ['england', 'netherlands', 'us', 'canada', 'quebec'] as const;

/** Year-group codes: `<system>-<group>`, e.g. EN-Y7, NL-G5, NL-HAVO4, US-G9, CA-G10, QC-SEC3. */
export const YearGroupCode = z.string().regex(/^[A-Z]{2}-[A-Z0-9]+$/, 'must look like EN-Y7 or NL-G5');

const YearGroup = z.strictObject({
  code: YearGroupCode,
  system: z.enum(SCHOOL_SYSTEMS),
  label: LocalizedText,
  /** Usual age range during the year, e.g. "11-12". */
  typicalAge: z.string().regex(/^\d{1,2}-\d{1,2}$/),
});
export type YearGroup = z.infer<typeof YearGroup>;

export const StagesFile = z.strictObject({
  $comment: z.string().optional(),
  systems: z.array(z.strictObject({ id: z.enum(SCHOOL_SYSTEMS), title: LocalizedText })),
  stages: z
    .array(
      z.strictObject({
        id: StageId,
        ages: z.strictObject({ from: z.number().int(), to: z.number().int() }),
        title: LocalizedText,
        yearGroups: z.array(YearGroup).min(1),
      }),
    )
    .length(5),
  /** Year groups below S1 (Reception, groep 1): known codes that map to no stage. */
  unstaged: z.array(YearGroup),
});
export type StagesFile = z.infer<typeof StagesFile>;

export const FRAMEWORK_IDS = ['cdi', 'gatsby', 'asca', 'nl-lob', 'blueprint'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];
/** Which framework file each `Crosswalk` field is checked against. */
export const CROSSWALK_FRAMEWORK = { cdi: 'cdi', gatsby: 'gatsby', asca: 'asca', nlLob: 'nl-lob' } as const satisfies Record<
  string,
  FrameworkId
>;

export const FrameworkFile = z.strictObject({
  $comment: z.string().optional(),
  framework: z.string().min(1),
  version: z.string().min(1),
  publisher: z.string().min(1),
  source: z.array(z.string().min(1)).min(1),
  licence: z.string().min(1),
  items: z
    .array(
      z.strictObject({
        code: z.string().min(1),
        /** Short title only (a few words); never long copyrighted text. */
        title: z.string().min(1).max(120),
        titleEn: z.string().optional(),
        group: z.string().optional(),
        /** False: not seen in a listed source; re-check before showing it to users. */
        verified: z.boolean(),
        note: z.string().optional(),
        /** Blueprint items: the Waymark competency or learning stage they correspond to. */
        competency: Slug.optional(),
        learningStage: LearningStage.optional(),
      }),
    )
    .min(1),
});
export type FrameworkFile = z.infer<typeof FrameworkFile>;

export const EncounterTypesFile = z.strictObject({
  $comment: z.string().optional(),
  types: z
    .array(
      z.strictObject({
        id: EncounterType,
        title: LocalizedText,
        description: LocalizedText,
        /** Gatsby benchmarks this kind of encounter can evidence (GB5, GB6, GB7). */
        gatsby: z.array(z.string()).min(1),
        /** The usual Dutch LOB name of the activity (gastles, bedrijfsbezoek, meeloopdag, ...). */
        nlActivity: z.string().min(1),
        /** Whether a logged encounter of this type counts on the Gatsby dashboard. */
        countsAs: z.strictObject({ employerEncounter: z.boolean(), workplaceExperience: z.boolean() }),
        /** The condition a teacher confirms before it counts. */
        countsWhen: LocalizedText,
      }),
    )
    .min(1),
});
export type EncounterTypesFile = z.infer<typeof EncounterTypesFile>;

const Threshold = z.strictObject(
  Object.fromEntries(LANGUAGES.map((l) => [l, z.number()])) as Record<(typeof LANGUAGES)[number], z.ZodNumber>,
);

export const ReadingLevelsFile = z.strictObject({
  $comment: z.string().optional(),
  thresholds: z.partialRecord(StageId, Threshold),
});
export type ReadingLevelsFile = z.infer<typeof ReadingLevelsFile>;
