/**
 * Careers data in MongoDB. Reference data (occupations, skills, ISCO groups) is loaded from the committed dataset
 * when its version changes (`careers_meta` holds the loaded version); it is shared by every school. Saved
 * occupations and local opportunities are per-school data and use the tenantScoped plugin.
 */
import { Schema, type Connection } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';
import { CareersLimits, OpportunityKind } from '../../contract/careers.js';

const Localized = { en: { type: String, required: true }, nl: { type: String, required: true } };

export const careersMetaSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: String, required: true },
    loadedAt: { type: Date, required: true },
    counts: { type: Schema.Types.Mixed },
  },
  { versionKey: false, collection: 'careers_meta' },
);

export const careerGroupSchema = new Schema(
  {
    _id: { type: String, required: true },
    level: { type: Number, required: true },
    title: Localized,
    version: { type: String, required: true },
  },
  { versionKey: false, collection: 'careers_groups' },
);

export const careerSkillSchema = new Schema(
  {
    _id: { type: String, required: true },
    label: { type: String, required: true },
    type: { type: String, enum: ['skill', 'knowledge'], required: true },
    transversal: { type: Boolean, required: true },
    version: { type: String, required: true },
  },
  { versionKey: false, collection: 'careers_skills' },
);

export const careerOccupationSchema = new Schema(
  {
    /** Last segment of the ESCO URI. */
    _id: { type: String, required: true },
    uri: { type: String, required: true },
    code: { type: String, required: true },
    isco: { type: String, required: true, index: true },
    title: Localized,
    description: Localized,
    alt: { en: { type: [String], default: [] }, nl: { type: [String], default: [] } },
    regulated: { type: Boolean, required: true },
    essential: { type: [String], default: [] },
    optional: { type: [String], default: [] },
    onet: { code: { type: String }, title: { type: String }, via: { type: String } },
    /** BLS row reached through the crosswalk (US figures), absent when none. */
    bls: { type: Schema.Types.Mixed },
    version: { type: String, required: true },
  },
  { versionKey: false, collection: 'careers_occupations', minimize: false },
);

/** A pupil's saved occupation with their own note: one per pupil and occupation. */
export const savedOccupationSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    userId: { type: String, required: true },
    occupationId: { type: String, required: true },
    note: { type: String, maxlength: CareersLimits.noteMaxLength, default: '' },
    from: { moduleId: { type: String }, activityId: { type: String } },
    savedAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false, collection: 'careers_saved' },
);
savedOccupationSchema.plugin(tenantScoped);
savedOccupationSchema.index({ schoolId: 1, userId: 1, occupationId: 1 }, { unique: true });

/** A school's local employer opportunity linked to occupations. */
export const opportunitySchema = new Schema(
  {
    schoolId: { type: String, required: true },
    kind: { type: String, enum: OpportunityKind.options, required: true },
    title: { type: String, required: true, maxlength: CareersLimits.opportunityTitle },
    employer: { type: String, required: true, maxlength: CareersLimits.opportunityTitle },
    description: { type: String, default: '', maxlength: CareersLimits.opportunityText },
    location: { type: String, default: null },
    url: { type: String, default: null },
    contact: { type: String, default: null },
    startsOn: { type: String, default: null },
    endsOn: { type: String, default: null },
    occupationIds: { type: [String], required: true },
    createdBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false, collection: 'careers_opportunities' },
);
opportunitySchema.plugin(tenantScoped);
opportunitySchema.index({ schoolId: 1, occupationIds: 1 });

/** The subject whose occupations a teacher shared with a class: one per class (the latest choice wins). */
export const classShareSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    classId: { type: String, required: true },
    subjectId: { type: String, required: true },
    sharedBy: { type: String, required: true },
    sharedAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false, collection: 'careers_class_shares' },
);
classShareSchema.plugin(tenantScoped);
classShareSchema.index({ schoolId: 1, classId: 1 }, { unique: true });

/** Registers the careers models; spread into createModels. */
export function careersModels(connection: Connection) {
  return {
    CareersMeta: connection.model('CareersMeta', careersMetaSchema),
    CareerGroup: connection.model('CareerGroup', careerGroupSchema),
    CareerSkill: connection.model('CareerSkill', careerSkillSchema),
    CareerOccupation: connection.model('CareerOccupation', careerOccupationSchema),
    SavedOccupation: connection.model('SavedOccupation', savedOccupationSchema),
    Opportunity: connection.model('CareerOpportunity', opportunitySchema),
    ClassShare: connection.model('CareerClassShare', classShareSchema),
  };
}
