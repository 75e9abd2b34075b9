/**
 * LearningEvent: the immutable record of a pupil's learning (an answer saved, an activity or module completed, a
 * rating, a log entry written, verified or commented on) and, at the same time, the xAPI outbox (issue 6, item 9).
 *
 * A standalone MongoDB has no multi-document transactions, so the event is the single-document write that makes
 * a change durable: services insert the event FIRST, with a deterministic `_id` derived from what makes the
 * change unique (school, pupil, kind, subject, client sequence), and only then update the current-state
 * document (an attempt, a log entry). A retried request computes the same `_id`, so it never records the fact
 * twice (duplicate key → already recorded), and the state update it repeats is idempotent. If the process dies
 * between the two writes, the event is kept and the state can be rebuilt from the events (see
 * `rebuildAttempt` in server/modules/progress/service.ts); the client's autosave retry applies it as well.
 *
 * The xAPI generator (server/modules/xapi/generator.ts) reads `xapi.status: 'pending'` events and turns them into
 * statements. Only two writers may change a stored event, each only its own mark: that generator (the `xapi`
 * field) and the dashboard's summaries (`summarisedAt`, set through the raw collection once the event is applied
 * to the incremental summaries; see server/modules/dashboard/summaries.ts). Nothing else of an event ever changes.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

/**
 * pending: waits for the generator; stored: its statements are in xapi_statements (`statementIds`); skipped: the
 * kind makes no statement (`reason`, see docs/xapi.md); failed: a statement did not pass the strict validator
 * (`lastError`; a bug to fix, then set back to pending). `sent` is kept for documents written before the generator.
 */
export const XAPI_STATUSES = ['pending', 'stored', 'sent', 'failed', 'skipped'] as const;

export const learningEventSchema = new Schema(
  {
    /** sha256 (base64url) of the fields that make the event unique; see `eventId` in ./ids.ts. */
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    /** The pupil whose learning this is. */
    userId: { type: String, required: true },
    /** Who made the change (the pupil, a teacher verifying, a host confirming through a link). */
    actorId: { type: String, required: true },
    actorRole: { type: String },
    /** Dotted kind, e.g. `progress.answer-saved`, `progress.module-completed`, `log.reflected`. */
    kind: { type: String, required: true },
    subject: {
      moduleId: { type: String },
      moduleVersion: { type: Number },
      activityId: { type: String },
      logEntryId: { type: String },
      groupEncounterId: { type: String },
    },
    /** The LTI context (class) and placement of the launch the change was made in, when there was one. */
    classId: { type: String },
    resourceLinkId: { type: String },
    at: { type: Date, required: true },
    /** What changed: enough to rebuild the current state from the events alone. */
    data: { type: Schema.Types.Mixed, default: {} },
    xapi: {
      status: { type: String, enum: XAPI_STATUSES, default: 'pending' },
      statementId: { type: String },
      /** Every statement made from the event (the first is `statementId`); ids derive from the event id. */
      statementIds: { type: [String], default: undefined },
      storedAt: { type: Date },
      reason: { type: String },
      sentAt: { type: Date },
      attempts: { type: Number },
      lastError: { type: String },
    },
  },
  { versionKey: false, collection: 'learning_events', minimize: false },
);
learningEventSchema.plugin(tenantScoped);
learningEventSchema.index({ schoolId: 1, userId: 1, 'subject.moduleId': 1, at: 1 });
learningEventSchema.index({ schoolId: 1, 'subject.logEntryId': 1, at: 1 });
// The forwarder's queue: pending events oldest first.
learningEventSchema.index({ 'xapi.status': 1, at: 1 }, { partialFilterExpression: { 'xapi.status': 'pending' } });
