/**
 * The school calendar: academic years and terms (country defaults plus the school's changes), "this year" for
 * every other module, and the year-group rollover at the start of a year (pupils move up a year group; pupils in a
 * leaving year group become leavers).
 */
import stagesJson from '../../../curriculum/stages.json' with { type: 'json' };
import type { Models } from '../../db/models.js';
import type { RequestContext } from '../../http/authenticate.js';
import { forbidden, invalid } from '../../errors.js';
import { rebuildSummaries } from '../dashboard/summaries.js';
import type { CalendarView, SetAcademicYear, SetCalendarSettings } from '../../contract/calendar.js';
import {
  checkYear,
  defaultLeavingYearGroups,
  isYearId,
  nextYearGroup,
  resolveYear,
  resolveYearByStart,
  startYearOf,
  type AcademicYear,
  type CalendarSource,
} from './defaults.js';

export type { AcademicYear, ResolvedTerm } from './defaults.js';

/** Every year-group code the curriculum knows (curriculum/stages.json), for the succession. */
const CODES: ReadonlySet<string> = new Set([
  ...stagesJson.stages.flatMap((s) => s.yearGroups.map((y) => y.code)),
  ...stagesJson.unstaged.map((y) => y.code),
]);
const known = () => CODES;

/** The school's calendar source (country and changed years); a missing school reads as `other` with no changes. */
export async function calendarSource(
  models: Models,
  schoolId: string,
): Promise<CalendarSource & { leavingYearGroups: string[]; locale: 'en' | 'nl' }> {
  const [school, cal] = await Promise.all([
    models.School.findById(schoolId, { country: 1, locale: 1 }).lean(),
    models.SchoolCalendar.findOne({ schoolId }).lean(),
  ]);
  return {
    country: school?.country ?? 'other',
    locale: school?.locale === 'nl' ? 'nl' : 'en',
    years: (cal?.years ?? []).map((y) => ({
      id: y.id ?? '',
      start: y.start ?? '',
      terms: y.terms.map((t) => ({ id: t.id ?? '', name: t.name ?? '', start: t.start ?? '' })),
    })),
    leavingYearGroups: cal?.leavingYearGroups ?? [],
  };
}

/** The school's academic year that holds `date`: {id: '2026-27', start, end, terms: [{id, name, start, end}]}. */
export async function academicYearOf(models: Models, schoolId: string, date: Date): Promise<AcademicYear> {
  const source = await calendarSource(models, schoolId);
  return resolveYear(source, date, source.locale);
}

/** The school's academic year now. */
export async function currentAcademicYear(models: Models, schoolId: string, now: Date = new Date()): Promise<AcademicYear> {
  return academicYearOf(models, schoolId, now);
}

/** A given academic year of the school (`2026-27`). */
export async function academicYearById(models: Models, schoolId: string, yearId: string): Promise<AcademicYear> {
  const source = await calendarSource(models, schoolId);
  return resolveYearByStart(source, startYearOf(yearId), source.locale);
}

function assertPlanner(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner') throw forbidden('Only planners manage the school calendar.');
}

const present = (y: AcademicYear) => ({
  id: y.id,
  start: y.startDay,
  end: y.endDay,
  custom: y.custom,
  terms: y.terms.map((t) => ({ id: t.id, name: t.name, start: t.startDay, end: t.endDay })),
});

/** The calendar page: last, current and next year, the leaving year groups and the rollovers run. @throws 403. */
export async function getCalendar(models: Models, ctx: RequestContext, now: Date = new Date()): Promise<CalendarView> {
  assertPlanner(ctx);
  const source = await calendarSource(models, ctx.schoolId);
  const current = resolveYear(source, now, source.locale);
  const start = startYearOf(current.id);
  const rollovers = await models.YearRollover.find({ schoolId: ctx.schoolId }).sort({ yearId: -1 }).limit(10).lean();
  return {
    country: source.country,
    currentYearId: current.id,
    years: [start - 1, start, start + 1].map((y) => present(resolveYearByStart(source, y, source.locale))),
    leavingYearGroups: source.leavingYearGroups,
    defaultLeavingYearGroups: defaultLeavingYearGroups(known(), source.country),
    rollovers: rollovers
      .filter((r) => r.status !== 'running')
      .map((r) => ({
        yearId: r.yearId,
        status: r.status as 'baseline' | 'done',
        at: r.at.toISOString(),
        moved: r.moved ?? 0,
        leavers: r.leavers ?? 0,
      })),
  };
}

