/**
 * The synthetic school generator (`npm run seed`, the demo's sample activity, `npm run bench:dashboard`):
 * a school with its platform, roster and a year of activity written through the real services (./activity.ts).
 *
 * A run is recorded in `seed_runs` (one document per generated school). Seeding a school that was seeded before
 * is refused unless `reset` is given, which deletes everything the school holds first; a school that was not
 * generated (a real one, or the demo) is never reset.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Curriculum } from '../../curriculum/index.js';
import type { Config } from '../config.js';
import type { Models } from '../db/models.js';
import { AppError } from '../errors.js';
import { createSchool } from '../modules/schools/service.js';
import {
  addStats,
  prepareRun,
  runPupils,
  runStaffPhase,
  type ActivityOptions,
  type ActivityStats,
  type ReadinessPort,
} from './activity.js';
import type { WorkerInput, WorkerMessage } from './worker.js';
import { lastCompletedYearId, seedYear, yearIdOf } from './calendar.js';
import { planRoster, writeRoster, type SeedRoster } from './school.js';
import { reviewCaseloads, shareWithAdvisers } from './sharing.js';
import { uploadPupilGroups } from '../modules/dashboard/service.js';
import { rngFor } from './random.js';

export interface SeedDeps {
  models: Models;
  curriculum: Curriculum;
  config: Pick<Config, 'publicUrl'>;
  /** The readiness check, when available (see ./readiness.ts). */
  readiness?: ReadinessPort;
  /**
   * Run the pupils in this many worker threads, each with its own connection to `uri`/`dbName` (the CLI and the
   * benchmark). Without it everything runs in this process (tests, the demo).
   */
  workers?: { count: number; uri: string; dbName: string };
}

export interface SeedOptions {
  schoolId: string;
  pupils: number;
  seed: number;
  /** `2025-26`; defaults to the last academic year that has ended, so the year is complete. */
  academicYear?: string;
  reset?: boolean;
  /** Pupils worked on at once. */
  concurrency?: number;
  /** The real time (tests inject it); nothing is dated after it. */
  now?: Date;
  onProgress?: (line: string) => void;
}

export interface SeedResult {
  schoolId: string;
  seed: number;
  pupils: number;
  academicYear: string;
  events: number;
  eventsByKind: Record<string, number>;
  stats: ActivityStats;
  roster: { classes: number; teachers: number; advisers: number; planners: number };
  seconds: { total: number; roster: number; activity: number; summaries: number };
  eventsPerSecond: number;
}

export interface SeedRun {
  _id: string;
  /** `school`: a generated school (may be reset); `sample`: sample activity added to an existing school (the demo). */
  kind: 'school' | 'sample';
  seed: number;
  pupils: number;
  academicYear: string;
  events: number;
  at: Date;
}

const RUNS = 'seed_runs';
const runs = (models: Models) => models.School.db.collection<SeedRun>(RUNS);

/** The record of an earlier generator run for this school, if any. */
export async function seedRunOf(models: Models, schoolId: string): Promise<SeedRun | null> {
  return runs(models).findOne({ _id: schoolId });
}

/**
 * Deletes everything a generated school holds (every tenant-scoped collection, the school and the run record).
 * @throws AppError 409 not_generated for a school the generator did not create.
 */
export async function resetSeededSchool(models: Models, schoolId: string): Promise<void> {
  const school = await models.School.exists({ _id: schoolId });
  if (school && (await seedRunOf(models, schoolId))?.kind !== 'school')
    throw new AppError({
      status: 409,
      code: 'not_generated',
      message: `School "${schoolId}" was not created by the generator; it is never reset.`,
    });
  for (const model of Object.values(models.School.db.models)) {
    if (model.schema.path('schoolId')) await model.collection.deleteMany({ schoolId });
  }
  // The log writes events straight to the collection, and summaries live in one the models may not all name.
  for (const name of ['learning_events', 'pupil_summaries']) await models.School.db.collection(name).deleteMany({ schoolId });
  await models.School.deleteOne({ _id: schoolId });
  await runs(models).deleteOne({ _id: schoolId });
}

export async function countEvents(models: Models, schoolId: string): Promise<{ total: number; byKind: Record<string, number> }> {
  const rows = await models.LearningEvent.aggregate<{ _id: string; n: number }>([
    { $match: { schoolId } },
    { $group: { _id: '$kind', n: { $sum: 1 } } },
  ]);
  const byKind = Object.fromEntries(rows.sort((a, b) => a._id.localeCompare(b._id)).map((r) => [r._id, r.n]));
  return { total: rows.reduce((s, r) => s + r.n, 0), byKind };
}

