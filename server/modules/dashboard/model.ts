/**
 * Dashboard data: per-pupil summaries maintained from learning events (./summaries.ts) and the pupil groups a
 * school uploads (pupil → group names) to filter the dashboard by.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

/**
 * One per (school, pupil, academic year) plus one per (school, pupil) with `year: 'all'` for the encounter log.
 * Every field is a set or a latest value written with $min/$max/$bit/$set keyed by the event, so applying an
 * event twice, or events in any order, gives the same document (see ./summaries.ts for the fields).
 */
export const pupilSummarySchema = new Schema(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    userId: { type: String, required: true },
    /** `2026-27`, or `all` for the encounters document. */
    year: { type: String, required: true },
  },
  { versionKey: false, strict: false, collection: 'pupil_summaries' },
);
pupilSummarySchema.plugin(tenantScoped);
// The dashboard reads a school's summaries for one year (and the `all` documents) in one query.
pupilSummarySchema.index({ schoolId: 1, year: 1, userId: 1 });

export const pupilGroupSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    userId: { type: String, required: true },
    groups: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false, collection: 'pupil_groups' },
);
pupilGroupSchema.plugin(tenantScoped);
pupilGroupSchema.index({ schoolId: 1, userId: 1 }, { unique: true });
pupilGroupSchema.index({ schoolId: 1, groups: 1 });