/**
 * Changes one academic year's first day and terms, then rebuilds the school's dashboard summaries (they file events
 * under years when applied; dashboard/summaries.ts `rebuildSummaries`).
 * @throws AppError 403 (not a planner), 400 (bad year id or dates).
 */
export async function setYear(models: Models, ctx: RequestContext, yearId: string, input: SetAcademicYear): Promise<void> {
  assertPlanner(ctx);
  if (!isYearId(yearId)) throw invalid('The request is not valid.', [{ path: 'yearId', message: 'must look like 2026-27' }]);
  const source = await calendarSource(models, ctx.schoolId);
  const change = { id: yearId, start: input.start, terms: input.terms };
  const problems = checkYear(source, change);
  if (problems.length) throw invalid('The calendar change is not valid.', problems);
  const years = [...source.years.filter((y) => y.id !== yearId), change].sort((a, b) => a.id.localeCompare(b.id));
  await models.SchoolCalendar.updateOne(
    { schoolId: ctx.schoolId },
    { $set: { years, updatedBy: ctx.actor.id } },
    { upsert: true },
  );
  await rebuildSummaries(models, ctx.schoolId);
}

/** Goes back to the country default for one year, then rebuilds the summaries. @throws 403. */
export async function resetYear(models: Models, ctx: RequestContext, yearId: string): Promise<void> {
  assertPlanner(ctx);
  await models.SchoolCalendar.updateOne({ schoolId: ctx.schoolId }, { $pull: { years: { id: yearId } } });
  await rebuildSummaries(models, ctx.schoolId);
}

/** Sets which year groups leave at the end of a year. @throws 403, 400 (unknown code). */
export async function setSettings(models: Models, ctx: RequestContext, input: SetCalendarSettings): Promise<void> {
  assertPlanner(ctx);
  const codes = known();
  const wanted = [...new Set(input.leavingYearGroups.map((c) => c.toUpperCase()))];
  const details = wanted
    .map((c, i) => (codes.has(c) ? null : { path: `leavingYearGroups.${String(i)}`, message: `unknown year-group code ${c}` }))
    .filter((d): d is { path: string; message: string } => d !== null);
  if (details.length) throw invalid('The request is not valid.', details);
  await models.SchoolCalendar.updateOne(
    { schoolId: ctx.schoolId },
    { $set: { leavingYearGroups: wanted, updatedBy: ctx.actor.id } },
    { upsert: true },
  );
}

export interface RolloverResult {
  yearId: string;
  status: 'baseline' | 'done';
  moved: number;
  leavers: number;
  /** False: this year's rollover had already run; nothing changed. */
  ran: boolean;
}

const isDuplicateKey = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

/**
 * Moves the school's pupils into academic year `yearId`: each pupil whose year group belongs to an earlier year
 * moves up one year group; a pupil in a leaving year group becomes a leaver (`leaverYear` = the year they
 * finished) and keeps their last year group. A pupil who launched from the LMS since the year started already
 * carries this year's year group (the LMS sends it) and is only marked as current.
 *
 * Idempotent: each pupil's update is conditional on `yearGroupYear` being earlier than `yearId`, so running it twice
 * (two processes, a retry after a crash, the job and a planner) moves nobody twice; the YearRollover record says
 * it ran.
 */
