/** /api/planner/sharing/... (planner), consent for staff and pupils, and the adviser's own list. */
import { Router } from 'express';
import type { Config } from '../../config.js';
import {
  AuditQuery,
  ConsentQuery,
  CreateAdviser,
  CreateGrant,
  CreatePartner,
  LinkLmsUser,
  MyConsent,
  RecordConsent,
  RenewGrant,
  SetPolicy,
} from '../../contract/sharing.js';
import type { Models } from '../../db/models.js';
import { ctxOf } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { createInvitation, listInvitations } from '../adviser-auth/service.js';
import { launchTokenKey } from '../../http/launch-token.js';
import { auditCsv, presentAdviser, presentGrant, presentInvitation, presentPartner } from './present.js';
import * as sharing from './service.js';

export function sharingRoutes(deps: { models: Models; config: Config; clock?: { now(): Date } }): Router {
  const router = Router();
  const { models } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const svc = { models, clock };
  const auth = { models, config: deps.config, clock, launchKey: launchTokenKey(deps.config.keyEncryptionSecret) };
  const base = '/planner/sharing';

  router.get(`${base}/options`, async (req, res) => {
    res.json(await sharing.sharingOptions(svc, ctxOf(req)));
  });
  router.get(`${base}/partners`, async (req, res) => {
    res.json((await sharing.listPartners(svc, ctxOf(req))).map(presentPartner));
  });
  router.post(`${base}/partners`, async (req, res) => {
    const input = parse(CreatePartner, req.body);
    res.status(201).json(presentPartner(await sharing.addPartner(svc, ctxOf(req), input)));
  });
  router.get(`${base}/advisers`, async (req, res) => {
    const ctx = ctxOf(req);
    const advisers = await sharing.listAdvisers(svc, ctx);
    res.json(
      await Promise.all(
        advisers.map(async (a) => presentAdviser(a, await sharing.lmsUserIdOf(models, ctx.schoolId, a.lmsLinks))),
      ),
    );
  });
  router.post(`${base}/advisers`, async (req, res) => {
    const input = parse(CreateAdviser, req.body);
    const ctx = ctxOf(req);
    const a = await sharing.addAdviser(svc, ctx, input);
    res.status(201).json(presentAdviser(a, await sharing.lmsUserIdOf(models, ctx.schoolId, a.lmsLinks)));
  });
  router.put(`${base}/advisers/:id/lms-user`, async (req, res) => {
    const { userId } = parse(LinkLmsUser, req.body);
    const ctx = ctxOf(req);
    const a = await sharing.linkLmsUser(svc, ctx, req.params.id, userId);
    res.json(a ? presentAdviser(a, await sharing.lmsUserIdOf(models, ctx.schoolId, a.lmsLinks)) : null);
  });
  router.post(`${base}/advisers/:id/invitations`, async (req, res) => {
    const created = await createInvitation(auth, ctxOf(req), req.params.id);
    res.status(201).json({ url: created.url, expiresAt: created.expiresAt, mailed: created.mailed });
  });
  router.get(`${base}/invitations`, async (req, res) => {
    res.json((await listInvitations(auth, ctxOf(req))).map(presentInvitation));
  });

  router.get(`${base}/grants`, async (req, res) => {
    const ctx = ctxOf(req);
    const grants = await sharing.listGrants(svc, ctx);
    const counts = await sharing.grantPupilCounts(models, ctx.schoolId, grants);
    res.json(grants.map((g) => presentGrant(g, clock.now(), counts.get(String(g._id)) ?? 0)));
  });
  router.post(`${base}/grants`, async (req, res) => {
    const input = parse(CreateGrant, req.body);
    const ctx = ctxOf(req);
    const g = await sharing.createGrant(svc, ctx, input);
    const counts = await sharing.grantPupilCounts(models, ctx.schoolId, [g]);
    res.status(201).json(presentGrant(g, clock.now(), counts.get(String(g._id)) ?? 0));
  });
  router.post(`${base}/grants/:id/renew`, async (req, res) => {
    const { expiresAt } = parse(RenewGrant, req.body);
    const g = await sharing.renewGrant(svc, ctxOf(req), req.params.id, expiresAt);
    res.json(
      g ? presentGrant(g, clock.now(), (await sharing.grantPupilCounts(models, g.schoolId, [g])).get(String(g._id)) ?? 0) : null,
    );
  });
  router.post(`${base}/grants/:id/revoke`, async (req, res) => {
    const g = await sharing.revokeGrant(svc, ctxOf(req), req.params.id);
    res.json(g ? presentGrant(g, clock.now(), 0) : null);
  });

  router.get(`${base}/policy`, async (req, res) => {
    res.json(await sharing.getPolicy(svc, ctxOf(req)));
  });
  router.put(`${base}/policy`, async (req, res) => {
    const input = parse(SetPolicy, req.body);
    res.json(await sharing.setPolicy(svc, ctxOf(req), input));
  });
  // Staff (planner, or a teacher for their classes) read and record consent.
  router.get('/sharing/consents', async (req, res) => {
    const query = parse(ConsentQuery, req.query);
    res.json(await sharing.listConsents(svc, ctxOf(req), query));
  });
  router.put('/sharing/consents/:pupilId', async (req, res) => {
    const input = parse(RecordConsent, req.body);
    res.json(await sharing.recordConsent(svc, ctxOf(req), req.params.pupilId, input));
  });
  router.get('/sharing/my-consent', async (req, res) => {
    res.json(await sharing.getMyConsent(svc, ctxOf(req)));
  });
  router.put('/sharing/my-consent', async (req, res) => {
    const { status } = parse(MyConsent, req.body);
    res.json(await sharing.setMyConsent(svc, ctxOf(req), status));
  });

  router.get(`${base}/audit`, async (req, res) => {
    const query = parse(AuditQuery, req.query);
    const rows = await sharing.readAudit(svc, ctxOf(req), query);
    if (query.format === 'csv') {
      res
        .set('Content-Disposition', 'attachment; filename="adviser-audit.csv"')
        .type('text/csv; charset=utf-8')
        .send(auditCsv(rows));
      return;
    }
    res.json(rows);
  });

  router.get('/sharing/shared-with-me', async (req, res) => {
    res.json(await sharing.sharedWithMe(svc, ctxOf(req)));
  });
  return router;
}
