/**
 * Erasure of one pupil (GDPR Art. 17), idempotent and resumable without transactions: the job document is written
 * first; each step empties one collection of the pupil and is ticked off in the job; the job is then marked done and
 * forgets the LMS id it needed. A crash leaves a running job that the next request (or the retention sweep) picks up
 * where it stopped; steps already done are skipped, and every step is safe to repeat.
 */
import { createHmac } from 'node:crypto';
import type { Models } from '../../db/models.js';
import type { Logger } from '../../log.js';
import { agentKey } from '../xapi/agents.js';
import { xapiAgentForUser } from '../xapi/generator.js';
import type { JsonObject } from '../xapi/validate.js';
import { eraseEntries, type EraseEntry, type ModelName, type Subject } from './registry.js';
import { eraseDocuments, eraseStatements } from './xapi-steps.js';

export interface EraseDeps {
  models: Models;
  /** PUBLIC_URL (Waymark's own agent and activity ids live under it). */
  publicUrl: string;
  /** KEY_ENCRYPTION_SECRET: keys the tombstone hash, so LMS ids cannot be guessed back from it. */
  secret: string;
  logger?: Logger;
  now?: () => Date;
  /** Test hook: runs after each step is recorded (a throw here simulates a crash mid-way). */
  afterStep?: (step: string) => void;
}

export interface ErasureJobView {
  pupilId: string;
  status: 'running' | 'done';
  reason: 'request' | 'retention';
  requestedAt: Date;
  completedAt: Date | null;
  steps: string[];
  counts: Record<string, number>;
}

/** The tombstone of a (school, platform, LMS user): a keyed hash, so it names nobody. */
export function tombstoneOf(secret: string, schoolId: string, platformId: string, sub: string): string {
  return createHmac('sha256', secret).update(`waymark-erased\0${schoolId}\0${platformId}\0${sub}`).digest('base64url');
}

/** True when this LMS user of the school was erased: a roster sync should not create them again. */
export async function isErased(models: Models, secret: string, u: { schoolId: string; platformId: string; sub: string }) {
  const tombstone = tombstoneOf(secret, u.schoolId, u.platformId, u.sub);
  return Boolean(await models.ErasureJob.exists({ schoolId: u.schoolId, tombstone }));
}

/** Of these LMS users of a school, the subs that were erased (one query). */
export async function erasedSubs(
  models: Models,
  secret: string,
  where: { schoolId: string; platformId: string },
  subs: string[],
): Promise<Set<string>> {
  if (!subs.length) return new Set();
  const bySign = new Map(subs.map((sub) => [tombstoneOf(secret, where.schoolId, where.platformId, sub), sub]));
  const found = await models.ErasureJob.find(
    { schoolId: where.schoolId, tombstone: { $in: [...bySign.keys()] } },
    { tombstone: 1 },
  ).lean();
  return new Set(found.flatMap((j) => bySign.get(j.tombstone) ?? []));
}

/** The steps in order: learning events first (the xAPI generator reads them), the xAPI store, the rest, the user. */
export function erasureSteps(): string[] {
  const entries = eraseEntries().filter(([, e]) => e.category !== 'xapi');
  const names = entries.map(([m]) => m as string).filter((m) => m !== 'LearningEvent' && m !== 'User');
  return ['LearningEvent', 'xapi', 'XapiDocument', ...names, 'xapi-final', 'User'];
}

async function subjectOf(
  models: Models,
  job: { schoolId: string; pupilId: string; subject?: { sub?: string | null } | null },
): Promise<Subject> {
  const entries = await models.LogEntry.find({ schoolId: job.schoolId, pupilId: job.pupilId }, { _id: 1 }).lean();
  return {
    schoolId: job.schoolId,
    pupilId: job.pupilId,
    sub: job.subject?.sub ?? '',
    entryIds: entries.map((e) => String(e._id)),
  };
}

const present = (job: {
  pupilId: string;
  status: string;
  reason: string;
  requestedAt: Date;
  completedAt?: Date | null;
  steps?: string[];
  counts?: unknown;
}): ErasureJobView => ({
  pupilId: job.pupilId,
  status: job.status as 'running' | 'done',
  reason: job.reason as 'request' | 'retention',
  requestedAt: job.requestedAt,
  completedAt: job.completedAt ?? null,
  steps: job.steps ?? [],
  counts: (job.counts ?? {}) as Record<string, number>,
});

