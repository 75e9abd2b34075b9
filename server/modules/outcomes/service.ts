/**
 * Leavers' destinations (issue 8, item 4): planners record where each leaver went at leaving and at follow-ups one,
 * two and three years on, in the page or by CSV; the outcomes view puts destinations next to what those pupils did
 * in Waymark, with groups of fewer than MIN_GROUP_SIZE pupils suppressed (docs/privacy.md).
 */
import type { Models } from '../../db/models.js';
import { AppError, forbidden, invalid, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { activityOf, type ActivitySnapshot } from './activity.js';
import {
  CHECKPOINTS,
  Cohort,
  DESTINATION_STATUSES,
  MIN_GROUP_SIZE,
  RecordDestination,
  type Checkpoint,
  type DestinationsList,
  type ImportResult,
  type LeaverView,
  type OutcomeGroup,
  type OutcomesSummary,
} from './contract.js';
import { csvRow, parseCsv } from './csv.js';
import { cohortEnd, currentCohort, leaverCohort, listLeavers, type Leaver } from './leavers.js';

export interface OutcomesDeps {
  models: Models;
  now?: () => Date;
}

/** Rows an import may hold (a large secondary school has a few hundred leavers × 4 checkpoints). */
export const IMPORT_MAX_ROWS = 5000;

const nowOf = (deps: OutcomesDeps) => (deps.now ? deps.now() : new Date());

/** @throws AppError 403 unless the actor is a planner (careers leader). */
export function authorizePlanner(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner') throw forbidden('Only careers leaders (planners) can see and record leavers’ destinations.');
}

async function cohortsOf(deps: OutcomesDeps, schoolId: string): Promise<{ current: string; all: string[] }> {
  const current = await currentCohort(deps.models, schoolId, nowOf(deps));
  const recorded: string[] = await deps.models.Destination.distinct('cohort', { schoolId });
  return { current, all: [...new Set([current, ...recorded])].sort().reverse() };
}

/** The leavers of one cohort (default: this academic year) with their destination records. @throws 403 */
export async function listDestinations(
  deps: OutcomesDeps,
  ctx: RequestContext,
  query: { cohort?: string | undefined },
): Promise<DestinationsList> {
  authorizePlanner(ctx);
  const { current, all } = await cohortsOf(deps, ctx.schoolId);
  const cohort = query.cohort ?? current;
  const leavers = (await listLeavers(deps.models, ctx.schoolId, nowOf(deps), cohort)).filter((l) => l.cohort === cohort);
  const records = await deps.models.Destination.find({
    schoolId: ctx.schoolId,
    pupilId: { $in: leavers.map((l) => l.pupilId) },
  }).lean();
  const views = new Map<string, LeaverView>(
    leavers.map((l) => [l.pupilId, { pupilId: l.pupilId, name: l.name, yearGroup: l.yearGroup, cohort: l.cohort, records: {} }]),
  );
  for (const r of records) {
    const view = views.get(r.pupilId);
    if (view)
      view.records[r.checkpoint] = {
        status: r.status,
        detail: r.detail ?? null,
        recordedAt: r.recordedAt.toISOString(),
        source: r.source,
      };
  }
  return {
    cohort,
    cohorts: all.includes(cohort) ? all : [cohort, ...all],
    checkpoints: CHECKPOINTS,
    leavers: [...views.values()],
  };
}

async function writeDestination(
  deps: OutcomesDeps,
  ctx: RequestContext,
  pupilId: string,
  checkpoint: Checkpoint,
  input: RecordDestination,
  source: 'manual' | 'import',
): Promise<void> {
  const { models } = deps;
  const pupil = await models.User.findOne(
    { schoolId: ctx.schoolId, _id: pupilId, role: 'pupil' },
    { yearGroup: 1, leaverYear: 1 },
  ).lean();
  if (!pupil) throw notFound('pupil');
  const now = nowOf(deps);
  let placement = await leaverCohort(models, ctx.schoolId, pupil, now);
  if (input.cohort && input.cohort !== placement?.cohort) {
    placement = { cohort: input.cohort, leftAt: await cohortEnd(models, ctx.schoolId, input.cohort) };
    // The cohort belongs to the pupil, not to one record: keep their other checkpoints in step.
    await models.Destination.updateMany({ schoolId: ctx.schoolId, pupilId }, { $set: placement });
  }
  if (!placement)
    throw invalid('This pupil is not known as a leaver: give the academic year they left in.', [
      { path: 'cohort', message: 'is required for a pupil who is not in a final year group' },
    ]);
  const activity = (await activityOf(models, ctx.schoolId, [pupilId])).get(pupilId) as ActivitySnapshot;
  await models.Destination.updateOne(
    { schoolId: ctx.schoolId, pupilId, checkpoint },
    {
      $set: {
        ...placement,
        status: input.status,
        detail: input.detail ?? null,
        source,
        recordedBy: ctx.actor.id,
        recordedAt: now,
        activity,
      },
    },
    { upsert: true },
  );
}

/**
 * Records (or replaces) a leaver's destination at one checkpoint.
 * @throws AppError 403 (not a planner), 404 (no such pupil in this school), 400 (unknown leaver without cohort)
 */
export async function recordDestination(
  deps: OutcomesDeps,
  ctx: RequestContext,
  pupilId: string,
  checkpoint: Checkpoint,
  input: RecordDestination,
): Promise<LeaverView> {
  authorizePlanner(ctx);
  await writeDestination(deps, ctx, pupilId, checkpoint, input, 'manual');
  const last = await deps.models.Destination.findOne({ schoolId: ctx.schoolId, pupilId, checkpoint }, { cohort: 1 }).lean();
  const list = await listDestinations(deps, ctx, { cohort: last?.cohort });
  return list.leavers.find((l) => l.pupilId === pupilId) as LeaverView;
}

/** Removes a destination record (a mistaken entry). @throws 403, 404 */
export async function removeDestination(deps: OutcomesDeps, ctx: RequestContext, pupilId: string, checkpoint: Checkpoint) {
  authorizePlanner(ctx);
  const gone = await deps.models.Destination.deleteOne({ schoolId: ctx.schoolId, pupilId, checkpoint });
  if (gone.deletedCount === 0) throw notFound('destination');
}

const CSV_HEADER = ['pupil_id', 'name', 'year_group', 'cohort', 'checkpoint', 'status', 'detail', 'recorded_at'];

/** The cohort as CSV, one row per leaver and checkpoint (empty status where nothing is recorded yet). @throws 403 */
export async function destinationsCsv(deps: OutcomesDeps, ctx: RequestContext, query: { cohort?: string | undefined }) {
  const list = await listDestinations(deps, ctx, query);
  const lines = [CSV_HEADER.join(',')];
  for (const l of list.leavers)
    for (const c of CHECKPOINTS) {
      const r = l.records[c];
      lines.push(csvRow([l.pupilId, l.name, l.yearGroup, l.cohort, c, r?.status, r?.detail, r?.recordedAt]));
    }
  return { csv: `${lines.join('\r\n')}\r\n`, filename: `destinations-${list.cohort}.csv` };
}

/**
 * Imports destinations from CSV (the export's columns; `pupil_id`, `checkpoint` and `status` are required, rows
 * with an empty status are skipped). Valid rows are recorded; each invalid row is reported with its line number.
 * @throws AppError 403, 400 (no header, missing columns, too many rows)
 */
export async function importDestinations(deps: OutcomesDeps, ctx: RequestContext, text: string): Promise<ImportResult> {
  authorizePlanner(ctx);
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase());
  const missing = ['pupil_id', 'checkpoint', 'status'].filter((c) => !header?.includes(c));
  if (!header || missing.length > 0)
    throw invalid('The CSV needs a header row with the columns pupil_id, checkpoint and status.', [
      ...missing.map((c) => ({ path: c, message: 'column is missing' })),
    ]);
  if (rows.length > IMPORT_MAX_ROWS) throw invalid(`A CSV import holds at most ${String(IMPORT_MAX_ROWS)} rows.`);
  const col = (row: string[], name: string) => {
    const i = header.indexOf(name);
    const v = i >= 0 ? (row[i] ?? '').trim() : '';
    return v === '' ? undefined : v.startsWith("'") ? v.slice(1) : v;
  };
  const result: ImportResult = { imported: 0, skipped: 0, errors: [] };
  const seen = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const line = i + 2; // 1-based, after the header
    const status = col(row, 'status');
    if (!status) {
      result.skipped++;
      continue;
    }
    const pupilId = col(row, 'pupil_id') ?? '';
    const checkpoint = col(row, 'checkpoint') ?? '';
    if (!/^[a-f0-9]{24}$/.test(pupilId)) {
      result.errors.push({ row: line, message: 'pupil_id is not a Waymark pupil id (export the CSV to get them)' });
      continue;
    }
    if (!(CHECKPOINTS as readonly string[]).includes(checkpoint)) {
      result.errors.push({ row: line, message: `checkpoint must be one of ${CHECKPOINTS.join(', ')}` });
      continue;
    }
    if (seen.has(`${pupilId}/${checkpoint}`)) {
      result.errors.push({ row: line, message: 'this pupil and checkpoint appear on an earlier row' });
      continue;
    }
    seen.add(`${pupilId}/${checkpoint}`);
    const cohort = col(row, 'cohort');
    const parsed = RecordDestination.safeParse({
      status,
      detail: col(row, 'detail') ?? null,
      ...(cohort ? { cohort } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? 'row');
      result.errors.push({
        row: line,
        message:
          field === 'status'
            ? `status must be one of ${DESTINATION_STATUSES.join(', ')}`
            : `${field} ${issue?.message ?? 'is not valid'}`,
      });
      continue;
    }
    try {
      await writeDestination(deps, ctx, pupilId, checkpoint as Checkpoint, parsed.data, 'import');
      result.imported++;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      result.errors.push({ row: line, message: err.status === 404 ? 'no pupil with this id in your school' : err.message });
    }
  }
  return result;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const POSITIVE: readonly string[] = ['education', 'apprenticeship', 'employment'];

/**
 * Small-number suppression: a group of 1 to MIN_GROUP_SIZE-1 pupils shows no figures; when exactly one group would
 * be hidden, the next smallest is hidden too, so the total cannot give the hidden one away.
 */
function suppress<T extends { pupils: number }>(groups: T[]): Set<T> {
  const hidden = new Set(groups.filter((g) => g.pupils > 0 && g.pupils < MIN_GROUP_SIZE));
  if (hidden.size === 1) {
    const next = groups.filter((g) => g.pupils > 0 && !hidden.has(g)).sort((a, b) => a.pupils - b.pupils)[0];
    if (next) hidden.add(next);
  }
  return hidden;
}

/**
 * Destinations of a cohort at one checkpoint next to what those pupils did in Waymark, and the share in education,
 * training or work by how many modules they completed. Groups below MIN_GROUP_SIZE are suppressed.
 * @throws AppError 403
 */
export async function outcomesSummary(
  deps: OutcomesDeps,
  ctx: RequestContext,
  query: { cohort?: string | undefined; checkpoint?: Checkpoint | undefined },
): Promise<OutcomesSummary> {
  authorizePlanner(ctx);
  const { models } = deps;
  const { current } = await cohortsOf(deps, ctx.schoolId);
  const cohort = Cohort.parse(query.cohort ?? current);
  const checkpoint = query.checkpoint ?? 'leaving';
  const leavers: Leaver[] = (await listLeavers(models, ctx.schoolId, nowOf(deps), cohort)).filter((l) => l.cohort === cohort);
  const ids = leavers.map((l) => l.pupilId);
  const records = await models.Destination.find({ schoolId: ctx.schoolId, pupilId: { $in: ids } })
    .sort({ recordedAt: 1 })
    .lean();
  // What each pupil did: the snapshot on their latest record (learning data may be gone by now), else live.
  const live = await activityOf(
    models,
    ctx.schoolId,
    ids.filter((id) => !records.some((r) => r.pupilId === id)),
  );
  const activity = new Map<string, ActivitySnapshot>(live);
  const status = new Map<string, string>();
  for (const r of records) {
    activity.set(r.pupilId, {
      modulesCompleted: r.activity?.modulesCompleted ?? 0,
      encounters: r.activity?.encounters ?? 0,
      readinessLevel: r.activity?.readinessLevel ?? null,
    });
    if (r.checkpoint === checkpoint) status.set(r.pupilId, r.status);
  }

  const keys = [...DESTINATION_STATUSES, 'not-recorded'];
  const groups = keys.map((key) => {
    const members = ids
      .filter((id) => (status.get(id) ?? 'not-recorded') === key)
      .map((id) => activity.get(id) as ActivitySnapshot);
    return { key, pupils: members.length, members };
  });
  const hidden = suppress(groups);
  const byDestination: OutcomeGroup[] = groups.map((g) => {
    const shown = !hidden.has(g) && g.pupils > 0;
    const n = g.pupils;
    const readiness: Record<string, number> = {};
    for (const m of g.members) if (m.readinessLevel) readiness[m.readinessLevel] = (readiness[m.readinessLevel] ?? 0) + 1;
    return {
      key: g.key,
      pupils: hidden.has(g) ? null : n,
      suppressed: hidden.has(g),
      modulesCompletedMean: shown ? round(g.members.reduce((s, m) => s + m.modulesCompleted, 0) / n, 1) : null,
      encountersMean: shown ? round(g.members.reduce((s, m) => s + m.encounters, 0) / n, 1) : null,
      withEncounterShare: shown ? round(g.members.filter((m) => m.encounters > 0).length / n, 2) : null,
      // A level held by a handful of pupils would single them out: the split shows only when every level is big enough.
      readiness:
        shown && Object.keys(readiness).length > 0 && Object.values(readiness).every((c) => c >= MIN_GROUP_SIZE)
          ? readiness
          : null,
    };
  });

  const bandOf = (m: number) => (m === 0 ? '0' : m <= 2 ? '1-2' : '3+');
  const bands = ['0', '1-2', '3+'].map((key) => {
    const members = ids.filter((id) => status.has(id) && bandOf((activity.get(id) as ActivitySnapshot).modulesCompleted) === key);
    return { key, pupils: members.length, positive: members.filter((id) => POSITIVE.includes(status.get(id) ?? '')).length };
  });
  const hiddenBands = suppress(bands);
  return {
    cohort,
    checkpoint,
    minGroupSize: MIN_GROUP_SIZE,
    leavers: ids.length,
    byDestination,
    byActivity: bands.map((b) => ({
      key: b.key,
      pupils: hiddenBands.has(b) ? null : b.pupils,
      suppressed: hiddenBands.has(b),
      positiveShare: hiddenBands.has(b) || b.pupils === 0 ? null : round(b.positive / b.pupils, 2),
    })),
  };
}
