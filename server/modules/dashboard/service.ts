/**
 * The planner's whole-school dashboard: loads the pupils in the filter and their summaries (never raw learning
 * events), then computes the figures (./compute.ts). Also the school's pupil groups (CSV upload).
 */
import type { Curriculum } from '../../../curriculum/index.js';
import { yearGroupLabel } from '../../../curriculum/index.js';
import type { DashboardQuery, DashboardView } from '../../contract/dashboard.js';
import { DASHBOARD_FRAMEWORKS, PupilGroupLimits } from '../../contract/dashboard.js';
import type { Models } from '../../db/models.js';
import type { RequestContext } from '../../http/authenticate.js';
import { forbidden, invalid, notFound } from '../../errors.js';
import { calendarSource } from '../calendar/service.js';
import { isYearId, resolveYear, resolveYearByStart, startYearOf } from '../calendar/defaults.js';
import { HELP_LEVELS } from '../advising/model.js';
import { latestReadiness } from '../readiness/service.js';
import { adviserCapacity } from '../sharing/access.js';
import { computeDashboard, compareYearGroups, type PupilInput, type PupilSummaries } from './compute.js';
import { renderDashboardPdf } from './pdf.js';

export interface DashboardDeps {
  models: Models;
  curriculum: Curriculum;
  now?: () => Date;
}

function assertPlanner(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner') throw forbidden('The whole-school dashboard is for planners.');
}

/**
 * The dashboard for the query's year (default: the current one) and filters.
 * @throws AppError 403 (not a planner), 404 (class or group not in this school), 400 (year id).
 */
