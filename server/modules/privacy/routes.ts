import { Router } from 'express';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import type { Logger } from '../../log.js';
import { EraseRequest, PupilParams, PupilSearch, SetRetention } from './contract.js';
import * as privacy from './service.js';

/** Export, erasure and retention for planners (mounted on the authenticated api router). */
export function privacyRoutes(deps: {
  models: Models;
  config: { publicUrl: string; keyEncryptionSecret: string };
  logger?: Logger;
}): Router {
  const router = Router();
  router.use(['/planner/pupils', '/planner/retention', '/planner/privacy'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  router.get('/planner/pupils/:pupilId/export', async (req, res) => {
    const { pupilId } = parse(PupilParams, req.params);
    const data = await privacy.exportPupil(deps, ctxOf(req), pupilId);
    res.setHeader('Content-Disposition', `attachment; filename="waymark-pupil-${pupilId}.json"`);
    res.json(data);
  });
  router.get('/planner/pupils/:pupilId/export.pdf', async (req, res) => {
    const { pupilId } = parse(PupilParams, req.params);
    const pdf = await privacy.exportPupilPdf(deps, ctxOf(req), pupilId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="waymark-pupil-${pupilId}.pdf"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(pdf);
  });
  router.post('/planner/pupils/:pupilId/erase', async (req, res) => {
    const { pupilId } = parse(PupilParams, req.params);
    const { confirm } = parse(EraseRequest, req.body ?? {});
    res.json({ erasure: await privacy.erase(deps, ctxOf(req), pupilId, confirm) });
  });
  router.get('/planner/privacy/pupils', async (req, res) => {
    const { q } = parse(PupilSearch, req.query);
    res.json({ pupils: await privacy.findPupils(deps, ctxOf(req), q) });
  });
  router.get('/planner/retention', async (req, res) => {
    res.json(await privacy.getRetention(deps, ctxOf(req)));
  });
  router.put('/planner/retention', async (req, res) => {
    const input = parse(SetRetention, req.body);
    res.json(await privacy.setRetention(deps, ctxOf(req), input));
  });
  return router;
}
