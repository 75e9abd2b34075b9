/**
 * Career learning in ordinary lessons: a subject teacher records that a lesson of theirs developed given
 * competencies for a class. These count in the school's coverage alongside Waymark modules.
 */
import { z } from 'zod';

export const LessonLimits = { note: 1000, maxCompetencies: 11 } as const;

const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(80);

export const ClassIdParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be an id') });

/** POST /api/classes/:id/lesson-records. `subject` and `competencies` are checked against the curriculum. */
export const CreateLessonRecord = z.strictObject({
  subject: Slug,
  date: z.iso.date(),
  competencies: z.array(Slug).min(1, 'choose at least one competency').max(LessonLimits.maxCompetencies),
  note: z
    .string()
    .max(LessonLimits.note, `must be at most ${String(LessonLimits.note)} characters`)
    .default(''),
});
export type CreateLessonRecord = z.infer<typeof CreateLessonRecord>;

export const LessonRecordView = z.object({
  id: z.string(),
  classId: z.string(),
  teacher: z.object({ id: z.string(), name: z.string().nullable() }),
  subject: z.string(),
  date: z.string(),
  competencies: z.array(z.string()),
  note: z.string(),
  recordedAt: z.string(),
});
export type LessonRecordView = z.infer<typeof LessonRecordView>;

/** GET /api/classes/:id/lesson-records: newest lesson first, with the subjects a record may name. */
export const LessonRecordList = z.object({ records: z.array(LessonRecordView), subjects: z.array(z.string()) });
export type LessonRecordList = z.infer<typeof LessonRecordList>;
