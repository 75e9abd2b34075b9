import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import { CompleteModule, ProgressParams, SaveAnswer } from '../../contract/progress.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentAttempt, presentMyProgress, presentSaveResult } from './present.js';
import * as progress from './service.js';

/** The pupil's progress API (mounted on the authenticated api router). */
export function progressRoutes(deps: { models: Models; curriculum: Curriculum }): Router {
  const router = Router();
  router.get('/progress/me', async (req, res) => {
    res.json(presentMyProgress(await progress.myProgress(deps, ctxOf(req))));
  });
  router.get('/progress/modules/:moduleId', async (req, res) => {
    const { moduleId } = parse(ProgressParams, req.params);
    const { module, attempt } = await progress.getAttempt(deps, ctxOf(req), moduleId);
    res.json(presentAttempt(module, attempt));
  });
  router.put('/progress/modules/:moduleId/activities/:activityId', async (req, res) => {
    const { moduleId, activityId = '' } = parse(ProgressParams, req.params);
    const input = parse(SaveAnswer, req.body);
    res.json(presentSaveResult(await progress.saveAnswer(deps, ctxOf(req), moduleId, activityId, input)));
  });
  router.post('/progress/modules/:moduleId/complete', async (req, res) => {
    const { moduleId } = parse(ProgressParams, req.params);
    const input = parse(CompleteModule, req.body ?? {});
    const { module, attempt } = await progress.completeModule(deps, ctxOf(req), moduleId, input);
    res.json(presentAttempt(module, attempt));
  });
  return router;
}
