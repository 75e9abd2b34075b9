/**
 * People and classes as Waymark knows them from LTI launches and NRPS rosters. We keep the minimum: the
 * platform's opaque user id (sub), a display name when the platform sends one (teachers need to recognise
 * their pupils), the Waymark role, the year group and the language. No e-mail addresses are stored.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const ROLES = ['pupil', 'teacher', 'adviser', 'planner'] as const;
export type Role = (typeof ROLES)[number];

export const userSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    platformId: { type: String, required: true },
    sub: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    /** The normalised LIS roles of the last launch or roster sync (for audit and role-table changes). */
    ltiRoles: { type: [String], default: [] },
    name: { type: String, maxlength: 200 },
    locale: { type: String, enum: ['en', 'nl'] },
    /** Year-group code (e.g. EN-Y8, NL-HAVO3) from the `year_group` custom parameter or the class mapping. */
    yearGroup: { type: String },
    /** The academic year (e.g. 2026-27) `yearGroup` was last moved up for by the rollover (server/modules/calendar). */
    yearGroupYear: { type: String },
    /** Set when the pupil left after their final year group: the academic year they finished (e.g. 2025-26). */
    leaverYear: { type: String },
    /** Pupils a Mentor launch may see (role_scope_mentor subs), for advisers. */
    mentees: { type: [String], default: undefined },
    lastLaunchAt: { type: Date },
    /** Where we learned of this person first ('invite': an adviser signed in outside the LMS, server/modules/adviser-auth). */
    source: { type: String, enum: ['launch', 'nrps', 'invite'], required: true },
  },
  { timestamps: true, versionKey: false },
);
userSchema.plugin(tenantScoped);
userSchema.index({ schoolId: 1, platformId: 1, sub: 1 }, { unique: true });
userSchema.index({ schoolId: 1, role: 1, yearGroup: 1 });

/** A class: an LTI context (course, section) of one platform. */
export const classSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    platformId: { type: String, required: true },
    contextId: { type: String, required: true },
    title: { type: String, maxlength: 300 },
    label: { type: String, maxlength: 100 },
    /** Year-group code set by a teacher or planner, used for pupils whose launches carry none. */
    yearGroup: { type: String },
    nrps: {
      url: { type: String },
      syncedAt: { type: Date },
      lastError: { type: String },
    },
  },
  { timestamps: true, versionKey: false },
);
classSchema.plugin(tenantScoped);
classSchema.index({ schoolId: 1, platformId: 1, contextId: 1 }, { unique: true });

export const membershipSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    classId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    status: { type: String, enum: ['active', 'inactive'], default: 'active' },
    source: { type: String, enum: ['launch', 'nrps'], required: true },
  },
  { timestamps: true, versionKey: false },
);
membershipSchema.plugin(tenantScoped);
membershipSchema.index({ schoolId: 1, classId: 1, userId: 1 }, { unique: true });
membershipSchema.index({ schoolId: 1, userId: 1 });

/** An LTI resource link (a placement in the LMS), with the module it opens and its gradebook column. */
export const resourceLinkSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    platformId: { type: String, required: true },
    resourceLinkId: { type: String, required: true },
    classId: { type: String },
    title: { type: String, maxlength: 300 },
    moduleId: { type: String },
    ags: {
      scope: { type: [String], default: [] },
      lineItemsUrl: { type: String },
      lineItemUrl: { type: String },
    },
  },
  { timestamps: true, versionKey: false },
);
resourceLinkSchema.plugin(tenantScoped);
resourceLinkSchema.index({ schoolId: 1, platformId: 1, resourceLinkId: 1 }, { unique: true });
