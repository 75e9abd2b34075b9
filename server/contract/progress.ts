/**
 * Pupils doing modules: the answer of every activity type, the autosave request and response, the attempt view,
 * module completion and the pupil's home list. Shared by the progress API and the activity player.
 *
 * The shapes here are structural only. Whether an id exists in the activity (an option, card, category,
 * statement, field, scenario choice) is checked by the server against the module version the pupil works on,
 * and answers a 400 `answer_mismatch` with the reason.
 */
import { z } from 'zod';

export const ProgressLimits = {
  /** Any free text a pupil types: a reflection response, a long research field. */
  text: 5000,
  shortText: 300,
  url: 2000,
  planGoal: 1000,
  planStep: 500,
  planSupport: 1000,
  occupationNote: 1000,
  ratingComment: 1000,
  /** Upper bound on ids in one answer (the curriculum allows at most 16 cards, 20 scenario nodes). */
  maxIds: 64,
  maxPlanSteps: 10,
} as const;

const Id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(80);
const IdMap = <T extends z.ZodType>(value: T) =>
  z.record(Id, value).refine((r) => Object.keys(r).length <= ProgressLimits.maxIds, 'too many entries');
const Text = (max: number) => z.string().max(max, `must be at most ${String(max)} characters`);

export const ReflectionAnswer = z.strictObject({
  type: z.literal('reflection'),
  /** Per prompt id. A private response's text is shown to the pupil only. */
  responses: IdMap(z.strictObject({ text: Text(ProgressLimits.text), private: z.boolean().default(false) })),
});
export type ReflectionAnswer = z.infer<typeof ReflectionAnswer>;

export const ChoiceAnswer = z.strictObject({
  type: z.literal('choice'),
  /** Selected option ids; a `single` mode activity takes exactly one. */
  selected: z.array(Id).min(1).max(ProgressLimits.maxIds),
});
export type ChoiceAnswer = z.infer<typeof ChoiceAnswer>;

export const PictureChoiceAnswer = ChoiceAnswer.extend({ type: z.literal('picture-choice') });
export type PictureChoiceAnswer = z.infer<typeof PictureChoiceAnswer>;

export const SortAnswer = z.strictObject({
  type: z.literal('sort'),
  /** cardId → categoryId. Unplaced cards are left out. */
  placements: IdMap(Id),
});
export type SortAnswer = z.infer<typeof SortAnswer>;

export const ScaleAnswer = z.strictObject({
  type: z.literal('scale'),
  /** statementId → rating: 1..3 for `faces`, 1..5 for `numbers` (the server checks the range per style). */
  ratings: IdMap(z.number().int().min(1).max(5)),
});
export type ScaleAnswer = z.infer<typeof ScaleAnswer>;

export const ScenarioAnswer = z.strictObject({
  type: z.literal('scenario'),
  /** The choice ids taken from the start node, in order; must follow the scenario's graph. */
  path: z.array(Id).max(ProgressLimits.maxIds),
});
export type ScenarioAnswer = z.infer<typeof ScenarioAnswer>;

export const SavedOccupation = z.strictObject({
  uri: z.url().max(ProgressLimits.url),
  title: Text(ProgressLimits.shortText).min(1),
  note: Text(ProgressLimits.occupationNote).optional(),
});
export type SavedOccupation = z.infer<typeof SavedOccupation>;

export const ResearchAnswer = z.strictObject({
  type: z.literal('research'),
  /** fieldId → value. `short` fields take up to 300 characters, `url` fields a URL, `number` fields a number. */
  fields: IdMap(Text(ProgressLimits.text)),
  /** An occupation saved from the careers explorer. */
  occupation: SavedOccupation.nullable().optional(),
});
export type ResearchAnswer = z.infer<typeof ResearchAnswer>;

export const ExperienceAnswer = z.strictObject({
  type: z.literal('experience'),
  /** The experiential-log entry this activity points at; null until the pupil links one. */
  logEntryId: z.string().min(1).max(100).nullable(),
});
export type ExperienceAnswer = z.infer<typeof ExperienceAnswer>;

export const PlanStep = z.strictObject({
  text: Text(ProgressLimits.planStep),
  /** yyyy-mm-dd. */
  date: z.iso.date().nullable().optional(),
});
export const PlanAnswer = z.strictObject({
  type: z.literal('plan'),
  goal: Text(ProgressLimits.planGoal),
  steps: z.array(PlanStep).max(ProgressLimits.maxPlanSteps),
  support: Text(ProgressLimits.planSupport).optional(),
});
export type PlanAnswer = z.infer<typeof PlanAnswer>;

