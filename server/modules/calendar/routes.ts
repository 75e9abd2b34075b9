import { Router } from 'express';
import { RunRollover, SetAcademicYear, SetCalendarSettings, YearParams } from '../../contract/calendar.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import * as calendar from './service.js';

/** The school calendar for planners (mounted on the authenticated api router). */
export function calendarRoutes(deps: { models: Models }): Router {
  const router = Router();
  router.get('/planner/calendar', async (req, res) => {
    res.json(await calendar.getCalendar(deps.models, ctxOf(req)));
  });
  router.put('/planner/calendar/years/:yearId', async (req, res) => {
    const { yearId } = parse(YearParams, req.params);
    const input = parse(SetAcademicYear, req.body);
    const ctx = ctxOf(req);
    await calendar.setYear(deps.models, ctx, yearId, input);
    res.json(await calendar.getCalendar(deps.models, ctx));
  });
  router.delete('/planner/calendar/years/:yearId', async (req, res) => {
    const { yearId } = parse(YearParams, req.params);
    const ctx = ctxOf(req);
    await calendar.resetYear(deps.models, ctx, yearId);
    res.json(await calendar.getCalendar(deps.models, ctx));
  });
  router.put('/planner/calendar/settings', async (req, res) => {
    const input = parse(SetCalendarSettings, req.body);
    const ctx = ctxOf(req);
    await calendar.setSettings(deps.models, ctx, input);
    res.json(await calendar.getCalendar(deps.models, ctx));
  });
  router.post('/planner/calendar/rollover', async (req, res) => {
    const { yearId } = parse(RunRollover, req.body ?? {});
    const result = await calendar.runRollover(deps.models, ctxOf(req), yearId);
    res.json({ rollover: result });
  });
  return router;
}
