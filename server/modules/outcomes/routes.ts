import express, { Router } from 'express';
import { z } from 'zod';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { invalid } from '../../errors.js';
import { CHECKPOINTS, Cohort, DestinationParams, DestinationsQuery, RecordDestination } from './contract.js';
import * as outcomes from './service.js';

const SummaryQuery = z.strictObject({ cohort: Cohort.optional(), checkpoint: z.enum(CHECKPOINTS).optional() });

/** Leavers' destinations and the outcomes view, for planners (mounted on the authenticated api router). */
export function outcomesRoutes(deps: { models: Models; now?: () => Date }): Router {
  const router = Router();
  router.use('/planner/destinations', (_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  router.get('/planner/destinations', async (req, res) => {
    res.json(await outcomes.listDestinations(deps, ctxOf(req), parse(DestinationsQuery, req.query)));
  });
  router.get('/planner/destinations.csv', async (req, res) => {
    const { csv, filename } = await outcomes.destinationsCsv(deps, ctxOf(req), parse(DestinationsQuery, req.query));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.type('text/csv; charset=utf-8').send(csv);
  });
  router.get('/planner/destinations/summary', async (req, res) => {
    res.json(await outcomes.outcomesSummary(deps, ctxOf(req), parse(SummaryQuery, req.query)));
  });
  router.post(
    '/planner/destinations/import',
    express.text({ type: ['text/csv', 'text/plain'], limit: '1mb' }),
    async (req, res) => {
      const body: unknown = req.body;
      if (typeof body !== 'string' || body.trim() === '')
        throw invalid('Send the CSV as the request body (Content-Type: text/csv).');
      res.json(await outcomes.importDestinations(deps, ctxOf(req), body));
    },
  );
  router.put('/planner/destinations/:pupilId/:checkpoint', async (req, res) => {
    const { pupilId, checkpoint } = parse(DestinationParams, req.params);
    const input = parse(RecordDestination, req.body);
    res.json({ leaver: await outcomes.recordDestination(deps, ctxOf(req), pupilId, checkpoint, input) });
  });
  router.delete('/planner/destinations/:pupilId/:checkpoint', async (req, res) => {
    const { pupilId, checkpoint } = parse(DestinationParams, req.params);
    await outcomes.removeDestination(deps, ctxOf(req), pupilId, checkpoint);
    res.status(204).end();
  });
  return router;
}
