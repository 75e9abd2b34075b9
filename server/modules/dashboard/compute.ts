/**
 * The dashboard's figures from pupil summaries: pure functions, table-tested in tests/unit/dashboard-compute.test.ts.
 * Every figure is defined in docs/dashboard.md.
 */
import type { Curriculum } from '../../../curriculum/index.js';
import type { CoverageCell, DashboardFramework, DashboardView, PupilRef } from '../../contract/dashboard.js';
import { DASHBOARD_LIST_LIMIT } from '../../contract/dashboard.js';

export interface PupilInput {
  id: string;
  name: string | null;
  yearGroup: string | null;
  classIds: string[];
}

/** The stored summary documents of one pupil (./summaries.ts): the year's and the `all` one. */
export interface PupilSummaries {
  year?: {
    done?: Record<string, Date>;
    days?: Record<string, number>;
    last?: Date;
    rate?: Record<string, Record<string, number>>;
  };
  all?: {
    enc?: Record<string, Record<string, { t?: string; d?: string }>>;
    ok?: Record<string, boolean>;
  };
}

export interface YearInput {
  id: string;
  startDay: string;
  endDay: string;
  terms: { id: string; name: string; startDay: string; endDay: string }[];
}

/** Whole per cent, half up; null for an empty base. */
export const percent = (part: number, whole: number): number | null => (whole ? Math.floor((part * 100) / whole + 0.5) : null);

/** The days (YYYY-MM-DD) a pupil was active, from the month bitmasks. */
export function activeDays(days: Record<string, number> | undefined): string[] {
  const out: string[] = [];
  for (const [month, bits] of Object.entries(days ?? {}))
    for (let d = 1; d <= 31; d++) if (bits & (1 << (d - 1))) out.push(`${month}-${String(d).padStart(2, '0')}`);
  return out.sort();
}

/** Whether any day from `start` to `end` (YYYY-MM-DD, inclusive) is set in the month bitmasks; O(months). */
export function activeIn(days: Record<string, number> | undefined, start: string, end: string): boolean {
  const first = start.slice(0, 7);
  const last = end.slice(0, 7);
  for (const [month, bits] of Object.entries(days ?? {})) {
    if (!bits || month < first || month > last) continue;
    const from = month === first ? Number(start.slice(8, 10)) : 1;
    const to = month === last ? Number(end.slice(8, 10)) : 31;
    // Bits from-1 .. to-1.
    const mask = to >= 31 ? ~((1 << (from - 1)) - 1) : ((1 << to) - 1) & ~((1 << (from - 1)) - 1);
    if (bits & mask) return true;
  }
  return false;
}

/** An entry's current type and date: the changes folded in time order. */
export function foldEncounters(enc: Record<string, Record<string, { t?: string; d?: string }>> | undefined) {
  const out: { id: string; type: string; date: string }[] = [];
  for (const [id, changes] of Object.entries(enc ?? {})) {
    let type: string | undefined;
    let date: string | undefined;
    const keys = Object.keys(changes);
    if (keys.length > 1) keys.sort((a, b) => Number(a) - Number(b));
    for (const key of keys) {
      const c = changes[key];
      if (c?.t !== undefined) type = c.t;
      if (c?.d !== undefined) date = c.d;
    }
    if (type && date) out.push({ id, type, date });
  }
  return out;
}

/** A pupil's latest rating per module among the year's ratings. */
export function latestRatings(rate: Record<string, Record<string, number>> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [moduleId, byTime] of Object.entries(rate ?? {})) {
    // The latest time (keys are event times in ms); on a tie the later key, as a stable sort by time and pop() gave.
    let last: string | undefined;
    let lastAt = -Infinity;
    for (const key of Object.keys(byTime)) {
      const at = Number(key);
      if (last === undefined || at >= lastAt) {
        last = key;
        lastAt = at;
      }
    }
    const rating = last === undefined ? undefined : byTime[last];
    if (typeof rating === 'number') out.set(moduleId, rating);
  }
  return out;
}

