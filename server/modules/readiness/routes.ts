import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import { InstrumentQuery, SubmitReadiness } from '../../contract/readiness.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { pupilSummary } from './present.js';
import * as readiness from './service.js';

/** The pupil's readiness check (mounted on the authenticated api router). */
export function readinessRoutes(deps: { models: Models; curriculum: Curriculum }): Router {
  const router = Router();
  router.get('/readiness/instrument', async (req, res) => {
    const query = parse(InstrumentQuery, req.query);
    const ctx = ctxOf(req);
    res.json(await readiness.getInstrument(deps, ctx, query.lang ?? ctx.lang));
  });
  router.post('/readiness/results', async (req, res) => {
    const input = parse(SubmitReadiness, req.body);
    const doc = await readiness.submitReadiness(deps, ctxOf(req), input);
    res.status(201).json(pupilSummary(deps.curriculum, doc));
  });
  router.get('/readiness/results', async (req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    const docs = await readiness.myResults(deps, ctxOf(req));
    res.json({ results: docs.map((d) => pupilSummary(deps.curriculum, d)) });
  });
  return router;
}