export const Answer = z.discriminatedUnion('type', [
  ReflectionAnswer,
  ChoiceAnswer,
  PictureChoiceAnswer,
  SortAnswer,
  ScaleAnswer,
  ScenarioAnswer,
  ResearchAnswer,
  ExperienceAnswer,
  PlanAnswer,
]);
export type Answer = z.infer<typeof Answer>;

/** PUT /api/progress/modules/:moduleId/activities/:activityId */
export const SaveAnswer = z.strictObject({
  answer: Answer,
  /**
   * Increases with every save the client makes for this activity. A retry sends the same seq and gets the same
   * result; a save older than the one stored is acknowledged but never overwrites it.
   */
  clientSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type SaveAnswer = z.infer<typeof SaveAnswer>;

export const ProgressParams = z.strictObject({
  moduleId: Id,
  activityId: Id.optional(),
});

export const Localized = z.object({ en: z.string(), nl: z.string() });

export const ActivityStatus = z.enum(['not_started', 'in_progress', 'completed']);
export type ActivityStatus = z.infer<typeof ActivityStatus>;

/** Authored feedback for the chosen options (choice, picture-choice) or the choices taken (scenario). */
export const Feedback = z.object({
  id: z.string(),
  text: Localized,
  /** Present only where the option has a right answer. */
  correct: z.boolean().optional(),
});
export type Feedback = z.infer<typeof Feedback>;

/** Scored items right out of scored items (correct options, correct placements, a considered ending). */
export const Score = z.object({ correct: z.number().int(), total: z.number().int() });
export type Score = z.infer<typeof Score>;

export const SaveResult = z.object({
  savedAt: z.iso.datetime(),
  /** The seq now stored; greater than the one sent when a newer save had already arrived. */
  seq: z.number().int(),
  status: z.enum(['in_progress', 'completed']),
  feedback: z.array(Feedback).optional(),
  score: Score.optional(),
  /** The module's state after this save. */
  moduleStatus: z.enum(['in_progress', 'completed']),
});
export type SaveResult = z.infer<typeof SaveResult>;

export const ActivityProgress = z.object({
  id: z.string(),
  type: z.string(),
  status: ActivityStatus,
  answer: Answer.optional(),
  seq: z.number().int().optional(),
  savedAt: z.iso.datetime().optional(),
  feedback: z.array(Feedback).optional(),
  score: Score.optional(),
});
export type ActivityProgress = z.infer<typeof ActivityProgress>;

/** GET /api/progress/modules/:moduleId: the pupil's attempt at the version they started, or a fresh one. */
export const AttemptView = z.object({
  moduleId: z.string(),
  moduleVersion: z.number().int(),
  status: ActivityStatus,
  activities: z.array(ActivityProgress),
  /** Where to resume: the first activity not completed (or the last one when all are). */
  resumeActivityId: z.string(),
  startedAt: z.iso.datetime().optional(),
  completedAt: z.iso.datetime().optional(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: z.string().optional(),
  /** The module's score, 0..100 (see the completion rule in server/modules/progress/service.ts). */
  score: z.number().optional(),
});
export type AttemptView = z.infer<typeof AttemptView>;

/** POST /api/progress/modules/:moduleId/complete ("was this useful?"). Sending it again updates the rating. */
export const CompleteModule = z.strictObject({
  rating: z.number().int().min(1).max(5).optional(),
  comment: Text(ProgressLimits.ratingComment).optional(),
});
export type CompleteModule = z.infer<typeof CompleteModule>;

export const MyModule = z.object({
  moduleId: z.string(),
  /** The version started, or the current one. */
  moduleVersion: z.number().int(),
  stage: z.string(),
  title: Localized,
  summary: Localized,
  minutes: z.number().int(),
  /** Assigned by a teacher (deep link or assignment) in one of the pupil's classes. */
  assigned: z.boolean(),
  dueAt: z.iso.datetime().nullable(),
  status: ActivityStatus,
  activitiesDone: z.number().int(),
  activitiesTotal: z.number().int(),
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
});
export type MyModule = z.infer<typeof MyModule>;

/** GET /api/progress/me: assigned, started and completed modules (assigned first, by due date), and what next. */
export const MyProgress = z.object({
  modules: z.array(MyModule),
  /** Suggested next module: an unfinished assigned one, else one in progress, else one from the pupil's stage. */
  next: z.string().nullable(),
  /** The pupil's stage (S1..S5) from their year group, for "explore modules of my stage" (GET /api/modules?stage=). */
  stage: z.string().nullable(),
});
export type MyProgress = z.infer<typeof MyProgress>;
