/**
 * The teacher's class view: the class overview (roster with progress per pupil, module and activity; who is
 * stuck), in-Waymark assignments with an optional due date, a pupil's answers for the teacher (private reflection
 * texts left out), the teacher's feedback on a pupil's module work, and the progress CSV.
 */
import { z } from 'zod';
import {
  ChoiceAnswer,
  ExperienceAnswer,
  Localized,
  PictureChoiceAnswer,
  PlanAnswer,
  ResearchAnswer,
  ScaleAnswer,
  ScenarioAnswer,
  SortAnswer,
} from './progress.js';

const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');
const ModuleId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a module id')
  .max(80);

export const ClassesLimits = {
  feedback: 2000,
  /**
   * "Who is stuck" (documented rule): a pupil is stuck on an assigned module they have not completed when they
   * started it more than `stuckAfterDays` days ago, or when its due date has passed.
   */
  stuckAfterDays: 7,
} as const;

export const ClassParams = z.strictObject({ id: ObjectId });
export const AssignmentParams = z.strictObject({ id: ObjectId, moduleId: ModuleId });
export const PupilModuleParams = z.strictObject({ id: ObjectId, pupilId: ObjectId, moduleId: ModuleId });
export const FeedbackParams = z.strictObject({ moduleId: ModuleId });

/** POST /api/classes/:id/assignments: assigns a module (or changes its due date when it is assigned already). */
export const AssignModule = z.strictObject({
  moduleId: ModuleId,
  /** yyyy-mm-dd, the last day to finish it; the module is due at the end of that day (UTC). */
  dueDate: z.iso.date().nullable().optional(),
});
export type AssignModule = z.infer<typeof AssignModule>;

/** POST /api/classes/:id/pupils/:pupilId/modules/:moduleId/feedback */
export const CreateFeedback = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1, 'write some feedback')
    .max(ClassesLimits.feedback, `must be at most ${String(ClassesLimits.feedback)} characters`),
});
export type CreateFeedback = z.infer<typeof CreateFeedback>;

export const ProgressStatus = z.enum(['not_started', 'in_progress', 'completed']);
export type ProgressStatus = z.infer<typeof ProgressStatus>;

export const AssignmentView = z.object({
  moduleId: z.string(),
  dueAt: z.iso.datetime().nullable(),
  assignedAt: z.iso.datetime(),
});
export type AssignmentView = z.infer<typeof AssignmentView>;

export const ClassModule = z.object({
  moduleId: z.string(),
  version: z.number().int(),
  stage: z.string(),
  title: Localized,
  activities: z.array(z.object({ id: z.string(), type: z.string(), title: Localized })),
  /** Placed in the LMS (a resource link opening this module). */
  viaLms: z.boolean(),
  /** Assigned inside Waymark; null when only placed in the LMS. */
  assignment: AssignmentView.nullable(),
});
export type ClassModule = z.infer<typeof ClassModule>;

export const PupilModuleProgress = z.object({
  moduleId: z.string(),
  status: ProgressStatus,
  activitiesDone: z.number().int(),
  activitiesTotal: z.number().int(),
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  /** 0..100 once completed. */
  score: z.number().nullable(),
  stuck: z.enum(['started_long_ago', 'overdue']).nullable(),
  activities: z.array(
    z.object({
      id: z.string(),
      status: ProgressStatus,
      completedAt: z.iso.datetime().nullable(),
      score: z.object({ correct: z.number().int(), total: z.number().int() }).nullable(),
    }),
  ),
});
export type PupilModuleProgress = z.infer<typeof PupilModuleProgress>;

export const ClassPupil = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** False for pupils the LMS roster (NRPS) listed who have not opened Waymark yet. */
  launched: z.boolean(),
  fromRoster: z.boolean(),
  stuck: z.boolean(),
  modules: z.array(PupilModuleProgress),
});
export type ClassPupil = z.infer<typeof ClassPupil>;

/** GET /api/classes/:id/overview */
export const ClassOverview = z.object({
  class: z.object({
    id: z.string(),
    title: z.string().nullable(),
    label: z.string().nullable(),
    yearGroup: z.string().nullable(),
  }),
  stuckAfterDays: z.number().int(),
  modules: z.array(ClassModule),
  pupils: z.array(ClassPupil),
  counts: z.object({
    pupils: z.number().int(),
    notLaunched: z.number().int(),
    stuck: z.number().int(),
    completed: z.number().int(),
    inProgress: z.number().int(),
    notStarted: z.number().int(),
  }),
});
export type ClassOverview = z.infer<typeof ClassOverview>;

/** A reflection as a teacher sees it: a private response keeps only the fact that it exists (text null). */
export const SharedReflectionAnswer = z.object({
  type: z.literal('reflection'),
  responses: z.record(z.string(), z.object({ text: z.string().nullable(), private: z.boolean() })),
});

export const SharedAnswer = z.discriminatedUnion('type', [
  SharedReflectionAnswer,
  ChoiceAnswer,
  PictureChoiceAnswer,
  SortAnswer,
  ScaleAnswer,
  ScenarioAnswer,
  ResearchAnswer,
  ExperienceAnswer,
  PlanAnswer,
]);
export type SharedAnswer = z.infer<typeof SharedAnswer>;

export const FeedbackView = z.object({
  id: z.string(),
  text: z.string(),
  authorName: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type FeedbackView = z.infer<typeof FeedbackView>;

/** GET /api/classes/:id/pupils/:pupilId/modules/:moduleId */
export const PupilModuleWork = z.object({
  pupil: z.object({ id: z.string(), name: z.string().nullable() }),
  moduleId: z.string(),
  moduleVersion: z.number().int(),
  status: ProgressStatus,
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  score: z.number().nullable(),
  rating: z.number().int().nullable(),
  activities: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      status: ProgressStatus,
      savedAt: z.iso.datetime().nullable(),
      answer: SharedAnswer.nullable(),
    }),
  ),
  feedback: z.array(FeedbackView),
});
export type PupilModuleWork = z.infer<typeof PupilModuleWork>;

/** GET /api/feedback/modules/:moduleId: the signed-in pupil's teacher feedback on a module, newest first. */
export const MyFeedback = z.object({ feedback: z.array(FeedbackView) });
export type MyFeedback = z.infer<typeof MyFeedback>;
