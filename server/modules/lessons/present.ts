/** Allow-list presenter for lesson records. */
import type { LessonRecordView } from '../../contract/lessons.js';

interface LessonRecordDoc {
  _id: unknown;
  classId: string;
  teacherId: string;
  subject: string;
  date: string;
  competencies: string[];
  note?: string | null;
  recordedAt: Date;
}

export function presentLessonRecord(r: LessonRecordDoc, names: Map<string, string | null>): LessonRecordView {
  return {
    id: String(r._id),
    classId: r.classId,
    teacher: { id: r.teacherId, name: names.get(r.teacherId) ?? null },
    subject: r.subject,
    date: r.date,
    competencies: [...r.competencies],
    note: r.note ?? '',
    recordedAt: r.recordedAt.toISOString(),
  };
}
