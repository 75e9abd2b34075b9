import { Router } from 'express';
import type { AppDeps } from '../../app.js';

/** `/healthz`: the process is alive. `/readyz`: the database answers, so the process can take traffic. */
export function healthRoutes(deps: Pick<AppDeps, 'db'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = await deps.db.ping();
    res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'unavailable', checks: { database } });
  });
  return router;
}
