/**
 * Privacy bookkeeping: erasure jobs (which double as the tombstone once done) and per-school retention periods.
 *
 * An erasure runs without transactions: the job document is written first, each collection is then emptied of the
 * pupil and ticked off in `steps`, and the job is marked done. A crash leaves a running job that the next request
 * (or the retention sweep) resumes. When done, the job keeps only the pseudonymous `tombstone` (a keyed hash of
 * school, platform and LMS user id), the Waymark id and dates: no name, no LMS id.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const erasureJobSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    /** Waymark's own id of the erased pupil (an ObjectId string that means nothing once the user is gone). */
    pupilId: { type: String, required: true },
    /** HMAC-SHA256 of school, platform and LMS sub: lets a roster sync recognise the pupil without naming them. */
    tombstone: { type: String, required: true },
    status: { type: String, enum: ['running', 'done'], required: true },
    reason: { type: String, enum: ['request', 'retention'], required: true },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    /** Only while running: what the remaining steps need to find the pupil's statements. Cleared when done. */
    subject: {
      type: new Schema({ sub: String, platformId: String, agent: String, keys: [String] }, { _id: false }),
      default: undefined,
    },
    steps: { type: [String], default: [] },
    counts: { type: Schema.Types.Mixed, default: {} },
    completedAt: { type: Date },
  },
  { versionKey: false, minimize: false, collection: 'privacy_erasure_jobs' },
);
erasureJobSchema.plugin(tenantScoped);
erasureJobSchema.index({ schoolId: 1, pupilId: 1 }, { unique: true });
erasureJobSchema.index({ schoolId: 1, tombstone: 1 });
erasureJobSchema.index({ status: 1 });

/** A school's retention periods; absent fields take the documented defaults (RETENTION_DEFAULTS). */
export const retentionPolicySchema = new Schema(
  {
    schoolId: { type: String, required: true },
    destinationsYears: { type: Number },
    learningYears: { type: Number },
    accessLogMonths: { type: Number },
    updatedBy: { type: String },
    updatedAt: { type: Date },
    lastRun: { type: new Schema({ at: Date, counts: Schema.Types.Mixed }, { _id: false }), default: undefined },
  },
  { versionKey: false, minimize: false, collection: 'privacy_retention' },
);
retentionPolicySchema.plugin(tenantScoped);
retentionPolicySchema.index({ schoolId: 1 }, { unique: true });
