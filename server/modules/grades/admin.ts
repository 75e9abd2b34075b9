/**
 * Operator view of the grade-passback queue: failed score jobs with the platform's last error, and retrying one.
 * Admin tooling works across schools (the operator is not a tenant), so cross-school reads go through the raw
 * collection, like the queue worker; a school filter narrows them.
 */
import { Types } from 'mongoose';
import type { ListFailedScoreJobs, RetryScoreJob, ScoreJobView } from '../../contract/score-jobs.js';
import type { Models } from '../../db/models.js';
import { conflict, notFound } from '../../errors.js';

interface ScoreJobRaw {
  _id: Types.ObjectId;
  schoolId: string;
  platformId: string;
  resourceLinkId: string;
  userId: string;
  status: 'pending' | 'sent' | 'failed';
  attempts?: number;
  lastError?: string;
  label?: string;
  nextAttemptAt?: Date;
  updatedAt?: Date;
}

const PROJECTION = {
  schoolId: 1,
  platformId: 1,
  resourceLinkId: 1,
  userId: 1,
  status: 1,
  attempts: 1,
  lastError: 1,
  label: 1,
  nextAttemptAt: 1,
  updatedAt: 1,
} as const;

/** The allow-listed view of a job (no score, no platform user id). */
export function presentScoreJob(job: ScoreJobRaw): ScoreJobView {
  return {
    id: job._id.toHexString(),
    schoolId: job.schoolId,
    platformId: job.platformId,
    resourceLinkId: job.resourceLinkId,
    userId: job.userId,
    status: job.status,
    attempts: job.attempts ?? 0,
    lastError: job.lastError ?? null,
    label: job.label ?? null,
    nextAttemptAt: job.nextAttemptAt ? job.nextAttemptAt.toISOString() : null,
    updatedAt: job.updatedAt ? job.updatedAt.toISOString() : null,
  };
}

/** Jobs the worker gave up on (status failed), most recently failed first; at most `limit`. */
export async function listFailedScoreJobs(models: Models, input: ListFailedScoreJobs = {}, limit = 500): Promise<ScoreJobView[]> {
  const filter = { status: 'failed', ...(input.schoolId ? { schoolId: input.schoolId } : {}) };
  const jobs = await models.ScoreJob.collection
    .find<ScoreJobRaw>(filter, { projection: PROJECTION })
    .sort({ updatedAt: -1 })
    .limit(limit)
    .toArray();
  return jobs.map(presentScoreJob);
}

/**
 * Puts a failed job back in the queue: status pending, due now, attempts counted afresh. The last error stays
 * until a send succeeds. Only failed jobs can be retried (a pending one is already queued, a sent one is done).
 * @throws AppError 404 not_found (job); 409 job_not_failed.
 */
export async function retryScoreJob(models: Models, input: RetryScoreJob, now: Date = new Date()): Promise<ScoreJobView> {
  const _id = new Types.ObjectId(input.id);
  const job = await models.ScoreJob.collection.findOneAndUpdate(
    { _id, status: 'failed' },
    { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: new Date(0), updatedAt: now } },
    { returnDocument: 'after', projection: PROJECTION },
  );
  if (job) return presentScoreJob(job as unknown as ScoreJobRaw);
  const existing = await models.ScoreJob.collection.findOne<ScoreJobRaw>({ _id }, { projection: { status: 1 } });
  if (!existing) throw notFound('score job');
  throw conflict('job_not_failed', `This job is ${existing.status}, not failed; only failed jobs can be retried.`);
}
