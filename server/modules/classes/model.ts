/**
 * In-Waymark assignments (a module given to a class, with an optional due date) and teachers' feedback on a
 * pupil's module work. Both are current state; the facts are LearningEvents written first (see service.ts).
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const assignmentSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    classId: { type: String, required: true },
    moduleId: { type: String, required: true },
    /** The module version current when it was assigned (pupils start whatever is current when they open it). */
    moduleVersion: { type: Number, required: true },
    /** End of the due day (UTC); null when there is no due date. */
    dueAt: { type: Date, default: null },
    assignedBy: { type: String, required: true },
    assignedAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false, collection: 'assignments' },
);
assignmentSchema.plugin(tenantScoped);
assignmentSchema.index({ schoolId: 1, classId: 1, moduleId: 1 }, { unique: true });

export const moduleFeedbackSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    classId: { type: String, required: true },
    pupilId: { type: String, required: true },
    moduleId: { type: String, required: true },
    moduleVersion: { type: Number, required: true },
    authorId: { type: String, required: true },
    authorRole: { type: String, required: true },
    text: { type: String, required: true, maxlength: 2000 },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'module_feedback' },
);
moduleFeedbackSchema.plugin(tenantScoped);
moduleFeedbackSchema.index({ schoolId: 1, pupilId: 1, moduleId: 1, createdAt: -1 });