/**
 * Brings the dashboard's summaries up to date the way the running server's catch-up job does, when the
 * dashboard module is present. Returns the events applied.
 */
async function catchUpSummaries(models: Models, now: Date): Promise<number> {
  let mod: { applyPendingSummaries?: (m: Models, o: { limit?: number; now?: Date }) => Promise<number> };
  try {
    // A computed specifier: the dashboard's summaries are built alongside this generator and may be absent.
    const specifier = '../modules/dashboard/summaries.js';
    mod = (await import(/* @vite-ignore */ specifier)) as typeof mod;
  } catch {
    return 0;
  }
  if (!mod.applyPendingSummaries) return 0;
  let total = 0;
  for (;;) {
    const n = await mod.applyPendingSummaries(models, { limit: 5000, now });
    total += n;
    if (n === 0) return total;
  }
}

/**
 * Creates a generated school and its year of activity.
 * @throws AppError 409 school_seeded when it was generated before and `reset` is not set; 409 school_exists /
 * not_generated when a school that the generator did not create has this id; 400 for bad options.
 */
export async function seedSchool(deps: SeedDeps, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const say = opts.onProgress ?? (() => undefined);
  if (!Number.isInteger(opts.pupils) || opts.pupils < 1 || opts.pupils > 20_000)
    throw new AppError({ status: 400, code: 'invalid_request', message: '--pupils must be a whole number from 1 to 20000.' });
  const academicYear = opts.academicYear ?? lastCompletedYearId(now);
  let year;
  try {
    year = seedYear(academicYear);
  } catch (err) {
    throw new AppError({ status: 400, code: 'invalid_request', message: (err as Error).message });
  }
  if (year.start > now)
    throw new AppError({ status: 400, code: 'invalid_request', message: `${academicYear} has not started yet.` });

  const { models } = deps;
  const earlier = await seedRunOf(models, opts.schoolId);
  if ((await models.School.exists({ _id: opts.schoolId })) && earlier?.kind !== 'school') {
    throw new AppError({
      status: 409,
      code: 'not_generated',
      message: `School "${opts.schoolId}" exists and was not created by the generator; nothing was changed. Choose another --school.`,
    });
  }
  if (earlier && !opts.reset) {
    throw new AppError({
      status: 409,
      code: 'school_seeded',
      message:
        `School "${opts.schoolId}" was already generated (seed ${String(earlier.seed)}, ${String(earlier.pupils)} pupils, ` +
        `${earlier.academicYear}, ${String(earlier.events)} events, ${earlier.at.toISOString()}). ` +
        'Nothing was changed. Run again with --reset to delete it and generate it afresh.',
    });
  }
  if (opts.reset && earlier) {
    say(`deleting school "${opts.schoolId}"…`);
    await resetSeededSchool(models, opts.schoolId);
  }

  await createSchool(models, {
    id: opts.schoolId,
    name: `Generated school (${opts.schoolId})`,
    locale: 'en',
    country: 'england',
  });
  // Record the run at once, so a failed run can still be reset.
  await runs(models).insertOne({
    _id: opts.schoolId,
    kind: 'school',
    seed: opts.seed,
    pupils: opts.pupils,
    academicYear,
    events: 0,
    at: now,
  });
  const platform = await models.Platform.create({
    schoolId: opts.schoolId,
    name: 'Generated LMS',
    issuer: `https://lms.${opts.schoolId}.seed.invalid`,
    clientId: `seed-${opts.schoolId}`,
    authLoginUrl: `https://lms.${opts.schoolId}.seed.invalid/auth`,
    tokenUrl: `https://lms.${opts.schoolId}.seed.invalid/token`,
    jwksUrl: `https://lms.${opts.schoolId}.seed.invalid/jwks`,
    deploymentIds: [`seed-${opts.schoolId}`],
  });
  const roster = planRoster(
    deps.curriculum,
    { schoolId: opts.schoolId, seed: opts.seed, pupils: opts.pupils, subPrefix: 'seed' },
    String(platform._id),
  );
  await writeRoster(models, roster);
  const rosterDone = performance.now();
  say(
    `roster: ${String(roster.pupils.length)} pupils, ${String(roster.classes.length)} classes, ${String(roster.teachers.length)} teachers`,
  );

  const result = await activityFor(deps, roster, {
    seed: opts.seed,
    academicYear,
    until: now < year.end ? now : year.end,
    now,
    concurrency: opts.concurrency ?? 24,
    say,
  });
  await runs(models).updateOne({ _id: opts.schoolId }, { $set: { events: result.events } });
  const total = (performance.now() - started) / 1000;
  return {
    schoolId: opts.schoolId,
    seed: opts.seed,
    pupils: roster.pupils.length,
    academicYear,
    events: result.events,
    eventsByKind: result.eventsByKind,
    stats: result.stats,
    roster: {
      classes: roster.classes.length,
      teachers: roster.teachers.length,
      advisers: roster.advisers.length,
      planners: roster.planners.length,
    },
    seconds: {
      total: round(total),
      roster: round((rosterDone - started) / 1000),
      activity: round(result.activitySeconds),
      summaries: round(result.summarySeconds),
    },
    eventsPerSecond: Math.round(result.events / Math.max(0.001, result.activitySeconds)),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The pupil groups a school supplies for the dashboard filter (pupil premium, SEND, EAL), as a planner's CSV upload. */
async function uploadGroups(models: Models, schoolId: string, plannerId: string, subs: string[], seed: number): Promise<void> {
  const rows = ['pupil,group'];
  for (const sub of subs) {
    const rng = rngFor(seed, schoolId, 'groups', sub);
    if (rng.chance(0.25)) rows.push(`${sub},Pupil premium`);
    if (rng.chance(0.14)) rows.push(`${sub},SEND`);
    if (rng.chance(0.1)) rows.push(`${sub},EAL`);
  }
  if (rows.length === 1) return;
  const ctx = {
    schoolId,
    actor: { id: plannerId, role: 'planner' as const },
    lang: 'en' as const,
    tokenExpiresAt: new Date(8.64e15),
  };
  await uploadPupilGroups(models, ctx, rows.join('\n'));
}

/**
 * Adds what a generated school made by an earlier version of the generator may lack (adviser grants and consent,
 * pupil groups, adviser reviews), through the same steps a fresh run takes. Idempotent.
 */
export async function completeSeededSchool(deps: SeedDeps, schoolId: string, now: Date = new Date()): Promise<void> {
  const run = await seedRunOf(deps.models, schoolId);
  if (run?.kind !== 'school') return;
  const year = seedYear(run.academicYear);
  const until = now < year.end ? now : year.end;
  await shareWithAdvisers(deps.models, schoolId, { seed: run.seed, year, now });
  const planner = await deps.models.User.findOne({ schoolId, role: 'planner' }, { _id: 1 }).lean();
  if (planner && !(await deps.models.PupilGroup.exists({ schoolId }))) {
    const subs = (await deps.models.User.distinct('sub', { schoolId, role: 'pupil' })).map(String).sort();
    await uploadGroups(deps.models, schoolId, String(planner._id), subs, run.seed);
  }
  await reviewCaseloads(deps.models, deps.curriculum, schoolId, { seed: run.seed, year, until, now });
}

/** Runs one share of the pupils in a worker thread; resolves with its statistics. */
function inWorker(input: WorkerInput, onPupil: () => void): Promise<ActivityStats> {
  return new Promise((resolve, reject) => {
    // Worker threads do not inherit tsx's loader: register it in the thread, then load the TypeScript module.
    const url = new URL('./worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
    const worker = new Worker(boot, { eval: true, workerData: input });
    let stats: ActivityStats | undefined;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'pupil') onPupil();
      else stats = m.stats;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (stats) resolve(stats);
      else reject(new Error(`a generator worker stopped (exit code ${String(code)}) before finishing`));
    });
  });
}

