import { Schema, type InferSchemaType } from 'mongoose';

/** A school (tenant). Ids are short slugs chosen by the operator; `demo` is the demo school. */
export const schoolSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    /** Default language for pages before a launch says otherwise. */
    locale: { type: String, enum: ['en', 'nl'], default: 'en' },
    /** Where the school follows its calendar and year groups (drives defaults). */
    country: { type: String, enum: ['england', 'netherlands', 'us', 'canada', 'other'], default: 'other' },
    /**
     * The school's adjustments to the LTI role table (lti/roles.ts DEFAULT_ROLE_RULES): full LIS role URIs and the
     * Waymark role they grant, applied after the defaults (a later rule for the same URI wins).
     */
    roleRules: {
      type: [
        {
          role: { type: String, required: true },
          grants: { type: String, enum: ['pupil', 'teacher', 'adviser', 'planner'], required: true },
          _id: false,
        },
      ],
      default: [],
    },
    /** xAPI statements name people (and class titles) only when the school turns this on; see docs/xapi.md. */
    xapi: { identifiable: { type: Boolean, default: false } },
  },
  { timestamps: true, versionKey: false },
);

export type SchoolDoc = InferSchemaType<typeof schoolSchema> & { _id: string };
