import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

/**
 * A score waiting to reach the LMS gradebook (AGS). The queue is durable: an LMS outage or a restart loses no
 * grade. One job per (resource link, pupil, attempt key): a repeated completion updates the pending score
 * instead of sending twice. Workers lease a job before sending, so two processes never send it at once.
 */
export const scoreJobSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    platformId: { type: String, required: true },
    resourceLinkId: { type: String, required: true },
    userId: { type: String, required: true },
    /** The pupil's platform user id (AGS userId). */
    userSub: { type: String, required: true },
    key: { type: String, required: true },
    score: {
      scoreGiven: { type: Number, required: true },
      scoreMaximum: { type: Number, required: true },
      activityProgress: { type: String, required: true },
      gradingProgress: { type: String, required: true },
      timestamp: { type: String, required: true },
      comment: { type: String },
    },
    /** Line item to post to; resolved (found or created) on the first attempt when the link has none. */
    lineItemUrl: { type: String },
    label: { type: String },
    status: { type: String, enum: ['pending', 'sent', 'failed'], default: 'pending', required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: () => new Date(0) },
    lastError: { type: String },
    sentAt: { type: Date },
  },
  { timestamps: true, versionKey: false },
);
scoreJobSchema.plugin(tenantScoped);
scoreJobSchema.index({ schoolId: 1, key: 1 }, { unique: true });
scoreJobSchema.index({ status: 1, nextAttemptAt: 1 });
