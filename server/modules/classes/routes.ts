/** The teacher's class view API (mounted on the authenticated api router). */
import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import {
  AssignModule,
  AssignmentParams,
  ClassParams,
  CreateFeedback,
  FeedbackParams,
  PupilModuleParams,
} from '../../contract/classes.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentAssignment, presentCsv, presentFeedback, presentOverview, presentPupilWork } from './present.js';
import * as classes from './service.js';

export function classesRoutes(deps: { models: Models; curriculum: Curriculum }): Router {
  const router = Router();

  router.get('/classes/:id/overview', async (req, res) => {
    const { id } = parse(ClassParams, req.params);
    res.json(presentOverview(await classes.classOverview(deps, ctxOf(req), id)));
  });

  router.get('/classes/:id/export.csv', async (req, res) => {
    const { id } = parse(ClassParams, req.params);
    const view = presentOverview(await classes.classOverview(deps, ctxOf(req), id));
    const name = (view.class.label ?? view.class.title ?? 'class').replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 60) || 'class';
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="waymark-progress-${name}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(presentCsv(view));
  });

  router.post('/classes/:id/assignments', async (req, res) => {
    const { id } = parse(ClassParams, req.params);
    const input = parse(AssignModule, req.body);
    const { assignment, created } = await classes.assignModule(deps, ctxOf(req), id, input);
    res.status(created ? 201 : 200).json({ assignment: presentAssignment(assignment) });
  });

  router.delete('/classes/:id/assignments/:moduleId', async (req, res) => {
    const { id, moduleId } = parse(AssignmentParams, req.params);
    await classes.unassignModule(deps, ctxOf(req), id, moduleId);
    res.status(204).end();
  });

  router.get('/classes/:id/pupils/:pupilId/modules/:moduleId', async (req, res) => {
    const { id, pupilId, moduleId } = parse(PupilModuleParams, req.params);
    res.json(presentPupilWork(await classes.pupilModuleWork(deps, ctxOf(req), id, pupilId, moduleId)));
  });

  router.post('/classes/:id/pupils/:pupilId/modules/:moduleId/feedback', async (req, res) => {
    const { id, pupilId, moduleId } = parse(PupilModuleParams, req.params);
    const input = parse(CreateFeedback, req.body);
    res.status(201).json(presentPupilWork(await classes.giveFeedback(deps, ctxOf(req), id, pupilId, moduleId, input)));
  });

  // The pupil's side: their teacher's feedback on a module (shown in the module they did).
  router.get('/feedback/modules/:moduleId', async (req, res) => {
    const { moduleId } = parse(FeedbackParams, req.params);
    res.json({ feedback: (await classes.myFeedback(deps, ctxOf(req), moduleId)).map(presentFeedback) });
  });

  return router;
}