/** Codes of `framework` a module evidences: Waymark competencies for `blueprint`, the module's crosswalk otherwise. */
export function moduleCodes(curriculum: Curriculum, moduleId: string, framework: DashboardFramework): string[] {
  const m = curriculum.modules.get(moduleId);
  if (!m) return [];
  if (framework === 'blueprint') return m.competencies.map((c) => c.id);
  const key = framework === 'nl-lob' ? 'nlLob' : framework;
  return m.crosswalk[key];
}

export function frameworkRows(curriculum: Curriculum, framework: DashboardFramework, lang: 'en' | 'nl') {
  if (framework === 'blueprint') return [...curriculum.competencies.values()].map((c) => ({ code: c.id, title: c.title[lang] }));
  return curriculum.frameworks[framework].items.map((i) => ({
    code: i.code,
    title: i.titleEn && lang === 'en' ? i.titleEn : i.title,
  }));
}

/** Upper bound of a year group's typical age ("15-16" → 16), or null. */
function upperAge(curriculum: Curriculum, code: string): number | null {
  const age = curriculum.yearGroups.get(code)?.typicalAge;
  return age ? Number(age.split('-')[1]) : null;
}

/** Workplace experiences due by the end of a year group's year: two by 18, one by 16 (Gatsby Benchmark 6). */
export function workplaceNeeded(curriculum: Curriculum, code: string): number {
  const age = upperAge(curriculum, code);
  if (age === null) return 0;
  return age >= 18 ? 2 : age >= 16 ? 1 : 0;
}

/** Gatsby Benchmark 5 (an employer encounter every year) applies from age 11: the stages S3 to S5. */
export function employerExpected(curriculum: Curriculum, code: string): boolean {
  const stage = curriculum.yearGroups.get(code)?.stage;
  return stage === 'S3' || stage === 'S4' || stage === 'S5';
}

const inRange = (day: string, start: string, end: string) => day >= start && day <= end;

export interface ComputeInput {
  curriculum: Curriculum;
  lang: 'en' | 'nl';
  framework: DashboardFramework;
  year: YearInput;
  pupils: PupilInput[];
  summaries: ReadonlyMap<string, PupilSummaries>;
  classes: { id: string; title: string }[];
  assignments: ReadonlyMap<string, string[]>;
}

export type ComputedFigures = Pick<
  DashboardView,
  'pupils' | 'activePupils' | 'coverage' | 'completionByClass' | 'completionByModule' | 'gatsby' | 'lists' | 'trends'
>;

