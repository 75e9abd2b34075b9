/**
 * A leaver's destination at one checkpoint (leaving, then one, two and three years on). One document per pupil
 * and checkpoint: recording again replaces it. Destinations are not learning, so they never become LearningEvents
 * and never reach an LRS. `activity` is a snapshot of what the pupil did in Waymark, taken when the record is
 * written, so the outcomes view still works after the learning data itself has passed its retention period.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';
import { ALL_DETAILS, CHECKPOINTS, DESTINATION_STATUSES } from './contract.js';

export const destinationSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    /** The academic year the pupil left at the end of (e.g. 2025-26). */
    cohort: { type: String, required: true },
    /** End of that academic year: what retention counts from. */
    leftAt: { type: Date, required: true },
    checkpoint: { type: String, enum: CHECKPOINTS, required: true },
    status: { type: String, enum: DESTINATION_STATUSES, required: true },
    detail: { type: String, enum: [...ALL_DETAILS, null], default: null },
    source: { type: String, enum: ['manual', 'import'], required: true },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
    activity: {
      modulesCompleted: { type: Number, default: 0 },
      encounters: { type: Number, default: 0 },
      readinessLevel: { type: String, default: null },
    },
  },
  { versionKey: false, collection: 'destinations' },
);
destinationSchema.plugin(tenantScoped);
destinationSchema.index({ schoolId: 1, pupilId: 1, checkpoint: 1 }, { unique: true });
destinationSchema.index({ schoolId: 1, cohort: 1 });
destinationSchema.index({ schoolId: 1, leftAt: 1 });