export async function getDashboard(deps: DashboardDeps, ctx: RequestContext, query: DashboardQuery): Promise<DashboardView> {
  assertPlanner(ctx);
  const { models, curriculum } = deps;
  const schoolId = ctx.schoolId;
  const lang = query.lang ?? ctx.lang;
  const now = deps.now ? deps.now() : new Date();
  // Everything that does not depend on the year or on the pupils in scope is read alongside the calendar; without
  // a filter every pupil is in scope, so the summaries and readiness are read alongside the roster too.
  const unfiltered = !query.yearGroup && !query.classId && !query.group;
  const [source, memberships, classes, groupDocs, groupNames, assignments, capacity] = await Promise.all([
    calendarSource(models, schoolId),
    models.Membership.find({ schoolId, role: 'pupil', status: 'active' }, { classId: 1, userId: 1, _id: 0 }).lean(),
    models.Class.find({ schoolId }, { title: 1, label: 1 }).lean(),
    query.group ? models.PupilGroup.find({ schoolId, groups: query.group }, { userId: 1, _id: 0 }).lean() : Promise.resolve(null),
    models.PupilGroup.distinct('groups', { schoolId }),
    models.Assignment.find({ schoolId }, { classId: 1, moduleId: 1, _id: 0 }).lean(),
    adviserCapacity(models, schoolId, now),
  ]);
  const current = resolveYear(source, now, lang);
  if (query.academicYear && (!isYearId(query.academicYear) || query.academicYear > current.id))
    throw invalid('The request is not valid.', [{ path: 'academicYear', message: 'must be this year or an earlier one' }]);
  const year = query.academicYear ? resolveYearByStart(source, startYearOf(query.academicYear), lang) : current;
  if (query.classId && !classes.some((c) => String(c._id) === query.classId)) throw notFound('class');
  if (query.group && !groupNames.includes(query.group)) throw notFound('group');

  const summaryDocs = (userIds?: string[]) =>
    models.PupilSummary.find(
      { schoolId, year: { $in: [year.id, 'all'] }, ...(userIds ? { userId: { $in: userIds } } : {}) },
      // `last` and `ok` are not dashboard figures.
      { _id: 0, schoolId: 0, last: 0, ok: 0 },
    ).lean<({ userId: string; year: string } & Record<string, unknown>)[]>();
  const [users, allDocs, allReadiness] = await Promise.all([
    models.User.find(
      { schoolId, role: 'pupil', $or: [{ leaverYear: { $exists: false } }, { leaverYear: { $gte: year.id } }] },
      { name: 1, yearGroup: 1 },
    ).lean(),
    unfiltered ? summaryDocs() : Promise.resolve(null),
    unfiltered ? readinessInputs(models, schoolId) : Promise.resolve(null),
  ]);

  const classIdsOf = new Map<string, string[]>();
  for (const m of memberships) {
    const list = classIdsOf.get(m.userId);
    if (list) list.push(m.classId);
    else classIdsOf.set(m.userId, [m.classId]);
  }
  const inGroup = groupDocs ? new Set(groupDocs.map((g) => g.userId)) : null;
  const allPupils: PupilInput[] = users.map((u) => ({
    id: String(u._id),
    name: u.name ?? null,
    yearGroup: u.yearGroup ?? null,
    classIds: classIdsOf.get(String(u._id)) ?? [],
  }));
  const pupils = unfiltered
    ? allPupils
    : allPupils.filter(
        (p) =>
          (!query.yearGroup || p.yearGroup === query.yearGroup) &&
          (!query.classId || p.classIds.includes(query.classId)) &&
          (!inGroup || inGroup.has(p.id)),
      );

  const ids = pupils.map((p) => p.id);
  const [docs, readinessRows] = await Promise.all([
    allDocs ?? summaryDocs(ids.length < allPupils.length ? ids : undefined),
    allReadiness ?? readinessInputs(models, schoolId, ids),
  ]);
  const readiness = readinessLevels(readinessRows, new Set(ids), capacity);
  const summaries = new Map<string, PupilSummaries>();
  for (const d of docs) {
    const s = summaries.get(d.userId) ?? {};
    if (d.year === 'all') s.all = d as PupilSummaries['all'];
    else s.year = d as PupilSummaries['year'];
    summaries.set(d.userId, s);
  }
  const assigned = new Map<string, string[]>();
  for (const a of assignments) {
    const list = assigned.get(a.classId);
    if (list) list.push(a.moduleId);
    else assigned.set(a.classId, [a.moduleId]);
  }
  const classList = classes.map((c) => ({ id: String(c._id), title: c.title ?? c.label ?? String(c._id) }));

  const figures = computeDashboard({
    curriculum,
    lang,
    framework: query.framework,
    year,
    pupils,
    summaries,
    classes: query.classId ? classList.filter((c) => c.id === query.classId) : classList,
    assignments: assigned,
  });
  const yearGroups = [...new Set(allPupils.map((p) => p.yearGroup).filter((c): c is string => !!c))].sort(compareYearGroups);
  const start = startYearOf(current.id);
  return {
    academicYear: { id: year.id, start: year.startDay, end: year.endDay, current: year.id === current.id },
    filters: {
      yearGroup: query.yearGroup ?? null,
      classId: query.classId ?? null,
      group: query.group ?? null,
      framework: query.framework,
    },
    options: {
      years: [0, 1, 2].map((i) => resolveYearByStart(source, start - i).id),
      yearGroups: yearGroups.map((code) => ({ code, label: yearGroupLabel(code)?.[lang] ?? code })),
      classes: classList.sort((a, b) => a.title.localeCompare(b.title)),
      groups: [...groupNames].sort(),
      frameworks: DASHBOARD_FRAMEWORKS.map((id) => ({
        id,
        title: id === 'blueprint' ? 'Blueprint (Waymark competencies)' : curriculum.frameworks[id].framework,
      })),
    },
    ...figures,
    readiness,
  };
}

/** The dashboard as a PDF report (same figures, no pupil names). @throws as getDashboard. */
export async function getDashboardPdf(
  deps: DashboardDeps,
  ctx: RequestContext,
  query: DashboardQuery,
): Promise<{ yearId: string; pdf: Buffer }> {
  const view = await getDashboard(deps, ctx, query);
  const school = await deps.models.School.findById(ctx.schoolId, { name: 1 }).lean();
  const now = deps.now ? deps.now() : new Date();
  const pdf = await renderDashboardPdf(view, { lang: query.lang ?? ctx.lang, schoolName: school?.name ?? null, now });
  return { yearId: view.academicYear.id, pdf };
}

/** The latest readiness checks and the advisers' agreed levels: of `ids`, or of the whole school (filtered later). */
async function readinessInputs(models: Models, schoolId: string, ids?: string[]) {
  const [latest, reviews] = await Promise.all([
    latestReadiness(models, schoolId, ids),
    models.AdviserReview.find(
      { schoolId, ...(ids ? { pupilId: { $in: ids } } : {}), agreedLevel: { $ne: null } },
      { pupilId: 1, agreedLevel: 1, updatedAt: 1 },
    )
      .sort({ updatedAt: 1 })
      .lean(),
  ]);
  return { latest, reviews };
}

