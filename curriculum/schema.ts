/**
 * The curriculum's data contract. Every built-in module file (curriculum/modules/<stage>/<slug>.json)
 * and every school-authored module stored in MongoDB is parsed with `Module` before use.
 *
 * Structural rules live here (shapes, enums, per-type fields). Cross-file rules (unique ids, references to
 * competencies and indicators, crosswalk codes, translations, reading level, repeated text) live in `check.ts`,
 * because they need the whole curriculum in view.
 */
import { z } from 'zod';

export const LANGUAGES = ['en', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Text in every supported language. An empty or missing language is a validation error. */
export const LocalizedText = z.strictObject({
  en: z
    .string({ error: (iss) => (iss.input === undefined ? 'English text is missing' : 'English text must be a string') })
    .trim()
    .min(1, 'English text is missing'),
  nl: z
    .string({ error: (iss) => (iss.input === undefined ? 'Dutch text is missing' : 'Dutch text must be a string') })
    .trim()
    .min(1, 'Dutch text is missing'),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

export const STAGE_IDS = ['S1', 'S2', 'S3', 'S4', 'S5'] as const;
export const StageId = z.enum(STAGE_IDS);
export type StageId = z.infer<typeof StageId>;

export const LEARNING_STAGES = ['acquisition', 'application', 'personalisation', 'actualisation'] as const;
export const LearningStage = z.enum(LEARNING_STAGES);
export type LearningStage = z.infer<typeof LearningStage>;

export const SUBJECTS = [
  'maths',
  'language',
  'science',
  'pe',
  'arts',
  'music',
  'history',
  'geography',
  'citizenship',
  'technology',
  'computing',
  'modern-languages',
  'pshe',
  'economics',
  'religious-education',
  'tutor-time',
] as const;
export const Subject = z.enum(SUBJECTS);
export type Subject = z.infer<typeof Subject>;

/** Kuijpers' five career questions (loopbaancompetenties), used by `experience` reflection prompts. */
export const KUIJPERS_QUESTIONS = ['qualities', 'motives', 'work-exploration', 'career-steering', 'networking'] as const;
export const KuijpersQuestion = z.enum(KUIJPERS_QUESTIONS);

/** Encounter types of the experiential-learning log (mapped to Gatsby and Dutch LOB in encounter-types.json). */
export const ENCOUNTER_TYPES = [
  'employer-talk',
  'workplace-visit',
  'job-shadowing',
  'work-experience',
  'volunteering',
  'enterprise-project',
  'careers-fair',
  'role-model-talk',
  'virtual-encounter',
] as const;
export const EncounterType = z.enum(ENCOUNTER_TYPES);
export type EncounterType = z.infer<typeof EncounterType>;

/** Stable ids: lowercase words joined by hyphens, optionally prefixed by a stage (s1-...). */
export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and hyphens (a slug)')
  .max(80);

/** Indicator ids look like `self-concept.S1.2`: competency id, stage, number. */
export const IndicatorId = z.string().regex(/^[a-z-]+\.S[1-5]\.[1-9]$/, 'must look like <competency>.<stage>.<n>');

/** A picture for early readers: an emoji (rendered large, with the label as its accessible name). */
export const Picture = z.string().min(1).max(16);

const activityBase = {
  id: Slug,
  title: LocalizedText,
  /** The mastery level (Blueprint learning stage) this activity evidences. */
  learningStage: LearningStage,
  /** Competency ids this activity evidences; must be among the module's competencies. Defaults to all of them. */
  competencies: z.array(Slug).optional(),
  /** Short instruction shown above the activity. */
  instructions: LocalizedText.optional(),
};

export const ReflectionActivity = z.strictObject({
  ...activityBase,
  type: z.literal('reflection'),
  prompts: z
    .array(
      z.strictObject({
        id: Slug,
        text: LocalizedText,
        /** A hint or sentence starter shown inside the empty box. */
        starter: LocalizedText.optional(),
        /** Whether the pupil may mark this answer private (only the pupil sees its text). */
        privateAllowed: z.boolean().default(true),
      }),
    )
    .min(1)
    .max(6),
  completion: z.strictObject({ rule: z.literal('all-prompts-answered') }),
});

const ChoiceOption = z.strictObject({
  id: Slug,
  label: LocalizedText,
  /** Authored feedback shown when this option is chosen. */
  feedback: LocalizedText,
  /** Present only for questions with a right answer; opinion questions leave it out. */
  correct: z.boolean().optional(),
});

export const ChoiceActivity = z.strictObject({
  ...activityBase,
  type: z.literal('choice'),
  mode: z.enum(['single', 'multiple']),
  question: LocalizedText,
  options: z.array(ChoiceOption).min(2).max(8),
  completion: z.strictObject({ rule: z.literal('answered') }),
  scoring: z.strictObject({ method: z.literal('correct-options') }).optional(),
});

export const PictureChoiceActivity = z.strictObject({
  ...activityBase,
  type: z.literal('picture-choice'),
  mode: z.enum(['single', 'multiple']),
  question: LocalizedText,
  options: z
    .array(ChoiceOption.extend({ picture: Picture }))
    .min(2)
    .max(8),
  completion: z.strictObject({ rule: z.literal('answered') }),
  scoring: z.strictObject({ method: z.literal('correct-options') }).optional(),
});

export const SortActivity = z.strictObject({
  ...activityBase,
  type: z.literal('sort'),
  categories: z
    .array(z.strictObject({ id: Slug, label: LocalizedText, picture: Picture.optional() }))
    .min(2)
    .max(5),
  cards: z
    .array(
      z.strictObject({
        id: Slug,
        label: LocalizedText,
        picture: Picture.optional(),
        /** The expected category; leave out for open sorts where any placement is valid. */
        category: Slug.optional(),
      }),
    )
    .min(3)
    .max(16),
  completion: z.strictObject({ rule: z.literal('all-cards-placed') }),
  scoring: z.strictObject({ method: z.literal('correct-placements') }).optional(),
});

export const ScaleActivity = z.strictObject({
  ...activityBase,
  type: z.literal('scale'),
  /** `faces` for early readers (pictorial 3-point), `numbers` for a labelled 1-5 scale. */
  style: z.enum(['faces', 'numbers']),
  statements: z
    .array(
      z.strictObject({
        id: Slug,
        text: LocalizedText,
        /** Interest tags let the careers explorer suggest occupations from high self-ratings. */
        interest: z
          .string()
          .regex(/^[a-z-]+$/)
          .optional(),
      }),
    )
    .min(2)
    .max(12),
  anchors: z.strictObject({ low: LocalizedText, high: LocalizedText }),
  completion: z.strictObject({ rule: z.literal('all-rated') }),
  scoring: z.strictObject({ method: z.literal('self-rating') }).optional(),
});

const ScenarioNode = z.strictObject({
  id: Slug,
  text: LocalizedText,
  /** Choices lead to other nodes; an end node has none. */
  choices: z
    .array(
      z.strictObject({
        id: Slug,
        label: LocalizedText,
        next: Slug,
        feedback: LocalizedText.optional(),
      }),
    )
    .max(4)
    .default([]),
  /** End nodes carry a closing message and whether the path is a considered one. */
  end: z.strictObject({ message: LocalizedText, considered: z.boolean() }).optional(),
});

export const ScenarioActivity = z.strictObject({
  ...activityBase,
  type: z.literal('scenario'),
  start: Slug,
  nodes: z.array(ScenarioNode).min(3).max(20),
  completion: z.strictObject({ rule: z.literal('end-reached') }),
  scoring: z.strictObject({ method: z.literal('considered-ending') }).optional(),
});

export const ResearchActivity = z.strictObject({
  ...activityBase,
  type: z.literal('research'),
  /** What the pupil researches. `occupation` activities can open the careers explorer. */
  subject: z.enum(['occupation', 'course', 'employer', 'route']),
  openExplorer: z.boolean().default(false),
  fields: z
    .array(
      z.strictObject({
        id: Slug,
        label: LocalizedText,
        kind: z.enum(['short', 'long', 'number', 'url']),
        required: z.boolean(),
        help: LocalizedText.optional(),
      }),
    )
    .min(2)
    .max(10),
  completion: z.strictObject({ rule: z.literal('required-fields') }),
});

export const ExperienceActivity = z.strictObject({
  ...activityBase,
  type: z.literal('experience'),
  /** Encounter types this activity accepts (the log entry's type must be one of these). */
  encounterTypes: z.array(EncounterType).min(1),
  /** Preparation shown before the encounter (the Gatsby "meaningful encounter" checklist builds on it). */
  preparation: LocalizedText,
  /** Reflection prompts following Kuijpers' five career questions; every prompt names its question. */
  prompts: z
    .array(z.strictObject({ id: Slug, question: KuijpersQuestion, text: LocalizedText }))
    .min(2)
    .max(5),
  completion: z.strictObject({ rule: z.literal('log-entry-reflected') }),
});

export const PlanActivity = z.strictObject({
  ...activityBase,
  type: z.literal('plan'),
  goalPrompt: LocalizedText,
  stepPrompt: LocalizedText,
  minSteps: z.number().int().min(1).max(5),
  maxSteps: z.number().int().min(1).max(10),
  datesRequired: z.boolean(),
  /** Who can help: a prompt for naming a person or service (optional). */
  supportPrompt: LocalizedText.optional(),
  completion: z.strictObject({ rule: z.literal('goal-and-steps') }),
});

export const Activity = z.discriminatedUnion('type', [
  ReflectionActivity,
  ChoiceActivity,
  PictureChoiceActivity,
  SortActivity,
  ScaleActivity,
  ScenarioActivity,
  ResearchActivity,
  ExperienceActivity,
  PlanActivity,
]);
export type Activity = z.infer<typeof Activity>;
export const ACTIVITY_TYPES = [
  'reflection',
  'choice',
  'picture-choice',
  'sort',
  'scale',
  'scenario',
  'research',
  'experience',
  'plan',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const Crosswalk = z.strictObject({
  /** UK CDI Career Development Framework learning areas (CDI-1..CDI-6). */
  cdi: z.array(z.string()).min(1),
  /** Gatsby Benchmarks (GB1..GB8). */
  gatsby: z.array(z.string()).min(1),
  /** ASCA Mindsets & Behaviors (e.g. "M 4", "B-SS 6"). */
  asca: z.array(z.string()).min(1),
  /** Dutch loopbaancompetenties (KR, MR, WE, LS, NW). */
  nlLob: z.array(z.string()).min(1),
});
export type Crosswalk = z.infer<typeof Crosswalk>;

export const Module = z.strictObject({
  /** Never changes once published. Convention: `<stage>-<slug>`, e.g. `s1-things-i-am-good-at`. */
  id: Slug,
  /** Increases by one with every published change. Progress records keep the version a pupil did. */
  version: z.number().int().min(1),
  stage: StageId,
  title: LocalizedText,
  /** Pupil-facing summary: what you will do and why. */
  summary: LocalizedText,
  minutes: z.number().int().min(20).max(45),
  competencies: z
    .array(
      z.strictObject({
        id: Slug,
        /** Indicators of this competency at this module's stage (see curriculum/indicators/<stage>.json). */
        indicators: z.array(IndicatorId).min(1),
        primary: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(3),
  outcomes: z.array(LocalizedText).min(1).max(5),
  teacherNotes: z.strictObject({
    /** How to run it in a lesson, step by step. */
    lessonPlan: LocalizedText,
    /** Ordinary subjects this module can live in. */
    subjects: z.array(Subject).min(1),
    /** How it connects to those subjects. */
    subjectLinks: LocalizedText,
    differentiation: LocalizedText,
    /** Anything sensitive to watch for (optional). */
    safeguarding: LocalizedText.optional(),
  }),
  extension: LocalizedText.optional(),
  crosswalk: Crosswalk,
  activities: z.array(Activity).min(3).max(7),
});
export type Module = z.infer<typeof Module>;

/** Indicators per stage: curriculum/indicators/<stage>.json. */
export const IndicatorFile = z.strictObject({
  stage: StageId,
  indicators: z.array(z.strictObject({ id: IndicatorId, competency: Slug, text: LocalizedText })).min(11),
});
export type IndicatorFile = z.infer<typeof IndicatorFile>;

export const CompetencyFile = z.strictObject({
  $comment: z.string().optional(),
  areas: z.array(z.strictObject({ id: Slug, title: LocalizedText })).length(3),
  learningStages: z
    .array(z.strictObject({ id: LearningStage, order: z.number().int(), title: LocalizedText, description: LocalizedText }))
    .length(4),
  competencies: z
    .array(
      z.strictObject({
        id: Slug,
        number: z.number().int().min(1).max(11),
        area: Slug,
        title: LocalizedText,
        summary: LocalizedText,
      }),
    )
    .length(11),
});
export type CompetencyFile = z.infer<typeof CompetencyFile>;
