/** The school's calendar changes (years and terms that differ from the country default) and the rollovers run. */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

const termSchema = new Schema({ id: String, name: String, start: String }, { _id: false });

export const schoolCalendarSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    /** Years the school changed; other years follow the country default (./defaults.ts). */
    years: { type: [new Schema({ id: String, start: String, terms: [termSchema] }, { _id: false })], default: [] },
    /** Year groups whose pupils leave at the end of the year; empty: those with no successor. */
    leavingYearGroups: { type: [String], default: [] },
    updatedBy: { type: String },
  },
  { timestamps: true, versionKey: false, collection: 'school_calendars' },
);
schoolCalendarSchema.plugin(tenantScoped);
schoolCalendarSchema.index({ schoolId: 1 }, { unique: true });

/**
 * One per school and academic year: the rollover into that year ran (`done`), or the school was first seen during
 * it and its year groups were taken as they were (`baseline`). The unique index makes the scheduled job and an
 * on-demand run in two processes agree on who runs it.
 */
export const yearRolloverSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    yearId: { type: String, required: true },
    status: { type: String, enum: ['running', 'baseline', 'done'], required: true },
    at: { type: Date, required: true },
    moved: { type: Number, default: 0 },
    leavers: { type: Number, default: 0 },
    by: { type: String },
  },
  { versionKey: false, collection: 'year_rollovers' },
);
yearRolloverSchema.plugin(tenantScoped);
yearRolloverSchema.index({ schoolId: 1, yearId: 1 }, { unique: true });
