/**
 * Privacy for planners (issue 8, item 7): export everything held about a pupil (JSON + PDF), erase a pupil, and set
 * the school's retention periods. Planners only; another school's pupil answers 404 like a missing one.
 */
import type { Models } from '../../db/models.js';
import { forbidden, invalid, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import type { Logger } from '../../log.js';
import type { ErasureView, RetentionView, SetRetention } from './contract.js';
import { erasePupil, type EraseDeps } from './erase.js';
import { buildExport, type PupilExport } from './export.js';
import { renderExportPdf } from './pdf.js';
import { REGISTRY } from './registry.js';
import { periodsOf, RETENTION_DEFAULTS } from './retention.js';
import { RETENTION_LIMITS } from './retention-limits.js';

export interface PrivacyDeps {
  models: Models;
  config: { publicUrl: string; keyEncryptionSecret: string };
  logger?: Logger;
  now?: () => Date;
  afterStep?: (step: string) => void;
}

/** @throws AppError 403 unless the actor is a planner. */
function authorizePlanner(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner') throw forbidden('Only careers leaders (planners) can export or erase a pupil’s data.');
}

const eraseDeps = (deps: PrivacyDeps): EraseDeps => ({
  models: deps.models,
  publicUrl: deps.config.publicUrl,
  secret: deps.config.keyEncryptionSecret,
  ...(deps.logger ? { logger: deps.logger } : {}),
  ...(deps.now ? { now: deps.now } : {}),
  ...(deps.afterStep ? { afterStep: deps.afterStep } : {}),
});

/** Everything held about the pupil, machine-readable. @throws 403, 404 */
export async function exportPupil(deps: PrivacyDeps, ctx: RequestContext, pupilId: string): Promise<PupilExport> {
  authorizePlanner(ctx);
  const data = await buildExport(
    { models: deps.models, publicUrl: deps.config.publicUrl, ...(deps.now ? { now: deps.now } : {}) },
    ctx.schoolId,
    pupilId,
  );
  if (!data) throw notFound('pupil');
  deps.logger?.info({ schoolId: ctx.schoolId, pupilId, by: ctx.actor.id }, 'pupil data exported');
  return data;
}

/** The readable summary of the export, as a PDF in the planner's language. @throws 403, 404 */
export async function exportPupilPdf(deps: PrivacyDeps, ctx: RequestContext, pupilId: string): Promise<Buffer> {
  return renderExportPdf(await exportPupil(deps, ctx, pupilId), ctx.lang);
}

const KEPT = Object.entries(REGISTRY)
  .filter(([, e]) => e?.action === 'keep' && /pupil/i.test(e.personFields.join(' ')))
  .map(([model, e]) => ({ collection: model, reason: e?.action === 'keep' ? e.reason : '' }));

/**
 * Erases a pupil (or finishes an erasure a crash interrupted; a finished one answers as it stands).
 * @throws AppError 403, 400 (confirmation does not name this pupil), 404 (no such pupil in this school)
 */
export async function erase(deps: PrivacyDeps, ctx: RequestContext, pupilId: string, confirm: string): Promise<ErasureView> {
  authorizePlanner(ctx);
  if (confirm !== pupilId)
    throw invalid('Confirm the erasure by sending the pupil’s id as `confirm`.', [
      { path: 'confirm', message: 'must be the pupil’s id' },
    ]);
  const job = await erasePupil(eraseDeps(deps), {
    schoolId: ctx.schoolId,
    pupilId,
    requestedBy: ctx.actor.id,
    reason: 'request',
  });
  if (!job) throw notFound('pupil');
  return {
    pupilId: job.pupilId,
    status: job.status,
    requestedAt: job.requestedAt.toISOString(),
    completedAt: job.completedAt?.toISOString() ?? null,
    counts: job.counts,
    kept: KEPT,
  };
}

/** Pupils by name for the privacy page's picker (at most 20). @throws 403 */
export async function findPupils(deps: PrivacyDeps, ctx: RequestContext, q: string | undefined) {
  authorizePlanner(ctx);
  const escaped = (q ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pupils = await deps.models.User.find(
    { schoolId: ctx.schoolId, role: 'pupil', ...(escaped ? { name: { $regex: escaped, $options: 'i' } } : {}) },
    { name: 1, yearGroup: 1 },
  )
    .sort({ name: 1 })
    .limit(20)
    .lean();
  return pupils.map((p) => ({ id: String(p._id), name: p.name ?? null, yearGroup: p.yearGroup ?? null }));
}

async function retentionView(models: Models, schoolId: string): Promise<RetentionView> {
  const policy = await models.RetentionPolicy.findOne({ schoolId }, { lastRun: 1 }).lean();
  return {
    periods: await periodsOf(models, schoolId),
    defaults: { ...RETENTION_DEFAULTS },
    limits: RETENTION_LIMITS,
    lastRun: policy?.lastRun?.at
      ? { at: policy.lastRun.at.toISOString(), counts: (policy.lastRun.counts ?? {}) as Record<string, number> }
      : null,
  };
}

/** The school's retention periods (defaults where unset). @throws 403 */
export async function getRetention(deps: PrivacyDeps, ctx: RequestContext): Promise<RetentionView> {
  authorizePlanner(ctx);
  return retentionView(deps.models, ctx.schoolId);
}

/** Sets some of the school's retention periods. @throws 403 */
export async function setRetention(deps: PrivacyDeps, ctx: RequestContext, input: SetRetention): Promise<RetentionView> {
  authorizePlanner(ctx);
  const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  await deps.models.RetentionPolicy.updateOne(
    { schoolId: ctx.schoolId },
    { $set: { ...set, updatedBy: ctx.actor.id, updatedAt: deps.now ? deps.now() : new Date() } },
    { upsert: true },
  );
  return retentionView(deps.models, ctx.schoolId);
}
