/**
 * The curriculum as the server serves it: built-in modules from curriculum/ (loaded and validated at start-up),
 * every published version kept in MongoDB, and each school's own modules (same schema, same validation).
 */
import { createHash } from 'node:crypto';
import { validateModule, type Curriculum } from '../../../curriculum/index.js';
import type { Module } from '../../../curriculum/schema.js';
import type { ModuleSummary } from '../../contract/curriculum.js';
import type { RequestContext } from '../../http/authenticate.js';
import type { Models } from '../../db/models.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';

const BUILTIN = 'builtin';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const contentHash = (module: unknown) => createHash('sha256').update(canonical(module)).digest('base64url');

const versionId = (schoolId: string | null, moduleId: string, version: number) => `${schoolId ?? BUILTIN}:${moduleId}@${version}`;

/**
 * Records the current version of every built-in module (idempotent). A file whose content changed while its
 * version did not is reported: published versions are immutable, so the old content stays what pupils did.
 */
export async function publishBuiltinModules(
  models: Models,
  curriculum: Curriculum,
  logger: Logger,
  now = new Date(),
): Promise<{ published: number; unchangedVersionEdits: string[] }> {
  let published = 0;
  const unchangedVersionEdits: string[] = [];
  for (const module of curriculum.modules.values()) {
    const hash = contentHash(module);
    const _id = versionId(null, module.id, module.version);
    const existing = await models.ModuleVersion.findById(_id, { contentHash: 1 }).lean();
    if (existing) {
      if (existing.contentHash !== hash) unchangedVersionEdits.push(module.id);
      continue;
    }
    await models.ModuleVersion.updateOne(
      { _id },
      {
        $setOnInsert: {
          schoolId: null,
          moduleId: module.id,
          version: module.version,
          stage: module.stage,
          content: module,
          contentHash: hash,
          publishedAt: now,
        },
      },
      { upsert: true },
    );
    published += 1;
  }
  if (unchangedVersionEdits.length) {
    logger.error(
      { modules: unchangedVersionEdits },
      'built-in modules changed without a version bump: bump `version` so pupils keep the version they did',
    );
  }
  return { published, unchangedVersionEdits };
}

export function summarize(module: Module, source: 'builtin' | 'school'): ModuleSummary {
  return {
    id: module.id,
    version: module.version,
    stage: module.stage,
    title: module.title,
    summary: module.summary,
    minutes: module.minutes,
    competencies: module.competencies.map((c) => ({ id: c.id, primary: c.primary })),
    activityTypes: [...new Set(module.activities.map((a) => a.type))],
    source,
  };
}

/** Built-in and this school's modules, filtered by stage and competency, built-in first then by title. */
export async function listModules(
  models: Models,
  curriculum: Curriculum,
  ctx: RequestContext,
  filter: { stage?: string; competency?: string },
): Promise<ModuleSummary[]> {
  const matches = (m: Module) =>
    (!filter.stage || m.stage === filter.stage) && (!filter.competency || m.competencies.some((c) => c.id === filter.competency));
  const builtin = [...curriculum.modules.values()].filter(matches).map((m) => summarize(m, 'builtin'));
  const school = (await latestSchoolModules(models, ctx.schoolId)).filter(matches).map((m) => summarize(m, 'school'));
  return [...builtin, ...school];
}

async function latestSchoolModules(models: Models, schoolId: string): Promise<Module[]> {
  const docs = await models.ModuleVersion.aggregate<{ content: Module }>([
    { $match: { schoolId } },
    { $sort: { moduleId: 1, version: -1 } },
    { $group: { _id: '$moduleId', content: { $first: '$content' } } },
  ]);
  return docs.map((d) => d.content);
}

/**
 * One module: the current version, or the given one (for a pupil resuming what they started).
 * @throws AppError 404 when neither a built-in nor this school's module has that id (or version).
 */
export async function getModule(
  models: Models,
  curriculum: Curriculum,
  ctx: RequestContext,
  moduleId: string,
  version?: number,
): Promise<{ module: Module; source: 'builtin' | 'school' }> {
  const builtin = curriculum.modules.get(moduleId);
  if (builtin) {
    if (!version || version === builtin.version) return { module: builtin, source: 'builtin' };
    const old = await models.ModuleVersion.findById(versionId(null, moduleId, version)).lean();
    if (!old) throw notFound('module version');
    return { module: old.content as Module, source: 'builtin' };
  }
  const filter = version ? { schoolId: ctx.schoolId, moduleId, version } : { schoolId: ctx.schoolId, moduleId };
  const doc = await models.ModuleVersion.findOne(filter).sort({ version: -1 }).lean();
  if (!doc) throw notFound('module');
  return { module: doc.content as Module, source: 'school' };
}

function assertCanAuthor(ctx: RequestContext): void {
  if (ctx.actor.role !== 'teacher' && ctx.actor.role !== 'planner')
    throw forbidden('Only teachers and careers leaders can publish school modules.');
}

/**
 * Publishes a school-authored module: version 1 for a new id, or the next version of an existing one.
 * @throws AppError 400 module_invalid with every problem, 409 module_id_taken / version_conflict, 403 for pupils.
 */
export async function publishSchoolModule(
  models: Models,
  curriculum: Curriculum,
  ctx: RequestContext,
  candidate: unknown,
  now = new Date(),
): Promise<ModuleSummary> {
  assertCanAuthor(ctx);
  const problems = validateModule(candidate, curriculum, 'module');
  if (problems.length) {
    const taken = problems.find((p) => p.path === 'id' && p.message.includes('taken by a built-in module'));
    if (taken)
      throw conflict(
        'module_id_taken',
        `The id "${(candidate as { id?: string }).id ?? ''}" belongs to a built-in module; choose another.`,
      );
    throw new AppError({
      status: 400,
      code: 'module_invalid',
      message: 'The module is not valid.',
      details: problems.map((p) => ({ path: p.path, message: p.message })),
    });
  }
  const module = candidate as Module;
  const latest = await models.ModuleVersion.findOne({ schoolId: ctx.schoolId, moduleId: module.id }).sort({ version: -1 }).lean();
  const expected = (latest?.version ?? 0) + 1;
  if (module.version !== expected) {
    throw conflict('version_conflict', `This module's next version is ${expected}; the module says ${module.version}.`);
  }
  try {
    await models.ModuleVersion.create({
      _id: versionId(ctx.schoolId, module.id, module.version),
      schoolId: ctx.schoolId,
      moduleId: module.id,
      version: module.version,
      stage: module.stage,
      content: module,
      contentHash: contentHash(module),
      publishedAt: now,
      publishedBy: ctx.actor.id,
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw conflict('version_conflict', 'Someone published this version at the same moment. Reload and try again.');
    throw err;
  }
  return summarize(module, 'school');
}

/** What a pupil sees: the module without teacher notes. */
export function presentModuleFor(
  role: RequestContext['actor']['role'],
  module: Module,
): Omit<Module, 'teacherNotes'> & { teacherNotes?: Module['teacherNotes'] } {
  if (role !== 'pupil') return module;
  const { teacherNotes: _notes, ...pupilView } = module;
  return pupilView;
}

export { invalid };
