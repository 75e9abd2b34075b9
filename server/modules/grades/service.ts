/**
 * Grade passback (AGS 2.0): completions become score jobs in MongoDB; a worker in every server process sends
 * due jobs to the platform with retries and backoff. Failures stay visible to admins (`status: failed`).
 */
import { findOrCreateLineItem, LtiServiceError, postScore, Scopes, type AgsEndpoint, type Score } from '../../../lti/index.js';
import type { Types } from 'mongoose';
import type { Models } from '../../db/models.js';
import { notFound } from '../../errors.js';
import type { LtiRuntime } from '../lti/deps.js';
import type { Logger } from '../../log.js';

export interface CompletionScore {
  schoolId: string;
  /** Waymark resource link id (from the launch token). */
  resourceLinkId: string;
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  /** Attempt key: the same key updates the pending job rather than adding another. Default: one per link and pupil. */
  key?: string;
  comment?: string;
  at?: Date;
}

/** Backoff: 30 s, 1 min, 2 min … capped at 1 h, with ±20 % jitter. Gives up (failed) after MAX_ATTEMPTS. */
export const MAX_ATTEMPTS = 20;
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Queues a score for the LMS gradebook; does nothing when the placement has no AGS service.
 * @throws AppError 404 when the resource link or pupil is not in this school.
 */
export async function queueScore(models: Models, input: CompletionScore): Promise<{ queued: boolean }> {
  const link = await models.ResourceLink.findOne({ schoolId: input.schoolId, _id: input.resourceLinkId }).lean();
  if (!link) throw notFound('resource link');
  const user = await models.User.findOne({ schoolId: input.schoolId, _id: input.userId }).lean();
  if (!user) throw notFound('user');
  if (!link.ags?.lineItemUrl && !link.ags?.lineItemsUrl) return { queued: false };
  const at = input.at ?? new Date();
  const key = input.key ?? `${input.resourceLinkId}:${input.userId}`;
  await models.ScoreJob.updateOne(
    { schoolId: input.schoolId, key },
    {
      $set: {
        platformId: link.platformId,
        resourceLinkId: input.resourceLinkId,
        userId: input.userId,
        userSub: user.sub,
        score: {
          scoreGiven: input.scoreGiven,
          scoreMaximum: input.scoreMaximum,
          activityProgress: input.activityProgress,
          gradingProgress: input.gradingProgress,
          timestamp: at.toISOString(),
          ...(input.comment ? { comment: input.comment } : {}),
        },
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        ...(link.ags.lineItemUrl ? { lineItemUrl: link.ags.lineItemUrl } : {}),
        ...(link.title ? { label: link.title } : {}),
      },
      $unset: { lastError: 1 },
    },
    { upsert: true },
  );
  return { queued: true };
}

/** A job as read from the collection by the worker. */
interface LeasedJob {
  _id: Types.ObjectId;
  schoolId: string;
  platformId: string;
  resourceLinkId: string;
  userSub: string;
  attempts: number;
  lineItemUrl?: string;
  label?: string;
  score: Omit<Score, 'userId'> & { scoreMaximum: number };
}

export interface ScoreWorkerDeps {
  models: Models;
  runtime: Pick<LtiRuntime, 'registrations' | 'tokens' | 'fetch' | 'clock'>;
  logger: Logger;
  leaseMs?: number;
}

/**
 * Sends due score jobs until none is due (or `max` were handled). Each job is leased with an atomic update,
 * so concurrent workers in several processes never send the same job at the same time.
 */
export async function processScoreJobs(
  deps: ScoreWorkerDeps,
  max = 100,
): Promise<{ sent: number; retried: number; failed: number }> {
  const { models, runtime, logger } = deps;
  const counts = { sent: 0, retried: 0, failed: 0 };
  for (let i = 0; i < max; i += 1) {
    const now = runtime.clock.now();
    // Worker across all schools: the filter is on the queue, not on a tenant.
    const job = (await models.ScoreJob.collection.findOneAndUpdate(
      { status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } },
      { $set: { leaseUntil: new Date(now.getTime() + (deps.leaseMs ?? 60_000)) }, $inc: { attempts: 1 } },
      { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
    )) as LeasedJob | null;
    if (!job) break;
    const id = job._id;
    try {
      const registration = await runtime.registrations.findById(job.platformId);
      if (!registration) throw new Error('platform registration no longer exists');
      const link = await models.ResourceLink.findOne({ schoolId: job.schoolId, _id: job.resourceLinkId }).lean();
      if (!link) throw new Error('resource link no longer exists');
      const ags: AgsEndpoint = {
        scope: link.ags?.scope ?? [],
        ...(link.ags?.lineItemsUrl ? { lineItemsUrl: link.ags.lineItemsUrl } : {}),
        ...(link.ags?.lineItemUrl ? { lineItemUrl: link.ags.lineItemUrl } : {}),
      };
      const call = { fetch: runtime.fetch, clock: runtime.clock, tokens: runtime.tokens };
      let lineItemUrl = job.lineItemUrl;
      if (!lineItemUrl) {
        const item = await findOrCreateLineItem(
          call,
          registration,
          ags,
          { resourceLinkId: link.resourceLinkId },
          {
            scoreMaximum: job.score.scoreMaximum,
            label: job.label ?? link.title ?? 'Waymark',
            resourceLinkId: link.resourceLinkId,
          },
        );
        lineItemUrl = item.id;
        await models.ResourceLink.updateOne(
          { schoolId: job.schoolId, _id: link._id },
          { $set: { 'ags.lineItemUrl': lineItemUrl } },
        );
      }
      const score: Score = { userId: job.userSub, ...job.score };
      await postScore(call, registration, ags, lineItemUrl, score);
      await models.ScoreJob.collection.updateOne(
        { _id: id },
        { $set: { status: 'sent', sentAt: runtime.clock.now(), lineItemUrl, leaseUntil: new Date(0) }, $unset: { lastError: 1 } },
      );
      counts.sent += 1;
    } catch (err) {
      const retryable = err instanceof LtiServiceError ? err.retryable : false;
      const attempts = job.attempts;
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = !retryable || attempts >= MAX_ATTEMPTS;
      const retryAfterMs = err instanceof LtiServiceError ? err.retryAfterMs : undefined;
      const next = new Date(runtime.clock.now().getTime() + (retryAfterMs ?? backoffMs(attempts)));
      await models.ScoreJob.collection.updateOne(
        { _id: id },
        {
          $set: {
            status: giveUp ? 'failed' : 'pending',
            lastError: message.slice(0, 500),
            nextAttemptAt: next,
            leaseUntil: new Date(0),
          },
        },
      );
      if (giveUp) {
        counts.failed += 1;
        logger.error({ jobId: String(id), schoolId: job.schoolId, err: message }, 'grade passback failed');
      } else {
        counts.retried += 1;
        logger.warn({ jobId: String(id), schoolId: job.schoolId, attempts, err: message }, 'grade passback will retry');
      }
    }
  }
  return counts;
}

export { Scopes };
