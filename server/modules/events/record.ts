/**
 * Writing learning events. Ids are deterministic so a retried request never records a fact twice; inserting an
 * event that exists is therefore "already recorded", not an error.
 */
import { createHash } from 'node:crypto';
import type { Models } from '../../db/models.js';
import { applyEventToSummaries } from '../dashboard/summaries.js';

export interface LearningEventInput {
  schoolId: string;
  userId: string;
  actorId: string;
  actorRole?: string;
  kind: string;
  subject: { moduleId?: string; moduleVersion?: number; activityId?: string; logEntryId?: string; groupEncounterId?: string };
  classId?: string;
  resourceLinkId?: string;
  at: Date;
  data: Record<string, unknown>;
}

/** The event id: sha256 over school, pupil, kind, subject and what makes this occurrence unique (`unique`). */
export function eventId(
  e: Pick<LearningEventInput, 'schoolId' | 'userId' | 'kind' | 'subject'>,
  unique: string | number,
): string {
  const { moduleId = '', moduleVersion = '', activityId = '', logEntryId = '', groupEncounterId = '' } = e.subject;
  return createHash('sha256')
    .update(
      [
        e.schoolId,
        e.userId,
        e.kind,
        moduleId,
        String(moduleVersion),
        activityId,
        logEntryId,
        groupEncounterId,
        String(unique),
      ].join('\u0000'),
    )
    .digest('base64url');
}

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

/**
 * Inserts the event with the given id unless it exists.
 * @returns whether this call recorded it (false: an earlier request already did).
 */
export async function recordLearningEvent(models: Models, id: string, event: LearningEventInput): Promise<boolean> {
  try {
    await models.LearningEvent.create({ _id: id, ...event, xapi: { status: 'pending' } });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  // The dashboard summaries follow at once; if this fails (or the process stops here), the catch-up job in
  // dashboard/summaries.ts applies the event later, so the request that recorded it does not fail.
  await applyEventToSummaries(models, { _id: id, ...event }).catch(() => undefined);
  return true;
}
