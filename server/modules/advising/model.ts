/**
 * AdviserReview: one external adviser's record of one pupil at one school (agreed level of help, notes, referrals,
 * follow-up date, complexity flags, history of level changes). Each change is first written as a LearningEvent
 * (`advising.*`, deterministic id) and then applied here with a revision guard, so the record can be rebuilt from
 * the events. Notes marked `visibleToPupil` appear in the pupil's journey; the others only to the adviser.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const HELP_LEVELS = ['self-help', 'brief-staff-assisted', 'individual-case-managed'] as const;

const noteSchema = new Schema(
  {
    _id: { type: String, required: true },
    text: { type: String, required: true, maxlength: 4000 },
    visibleToPupil: { type: Boolean, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { _id: false },
);

const referralSchema = new Schema(
  {
    _id: { type: String, required: true },
    to: { type: String, required: true, maxlength: 200 },
    reason: { type: String, required: true, maxlength: 1000 },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { _id: false },
);

export const adviserReviewSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    adviserId: { type: String, required: true },
    agreedLevel: { type: String, enum: [...HELP_LEVELS, null], default: null },
    /** Start of the follow-up day (UTC). */
    followUpAt: { type: Date, default: null },
    /** Complexity flags (ids from the readiness instrument) the adviser knows of; they raise the suggested level. */
    flags: { type: [String], default: [] },
    notes: { type: [noteSchema], default: [] },
    referrals: { type: [referralSchema], default: [] },
    levelHistory: {
      type: [new Schema({ level: { type: String, default: null }, at: Date, by: String }, { _id: false })],
      default: [],
    },
    /** Number of events applied; the next event's id derives from it. */
    revision: { type: Number, required: true, default: 0 },
  },
  { timestamps: true, versionKey: false, collection: 'adviser_reviews' },
);
adviserReviewSchema.plugin(tenantScoped);
adviserReviewSchema.index({ schoolId: 1, adviserId: 1, pupilId: 1 }, { unique: true });
adviserReviewSchema.index({ schoolId: 1, pupilId: 1 });
