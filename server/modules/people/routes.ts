/** Class rosters for teachers and planners (mounted on the authenticated api router). */
import { Router } from 'express';
import { RosterClassParams, SetClassYearGroup } from '../../contract/roster.js';
import { yearGroupToStage } from '../../../curriculum/index.js';
import { invalid } from '../../errors.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import type { LtiRuntime } from '../lti/deps.js';
import { authorizeRoster, listRoster, syncRoster } from './roster.js';

export interface PeopleRouteDeps {
  models: Models;
  runtime: Pick<LtiRuntime, 'registrations' | 'tokens' | 'fetch' | 'clock' | 'secret'>;
}

export function peopleRoutes(deps: PeopleRouteDeps): Router {
  const { models, runtime } = deps;
  const router = Router();

  router.get('/classes/:id/roster', async (req, res) => {
    const { id } = parse(RosterClassParams, req.params);
    const cls = await authorizeRoster(models, ctxOf(req), id);
    res.json(await listRoster(models, cls));
  });

  router.post('/classes/:id/roster/sync', async (req, res) => {
    const { id } = parse(RosterClassParams, req.params);
    const ctx = ctxOf(req);
    await authorizeRoster(models, ctx, id);
    const result = await syncRoster({ models, runtime, logger: req.log }, ctx.schoolId, id);
    res.json({ sync: result });
  });

  // The class-to-year-group mapping: pupils whose launches carry no `year_group` take their class's.
  router.put('/classes/:id/year-group', async (req, res) => {
    const { id } = parse(RosterClassParams, req.params);
    const { yearGroup } = parse(SetClassYearGroup, req.body);
    const ctx = ctxOf(req);
    const cls = await authorizeRoster(models, ctx, id);
    const code = yearGroup?.toUpperCase() ?? null;
    if (code !== null && yearGroupToStage(code) === undefined) {
      throw invalid('The request is not valid.', [{ path: 'yearGroup', message: `unknown year-group code ${code}` }]);
    }
    await models.Class.updateOne(
      { schoolId: ctx.schoolId, _id: cls._id },
      code ? { $set: { yearGroup: code } } : { $unset: { yearGroup: 1 } },
    );
    res.json({ class: { id, yearGroup: code, stage: code ? yearGroupToStage(code) : null } });
  });

  return router;
}
