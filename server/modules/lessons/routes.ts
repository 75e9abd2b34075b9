import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import { SUBJECTS } from '../../../curriculum/schema.js';
import { ClassIdParams, CreateLessonRecord } from '../../contract/lessons.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentLessonRecord } from './present.js';
import * as lessons from './service.js';

/** Career learning in ordinary lessons (mounted on the authenticated api router). */
export function lessonRoutes(deps: { models: Models; curriculum: Curriculum }): Router {
  const router = Router();
  router.get('/classes/:id/lesson-records', async (req, res) => {
    const { id } = parse(ClassIdParams, req.params);
    const { records, names } = await lessons.listLessons(deps, ctxOf(req), id);
    res.json({ records: records.map((r) => presentLessonRecord(r, names)), subjects: [...SUBJECTS] });
  });
  router.post('/classes/:id/lesson-records', async (req, res) => {
    const { id } = parse(ClassIdParams, req.params);
    const input = parse(CreateLessonRecord, req.body);
    const ctx = ctxOf(req);
    const record = await lessons.recordLesson(deps, ctx, id, input);
    res.status(201).json({ record: presentLessonRecord(record, new Map([[ctx.actor.id, null]])) });
  });
  return router;
}