/**
 * Starts (or resumes, or returns the finished) erasure of a pupil of `schoolId`. The caller has checked the actor.
 * @returns undefined when there is no such pupil and no erasure of them (the route answers 404).
 */
export async function erasePupil(
  deps: EraseDeps,
  input: { schoolId: string; pupilId: string; requestedBy: string; reason: 'request' | 'retention' },
): Promise<ErasureJobView | undefined> {
  const { models } = deps;
  const { schoolId, pupilId } = input;
  let job = await models.ErasureJob.findOne({ schoolId, pupilId }).lean();
  if (job?.status === 'done') return present(job);
  if (!job) {
    const user = await models.User.findOne({ schoolId, _id: pupilId, role: 'pupil' }, { sub: 1, platformId: 1 }).lean();
    if (!user) return undefined;
    const agent = (await xapiAgentForUser(models, { schoolId, userId: pupilId, publicUrl: deps.publicUrl })) as JsonObject;
    // Waymark names the pupil by LMS issuer + sub when it knows the issuer, else under its own URL; other tools in
    // the school use the LMS account. Every form is looked for.
    const keys = new Set<string>([`account:${deps.publicUrl}|user:${pupilId}`]);
    const own = agentKey(agent);
    if (own) keys.add(own);
    try {
      await models.ErasureJob.create({
        schoolId,
        pupilId,
        tombstone: tombstoneOf(deps.secret, schoolId, user.platformId, user.sub),
        status: 'running',
        reason: input.reason,
        requestedBy: input.requestedBy,
        requestedAt: deps.now ? deps.now() : new Date(),
        subject: { sub: user.sub, platformId: user.platformId, agent: JSON.stringify(agent), keys: [...keys] },
        steps: [],
        counts: {},
      });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // another request started it: resume that one
    }
    job = await models.ErasureJob.findOne({ schoolId, pupilId }).lean();
    if (!job) return undefined;
  }
  deps.logger?.info({ schoolId, pupilId, resumedAt: job.steps.length }, 'erasing a pupil');

  const done = new Set(job.steps);
  const xapiSubject = {
    schoolId,
    keys: job.subject?.keys ?? [],
    agent: JSON.parse(job.subject?.agent ?? '{}') as JsonObject,
    tombstone: job.tombstone,
    publicUrl: deps.publicUrl,
    at: job.requestedAt,
  };
  const entries = new Map(eraseEntries());
  for (const step of erasureSteps()) {
    if (done.has(step)) continue;
    const counts: Record<string, number> = {};
    if (step === 'xapi' || step === 'xapi-final') {
      const c = await eraseStatements(models, xapiSubject);
      for (const [k, v] of Object.entries(c) as [string, number][]) counts[`${step}-${k}`] = v;
    } else if (step === 'XapiDocument') {
      counts[step] = await eraseDocuments(models, xapiSubject);
    } else {
      const entry = entries.get(step as ModelName) as EraseEntry;
      const subject = await subjectOf(models, job);
      const model = models[step as ModelName] as unknown as {
        deleteMany(f: unknown): Promise<{ deletedCount: number }>;
        updateMany(f: unknown, u: unknown): Promise<{ modifiedCount: number }>;
      };
      counts[step] = entry.update
        ? (await model.updateMany(entry.filter(subject), entry.update(subject))).modifiedCount
        : (await model.deleteMany(entry.filter(subject))).deletedCount;
    }
    const inc = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));
    await models.ErasureJob.updateOne({ schoolId, pupilId }, { $addToSet: { steps: step }, $inc: inc });
    deps.afterStep?.(step);
  }
  await models.ErasureJob.updateOne(
    { schoolId, pupilId },
    { $set: { status: 'done', completedAt: deps.now ? deps.now() : new Date() }, $unset: { subject: 1 } },
  );
  deps.logger?.info({ schoolId, pupilId }, 'pupil erased');
  return present((await models.ErasureJob.findOne({ schoolId, pupilId }).lean()) as NonNullable<typeof job>);
}

/** Finishes erasures a crash left running (the retention sweep calls this). */
export async function resumeErasures(deps: EraseDeps, schoolId: string): Promise<number> {
  const running = await deps.models.ErasureJob.find(
    { schoolId, status: 'running' },
    { pupilId: 1, requestedBy: 1, reason: 1 },
  ).lean();
  for (const j of running) await erasePupil(deps, { schoolId, pupilId: j.pupilId, requestedBy: j.requestedBy, reason: j.reason });
  return running.length;
}
