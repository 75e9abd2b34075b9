/**
 * The school admin API for planners with school-admin rights (LTI institution Administrator): the school's LMS
 * registrations and frame origins, deployments waiting to be claimed, and grades the LMS did not accept.
 * Everything is scoped to the planner's own school. Claiming a deployment stays with the hosting operator
 * (`npm run admin -- lti-deployment claim`): on platforms that share one client id across schools (Blackboard),
 * a school cannot prove from here that a new deployment is its own.
 */
import { Router } from 'express';
import { z } from 'zod';
import { CreatePlatform, FrameOrigin, PlatformId } from '../../contract/platforms.js';
import type { Models } from '../../db/models.js';
import { forbidden, notFound } from '../../errors.js';
import { ctxOf, type RequestContext } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { listFailedScoreJobs, retryScoreJob } from '../grades/admin.js';
import { addFrameOrigin, addPlatform, listPendingDeployments, listPlatforms } from '../platforms/service.js';

const CreateOwnPlatform = CreatePlatform.omit({ schoolId: true });
const JobParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be a job id') });

function authorizeAdmin(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner')
    throw forbidden('Only your school’s Waymark administrators (careers leaders with admin rights) can do this.');
}

export function adminRoutes(deps: { models: Models }): Router {
  const { models } = deps;
  const router = Router();

  router.get('/admin/platforms', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    res.json({ platforms: await listPlatforms(models, { schoolId: ctx.schoolId }) });
  });

  router.post('/admin/platforms', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const input = parse(CreateOwnPlatform, req.body);
    res.status(201).json({ platform: await addPlatform(models, { ...input, schoolId: ctx.schoolId }) });
  });

  router.post('/admin/platforms/:id/frame-origins', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(z.strictObject({ id: PlatformId }), req.params);
    const { origin } = parse(z.strictObject({ origin: FrameOrigin }), req.body);
    const own = await models.Platform.exists({ _id: id, schoolId: ctx.schoolId });
    if (!own) throw notFound('platform');
    res.json({ platform: await addFrameOrigin(models, { id, origin }) });
  });

  router.get('/admin/pending-deployments', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const pending = await listPendingDeployments(models);
    res.json({
      pending: pending
        .filter((p) => p.candidates.some((c) => c.schoolId === ctx.schoolId))
        .map(({ candidates: _c, ...rest }) => rest),
    });
  });

  router.get('/admin/score-jobs', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    res.json({ failed: await listFailedScoreJobs(models, { schoolId: ctx.schoolId }) });
  });

  router.post('/admin/score-jobs/:id/retry', async (req, res) => {
    const ctx = ctxOf(req);
    authorizeAdmin(ctx);
    const { id } = parse(JobParams, req.params);
    if (!(await models.ScoreJob.exists({ schoolId: ctx.schoolId, _id: id }))) throw notFound('score job');
    res.json({ job: await retryScoreJob(models, { id }) });
  });

  return router;
}
