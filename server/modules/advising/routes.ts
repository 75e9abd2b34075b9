import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import { AddNote, AddReferral, CaseloadQuery, UpdateReview } from '../../contract/advising.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentRecord } from './present.js';
import * as advising from './service.js';

/** The external adviser's caseload and readiness reviews (mounted on the authenticated api router). */
export function advisingRoutes(deps: { models: Models; curriculum: Curriculum }): Router {
  const router = Router();
  router.get('/adviser/caseload', async (req, res) => {
    const query = parse(CaseloadQuery, req.query);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await advising.caseload(deps, ctxOf(req), query));
  });
  router.get('/adviser/pupils/:pupilId/review', async (req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await advising.getReview(deps, ctxOf(req), req.params.pupilId));
  });
  router.patch('/adviser/pupils/:pupilId/review', async (req, res) => {
    const input = parse(UpdateReview, req.body);
    res.json({ record: presentRecord(await advising.updateReview(deps, ctxOf(req), req.params.pupilId, input)) });
  });
  router.post('/adviser/pupils/:pupilId/review/notes', async (req, res) => {
    const input = parse(AddNote, req.body);
    res.status(201).json({ record: presentRecord(await advising.addNote(deps, ctxOf(req), req.params.pupilId, input)) });
  });
  router.post('/adviser/pupils/:pupilId/review/referrals', async (req, res) => {
    const input = parse(AddReferral, req.body);
    res.status(201).json({ record: presentRecord(await advising.addReferral(deps, ctxOf(req), req.params.pupilId, input)) });
  });
  return router;
}
