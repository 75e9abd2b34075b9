/** Export, erasure and retention: request shapes, defaults and limits shared by the API and the privacy page. */
import { z } from 'zod';

export const RETENTION_DEFAULTS = { destinationsYears: 4, learningYears: 1, accessLogMonths: 12 } as const;
export const RETENTION_LIMITS = {
  destinationsYears: { min: 1, max: 10 },
  learningYears: { min: 0, max: 10 },
  accessLogMonths: { min: 1, max: 120 },
} as const;

const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

export const PupilParams = z.strictObject({ pupilId: ObjectId });

/** POST /api/planner/pupils/:pupilId/erase: the pupil's id again, typed or picked on purpose. */
export const EraseRequest = z.strictObject({ confirm: ObjectId });

export const PupilSearch = z.strictObject({ q: z.string().trim().max(100).optional() });

const period = (k: keyof typeof RETENTION_LIMITS) =>
  z.number().int().min(RETENTION_LIMITS[k].min).max(RETENTION_LIMITS[k].max).optional();

/** PUT /api/planner/retention: any of the periods; absent ones stay as they are. */
export const SetRetention = z
  .strictObject({
    destinationsYears: period('destinationsYears'),
    learningYears: period('learningYears'),
    accessLogMonths: period('accessLogMonths'),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: 'give at least one period' });
export type SetRetention = z.infer<typeof SetRetention>;

export interface RetentionView {
  periods: { destinationsYears: number; learningYears: number; accessLogMonths: number };
  defaults: { destinationsYears: number; learningYears: number; accessLogMonths: number };
  limits: typeof RETENTION_LIMITS;
  lastRun: { at: string; counts: Record<string, number> } | null;
}

export interface ErasureView {
  pupilId: string;
  status: 'running' | 'done';
  requestedAt: string;
  completedAt: string | null;
  counts: Record<string, number>;
  /** What stays, and why (safeguarding records, staff audit): from the registry. */
  kept: { collection: string; reason: string }[];
}
