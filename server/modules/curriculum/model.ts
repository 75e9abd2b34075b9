import { Schema } from 'mongoose';

/**
 * Every published version of every module, built-in (schoolId null) or school-authored. Progress records point
 * at (moduleId, version), so publishing a new version never changes what a pupil did. Versions are immutable.
 */
export const moduleVersionSchema = new Schema(
  {
    /** `${schoolId ?? 'builtin'}:${moduleId}@${version}` */
    _id: { type: String, required: true },
    schoolId: { type: String, default: null },
    moduleId: { type: String, required: true },
    version: { type: Number, required: true },
    stage: { type: String, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    /** SHA-256 of the canonical JSON: a built-in file changed without a version bump is caught at start-up. */
    contentHash: { type: String, required: true },
    publishedAt: { type: Date, required: true },
    publishedBy: { type: String },
  },
  { versionKey: false },
);
moduleVersionSchema.index({ schoolId: 1, moduleId: 1, version: -1 }, { unique: true });
moduleVersionSchema.index({ schoolId: 1, stage: 1 });
