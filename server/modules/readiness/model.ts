/**
 * ReadinessResult: one completed readiness check by a pupil, scored when it was taken, with the instrument version
 * and the rule that produced the suggested level, so staff can always see why. The fact is first recorded as a
 * `readiness.completed` LearningEvent (the xAPI outbox) whose data holds everything here; this document is the
 * queryable copy and can be rebuilt from the events.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const readinessResultSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    /** The pupil (User._id). */
    userId: { type: String, required: true },
    /** The LearningEvent that recorded this result (unique: a retried submit finds it). */
    eventId: { type: String, required: true },
    kind: { type: String, enum: ['check', 'pictorial'], required: true },
    stage: { type: String, required: true },
    classId: { type: String },
    instrument: {
      id: { type: String, required: true },
      version: { type: Number, required: true },
      validated: { type: Boolean, required: true },
    },
    /** Item id → answer as given (1–5, or a face value 1–3). */
    answers: { type: Schema.Types.Mixed, default: {} },
    /** Competency id → mean item score (1–5), null when none of its items was answered; `{}` for the pictorial check. */
    competencies: { type: Schema.Types.Mixed, default: {} },
    lowCompetencies: { type: [String], default: [] },
    capability: { type: new Schema({ score: Number, band: String }, { _id: false }), default: null },
    complexity: { type: new Schema({ score: Number, band: String, flags: [String] }, { _id: false }), default: null },
    decisionStatus: { type: new Schema({ status: String, scores: Schema.Types.Mixed }, { _id: false }), default: null },
    suggestedLevel: { type: String, required: true },
    rule: {
      id: { type: String, required: true },
      explanation: { en: { type: String, required: true }, nl: { type: String, required: true } },
    },
    answered: { type: Number, required: true },
    missing: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false, collection: 'readiness_results' },
);
readinessResultSchema.plugin(tenantScoped);
readinessResultSchema.index({ schoolId: 1, userId: 1, at: -1 });
readinessResultSchema.index({ eventId: 1 }, { unique: true });
