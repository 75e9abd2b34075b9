/**
 * A pupil's attempt at a module: the current state of their answers, pinned to the module version they started.
 * One attempt per pupil and module. A reflection response marked `private` is for the pupil's eyes only: any
 * presenter for someone else (class view, journey, xAPI) must leave its text out. The facts behind it are LearningEvents (server/modules/events/model.ts);
 * this document is the state they add up to and can be rebuilt from them (`rebuildAttempt`).
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const ATTEMPT_STATUSES = ['in_progress', 'completed'] as const;

/**
 * `activities` maps activity id → ActivityState. Activity ids are slugs (no dots or dollars), so they are safe
 * as field names, and one save updates one path atomically with a seq guard.
 */
export interface ActivityState {
  type: string;
  answer: unknown;
  seq: number;
  status: 'in_progress' | 'completed';
  score?: { correct: number; total: number };
  savedAt: Date;
  savedBy: string;
  classId?: string;
  completedAt?: Date;
}

export const moduleAttemptSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    userId: { type: String, required: true },
    moduleId: { type: String, required: true },
    /** The version the pupil started; resuming after a new version is published keeps this one. */
    moduleVersion: { type: Number, required: true },
    source: { type: String, enum: ['builtin', 'school'], required: true },
    /** The class (LTI context) and placement of the launch the attempt started in. */
    classId: { type: String },
    resourceLinkId: { type: String },
    status: { type: String, enum: ATTEMPT_STATUSES, default: 'in_progress' },
    activities: { type: Schema.Types.Mixed, default: {} },
    startedAt: { type: Date, required: true },
    completedAt: { type: Date },
    /** 0..100, set at completion (see `moduleScore`). */
    score: { type: Number },
    rating: { type: Number, min: 1, max: 5 },
    comment: { type: String, maxlength: 1000 },
    ratedAt: { type: Date },
  },
  { timestamps: true, versionKey: false, minimize: false, collection: 'module_attempts' },
);
moduleAttemptSchema.plugin(tenantScoped);
moduleAttemptSchema.index({ schoolId: 1, userId: 1, moduleId: 1 }, { unique: true });
moduleAttemptSchema.index({ schoolId: 1, moduleId: 1, status: 1 });
