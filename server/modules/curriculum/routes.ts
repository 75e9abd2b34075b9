import { Router } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import { ModuleListQuery, ModuleParams, VersionQuery } from '../../contract/curriculum.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { getModule, listModules, presentModuleFor, publishSchoolModule } from './service.js';

export function curriculumRoutes(deps: { models: Models; curriculum: Curriculum }): Router {
  const router = Router();
  router.get('/modules', async (req, res) => {
    const query = parse(ModuleListQuery, req.query);
    res.json({ modules: await listModules(deps.models, deps.curriculum, ctxOf(req), query) });
  });
  router.get('/modules/:id', async (req, res) => {
    const { id } = parse(ModuleParams, req.params);
    const { version } = parse(VersionQuery, req.query);
    const ctx = ctxOf(req);
    const { module, source } = await getModule(deps.models, deps.curriculum, ctx, id, version);
    res.json({ module: presentModuleFor(ctx.actor.role, module), source });
  });
  router.post('/school-modules', async (req, res) => {
    res.status(201).json({ module: await publishSchoolModule(deps.models, deps.curriculum, ctxOf(req), req.body) });
  });
  return router;
}
