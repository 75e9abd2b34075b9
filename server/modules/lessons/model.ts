/**
 * A lesson record: a subject teacher's note that one of their lessons developed given career competencies for a
 * class. The fact is first written as one LearningEvent for the class (see service.ts), then this document.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const lessonRecordSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    schoolId: { type: String, required: true },
    classId: { type: String, required: true },
    teacherId: { type: String, required: true },
    subject: { type: String, required: true },
    /** Calendar date, YYYY-MM-DD. */
    date: { type: String, required: true },
    competencies: { type: [String], default: [] },
    note: { type: String, default: '', maxlength: 1000 },
    recordedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'lesson_records' },
);
lessonRecordSchema.plugin(tenantScoped);
lessonRecordSchema.index({ schoolId: 1, classId: 1, date: -1 });
