/**
 * Safeguarding data. Concerns are not learning: they are never LearningEvents and never reach the xAPI outbox
 * (`learning_events`), because a statement about a safeguarding concern must not leave the school for an LRS
 * or a partner. Each concern is one immutable document; every read of the list leaves an access-log document.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

/** The school's designated safeguarding contact: one per school, set by a planner. */
export const safeguardingContactSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    userId: { type: String, required: true },
    setBy: { type: String, required: true },
    setAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'safeguarding_contacts' },
);
safeguardingContactSchema.plugin(tenantScoped);
safeguardingContactSchema.index({ schoolId: 1 }, { unique: true });

export const safeguardingConcernSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    reporterId: { type: String, required: true },
    reporterRole: { type: String, required: true },
    source: {
      kind: { type: String, enum: ['log-entry', 'reflection', 'voice-note'], required: true },
      id: { type: String, required: true },
    },
    text: { type: String, required: true, maxlength: 4000 },
    reportedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'safeguarding_concerns' },
);
safeguardingConcernSchema.plugin(tenantScoped);
safeguardingConcernSchema.index({ schoolId: 1, reportedAt: -1 });

/** Who read the concern list, when, and which concerns it showed. */
export const safeguardingAccessLogSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    viewerId: { type: String, required: true },
    viewerRole: { type: String, required: true },
    concernIds: { type: [String], default: [] },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'safeguarding_access_log' },
);
safeguardingAccessLogSchema.plugin(tenantScoped);
safeguardingAccessLogSchema.index({ schoolId: 1, at: -1 });
