/**
 * Admin API for a school's LRS destinations, for planners with admin rights (as server/modules/admin/routes.ts):
 * list with delivery status, add, remove, pause/resume, dead letters and replay. Always the planner's own school;
 * another school's destination answers 404 like a missing one.
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  CreateLrsDestination,
  LrsAuthInput,
  LrsDestinationId,
  PauseLrsDestination,
  ReplayDeadLetters,
} from '../../../contract/lrs-destinations.js';
import type { Models } from '../../../db/models.js';
import { forbidden } from '../../../errors.js';
import { ctxOf, type RequestContext } from '../../../http/authenticate.js';
import { parse } from '../../../http/validate.js';
import {
  addDestination,
  listDeadLetters,
  listDestinations,
  pauseDestination,
  removeDestination,
  replayDeadLetters,
  resumeDestination,
} from './service.js';

const Params = z.strictObject({ id: LrsDestinationId });
const ResumeBody = z.strictObject({ auth: LrsAuthInput.optional() });

function authorizeAdmin(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner')
    throw forbidden('Only your school’s Waymark administrators (careers leaders with admin rights) can do this.');
}

export function lrsDestinationRoutes(deps: { models: Models; secret: string }): Router {
  const router = Router();
  const scoped = (ctx: RequestContext) => ({ schoolId: ctx.schoolId });

  router.get('/admin/lrs-destinations', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    res.json({ destinations: await listDestinations(deps, scoped(ctx)) });
  });

  router.post('/admin/lrs-destinations', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const input = parse(CreateLrsDestination, req.body);
    res.status(201).json({ destination: await addDestination(deps, scoped(ctx), input) });
  });

  router.delete('/admin/lrs-destinations/:id', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(Params, req.params);
    await removeDestination(deps, scoped(ctx), id);
    res.status(204).end();
  });

  router.post('/admin/lrs-destinations/:id/pause', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(Params, req.params);
    const { reason } = parse(PauseLrsDestination, req.body ?? {});
    res.json({ destination: await pauseDestination(deps, scoped(ctx), id, reason) });
  });

  router.post('/admin/lrs-destinations/:id/resume', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(Params, req.params);
    const { auth } = parse(ResumeBody, req.body ?? {});
    res.json({ destination: await resumeDestination(deps, scoped(ctx), id, auth) });
  });

  router.get('/admin/lrs-destinations/:id/dead-letters', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(Params, req.params);
    res.json({ deadLetters: await listDeadLetters(deps, scoped(ctx), id) });
  });

  router.post('/admin/lrs-destinations/:id/replay', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(Params, req.params);
    const which = parse(ReplayDeadLetters, req.body);
    res.json(await replayDeadLetters(deps, scoped(ctx), id, which));
  });

  return router;
}
