/** Operator view of the grade-passback queue (ScoreJob): failed jobs and retries. */
import { z } from 'zod';
import { SchoolId } from './schools.js';

export const ListFailedScoreJobs = z.strictObject({ schoolId: SchoolId.optional() });
export type ListFailedScoreJobs = z.infer<typeof ListFailedScoreJobs>;

export const RetryScoreJob = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be a job id (24 hex characters)') });
export type RetryScoreJob = z.infer<typeof RetryScoreJob>;

/** A job as admins see it: ids and the platform's error, no pupil names or platform user ids. */
export const ScoreJobView = z.object({
  id: z.string(),
  schoolId: z.string(),
  platformId: z.string(),
  resourceLinkId: z.string(),
  userId: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  label: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ScoreJobView = z.infer<typeof ScoreJobView>;