export async function rolloverYearGroups(
  models: Models,
  schoolId: string,
  yearId: string,
  opts: { by?: string; now?: Date } = {},
): Promise<RolloverResult> {
  const now = opts.now ?? new Date();
  const existing = await models.YearRollover.findOne({ schoolId, yearId }).lean();
  if (existing && existing.status !== 'running')
    return { yearId, status: existing.status, moved: existing.moved ?? 0, leavers: existing.leavers ?? 0, ran: false };
  if (!existing) {
    try {
      await models.YearRollover.create({ schoolId, yearId, status: 'running', at: now, ...(opts.by ? { by: opts.by } : {}) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  const source = await calendarSource(models, schoolId);
  const year = resolveYearByStart(source, startYearOf(yearId), source.locale);
  const previousId = resolveYearByStart(source, startYearOf(yearId) - 1, source.locale).id;
  const codes = known();
  const leaving = new Set(
    source.leavingYearGroups.length ? source.leavingYearGroups : defaultLeavingYearGroups(codes, source.country),
  );
  const pupils = await models.User.find(
    {
      schoolId,
      role: 'pupil',
      leaverYear: { $exists: false },
      yearGroup: { $exists: true },
      $or: [{ yearGroupYear: { $exists: false } }, { yearGroupYear: { $lt: yearId } }],
    },
    { yearGroup: 1, yearGroupYear: 1, lastLaunchAt: 1 },
  ).lean();
  let moved = 0;
  let leavers = 0;
  const ops = pupils.map((p) => {
    const code = (p.yearGroup ?? '').toUpperCase();
    let set: Record<string, string> = { yearGroupYear: yearId };
    if (p.lastLaunchAt && p.lastLaunchAt >= year.start) {
      // The LMS sent this year's year group at a launch after the year began: nothing to move.
    } else if (leaving.has(code)) {
      set = { ...set, leaverYear: previousId };
      leavers += 1;
    } else {
      const next = nextYearGroup(code, codes);
      if (next) {
        set = { ...set, yearGroup: next };
        moved += 1;
      }
    }
    return {
      updateOne: {
        filter: {
          schoolId,
          _id: p._id,
          yearGroup: p.yearGroup,
          $or: [{ yearGroupYear: { $exists: false } }, { yearGroupYear: { $lt: yearId } }],
        },
        update: { $set: set },
      },
    };
  });
  for (let i = 0; i < ops.length; i += 500) await models.User.bulkWrite(ops.slice(i, i + 500), { ordered: false });
  await models.YearRollover.updateOne({ schoolId, yearId }, { $set: { status: 'done', at: now, moved, leavers } });
  return { yearId, status: 'done', moved, leavers, ran: true };
}

/** A planner runs the rollover into `yearId` (default: the current year) now. @throws 403, 400. */
export async function runRollover(
  models: Models,
  ctx: RequestContext,
  yearId: string | undefined,
  now = new Date(),
): Promise<RolloverResult> {
  assertPlanner(ctx);
  const current = await currentAcademicYear(models, ctx.schoolId, now);
  const target = yearId ?? current.id;
  if (!isYearId(target) || target > current.id)
    throw invalid('The request is not valid.', [{ path: 'yearId', message: 'must be this year or an earlier one' }]);
  return rolloverYearGroups(models, ctx.schoolId, target, { by: ctx.actor.id, now });
}

/**
 * The scheduled job: for each school whose current academic year has no rollover yet, runs it, or, for a school
 * seen for the first time, records a baseline (its year groups are this year's as they stand).
 */
export async function runScheduledRollovers(models: Models, now: Date = new Date()): Promise<RolloverResult[]> {
  const schools = await models.School.find({}, { _id: 1 }).lean();
  const results: RolloverResult[] = [];
  for (const school of schools) {
    const schoolId = school._id;
    const current = await currentAcademicYear(models, schoolId, now);
    const mine = await models.YearRollover.find({ schoolId }, { yearId: 1, status: 1 }).lean();
    const done = mine.find((r) => r.yearId === current.id);
    if (done && done.status !== 'running') continue;
    if (!mine.some((r) => r.yearId < current.id) && !done) {
      try {
        await models.YearRollover.create({ schoolId, yearId: current.id, status: 'baseline', at: now });
        results.push({ yearId: current.id, status: 'baseline', moved: 0, leavers: 0, ran: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      continue;
    }
    results.push(await rolloverYearGroups(models, schoolId, current.id, { now }));
  }
  return results;
}
