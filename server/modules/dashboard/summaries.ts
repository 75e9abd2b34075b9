/**
 * Incrementally maintained pupil summaries: the dashboard reads these, never the raw learning events.
 *
 * A standalone MongoDB has no multi-document transactions and several processes write events, so the summaries
 * are built from operations that are idempotent and commutative: applying an event twice, or two events in either
 * order, leaves the same document. Per (school, pupil, academic year of the event):
 *   done.<moduleId>   first completion in that year ($min of the event time)
 *   days.<YYYY-MM>    the days of that month the pupil did something themselves ($bit or: bit d-1 for day d)
 *   last              latest activity ($max)
 *   rate.<moduleId>.<ms>  the rating given at that time ($set; the reader takes the latest)
 * and per (school, pupil), `year: 'all'`, for the experience log (an entry's type and date can change later, and
 * the workplace-experience expectations count across years):
 *   enc.<entryId>.<ms>  {t: encounter type, d: date} as of the change at that time ($set; the reader folds them)
 *   ok.<entryId>        verified by staff or confirmed by the host ($set true)
 *
 * Events are applied right after they are recorded (events/record.ts) and marked `summarisedAt`; the catch-up job
 * applies any event without the mark (a crash between the insert and the apply, or events written by other
 * writers such as the log's own recorder), so nothing is lost. `rebuildSummaries` recomputes a school from its
 * events; a test proves it equals the incremental result.
 */
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Models } from '../../db/models.js';
import { resolveYear, type CalendarSource } from '../calendar/defaults.js';
import { calendarSource } from '../calendar/service.js';

/** The fields of a learning event the summaries use. */
export interface SummarisableEvent {
  _id: string;
  schoolId: string;
  userId: string;
  actorId: string;
  kind: string;
  subject?: { moduleId?: string | null; logEntryId?: string | null } | null;
  at: Date;
  data?: Record<string, unknown> | null;
}

interface SummaryDoc {
  _id: string;
  schoolId: string;
  userId: string;
  year: string;
}

const ENCOUNTER_KINDS = new Set(['log.created', 'log.updated', 'log.reflected']);
const CONFIRM_KINDS = new Set(['log.verified', 'log.confirmed']);
// Keys become field names: refuse anything that could address another field.
const safeKey = (k: string) => /^[A-Za-z0-9_-]{1,100}$/.test(k);

export const summaryId = (schoolId: string, userId: string, year: string) => `${schoolId}|${userId}|${year}`;

/** The summary updates for one event (none for class-level events such as lesson records). */
export function summaryUpdates(e: SummarisableEvent, source: CalendarSource): AnyBulkWriteOperation<SummaryDoc>[] {
  if (!e.userId || e.userId.startsWith('class:') || !safeKey(e.userId)) return [];
  const ops: AnyBulkWriteOperation<SummaryDoc>[] = [];
  const upsert = (year: string, update: Record<string, Record<string, unknown>>) => {
    const _id = summaryId(e.schoolId, e.userId, year);
    ops.push({
      updateOne: {
        filter: { _id, schoolId: e.schoolId },
        update: { ...update, $setOnInsert: { schoolId: e.schoolId, userId: e.userId, year } },
        upsert: true,
      },
    });
  };
  const at = new Date(e.at);
  const year = resolveYear(source, at).id;
  const yearUpdate: Record<string, Record<string, unknown>> = {};
  if (e.actorId === e.userId) {
    const day = at.toISOString();
    yearUpdate.$bit = { [`days.${day.slice(0, 7)}`]: { or: 1 << (Number(day.slice(8, 10)) - 1) } };
    yearUpdate.$max = { last: at };
  }
  const moduleId = e.subject?.moduleId;
  if (e.kind === 'progress.module-completed' && moduleId && safeKey(moduleId)) yearUpdate.$min = { [`done.${moduleId}`]: at };
  const rating = e.data?.rating;
  if (e.kind === 'progress.rated' && moduleId && safeKey(moduleId) && typeof rating === 'number')
    yearUpdate.$set = { [`rate.${moduleId}.${String(at.getTime())}`]: rating };
  if (Object.keys(yearUpdate).length) upsert(year, yearUpdate);

  const entryId = e.subject?.logEntryId;
  if (entryId && safeKey(entryId)) {
    if (ENCOUNTER_KINDS.has(e.kind)) {
      const fields: Record<string, string> = {};
      if (typeof e.data?.encounterType === 'string') fields.t = e.data.encounterType;
      if (typeof e.data?.date === 'string') fields.d = e.data.date;
      if (Object.keys(fields).length) upsert('all', { $set: { [`enc.${entryId}.${String(at.getTime())}`]: fields } });
    } else if (CONFIRM_KINDS.has(e.kind)) upsert('all', { $set: { [`ok.${entryId}`]: true } });
  }
  return ops;
}

const summaries = (models: Models) => models.PupilSummary.collection as unknown as Collection<SummaryDoc>;
// Raw collection: `summarisedAt` is the summaries' mark on the shared outbox document, not part of its schema.
const events = (models: Models) => models.LearningEvent.collection;

const indexed = new WeakSet<object>();

