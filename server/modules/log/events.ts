/**
 * Learning events written by the log. The event document is both the fact (who, when, which school, pupil and
 * entry) and the xAPI outbox, written as one insert with a deterministic id: a retried request never records a
 * change twice, and two writers racing for the same entry revision collide on the id instead of both winning.
 */
import { createHash } from 'node:crypto';
import type { Models } from '../../db/models.js';
import { conflict } from '../../errors.js';

export type LogEventKind =
  | 'log.created'
  | 'log.updated'
  | 'log.reflected'
  | 'log.evidence-added'
  | 'log.evidence-removed'
  | 'log.verified'
  | 'log.commented'
  | 'log.confirmed'
  | 'log.group-created';

export interface LogEvent {
  schoolId: string;
  /** The pupil whose learning this is. */
  userId: string;
  actorId: string;
  /** pupil, teacher, adviser, planner, or `host` for a confirmation through a one-time link. */
  actorRole: string;
  kind: LogEventKind;
  subject: { logEntryId?: string; groupEncounterId?: string; moduleId?: string; moduleVersion?: number; activityId?: string };
  classId?: string;
  /** What makes this event unique for its subject: the entry revision it creates, or a host-link hash. */
  seq: string;
  at: Date;
  data: Record<string, unknown>;
}

export const eventId = (e: Pick<LogEvent, 'schoolId' | 'userId' | 'kind' | 'subject' | 'seq'>) =>
  createHash('sha256')
    .update([e.schoolId, e.userId, e.kind, e.subject.logEntryId ?? e.subject.groupEncounterId ?? '', e.seq].join('\u0000'))
    .digest('base64url');

function toDocument(e: LogEvent) {
  const { seq: _seq, ...rest } = e;
  return { _id: eventId(e), ...rest, xapi: { status: 'pending' as const } };
}

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

function collection(models: Models) {
  // The shared `learning_events` collection (issue 6, item 9); the progress module owns its model and indexes.
  return models.LogEntry.db.collection('learning_events');
}

/**
 * Records one event.
 * @throws AppError 409 log_entry_changed when an event with the same id exists (someone changed the entry first).
 */
export async function recordEvent(models: Models, event: LogEvent): Promise<void> {
  try {
    await collection(models).insertOne(toDocument(event) as never);
  } catch (err) {
    if (isDuplicateKey(err))
      throw conflict('log_entry_changed', 'This entry was changed at the same time. Reload it and try again.');
    throw err;
  }
}

/** Records many events at once (a group encounter); existing ids are kept, so a retried request adds none twice. */
export async function recordEvents(models: Models, events: LogEvent[]): Promise<void> {
  if (!events.length) return;
  try {
    await collection(models).insertMany(events.map(toDocument) as never[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code?: number }[] }).writeErrors;
    if (!writeErrors?.every((w) => w.code === 11000)) throw err;
  }
}