export function computeDashboard(input: ComputeInput): ComputedFigures {
  const { curriculum, lang, framework, year, pupils, summaries } = input;
  const label = (code: string) => curriculum.yearGroups.get(code)?.label[lang] ?? code;
  const ref = (p: PupilInput): PupilRef => ({ id: p.id, name: p.name, yearGroup: p.yearGroup });
  const collator = new Intl.Collator(lang);
  // Year groups ranked once (compareYearGroups per comparison dominated the list sorts); equal codes share a rank.
  const codes = [...new Set(pupils.map((p) => p.yearGroup ?? ''))].sort(compareYearGroups);
  const rank = new Map<string, number>();
  codes.forEach((c, i) =>
    rank.set(c, i > 0 && compareYearGroups(codes[i - 1] ?? '', c) === 0 ? (rank.get(codes[i - 1] ?? '') ?? i) : i),
  );
  const rankOf = (p: PupilInput) => rank.get(p.yearGroup ?? '') ?? 0;
  const byName = (a: PupilInput, b: PupilInput) =>
    rankOf(a) - rankOf(b) || collator.compare(a.name ?? '', b.name ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const { startDay, endDay } = year;

  const perPupil = pupils.map((p) => {
    const s = summaries.get(p.id);
    const done: { moduleId: string; day: string }[] = [];
    const doneIds = new Set<string>();
    for (const [moduleId, at] of Object.entries(s?.year?.done ?? {})) {
      done.push({ moduleId, day: (at instanceof Date ? at : new Date(at)).toISOString().slice(0, 10) });
      doneIds.add(moduleId);
    }
    const days = s?.year?.days;
    const active = activeIn(days, startDay, endDay);
    const encounters = foldEncounters(s?.all?.enc);
    return { p, done, doneIds, days, active, encounters, ratings: latestRatings(s?.year?.rate) };
  });

  // Coverage: pupils per year group, and how many completed a module evidencing each code this year.
  const rows = frameworkRows(curriculum, framework, lang);
  const yearGroupCodes = codes.filter((c) => !!c);
  const cells: CoverageCell[] = [];
  const codesOf = new Map<string, string[]>(); // module → framework codes, looked up once per module
  const coveredBy = new Map<string, Set<string>>(); // `${code}|${yearGroup}` → pupil ids
  for (const { p, done } of perPupil) {
    if (!p.yearGroup) continue;
    for (const { moduleId } of done) {
      let moduleCodeList = codesOf.get(moduleId);
      if (!moduleCodeList) codesOf.set(moduleId, (moduleCodeList = moduleCodes(curriculum, moduleId, framework)));
      for (const code of moduleCodeList) {
        const key = `${code}|${p.yearGroup}`;
        let set = coveredBy.get(key);
        if (!set) coveredBy.set(key, (set = new Set()));
        set.add(p.id);
      }
    }
  }
  const membersOf = new Map<string, typeof perPupil>(yearGroupCodes.map((c) => [c, []]));
  for (const x of perPupil) if (x.p.yearGroup) membersOf.get(x.p.yearGroup)?.push(x);
  const inGroup = new Map(yearGroupCodes.map((c) => [c, membersOf.get(c)?.length ?? 0]));
  for (const row of rows)
    for (const yg of yearGroupCodes) {
      const n = inGroup.get(yg) ?? 0;
      const covered = coveredBy.get(`${row.code}|${yg}`)?.size ?? 0;
      cells.push({ code: row.code, yearGroup: yg, pupils: n, covered, percent: percent(covered, n) });
    }

  // Completion by class.
  const byClass = new Map<string, typeof perPupil>();
  for (const x of perPupil)
    for (const c of x.p.classIds) {
      const list = byClass.get(c) ?? [];
      list.push(x);
      byClass.set(c, list);
    }
  const completionByClass = input.classes
    .map((c) => {
      const members = byClass.get(c.id) ?? [];
      const assigned = input.assignments.get(c.id) ?? [];
      let pairsDone = 0;
      let pupilsCompleted = 0;
      let completions = 0;
      for (const x of members) {
        for (const m of assigned) if (x.doneIds.has(m)) pairsDone += 1;
        if (x.done.length > 0) pupilsCompleted += 1;
        completions += x.done.length;
      }
      return {
        classId: c.id,
        title: c.title,
        pupils: members.length,
        pupilsCompleted,
        completions,
        assignedModules: assigned.length,
        assignedPercent: assigned.length ? percent(pairsDone, members.length * assigned.length) : null,
      };
    })
    .filter((c) => c.pupils > 0)
    .sort((a, b) => a.title.localeCompare(b.title));

  // Completion and satisfaction by module.
  const moduleIds = new Set<string>();
  const completedBy = new Map<string, number>();
  const pupilsInStage = new Map<string, number>();
  const ratingsOf = new Map<string, number[]>(); // module → ratings, in pupil order
  for (const x of perPupil) {
    for (const d of x.done) completedBy.set(d.moduleId, (completedBy.get(d.moduleId) ?? 0) + 1);
    const stage = x.p.yearGroup ? curriculum.yearGroups.get(x.p.yearGroup)?.stage : undefined;
    if (stage) pupilsInStage.set(stage, (pupilsInStage.get(stage) ?? 0) + 1);
  }
  for (const x of perPupil) {
    for (const d of x.done) moduleIds.add(d.moduleId);
    for (const [m, r] of x.ratings) {
      moduleIds.add(m);
      const list = ratingsOf.get(m);
      if (list) list.push(r);
      else ratingsOf.set(m, [r]);
    }
  }
  const completionByModule = [...moduleIds]
    .map((moduleId) => {
      const m = curriculum.modules.get(moduleId);
      const stage = m?.stage ?? null;
      const stagePupils = stage ? (pupilsInStage.get(stage) ?? 0) : 0;
      const completed = completedBy.get(moduleId) ?? 0;
      const ratings = ratingsOf.get(moduleId) ?? [];
      return {
        moduleId,
        title: m?.title[lang] ?? moduleId,
        stage,
        completed,
        stagePupils,
        percent: percent(completed, stagePupils),
        ratings: ratings.length,
        averageRating: ratings.length ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10 : null,
      };
    })
    .sort((a, b) => (a.stage ?? '').localeCompare(b.stage ?? '') || a.title.localeCompare(b.title));

  // Gatsby: encounters per pupil this year, workplace experiences up to the end of this year.
  const kinds = curriculum.encounterTypes;
  const isEmployer = (t: string) => kinds.get(t as never)?.countsAs.employerEncounter === true;
  const isWorkplace = (t: string) => kinds.get(t as never)?.countsAs.workplaceExperience === true;
  const byYearGroup = yearGroupCodes.map((yg) => {
    const members = membersOf.get(yg) ?? [];
    const expected = employerExpected(curriculum, yg);
    const needed = workplaceNeeded(curriculum, yg);
    let employerEncounters = 0;
    let withEmployerEncounter = 0;
    let meeting = 0;
    for (const x of members) {
      let employer = 0;
      let workplace = 0;
      for (const e of x.encounters) {
        if (isEmployer(e.type) && inRange(e.date, startDay, endDay)) employer += 1;
        if (isWorkplace(e.type) && e.date <= endDay) workplace += 1;
      }
      employerEncounters += employer;
      if (employer > 0) withEmployerEncounter += 1;
      if (workplace >= needed) meeting += 1;
    }
    return {
      yearGroup: yg,
      label: label(yg),
      pupils: members.length,
      employerExpected: expected,
      employerEncounters,
      withEmployerEncounter,
      employerPercent: percent(withEmployerEncounter, members.length),
      workplaceNeeded: needed,
      meetingWorkplace: needed ? meeting : 0,
      workplacePercent: needed ? percent(meeting, members.length) : null,
    };
  });

  // Lists: no encounter dated this year; no activity of their own this year.
  const noEncounter = perPupil
    .filter((x) => !x.encounters.some((e) => inRange(e.date, startDay, endDay)))
    .map((x) => x.p)
    .sort(byName);
  const noActivity = perPupil
    .filter((x) => !x.active)
    .map((x) => x.p)
    .sort(byName);

  const trends = year.terms.map((t) => {
    let activePupils = 0;
    let completions = 0;
    let encounters = 0;
    for (const x of perPupil) {
      if (activeIn(x.days, t.startDay, t.endDay)) activePupils += 1;
      for (const d of x.done) if (inRange(d.day, t.startDay, t.endDay)) completions += 1;
      for (const e of x.encounters) if (inRange(e.date, t.startDay, t.endDay)) encounters += 1;
    }
    return { termId: t.id, name: t.name, start: t.startDay, end: t.endDay, activePupils, completions, encounters };
  });

  return {
    pupils: pupils.length,
    activePupils: perPupil.filter((x) => x.active).length,
    coverage: {
      framework,
      rows,
      yearGroups: yearGroupCodes.map((c) => ({ code: c, label: label(c), pupils: inGroup.get(c) ?? 0 })),
      cells,
    },
    completionByClass,
    completionByModule,
    gatsby: { byYearGroup },
    lists: {
      noEncounter: { total: noEncounter.length, pupils: noEncounter.slice(0, DASHBOARD_LIST_LIMIT).map(ref) },
      noActivity: { total: noActivity.length, pupils: noActivity.slice(0, DASHBOARD_LIST_LIMIT).map(ref) },
    },
    trends,
  };
}

/** EN-Y2 before EN-Y10: by system and track, then by number. */
export function compareYearGroups(a: string, b: string): number {
  const split = (c: string) => {
    const m = /^(.*?)(\d+)$/.exec(c);
    return m ? ([m[1] ?? c, Number(m[2])] as const) : ([c, -1] as const);
  };
  const [pa, na] = split(a);
  const [pb, nb] = split(b);
  return pa.localeCompare(pb) || na - nb;
}
