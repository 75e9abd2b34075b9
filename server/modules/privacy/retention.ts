/**
 * Retention: each school's periods per kind of data, and the scheduled sweep that enforces them (one process at a
 * time, by lease; idempotent: it deletes what is past its period, so a second run finds nothing).
 *
 * Defaults (docs/privacy.md):
 * - destinations: 4 years after the pupil left (the three-year follow-up, plus a year to report on it);
 * - learning (events, module attempts, experience log and evidence, saved jobs, readiness, adviser reviews,
 *   dashboard summaries): 1 year after leaving, so a leaver can still ask for their journey;
 * - a leaver's account: erased in full (the erasure job, xAPI voiding included) once both periods have passed;
 * - access logs (partner reads of the LRS, adviser views of pupils): 12 months.
 * Pupils who have not left are never touched by the sweep; safeguarding records follow the school's safeguarding
 * policy, not this sweep.
 */
import type { Models } from '../../db/models.js';
import { withLease } from '../../db/lease.js';
import type { Logger } from '../../log.js';
import { listLeavers } from '../outcomes/leavers.js';
import { erasePupil, resumeErasures, type EraseDeps } from './erase.js';
import { eraseEntries, type Subject } from './registry.js';

import { RETENTION_DEFAULTS } from './retention-limits.js';

export { RETENTION_DEFAULTS };
export type RetentionPeriods = { [K in keyof typeof RETENTION_DEFAULTS]: number };

/** How often the background sweep runs. */
export const RETENTION_INTERVAL_MS = 6 * 3600_000;

export async function periodsOf(models: Models, schoolId: string): Promise<RetentionPeriods> {
  const p = await models.RetentionPolicy.findOne({ schoolId }).lean();
  return {
    destinationsYears: p?.destinationsYears ?? RETENTION_DEFAULTS.destinationsYears,
    learningYears: p?.learningYears ?? RETENTION_DEFAULTS.learningYears,
    accessLogMonths: p?.accessLogMonths ?? RETENTION_DEFAULTS.accessLogMonths,
  };
}

const yearsBefore = (now: Date, years: number) => {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
};
const monthsBefore = (now: Date, months: number) => {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};

export type RetentionCounts = Record<string, number>;

/** Applies one school's periods at `now`. */
export async function applyRetention(deps: EraseDeps, schoolId: string, now: Date): Promise<RetentionCounts> {
  const { models } = deps;
  const periods = await periodsOf(models, schoolId);
  const counts: RetentionCounts = {};
  const add = (k: string, n: number) => {
    if (n > 0) counts[k] = (counts[k] ?? 0) + n;
  };
  add('resumedErasures', await resumeErasures(deps, schoolId));

  // Destinations past their period.
  add(
    'Destination',
    (await models.Destination.deleteMany({ schoolId, leftAt: { $lt: yearsBefore(now, periods.destinationsYears) } }))
      .deletedCount,
  );

  const leavers = await listLeavers(models, schoolId, now);
  const learningCutoff = yearsBefore(now, periods.learningYears);
  const accountCutoff = yearsBefore(now, Math.max(periods.learningYears, periods.destinationsYears));
  const learningEntries = eraseEntries().filter(([, e]) => e.category === 'learning');
  for (const l of leavers) {
    if (l.leftAt >= learningCutoff) continue;
    if (l.leftAt < accountCutoff) {
      // Both periods over: the whole account goes, through the erasure job (tombstone, xAPI voiding).
      await erasePupil(deps, { schoolId, pupilId: l.pupilId, requestedBy: 'retention', reason: 'retention' });
      add('erasedLeavers', 1);
      continue;
    }
    const pupil = await models.User.findOne({ schoolId, _id: l.pupilId }, { sub: 1 }).lean();
    const logEntries = await models.LogEntry.find({ schoolId, pupilId: l.pupilId }, { _id: 1 }).lean();
    const subject: Subject = {
      schoolId,
      pupilId: l.pupilId,
      sub: pupil?.sub ?? '',
      entryIds: logEntries.map((e) => String(e._id)),
    };
    for (const [name, entry] of learningEntries) {
      const model = models[name] as unknown as {
        deleteMany(f: unknown): Promise<{ deletedCount: number }>;
        updateMany(f: unknown, u: unknown): Promise<{ modifiedCount: number }>;
      };
      add(
        name,
        entry.update
          ? (await model.updateMany(entry.filter(subject), entry.update(subject))).modifiedCount
          : (await model.deleteMany(entry.filter(subject))).deletedCount,
      );
    }
  }

  // Access logs.
  const logCutoff = monthsBefore(now, periods.accessLogMonths);
  add('XapiAccessLog', (await models.XapiAccessLog.deleteMany({ schoolId, at: { $lt: logCutoff } })).deletedCount);
  add('AdviserView', (await models.AdviserView.deleteMany({ schoolId, at: { $lt: logCutoff } })).deletedCount);

  await models.RetentionPolicy.updateOne({ schoolId }, { $set: { lastRun: { at: now, counts } } }, { upsert: true });
  return counts;
}

/** One sweep over every school, if this process wins the lease. @returns undefined when another process ran it. */
export async function runRetention(deps: EraseDeps, now: Date): Promise<Record<string, RetentionCounts> | undefined> {
  return withLease(
    deps.models,
    'privacy-retention',
    30 * 60_000,
    async () => {
      const result: Record<string, RetentionCounts> = {};
      const schools = await deps.models.School.find({}, { _id: 1 }).lean();
      for (const s of schools) result[s._id] = await applyRetention(deps, s._id, now);
      return result;
    },
    () => now,
  );
}

/**
 * Starts the retention sweep in the background (first run a minute after start, then every RETENTION_INTERVAL_MS).
 * The timer does not keep the process alive; a sweep cut short by shutdown is finished by the next (idempotent).
 */
export function startRetention(deps: {
  models: Models;
  config: { publicUrl: string; keyEncryptionSecret: string };
  logger: Logger;
}): {
  stop(): void;
} {
  const erase: EraseDeps = {
    models: deps.models,
    publicUrl: deps.config.publicUrl,
    secret: deps.config.keyEncryptionSecret,
    logger: deps.logger,
  };
  const tick = () => {
    runRetention(erase, new Date())
      .then((r) => {
        if (r) deps.logger.info({ schools: Object.keys(r).length }, 'retention sweep done');
      })
      .catch((err: unknown) => deps.logger.warn({ err }, 'retention sweep failed; the next run retries'));
  };
  const first = setTimeout(tick, 60_000);
  const timer = setInterval(tick, RETENTION_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