async function activityFor(
  deps: SeedDeps,
  roster: SeedRoster,
  o: {
    seed: number;
    academicYear: string;
    until: Date;
    now: Date;
    concurrency: number;
    say: (line: string) => void;
    signal?: AbortSignal;
  },
) {
  const year = seedYear(o.academicYear);
  const started = performance.now();
  let lastTick = 0;
  const now = o.until;
  const shared = await shareWithAdvisers(deps.models, roster.schoolId, { seed: o.seed, year, now: o.now });
  if (shared.grants) o.say(`sharing: ${String(shared.grants)} grants to advisers, ${String(shared.consents)} pupils' consents`);
  const planner = roster.planners[0];
  if (planner)
    await uploadGroups(
      deps.models,
      roster.schoolId,
      planner.id,
      roster.pupils.map((p) => p.sub),
      o.seed,
    );
  const options: ActivityOptions = { seed: o.seed, year, until: now, concurrency: o.concurrency, signal: o.signal };
  const run = await prepareRun(deps, roster, options, deps.readiness);
  const plan = await runStaffPhase(run);
  o.say(
    `staff: ${String(run.stats.assignments)} assignments, ${String(run.stats.lessons)} lessons, ${String(run.stats.groupEncounters)} group encounters`,
  );
  let done = 0;
  const onPupil = () => {
    done += 1;
    const tick = Math.floor((done * 10) / roster.pupils.length);
    if (tick > lastTick || done === roster.pupils.length) {
      lastTick = tick;
      o.say(
        `pupils: ${String(done)}/${String(roster.pupils.length)} (${String(Math.round((performance.now() - started) / 1000))} s)`,
      );
    }
  };
  const stats = { ...run.stats };
  if (deps.workers && deps.workers.count > 1 && roster.pupils.length >= deps.workers.count * 10) {
    const shards = Array.from({ length: deps.workers.count }, (_, w) =>
      roster.pupils.filter((_, i) => i % (deps.workers?.count ?? 1) === w),
    );
    const results = await Promise.all(
      shards.map((pupils) =>
        inWorker(
          {
            uri: deps.workers?.uri ?? '',
            dbName: deps.workers?.dbName ?? '',
            publicUrl: deps.config.publicUrl,
            roster,
            pupilIds: pupils.map((p) => p.id),
            plan,
            options: {
              seed: o.seed,
              academicYear: o.academicYear,
              until: o.until,
              concurrency: Math.ceil(o.concurrency / shards.length),
            },
            readiness: Boolean(deps.readiness),
          },
          onPupil,
        ),
      ),
    );
    for (const r of results) addStats(stats, r);
  } else {
    const own = await runPupils(run, roster.pupils, onPupil);
    Object.assign(stats, own);
  }
  const reviews = await reviewCaseloads(deps.models, deps.curriculum, roster.schoolId, {
    seed: o.seed,
    year,
    until: o.until,
    now: o.now,
  });
  if (reviews) o.say(`advisers reviewed ${String(reviews)} pupils`);
  const activitySeconds = (performance.now() - started) / 1000;
  const summaryStart = performance.now();
  const applied = await catchUpSummaries(deps.models, o.until);
  if (applied) o.say(`dashboard summaries: ${String(applied)} events applied by the catch-up`);
  const summarySeconds = (performance.now() - summaryStart) / 1000;
  const { total, byKind } = await countEvents(deps.models, roster.schoolId);
  return { stats, events: total, eventsByKind: byKind, activitySeconds, summarySeconds };
}

