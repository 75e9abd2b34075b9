import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import type { Config } from '../../config.js';
import { DeepLinkSelection } from '../../contract/session.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import type { LtiRuntime } from '../lti/deps.js';
import { answerDeepLinking, getSession, refreshToken } from './service.js';

export function sessionRoutes(deps: { models: Models; curriculum: Curriculum; runtime: LtiRuntime; config: Config }): Router {
  const router = Router();
  router.get('/session', async (req, res) => {
    res.json(await getSession(deps.models, ctxOf(req)));
  });
  router.post('/session/refresh', async (req, res) => {
    res.json(await refreshToken(deps.runtime.launchKey, ctxOf(req)));
  });
  router.post('/deep-linking/response', async (req, res) => {
    const { moduleIds } = parse(DeepLinkSelection, req.body);
    res.json(await answerDeepLinking(deps, ctxOf(req), moduleIds));
  });
  return router;
}
