import express, { Router, type Response } from 'express';
import type { Curriculum } from '../../../curriculum/index.js';
import type { Config } from '../../config.js';
import {
  ClassParams,
  CreateComment,
  CreateGroupEncounter,
  CreateLogEntry,
  EntryParams,
  EvidenceParams,
  EvidenceQuery,
  HostConfirmation,
  HostParams,
  LogLimits,
  PupilParams,
  UpdateLogEntry,
  VerifyEntry,
  type LogEntryView,
} from '../../contract/log.js';
import type { Models } from '../../db/models.js';
import { AppError } from '../../errors.js';
import { ctxOf, type RequestContext } from '../../http/authenticate.js';
import { parse } from '../../http/validate.js';
import { presentCompetencies, presentEncounterTypes, presentEntry, presentHostRequest } from './present.js';
import * as log from './service.js';
import type { Access, LogDeps, LogEntryDoc } from './service.js';

type Deps = { models: Models; curriculum: Curriculum; config: Pick<Config, 'publicUrl'> };

async function present(deps: LogDeps, ctx: RequestContext, entries: LogEntryDoc[], access: Access): Promise<LogEntryView[]> {
  const names = await log.namesFor(deps.models, ctx.schoolId, entries);
  return entries.map((e) => presentEntry(deps.curriculum, e, access, ctx, names, log.isReflected(e)));
}

/** The log API for signed-in people (mounted on the authenticated api router). */
export function logRoutes(deps: Deps): Router {
  const router = Router();
  const one = async (res: Response, ctx: RequestContext, entry: LogEntryDoc, access: Access, status = 200) => {
    const [view] = await present(deps, ctx, [entry], access);
    res.status(status).json({ entry: view });
  };

  router.get('/log/options', (_req, res) => {
    res.json({ encounterTypes: presentEncounterTypes(deps.curriculum), competencies: presentCompetencies(deps.curriculum) });
  });
  router.get('/log/entries', async (req, res) => {
    const ctx = ctxOf(req);
    const { entries, access } = await log.listOwnEntries(deps, ctx);
    res.json({ entries: await present(deps, ctx, entries, access), encounterTypes: presentEncounterTypes(deps.curriculum) });
  });
  router.post('/log/entries', async (req, res) => {
    const input = parse(CreateLogEntry, req.body);
    const ctx = ctxOf(req);
    await one(res, ctx, await log.createEntry(deps, ctx, input), 'owner', 201);
  });
  router.get('/log/entries/:id', async (req, res) => {
    const { id } = parse(EntryParams, req.params);
    const ctx = ctxOf(req);
    const { entry, access } = await log.getEntry(deps, ctx, id);
    await one(res, ctx, entry, access);
  });
  router.patch('/log/entries/:id', async (req, res) => {
    const { id } = parse(EntryParams, req.params);
    const input = parse(UpdateLogEntry, req.body);
    const ctx = ctxOf(req);
    await one(res, ctx, await log.updateEntry(deps, ctx, id, input), 'owner');
  });
  router.post('/log/entries/:id/verify', async (req, res) => {
    const { id } = parse(EntryParams, req.params);
    const { note } = parse(VerifyEntry, req.body ?? {});
    const ctx = ctxOf(req);
    await one(res, ctx, await log.verifyEntry(deps, ctx, id, note), 'staff');
  });
  router.post('/log/entries/:id/comments', async (req, res) => {
    const { id } = parse(EntryParams, req.params);
    const { text } = parse(CreateComment, req.body);
    const ctx = ctxOf(req);
    const entry = await log.commentOnEntry(deps, ctx, id, text);
    await one(res, ctx, entry, entry.pupilId === ctx.actor.id ? 'owner' : 'staff', 201);
  });
  router.post('/log/entries/:id/host-link', async (req, res) => {
    const { id } = parse(EntryParams, req.params);
    const { url, expiresAt } = await log.createHostLink(deps, ctxOf(req), id);
    res.status(201).json({ url, expiresAt: expiresAt.toISOString() });
  });
  // Raw bytes up to the file limit; voice notes are held to their smaller limit in the service.
  router.post('/log/entries/:id/evidence', express.raw({ type: () => true, limit: LogLimits.fileBytes }), async (req, res) => {
    const { id } = parse(EntryParams, req.params);
    const query = parse(EvidenceQuery, req.query);
    const ctx = ctxOf(req);
    const entry = await log.addEvidence(deps, ctx, id, { ...query, declaredType: req.headers['content-type'], body: req.body });
    await one(res, ctx, entry, 'owner', 201);
  });
  router.get('/log/entries/:id/evidence/:evidenceId', async (req, res) => {
    const { id, evidenceId } = parse(EvidenceParams, req.params);
    const file = await log.readEvidence(deps, ctxOf(req), id, evidenceId);
    const filename = (file.name ?? `evidence-${evidenceId}`).replace(/[^\w.\- ]/g, '_');
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    // Served bytes never run as a page: no scripts, no plugins, even if a browser tried to render them.
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox");
    res.setHeader(
      'Content-Disposition',
      `${file.contentType === 'application/pdf' ? 'attachment' : 'inline'}; filename="${filename}"`,
    );
    res.send(file.data);
  });
  router.delete('/log/entries/:id/evidence/:evidenceId', async (req, res) => {
    const { id, evidenceId } = parse(EvidenceParams, req.params);
    const ctx = ctxOf(req);
    await one(res, ctx, await log.removeEvidence(deps, ctx, id, evidenceId), 'owner');
  });
  router.get('/log/pupils/:pupilId/entries', async (req, res) => {
    const { pupilId } = parse(PupilParams, req.params);
    const ctx = ctxOf(req);
    const { entries, access } = await log.listPupilEntries(deps, ctx, pupilId);
    res.json({ entries: await present(deps, ctx, entries, access), encounterTypes: presentEncounterTypes(deps.curriculum) });
  });
  router.get('/log/classes/:classId/pupils', async (req, res) => {
    const { classId } = parse(ClassParams, req.params);
    res.json(await log.classLogSummary(deps, ctxOf(req), classId));
  });
  router.post('/log/group-encounters', async (req, res) => {
    const input = parse(CreateGroupEncounter, req.body);
    const group = await log.createGroupEncounter(deps, ctxOf(req), input);
    res
      .status(201)
      .json({ group: { id: group.id, pupils: group.pupils, scope: { classId: group.classId, yearGroup: group.yearGroup } } });
  });
  return router;
}

