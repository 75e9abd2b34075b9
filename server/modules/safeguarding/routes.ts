import { Router } from 'express';
import { CreateConcern, SetSafeguardingContact } from '../../contract/safeguarding.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentConcerns, presentContact } from './present.js';
import * as safeguarding from './service.js';

/** Safeguarding contact and concerns (mounted on the authenticated api router). */
export function safeguardingRoutes(deps: { models: Models }): Router {
  const router = Router();
  router.use('/safeguarding', (_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  router.get('/safeguarding/contact', async (req, res) => {
    res.json(presentContact(await safeguarding.getContact(deps, ctxOf(req))));
  });
  router.put('/safeguarding/contact', async (req, res) => {
    const { userId } = parse(SetSafeguardingContact, req.body);
    res.json(presentContact(await safeguarding.setContact(deps, ctxOf(req), userId)));
  });
  router.get('/safeguarding/staff', async (req, res) => {
    const staff = await safeguarding.listStaff(deps, ctxOf(req));
    res.json({ staff: staff.map((u) => ({ id: String(u._id), name: u.name ?? null, role: u.role })) });
  });
  router.post('/safeguarding/concerns', async (req, res) => {
    const input = parse(CreateConcern, req.body);
    const { id, reportedAt } = await safeguarding.reportConcern(deps, ctxOf(req), input);
    res.status(201).json({ id, reportedAt: reportedAt.toISOString() });
  });
  router.get('/safeguarding/concerns', async (req, res) => {
    res.json({ concerns: presentConcerns(await safeguarding.listConcerns(deps, ctxOf(req))) });
  });
  return router;
}
