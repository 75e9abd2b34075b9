import { Router } from 'express';
import { DashboardQuery, UploadPupilGroups } from '../../contract/dashboard.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentDashboardCsv } from './present.js';
import * as dashboard from './service.js';

/** The planner's whole-school dashboard (mounted on the authenticated api router). */
export function dashboardRoutes(deps: dashboard.DashboardDeps): Router {
  const router = Router();
  router.get('/planner/dashboard', async (req, res) => {
    const query = parse(DashboardQuery, req.query);
    res.json(await dashboard.getDashboard(deps, ctxOf(req), query));
  });
  router.get('/planner/dashboard.csv', async (req, res) => {
    const query = parse(DashboardQuery, req.query);
    const view = await dashboard.getDashboard(deps, ctxOf(req), query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="waymark-dashboard-${view.academicYear.id}.csv"`);
    res.send(presentDashboardCsv(view));
  });
  router.get('/planner/dashboard.pdf', async (req, res) => {
    const query = parse(DashboardQuery, req.query);
    const { yearId, pdf } = await dashboard.getDashboardPdf(deps, ctxOf(req), query);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="waymark-dashboard-${yearId}.pdf"`);
    res.send(pdf);
  });
  router.post('/planner/dashboard/groups', async (req, res) => {
    const { csv } = parse(UploadPupilGroups, req.body);
    res.json(await dashboard.uploadPupilGroups(deps.models, ctxOf(req), csv));
  });
  return router;
}