/** Pupils in scope by level of help: the adviser's agreed level when there is one, else the latest check's suggestion. */
function readinessLevels(
  { latest, reviews }: Awaited<ReturnType<typeof readinessInputs>>,
  scope: ReadonlySet<string>,
  capacity: Awaited<ReturnType<typeof adviserCapacity>>,
): DashboardView['readiness'] {
  const level = new Map<string, string>();
  for (const [userId, r] of latest) if (scope.has(userId)) level.set(userId, r.suggestedLevel);
  for (const r of reviews) if (r.agreedLevel && scope.has(r.pupilId)) level.set(r.pupilId, r.agreedLevel); // later reviews win
  const count = (l: string) => {
    let n = 0;
    for (const v of level.values()) if (v === l) n += 1;
    return n;
  };
  return {
    available: true,
    assessed: level.size,
    levels: HELP_LEVELS.map((l) => ({ level: l, pupils: count(l) })),
    capacity: capacity.advisers.length
      ? {
          total: capacity.totalCapacity,
          demand: count('individual-case-managed'),
          advisers: capacity.advisers.map((a) => ({ name: a.name, capacity: a.capacity, pupilsShared: a.pupilsShared })),
        }
      : null,
  };
}

/**
 * Replaces the school's pupil groups with those in a CSV (header `pupil,group`; one row per pupil and group; a
 * pupil is named by their LMS user id or Waymark id).
 * @throws AppError 403, 400 (bad header, unknown pupils, long names; every problem listed).
 */
export async function uploadPupilGroups(
  models: Models,
  ctx: RequestContext,
  csv: string,
): Promise<{ pupils: number; groups: string[] }> {
  assertPlanner(ctx);
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const header = (lines.shift() ?? '')
    .toLowerCase()
    .split(/[,;]/)
    .map((h) => h.trim().replace(/^"|"$/g, ''));
  const pi = header.indexOf('pupil');
  const gi = header.indexOf('group');
  if (pi < 0 || gi < 0)
    throw invalid('The CSV is not valid.', [{ path: 'csv', message: 'the first row must name the columns pupil and group' }]);
  const rows = lines.map((l) => l.split(/[,;]/).map((c) => c.trim().replace(/^"|"$/g, '')));
  const refs = [...new Set(rows.map((r) => r[pi] ?? ''))];
  const users = await models.User.find(
    {
      schoolId: ctx.schoolId,
      role: 'pupil',
      $or: [{ sub: { $in: refs } }, { _id: { $in: refs.filter((r) => /^[a-f0-9]{24}$/.test(r)) } }],
    },
    { sub: 1 },
  ).lean();
  const idOf = new Map<string, string>();
  for (const u of users) {
    idOf.set(u.sub, String(u._id));
    idOf.set(String(u._id), String(u._id));
  }
  const details: { path: string; message: string }[] = [];
  const groupsOf = new Map<string, Set<string>>();
  rows.forEach((r, i) => {
    const line = `csv.line ${String(i + 2)}`;
    const id = idOf.get(r[pi] ?? '');
    const group = r[gi] ?? '';
    if (!id) details.push({ path: line, message: 'no such pupil in this school' });
    else if (!group || group.length > PupilGroupLimits.groupName)
      details.push({ path: line, message: `group names have 1 to ${String(PupilGroupLimits.groupName)} characters` });
    else {
      const set = groupsOf.get(id) ?? new Set();
      set.add(group);
      groupsOf.set(id, set);
    }
  });
  for (const [id, set] of groupsOf)
    if (set.size > PupilGroupLimits.groupsPerPupil)
      details.push({ path: 'csv', message: `pupil ${id} is in more than ${String(PupilGroupLimits.groupsPerPupil)} groups` });
  if (details.length) throw invalid('The CSV is not valid.', details.slice(0, 50));
  await models.PupilGroup.deleteMany({ schoolId: ctx.schoolId, userId: { $nin: [...groupsOf.keys()] } });
  if (groupsOf.size)
    await models.PupilGroup.bulkWrite(
      [...groupsOf].map(([userId, set]) => ({
        updateOne: { filter: { schoolId: ctx.schoolId, userId }, update: { $set: { groups: [...set].sort() } }, upsert: true },
      })),
    );
  return { pupils: groupsOf.size, groups: [...new Set([...groupsOf.values()].flatMap((s) => [...s]))].sort() };
}