/** Creates the index the catch-up job needs on learning_events (idempotent; background.ts and tests call it). */
export async function ensureSummaryIndexes(models: Models): Promise<void> {
  await events(models).createIndexes([{ key: { summarisedAt: 1, schoolId: 1 }, name: 'summarisedAt_1_schoolId_1' }]);
}

async function applyBatch(models: Models, batch: SummarisableEvent[], sources: Map<string, CalendarSource>): Promise<void> {
  const ops: AnyBulkWriteOperation<SummaryDoc>[] = [];
  for (const e of batch) {
    let source = sources.get(e.schoolId);
    if (!source) {
      source = await calendarSource(models, e.schoolId);
      sources.set(e.schoolId, source);
    }
    ops.push(...summaryUpdates(e, source));
  }
  if (ops.length) await summaries(models).bulkWrite(ops, { ordered: false });
}

async function markSummarised(models: Models, ids: string[], now: Date): Promise<void> {
  if (ids.length)
    await events(models).updateMany({ _id: { $in: ids as never[] }, summarisedAt: null }, { $set: { summarisedAt: now } });
}

/**
 * Calendar sources for the one-event apply path, per connection and school, kept for CALENDAR_TTL_MS: recording an
 * event otherwise re-read the school and its calendar every time. `rebuildSummaries` (which the calendar's year
 * changes call after writing) forgets the school, so this process files later events under the new years at once;
 * another process may use the old calendar for up to the TTL, as if its event had been applied just before the
 * change (the same window the catch-up job has).
 */
const CALENDAR_TTL_MS = 5000;
const calendars = new WeakMap<object, Map<string, { until: number; source: Promise<CalendarSource> }>>();

function cachedCalendarSource(models: Models, schoolId: string): Promise<CalendarSource> {
  const bySchool = calendars.get(models) ?? new Map<string, { until: number; source: Promise<CalendarSource> }>();
  calendars.set(models, bySchool);
  const hit = bySchool.get(schoolId);
  const at = Date.now();
  if (hit && hit.until > at) return hit.source;
  const source = calendarSource(models, schoolId);
  bySchool.set(schoolId, { until: at + CALENDAR_TTL_MS, source });
  // A failed read is not kept.
  source.catch(() => {
    if (bySchool.get(schoolId)?.source === source) bySchool.delete(schoolId);
  });
  if (bySchool.size > 1000) for (const [id, v] of bySchool) if (v.until <= at) bySchool.delete(id);
  return source;
}

function forgetCalendar(models: Models, schoolId: string): void {
  calendars.get(models)?.delete(schoolId);
}

/**
 * Applies one recorded event to the summaries and marks it. Safe to repeat. Two round trips at most (the calendar
 * comes from the short-lived cache above): the summary upserts, then the mark. The mark must follow the upserts:
 * an event marked but not applied would never be applied by the catch-up job.
 */
export async function applyEventToSummaries(models: Models, event: SummarisableEvent, now: Date = new Date()): Promise<void> {
  const ops = summaryUpdates(event, await cachedCalendarSource(models, event.schoolId));
  if (ops.length) await summaries(models).bulkWrite(ops, { ordered: false });
  await events(models).updateOne({ _id: event._id as never, summarisedAt: null }, { $set: { summarisedAt: now } });
}

const FIELDS = { _id: 1, schoolId: 1, userId: 1, actorId: 1, kind: 1, subject: 1, at: 1, data: 1 } as const;

/**
 * The catch-up job: applies events that carry no `summarisedAt` mark yet, oldest first, at most `limit`.
 * @returns how many events it applied.
 */
export async function applyPendingSummaries(models: Models, opts: { limit?: number; now?: Date } = {}): Promise<number> {
  // Without its index the queue query scans every event: make sure it exists once per connection.
  if (!indexed.has(models.LearningEvent.db)) {
    await ensureSummaryIndexes(models);
    indexed.add(models.LearningEvent.db);
  }
  const pending = (await events(models)
    .find({ summarisedAt: null }, { projection: FIELDS })
    .limit(opts.limit ?? 2000)
    .toArray()) as unknown as SummarisableEvent[];
  if (!pending.length) return 0;
  await applyBatch(models, pending, new Map());
  await markSummarised(
    models,
    pending.map((e) => e._id),
    opts.now ?? new Date(),
  );
  return pending.length;
}

/**
 * Recomputes a school's summaries from its learning events (after a calendar change, or to repair). Runs safely
 * beside the incremental writers: whatever they apply meanwhile is applied again here, which changes nothing.
 * @returns how many events it read.
 */
export async function rebuildSummaries(models: Models, schoolId: string, now: Date = new Date()): Promise<number> {
  forgetCalendar(models, schoolId);
  await summaries(models).deleteMany({ schoolId });
  const sources = new Map<string, CalendarSource>([[schoolId, await calendarSource(models, schoolId)]]);
  const cursor = events(models).find({ schoolId }, { projection: FIELDS, batchSize: 2000 });
  let batch: SummarisableEvent[] = [];
  let count = 0;
  const flush = async () => {
    await applyBatch(models, batch, sources);
    await markSummarised(
      models,
      batch.map((e) => e._id),
      now,
    );
    count += batch.length;
    batch = [];
  };
  for await (const doc of cursor) {
    batch.push(doc as unknown as SummarisableEvent);
    if (batch.length >= 2000) await flush();
  }
  if (batch.length) await flush();
  return count;
}