/**
 * Gives the demo school a small sample of activity in the current academic year (the previous one when the
 * year has only just begun), so a newcomer launching as planner or adviser sees a filled dashboard. Runs only
 * once, and only while the demo school has no learning events of its own.
 * @returns the events written, or 0 when it did nothing.
 */
export async function seedDemoActivity(
  deps: SeedDeps,
  opts: { schoolId?: string; pupils?: number; seed?: number; now?: Date; signal?: AbortSignal } = {},
): Promise<number> {
  const schoolId = opts.schoolId ?? 'demo';
  const { models } = deps;
  if (!(await models.School.exists({ _id: schoolId }))) return 0;
  if (await seedRunOf(models, schoolId)) return 0;
  if (await models.LearningEvent.exists({ schoolId })) return 0;
  const now = opts.now ?? new Date();
  const current = seedYear(yearIdOf(now));
  const elapsed = current.schoolDays.filter((d) => d <= now).length;
  const academicYear = elapsed >= 20 ? current.id : seedYear(yearIdOf(new Date(current.start.getTime() - 1))).id;
  const pupils = opts.pupils ?? 16;
  const seed = opts.seed ?? 1;
  await runs(models).insertOne({ _id: schoolId, kind: 'sample', seed, pupils, academicYear, events: 0, at: now });
  const platform = await models.Platform.findOne({ schoolId }, { _id: 1 }).lean();
  const roster = planRoster(
    deps.curriculum,
    { schoolId, seed, pupils, subPrefix: 'demo-sample' },
    platform ? String(platform._id) : 'demo-sample',
  );
  await writeRoster(models, roster);
  const year = seedYear(academicYear);
  const result = await activityFor(deps, roster, {
    seed,
    academicYear,
    until: now < year.end ? now : year.end,
    now,
    concurrency: 2,
    say: () => undefined,
    signal: opts.signal,
  });
  await runs(models).updateOne({ _id: schoolId }, { $set: { events: result.events } });
  return result.events;
}
