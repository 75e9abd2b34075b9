import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import type { Config } from '../../config.js';
import { JourneyPdfQuery, SetReflectionPrivacy } from '../../contract/journey.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import * as journey from './service.js';

/** The pupil's career journey (mounted on the authenticated api router). */
export function journeyRoutes(deps: { models: Models; curriculum: Curriculum; config: Pick<Config, 'publicUrl'> }): Router {
  const router = Router();
  router.get('/journey', async (req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ items: await journey.getJourney(deps, ctxOf(req)) });
  });
  router.patch('/journey/reflections', async (req, res) => {
    const input = parse(SetReflectionPrivacy, req.body);
    const ctx = ctxOf(req);
    await journey.setReflectionPrivacy(deps, ctx, input);
    res.json({ items: await journey.getJourney(deps, ctx) });
  });
  router.get('/journey.pdf', async (req, res) => {
    const query = parse(JourneyPdfQuery, req.query);
    const { pdf, filename } = await journey.journeyPdf(deps, ctxOf(req), query);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(pdf);
  });
  return router;
}