/**
 * The hosting organisation's side: no account, no launch token. Mounted outside the authenticated router. Every
 * bad, used or expired token answers the same 404; a small per-address window keeps guessing pointless (tokens
 * are 256 random bits anyway) and lets a proxy rate-limit `/api/host/` as one path.
 */
export function hostRoutes(deps: Deps, options: { maxPerMinute?: number; now?: () => number } = {}): Router {
  const router = Router();
  const max = options.maxPerMinute ?? 60;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  router.use('/host', (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const key = req.ip ?? 'unknown';
    const t = now();
    const w = windows.get(key);
    if (!w || t - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      windows.set(key, { start: t, count: 1 });
    } else if (++w.count > max) {
      res.setHeader('Retry-After', String(Math.ceil((w.start + 60_000 - t) / 1000)));
      throw new AppError({ status: 429, code: 'too_many_requests', message: 'Too many requests. Try again in a minute.' });
    }
    next();
  });
  router.get('/host/:token', async (req, res) => {
    const { token } = parseToken(req.params);
    const { entry, pupilFirstName } = await log.readHostRequest(deps, token);
    res.json({ request: presentHostRequest(deps.curriculum, entry, pupilFirstName) });
  });
  router.post('/host/:token', async (req, res) => {
    const { token } = parseToken(req.params);
    const input = parse(HostConfirmation, req.body);
    await log.confirmAsHost(deps, token, input);
    res.json({ confirmed: true });
  });
  return router;
}

/** A malformed token is as unknown as a wrong one: 404, so the answer says nothing about the format. */
function parseToken(params: unknown): { token: string } {
  const result = HostParams.safeParse(params);
  if (!result.success) throw new AppError({ status: 404, code: 'not_found', message: 'No such link.' });
  return result.data;
}
