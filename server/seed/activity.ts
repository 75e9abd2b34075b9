/**
 * A year of a synthetic school's activity, written through the services real requests use (progress, log,
 * lessons, classes, careers, readiness), each call with the simulated time as its injected clock and its input
 * parsed with the same contract schema the route would parse it with. So the learning events, the current-state
 * documents (attempts, log entries, lesson records) and anything maintained from them are what real use produces.
 *
 * Three phases, each deterministic for a seed:
 *   1. staff: teachers assign modules to their classes across the year and record lessons; teachers and the
 *      careers leader record group encounters (talks, visits, fairs, work-experience weeks: Gatsby-like patterns
 *      per stage);
 *   2. pupils (concurrently, each pupil's own timeline in time order): modules of their stage with autosaves,
 *      completion and the "was this useful?" rating, their own log entries and reflections on group encounters,
 *      the careers explorer, the readiness check;
 *   3. staff follow-up: tutors verify and comment on log entries and give feedback on module work; advisers
 *      comment on their mentees' entries.
 * Engagement is uneven on purpose (some pupils do nothing, some a lot), and some classes have no encounters, so
 * the dashboard's lists of pupils without activity or encounters have content.
 */
import type { Curriculum } from '../../curriculum/index.js';
import type { EncounterType, Module, StageId } from '../../curriculum/schema.js';
import { SUBJECTS } from '../../curriculum/schema.js';
import type { Config } from '../config.js';
import { AssignModule, CreateFeedback } from '../contract/classes.js';
import { SaveOccupation, SearchQuery } from '../contract/careers.js';
import { CreateLessonRecord } from '../contract/lessons.js';
import { CreateComment, CreateGroupEncounter, CreateLogEntry, UpdateLogEntry, VerifyEntry } from '../contract/log.js';
import { CompleteModule, SaveAnswer } from '../contract/progress.js';
import type { Models } from '../db/models.js';
import type { RequestContext } from '../http/authenticate.js';
import { parse } from '../http/validate.js';
import type { Role } from '../modules/people/model.js';
import * as careers from '../modules/careers/service.js';
import { getCatalog } from '../modules/careers/catalog.js';
import * as classes from '../modules/classes/service.js';
import * as lessons from '../modules/lessons/service.js';
import * as log from '../modules/log/service.js';
import * as progress from '../modules/progress/service.js';
import { visiblePupilIds } from '../modules/sharing/access.js';
import { planAnswers, text, voiceOf, type WorkStyle } from './answers.js';
import { DAY_MS, dayString, homeworkTime, lessonTime, schoolDayAfter, type SeedYear } from './calendar.js';
import { CAREER_QUERIES, ORGANISATIONS } from './names.js';
import { rngFor, type Rng } from './random.js';
import type { SeedClass, SeedPupil, SeedRoster } from './school.js';

export interface ActivityDeps {
  models: Models;
  curriculum: Curriculum;
  config: Pick<Config, 'publicUrl'>;
}

export interface ActivityOptions {
  seed: number;
  year: SeedYear;
  /** Nothing is dated after this (the real time, for a year still running). */
  until: Date;
  /** Pupils worked on at the same time. */
  concurrency: number;
  /** Stops the run between tasks (the server shutting down while it generates the demo sample). */
  signal?: AbortSignal;
  /**
   * Called when a service call fails (a generator bug: every call is meant to succeed). The run goes on with the
   * next task, so one bad case does not lose an hour of generating; `stats.failures` counts them.
   */
  onFailure?: (where: string, err: unknown) => void;
}

export type Engagement = 'none' | 'low' | 'medium' | 'high' | 'very-high';

const ENGAGEMENT: readonly (readonly [Engagement, number])[] = [
  ['none', 0.06],
  ['low', 0.2],
  ['medium', 0.42],
  ['high', 0.24],
  ['very-high', 0.08],
];
const START_MODULE: Record<Engagement, number> = { none: 0, low: 0.55, medium: 0.9, high: 0.97, 'very-high': 1 };
const ABANDON_MODULE: Record<Engagement, number> = { none: 1, low: 0.35, medium: 0.12, high: 0.04, 'very-high': 0.02 };
const REFLECT_GROUP: Record<Engagement, number> = { none: 0, low: 0.25, medium: 0.6, high: 0.85, 'very-high': 0.95 };
const OWN_ENTRIES: Record<Engagement, [number, number]> = {
  none: [0, 0],
  low: [0, 1],
  medium: [0, 2],
  high: [1, 4],
  'very-high': [3, 7],
};
const CAREERS_SESSIONS: Record<Engagement, [number, number]> = {
  none: [0, 0],
  low: [0, 2],
  medium: [1, 5],
  high: [3, 10],
  'very-high': [6, 16],
};
const EXTRA_MODULES: Record<Engagement, [number, number]> = {
  none: [0, 0],
  low: [0, 0],
  medium: [0, 2],
  high: [1, 3],
  'very-high': [2, 5],
};
const REVISIT: Record<Engagement, number> = { none: 0, low: 0.03, medium: 0.1, high: 0.25, 'very-high': 0.4 };
const READINESS: Record<Engagement, number> = { none: 0.2, low: 0.6, medium: 0.9, high: 0.95, 'very-high': 1 };

interface EncounterPattern {
  type: EncounterType;
  /** Chance that a class (or year group) has it this year. */
  p: number;
  hours: [number, number];
  /** When in the year, as a fraction of the school days. */
  when: [number, number];
  times?: number;
  /** Only these year groups (all of the stage when absent). */
  only?: string[];
}

const CLASS_ENCOUNTERS: Record<StageId, EncounterPattern[]> = {
  S1: [
    { type: 'role-model-talk', p: 0.6, hours: [0.5, 1], when: [0.1, 0.9] },
    { type: 'workplace-visit', p: 0.35, hours: [2, 3], when: [0.5, 0.9] },
  ],
  S2: [
    { type: 'employer-talk', p: 0.7, hours: [0.75, 1], when: [0.05, 0.9] },
    { type: 'workplace-visit', p: 0.45, hours: [2, 5], when: [0.3, 0.9] },
    { type: 'enterprise-project', p: 0.4, hours: [4, 8], when: [0.4, 0.8], only: ['EN-Y5', 'EN-Y6'] },
    { type: 'virtual-encounter', p: 0.3, hours: [0.5, 1], when: [0.1, 0.9] },
  ],
  S3: [
    { type: 'employer-talk', p: 0.85, hours: [0.75, 1.25], when: [0.05, 0.95], times: 2 },
    { type: 'virtual-encounter', p: 0.5, hours: [0.5, 1], when: [0.1, 0.9] },
    { type: 'enterprise-project', p: 0.35, hours: [4, 10], when: [0.3, 0.7] },
    { type: 'workplace-visit', p: 0.4, hours: [3, 5], when: [0.2, 0.9] },
  ],
  S4: [
    { type: 'employer-talk', p: 0.9, hours: [0.75, 1.25], when: [0.05, 0.8], times: 2 },
    { type: 'workplace-visit', p: 0.5, hours: [3, 5], when: [0.1, 0.7] },
    { type: 'role-model-talk', p: 0.5, hours: [0.75, 1], when: [0.1, 0.8] },
  ],
  S5: [
    { type: 'employer-talk', p: 0.9, hours: [0.75, 1.25], when: [0.05, 0.8], times: 2 },
    { type: 'virtual-encounter', p: 0.6, hours: [0.5, 1.5], when: [0.1, 0.8] },
    { type: 'role-model-talk', p: 0.5, hours: [0.75, 1], when: [0.1, 0.8] },
    { type: 'workplace-visit', p: 0.4, hours: [3, 6], when: [0.2, 0.7] },
  ],
};

/** Whole-year-group encounters the careers leader organises (fairs, the work-experience weeks of Gatsby 6). */
const YEAR_GROUP_ENCOUNTERS: Record<string, EncounterPattern[]> = {
  'EN-Y8': [{ type: 'careers-fair', p: 0.8, hours: [1.5, 3], when: [0.3, 0.6] }],
  'EN-Y9': [{ type: 'careers-fair', p: 0.9, hours: [1.5, 3], when: [0.3, 0.6] }],
  'EN-Y10': [{ type: 'work-experience', p: 0.95, hours: [25, 35], when: [0.88, 0.94] }],
  'EN-Y11': [{ type: 'careers-fair', p: 0.9, hours: [2, 3], when: [0.1, 0.3] }],
  'EN-Y12': [
    { type: 'careers-fair', p: 0.8, hours: [2, 4], when: [0.35, 0.6] },
    { type: 'work-experience', p: 0.9, hours: [30, 35], when: [0.84, 0.92] },
  ],
  'EN-Y13': [{ type: 'careers-fair', p: 0.7, hours: [2, 3], when: [0.05, 0.2] }],
};

const OWN_ENTRY_TYPES: Record<StageId, readonly (readonly [EncounterType, number])[]> = {
  S1: [['volunteering', 1]],
  S2: [
    ['volunteering', 3],
    ['enterprise-project', 1],
    ['virtual-encounter', 1],
  ],
  S3: [
    ['volunteering', 3],
    ['virtual-encounter', 3],
    ['job-shadowing', 1],
    ['employer-talk', 1],
  ],
  S4: [
    ['volunteering', 3],
    ['job-shadowing', 2],
    ['work-experience', 2],
    ['virtual-encounter', 2],
    ['workplace-visit', 1],
  ],
  S5: [
    ['work-experience', 3],
    ['job-shadowing', 2],
    ['volunteering', 3],
    ['virtual-encounter', 3],
    ['role-model-talk', 1],
    ['careers-fair', 2],
  ],
};
const HOURS: Record<EncounterType, [number, number]> = {
  'employer-talk': [0.75, 1.5],
  'workplace-visit': [2, 5],
  'job-shadowing': [3, 7],
  'work-experience': [6, 35],
  volunteering: [1, 4],
  'enterprise-project': [2, 10],
  'careers-fair': [1, 3],
  'role-model-talk': [0.75, 1.5],
  'virtual-encounter': [0.5, 1.5],
};

const quarter = (h: number) => Math.max(0.25, Math.round(h * 4) / 4);
const hoursFor = (rng: Rng, [a, b]: [number, number]) => quarter(a + rng.next() * (b - a));
const FEELINGS = ['happy', 'excited', 'proud', 'curious', 'surprised', 'worried', 'bored'] as const;
const SAW = ['tools', 'computers', 'animals', 'vehicles', 'food', 'buildings', 'helping', 'nature'] as const;

/** What the run did, for the summary. */
export interface ActivityStats {
  assignments: number;
  lessons: number;
  groupEncounters: number;
  moduleSessions: number;
  modulesCompleted: number;
  ratings: number;
  saves: number;
  logEntries: number;
  reflections: number;
  verifications: number;
  comments: number;
  feedback: number;
  careersSearches: number;
  careersViews: number;
  careersSaves: number;
  readinessChecks: number;
  failures: number;
}

export const emptyStats = (): ActivityStats => ({
  assignments: 0,
  lessons: 0,
  groupEncounters: 0,
  moduleSessions: 0,
  modulesCompleted: 0,
  ratings: 0,
  saves: 0,
  logEntries: 0,
  reflections: 0,
  verifications: 0,
  comments: 0,
  feedback: 0,
  careersSearches: 0,
  careersViews: 0,
  careersSaves: 0,
  readinessChecks: 0,
  failures: 0,
});

/** The readiness check, when the readiness module is present (it is optional for the generator). */
export interface ReadinessPort {
  submit(ctx: RequestContext, now: Date, input: { clientId: string; answers: Record<string, number> }): Promise<unknown>;
  /** Items of the check a pupil of this stage answers, with the values they may give. */
  itemsFor(stage: StageId): { id: string; values: number[]; reverse: boolean }[];
}

interface Run {
  deps: ActivityDeps;
  opts: ActivityOptions;
  roster: SeedRoster;
  stats: ActivityStats;
  modulesByStage: Map<StageId, Module[]>;
  competencyIds: string[];
  occupations: { id: string; uri: string; title: string }[];
  readiness: ReadinessPort | undefined;
  /** Per class: the modules assigned and the day they were. */
  assigned: Map<string, { moduleId: string; day: Date }[]>;
  /** Per pupil: their entries from group encounters. */
  groupEntries: Map<string, { entryId: string; date: string; type: EncounterType; at: Date }[]>;
  classOf: Map<string, SeedClass>;
  /** Per adviser: the pupils shared with them (what their caseload lists). */
  visibleToAdviser: Map<string, Set<string>>;
}

function ctxOf(run: Run, id: string, role: Role, classId?: string): RequestContext {
  return {
    schoolId: run.roster.schoolId,
    actor: { id, role },
    ...(classId ? { classId } : {}),
    lang: 'en',
    tokenExpiresAt: new Date(8.64e15),
  };
}
const at = (t: Date) => () => t;
const inYear = (run: Run, t: Date) => t.getTime() <= run.opts.until.getTime();

function dayAt(run: Run, rng: Rng, [from, to]: [number, number]): Date {
  const days = run.opts.year.schoolDays;
  const i = Math.floor((from + rng.next() * (to - from)) * days.length);
  return days[Math.min(days.length - 1, Math.max(0, i))] as Date;
}

/** Runs `fn` over `items` with at most `limit` at once; the first failure stops the run. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let error: unknown;
  const worker = async () => {
    while (error === undefined && !signal?.aborted && next < items.length) {
      const i = next;
      next += 1;
      try {
        await fn(items[i] as T, i);
      } catch (err) {
        error ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (error !== undefined) throw error instanceof Error ? error : new Error('a pooled task failed');
}

// ------------------------------------------------------------------------------------------------ phase 1: staff

async function staffPhase(run: Run): Promise<void> {
  const { opts, roster } = run;
  const planner = roster.planners[0];
  await pool(
    roster.classes,
    opts.concurrency,
    (cls) =>
      classPlan(run, cls).catch((err: unknown) => {
        failed(run, `class ${cls.label}`, err);
      }),
    opts.signal,
  );

  if (!planner) return;
  const yearGroups = [...new Set(roster.classes.map((c) => c.yearGroup))];
  for (const yg of yearGroups) {
    const rng = rngFor(opts.seed, roster.schoolId, 'year-group', yg);
    for (const pattern of YEAR_GROUP_ENCOUNTERS[yg] ?? []) {
      if (!rng.chance(pattern.p)) continue;
      await groupEncounter(run, rng, ctxOf(run, planner.id, 'planner'), { yearGroup: yg }, pattern).catch((err: unknown) => {
        failed(run, `${yg} ${pattern.type}`, err);
      });
    }
  }
}

async function classPlan(run: Run, cls: SeedClass): Promise<void> {
  const { deps, opts, roster } = run;
  {
    const rng = rngFor(opts.seed, roster.schoolId, 'class', cls.id);
    const tutor = ctxOf(run, cls.tutorId, 'teacher');
    // Assignments: most of the stage's modules, spread over the year, each due two weeks later.
    const stageModules = run.modulesByStage.get(cls.stage) ?? [];
    const count = Math.min(stageModules.length, rng.int(8, 11));
    const chosen = rng.sample(stageModules, count);
    const days = opts.year.schoolDays;
    const list: { moduleId: string; day: Date }[] = [];
    for (const [i, module] of chosen.entries()) {
      const day = days[Math.min(days.length - 1, Math.floor(((i + rng.next() * 0.7) * days.length) / count))] as Date;
      const t = lessonTime(rng, day);
      if (!inYear(run, t)) continue;
      const input = parse(AssignModule, { moduleId: module.id, dueDate: dayString(schoolDayAfter(opts.year, day, 10)) });
      await classes.assignModule({ ...deps, now: at(t) }, tutor, cls.id, input);
      list.push({ moduleId: module.id, day });
      run.stats.assignments += 1;
    }
    run.assigned.set(cls.id, list);

    // Lessons: tutors now and then, subject teachers more often, record career learning in their lessons.
    const recorders = [
      { id: cls.tutorId, n: rng.int(0, 3), subjects: ['tutor-time', 'pshe'] as string[] },
      ...cls.teacherIds.map((id) => ({ id, n: rng.int(2, 7), subjects: rng.sample<string>(SUBJECTS, 2) })),
    ];
    for (const r of recorders) {
      for (let i = 0; i < r.n; i += 1) {
        const day = dayAt(run, rng, [0.02, 0.98]);
        const t = new Date(lessonTime(rng, day).getTime() + rng.int(30, 600) * 60_000);
        if (!inYear(run, t)) continue;
        const input = parse(CreateLessonRecord, {
          subject: rng.pick(r.subjects),
          date: dayString(day),
          competencies: rng.sample(run.competencyIds, rng.int(1, 3)),
          note: rng.chance(0.6) ? text(rng, 'older', 1) : '',
        });
        await lessons.recordLesson({ ...deps, now: at(t) }, ctxOf(run, r.id, 'teacher'), cls.id, input);
        run.stats.lessons += 1;
      }
    }

    // Class encounters, except in the classes that have none this year.
    const quiet = rng.chance(cls.stage === 'S1' || cls.stage === 'S2' ? 0.3 : 0.1);
    if (quiet) return;
    for (const pattern of CLASS_ENCOUNTERS[cls.stage]) {
      if (pattern.only && !pattern.only.includes(cls.yearGroup)) continue;
      for (let i = 0; i < (pattern.times ?? 1); i += 1) {
        if (!rng.chance(pattern.p)) continue;
        await groupEncounter(run, rng, tutor, { classId: cls.id }, pattern);
      }
    }
  }
}

async function groupEncounter(
  run: Run,
  rng: Rng,
  ctx: RequestContext,
  scope: { classId: string } | { yearGroup: string },
  pattern: EncounterPattern,
): Promise<void> {
  const day = dayAt(run, rng, pattern.when);
  const t = new Date(day.getTime() + 15.5 * 3600_000 + rng.int(0, 120) * 60_000);
  if (!inYear(run, t)) return;
  const input = parse(CreateGroupEncounter, {
    scope,
    encounterType: pattern.type,
    date: dayString(day),
    organisation: rng.pick(ORGANISATIONS),
    hours: hoursFor(rng, pattern.hours),
    competencies: rng.sample(run.competencyIds, rng.int(1, 3)),
  });
  const { id } = await log.createGroupEncounter({ ...run.deps, now: at(t) }, ctx, input);
  run.stats.groupEncounters += 1;
  const entries = await run.deps.models.LogEntry.find(
    { schoolId: run.roster.schoolId, groupEncounterId: id },
    { pupilId: 1 },
  ).lean();
  for (const e of entries) {
    const list = run.groupEntries.get(e.pupilId) ?? [];
    list.push({ entryId: String(e._id), date: input.date, type: pattern.type, at: t });
    run.groupEntries.set(e.pupilId, list);
  }
}

// ------------------------------------------------------------------------------------------------ phase 2: pupils

interface PupilState {
  run: Run;
  pupil: SeedPupil;
  rng: Rng;
  engagement: Engagement;
  style: Omit<WorkStyle, 'today' | 'quitChance'>;
  ctx: RequestContext;
  /** Entries the pupil made or reflected on, for the staff follow-up. */
  entries: { entryId: string; at: Date; own: boolean }[];
  completed: { moduleId: string; at: Date }[];
  reflected: Set<string>;
  occupation: { uri: string; title: string } | undefined;
}

interface Task {
  t: Date;
  what: string;
  run: () => Promise<void>;
}

function failed(run: Run, where: string, err: unknown): void {
  run.stats.failures += 1;
  if (run.opts.onFailure) run.opts.onFailure(where, err);
  else process.stderr.write(`seed: ${where} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}

export interface PupilOutcome {
  pupilId: string;
  entries: { entryId: string; at: Date; own: boolean }[];
  completed: { moduleId: string; at: Date }[];
}

async function pupilPhase(run: Run, pupil: SeedPupil): Promise<PupilOutcome> {
  const { opts } = run;
  const rng = rngFor(opts.seed, run.roster.schoolId, 'pupil', pupil.sub);
  const engagement = rng.weighted(ENGAGEMENT);
  const voice = voiceOf(pupil.stage);
  const older = pupil.stage === 'S4' || pupil.stage === 'S5';
  const s: PupilState = {
    run,
    pupil,
    rng,
    engagement,
    style: { voice, chunk: voice === 'young' ? 9 : older ? 18 : 14, sentences: voice === 'young' ? 1.4 : older ? 2.8 : 2.1 },
    ctx: ctxOf(run, pupil.id, 'pupil', pupil.classId),
    entries: [],
    completed: [],
    reflected: new Set(),
    occupation: undefined,
  };
  if (engagement === 'none' && !rng.chance(READINESS.none)) return { pupilId: pupil.id, entries: [], completed: [] };

  const tasks: Task[] = [];
  const days = opts.year.schoolDays;

  // Modules: the class's assignments (in a lesson soon after, or as homework), and a few of their own choosing.
  const assigned = run.assigned.get(pupil.classId) ?? [];
  for (const a of assigned) {
    if (!rng.chance(START_MODULE[engagement])) continue;
    const day = schoolDayAfter(opts.year, a.day, rng.int(0, engagement === 'low' ? 12 : 4));
    const t = rng.chance(0.7) ? lessonTime(rng, day) : homeworkTime(rng, day);
    tasks.push({ t, what: `module ${a.moduleId}`, run: () => doModule(s, a.moduleId, t) });
  }
  const own = (run.modulesByStage.get(pupil.stage) ?? []).filter((m) => !assigned.some((a) => a.moduleId === m.id));
  for (const m of rng.sample(own, rng.int(...EXTRA_MODULES[engagement]))) {
    const t = homeworkTime(rng, rng.pick(days));
    tasks.push({ t, what: `module ${m.id}`, run: () => doModule(s, m.id, t) });
  }

  // Reflections on the class's and year group's encounters.
  for (const g of run.groupEntries.get(pupil.id) ?? []) {
    if (!rng.chance(REFLECT_GROUP[engagement])) continue;
    const day = schoolDayAfter(opts.year, new Date(`${g.date}T00:00:00Z`), rng.int(0, 6));
    const t = new Date(
      Math.max(g.at.getTime() + 3600_000, (rng.chance(0.5) ? lessonTime(rng, day) : homeworkTime(rng, day)).getTime()),
    );
    tasks.push({ t, what: 'reflection on a group encounter', run: () => reflectOnEntry(s, g.entryId, t) });
  }

  // Their own encounters: volunteering, a part-time job, a day shadowing someone, an online talk.
  const ownEntries = pupil.stage === 'S1' ? 0 : rng.int(...OWN_ENTRIES[engagement]) - (pupil.stage === 'S2' ? 1 : 0);
  for (let i = 0; i < ownEntries; i += 1) {
    const type = rng.weighted(OWN_ENTRY_TYPES[pupil.stage]);
    const date = new Date(rng.pick(days).getTime() - rng.int(0, 2) * DAY_MS);
    const t = homeworkTime(rng, new Date(date.getTime() + rng.int(0, 5) * DAY_MS));
    tasks.push({ t, what: `own ${type} entry`, run: () => ownEntry(s, type, dayString(date), t).then(() => undefined) });
  }

  // The careers explorer (from Year 5 on).
  const explores = ['EN-Y1', 'EN-Y2', 'EN-Y3', 'EN-Y4'].includes(pupil.yearGroup) ? 0 : rng.int(...CAREERS_SESSIONS[engagement]);
  for (let i = 0; i < (pupil.stage === 'S2' ? Math.floor(explores / 2) : explores); i += 1) {
    const day = rng.pick(days);
    const t = rng.chance(0.4) ? lessonTime(rng, day) : homeworkTime(rng, day);
    tasks.push({ t, what: 'careers explorer', run: () => explore(s, t) });
  }

  // The readiness check in the autumn (in class), and again in the summer for 14-18.
  if (run.readiness && rng.chance(READINESS[engagement])) {
    const autumn = lessonTime(rng, dayAt(run, rng, [0.04, 0.2]));
    tasks.push({ t: autumn, what: 'readiness check', run: () => readinessCheck(s, autumn, 'autumn') });
    if ((pupil.stage === 'S4' || pupil.stage === 'S5') && engagement !== 'low' && rng.chance(0.5)) {
      const summer = lessonTime(rng, dayAt(run, rng, [0.75, 0.9]));
      tasks.push({ t: summer, what: 'readiness check', run: () => readinessCheck(s, summer, 'summer') });
    }
  }

  tasks.sort((a, b) => a.t.getTime() - b.t.getTime());
  for (const task of tasks) {
    if (!inYear(run, task.t)) continue;
    try {
      await task.run();
    } catch (err) {
      failed(run, `pupil ${pupil.sub}: ${task.what}`, err);
    }
  }
  return { pupilId: pupil.id, entries: s.entries, completed: s.completed };
}

const secondsLater = (t: Date, rng: Rng, [a, b]: [number, number]) => new Date(t.getTime() + rng.int(a, b) * 1000);

/** One sitting with a module: every activity in order (autosaves), then completion and the rating. */
async function doModule(s: PupilState, moduleId: string, start: Date): Promise<void> {
  const { run, rng, pupil } = s;
  const module = run.deps.curriculum.modules.get(moduleId);
  if (!module) return;
  run.stats.moduleSessions += 1;
  let t = start;
  const abandonAt = rng.chance(ABANDON_MODULE[s.engagement]) ? rng.int(0, module.activities.length - 1) : -1;
  const pdeps = (now: Date) => ({ models: run.deps.models, curriculum: run.deps.curriculum, now: at(now) });
  let complete = true;
  for (const [i, activity] of module.activities.entries()) {
    // A long module is often finished as homework.
    if (i > 0 && rng.chance(0.12)) t = homeworkTime(rng, new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate())));
    if (!inYear(run, t)) return;
    const quitting = i === abandonAt;
    if (activity.type === 'experience') {
      const done = !quitting && (await experience(s, module, activity, t));
      t = secondsLater(t, rng, [30, 240]);
      if (!done) {
        complete = false;
        break;
      }
      continue;
    }
    if (activity.type === 'research' && activity.openExplorer && activity.subject === 'occupation') {
      // The research activity opens the careers explorer: look an occupation up first.
      await explore(s, t, { views: 1, searches: 1, save: false });
      t = secondsLater(t, rng, [60, 300]);
    }
    const plan = planAnswers(rng, activity, {
      ...s.style,
      quitChance: quitting ? 1 : 0,
      occupation: s.occupation,
      today: dayString(t),
    });
    for (const [seq, answer] of plan.saves.entries()) {
      t = secondsLater(
        t,
        rng,
        answer.type === 'reflection' || answer.type === 'research' || answer.type === 'plan' ? [4, 45] : [3, 25],
      );
      if (!inYear(run, t)) return;
      await progress.saveAnswer(pdeps(t), s.ctx, module.id, activity.id, parse(SaveAnswer, { answer, clientSeq: seq + 1 }));
      run.stats.saves += 1;
    }
    if (!plan.complete) {
      complete = false;
      break;
    }
  }
  if (!complete) return;
  t = secondsLater(t, rng, [5, 60]);
  if (!inYear(run, t)) return;
  const quality = 3.2 + rngFor(run.opts.seed, 'module-quality', module.id).next() * 1.4;
  const rating = rng.chance(0.85)
    ? Math.min(5, Math.max(1, Math.round(rng.normal(quality + (s.engagement === 'low' ? -0.6 : 0), 0.8))))
    : undefined;
  const input = parse(CompleteModule, {
    ...(rating ? { rating } : {}),
    ...(rating && rng.chance(0.1) ? { comment: text(rng, s.style.voice, 1) } : {}),
  });
  await progress.completeModule(pdeps(t), s.ctx, module.id, input);
  run.stats.modulesCompleted += 1;
  if (rating) run.stats.ratings += 1;
  s.completed.push({ moduleId: module.id, at: t });

  // Some pupils come back later and improve a written answer.
  if (rng.chance(REVISIT[s.engagement])) {
    const written = module.activities.filter((a) => a.type === 'reflection');
    const activity = written.length ? rng.pick(written) : undefined;
    if (!activity || activity.type !== 'reflection') return;
    let later = homeworkTime(rng, schoolDayAfter(run.opts.year, t, rng.int(3, 30)));
    const plan = planAnswers(rng, activity, { ...s.style, quitChance: 0, occupation: undefined, today: dayString(later) });
    const attempt = await run.deps.models.ModuleAttempt.findOne(
      { schoolId: run.roster.schoolId, userId: pupil.id, moduleId: module.id },
      { [`activities.${activity.id}.seq`]: 1 },
    ).lean<{ activities?: Record<string, { seq?: number } | undefined> }>();
    const base = attempt?.activities?.[activity.id]?.seq ?? 0;
    for (const [i, answer] of plan.saves.entries()) {
      later = secondsLater(later, rng, [4, 45]);
      if (!inYear(run, later)) return;
      await progress.saveAnswer(
        pdeps(later),
        s.ctx,
        module.id,
        activity.id,
        parse(SaveAnswer, { answer, clientSeq: base + i + 1 }),
      );
      run.stats.saves += 1;
    }
  }
}

/**
 * An experience activity: link an encounter of an accepted type (reflecting on a class encounter first, or
 * recording one of their own). Returns whether the activity is now complete.
 */
async function experience(
  s: PupilState,
  module: Module,
  activity: Extract<Module['activities'][number], { type: 'experience' }>,
  t: Date,
): Promise<boolean> {
  const { run, rng } = s;
  const types = activity.encounterTypes as readonly EncounterType[];
  const group = (run.groupEntries.get(s.pupil.id) ?? []).filter((g) => types.includes(g.type) && g.at < t);
  let entryId: string | undefined;
  if (group.length && rng.chance(0.7)) {
    const g = rng.pick(group);
    if (!s.reflected.has(g.entryId)) await reflectOnEntry(s, g.entryId, t);
    entryId = g.entryId;
  } else if (s.engagement !== 'low' || rng.chance(0.4)) {
    const date = new Date(Math.max(run.opts.year.schoolDays[0]?.getTime() ?? 0, t.getTime() - rng.int(0, 20) * DAY_MS));
    entryId = await ownEntry(s, rng.pick(types), dayString(date), t, { moduleId: module.id, activityId: activity.id });
  }
  if (!entryId) return false;
  const now = new Date(t.getTime() + 90_000);
  await progress.saveAnswer(
    { models: run.deps.models, curriculum: run.deps.curriculum, now: at(now) },
    s.ctx,
    module.id,
    activity.id,
    parse(SaveAnswer, { answer: { type: 'experience', logEntryId: entryId }, clientSeq: 1 }),
  );
  run.stats.saves += 1;
  return true;
}

function reflectionInput(s: PupilState): {
  reflection?: Record<string, { text: string; private: boolean }>;
  pictures?: { feelings: string[]; saw: string[] };
} {
  const { rng } = s;
  if (s.pupil.stage === 'S1')
    return { pictures: { feelings: rng.sample(FEELINGS, rng.int(1, 2)), saw: rng.sample(SAW, rng.int(1, 3)) } };
  const answer = () => ({
    text: text(rng, s.style.voice, Math.max(1, Math.round(rng.normal(s.style.sentences, 0.7)))),
    private: rng.chance(0.1),
  });
  return { reflection: { happened: answer(), aboutMe: answer(), aboutWork: answer(), nextStep: answer() } };
}

async function reflectOnEntry(s: PupilState, entryId: string, t: Date): Promise<void> {
  if (s.reflected.has(entryId) || !inYear(s.run, t)) return;
  const input = parse(UpdateLogEntry, reflectionInput(s));
  await log.updateEntry({ ...s.run.deps, now: at(t) }, s.ctx, entryId, input);
  s.reflected.add(entryId);
  s.entries.push({ entryId, at: t, own: false });
  s.run.stats.reflections += 1;
}

/** Records an encounter of the pupil's own, usually reflected on straight away. Returns the entry id. */
async function ownEntry(
  s: PupilState,
  type: EncounterType,
  date: string,
  t: Date,
  source?: { moduleId: string; activityId: string },
): Promise<string | undefined> {
  const { run, rng } = s;
  if (!inYear(run, t)) return undefined;
  const reflectNow = Boolean(source) || rng.chance(0.75);
  const input = parse(CreateLogEntry, {
    encounterType: type,
    date,
    organisation: rng.pick(ORGANISATIONS),
    hours: hoursFor(rng, HOURS[type]),
    competencies: rng.sample(run.competencyIds, rng.int(0, 3)),
    ...(reflectNow ? reflectionInput(s) : {}),
    checklist: { preparedBeforehand: rng.chance(0.6), askedQuestions: rng.chance(0.5), reflectedAfterwards: reflectNow },
    ...(source ? { source } : {}),
  });
  const entry = await log.createEntry({ ...run.deps, now: at(t) }, s.ctx, input);
  const entryId = String(entry._id);
  run.stats.logEntries += 1;
  s.entries.push({ entryId, at: t, own: true });
  if (reflectNow) s.reflected.add(entryId);
  else if (rng.chance(0.5)) await reflectOnEntry(s, entryId, homeworkTime(rng, schoolDayAfter(run.opts.year, t, rng.int(1, 10))));
  return entryId;
}

/** A visit to the careers explorer: searches, occupation pages, sometimes saving one to the career journey. */
async function explore(s: PupilState, t0: Date, shape?: { views: number; searches: number; save: boolean }): Promise<void> {
  const { run, rng } = s;
  if (!run.occupations.length) return;
  const cdeps = (now: Date) => ({ models: run.deps.models, curriculum: run.deps.curriculum, now: at(now) });
  let t = t0;
  const searches = shape?.searches ?? rng.int(1, 2);
  const found: string[] = [];
  for (let i = 0; i < searches; i += 1) {
    t = secondsLater(t, rng, [5, 60]);
    if (!inYear(run, t)) return;
    const result = await careers.search(cdeps(t), s.ctx, parse(SearchQuery, { q: rng.pick(CAREER_QUERIES), limit: 10 }));
    run.stats.careersSearches += 1;
    found.push(...result.results.map((r) => r.uri.slice(r.uri.lastIndexOf('/') + 1)));
  }
  const views = shape?.views ?? rng.int(1, 4);
  for (let i = 0; i < views; i += 1) {
    t = secondsLater(t, rng, [20, 180]);
    if (!inYear(run, t)) return;
    const id = found.length && rng.chance(0.8) ? rng.pick(found) : rng.pick(run.occupations).id;
    const page = await careers.occupationPage(cdeps(t), s.ctx, id);
    run.stats.careersViews += 1;
    s.occupation = { uri: page.uri, title: page.title.en.slice(0, 300) };
    if ((shape?.save ?? true) && rng.chance(0.2)) {
      t = secondsLater(t, rng, [10, 90]);
      const input = parse(SaveOccupation, { uri: page.uri, note: rng.chance(0.5) ? text(rng, s.style.voice, 1) : '' });
      await careers.save(cdeps(t), s.ctx, input);
      run.stats.careersSaves += 1;
    }
  }
}

async function readinessCheck(s: PupilState, t: Date, when: 'autumn' | 'summer'): Promise<void> {
  const port = s.run.readiness;
  if (!port || !inYear(s.run, t)) return;
  const { rng } = s;
  // A pupil's sense of readiness: most feel fairly sure, some much less; a little growth over the year.
  const trait = rngFor(s.run.opts.seed, 'readiness-trait', s.pupil.sub).normal(3.6, 0.75) + (when === 'summer' ? 0.25 : 0);
  const answers: Record<string, number> = {};
  for (const item of port.itemsFor(s.pupil.stage)) {
    if (rng.chance(0.03)) continue;
    const lo = Math.min(...item.values);
    const hi = Math.max(...item.values);
    const scaled = lo + ((trait - 1) / 4) * (hi - lo);
    let v = Math.min(hi, Math.max(lo, Math.round(rng.normal(scaled, (hi - lo) / 5))));
    if (item.reverse) v = lo + hi - v;
    answers[item.id] = v;
  }
  if (!Object.keys(answers).length) return;
  await port.submit(s.ctx, t, { clientId: `seed-${s.pupil.sub}-${when}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64), answers });
  s.run.stats.readinessChecks += 1;
}

// ------------------------------------------------------------------------------------------------ phase 3: follow-up

async function followUp(run: Run, outcome: PupilOutcome): Promise<void> {
  const { deps, opts, roster } = run;
  const pupil = roster.pupils.find((p) => p.id === outcome.pupilId);
  const cls = pupil ? run.classOf.get(pupil.classId) : undefined;
  if (!pupil || !cls) return;
  const rng = rngFor(opts.seed, roster.schoolId, 'follow-up', pupil.sub);
  const tutor = ctxOf(run, cls.tutorId, 'teacher');
  const adviser = roster.advisers.find((a) => run.visibleToAdviser.get(a.id)?.has(pupil.id));
  const later = (t: Date, maxDays: number) => homeworkTime(rng, schoolDayAfter(opts.year, t, rng.int(1, maxDays)));
  const seen = new Set<string>();
  for (const e of outcome.entries) {
    if (seen.has(e.entryId)) continue;
    seen.add(e.entryId);
    if (rng.chance(e.own ? 0.55 : 0.25)) {
      const t = later(e.at, 10);
      if (inYear(run, t)) {
        const { note } = parse(VerifyEntry, rng.chance(0.3) ? { note: text(rng, 'older', 1) } : {});
        await log.verifyEntry({ ...deps, now: at(t) }, tutor, e.entryId, note);
        run.stats.verifications += 1;
      }
    }
    if (rng.chance(0.18)) {
      const t = later(e.at, 15);
      if (inYear(run, t)) {
        const { text: comment } = parse(CreateComment, { text: text(rng, 'older', rng.int(1, 2)) });
        await log.commentOnEntry({ ...deps, now: at(t) }, tutor, e.entryId, comment);
        run.stats.comments += 1;
      }
    }
    if (adviser && rng.chance(0.12)) {
      const t = later(e.at, 20);
      if (inYear(run, t)) {
        const { text: comment } = parse(CreateComment, { text: text(rng, 'older', 1) });
        await log.commentOnEntry({ ...deps, now: at(t) }, ctxOf(run, adviser.id, 'adviser'), e.entryId, comment);
        run.stats.comments += 1;
      }
    }
  }
  for (const c of outcome.completed) {
    if (!rng.chance(0.12)) continue;
    const t = later(c.at, 8);
    if (!inYear(run, t)) continue;
    const input = parse(CreateFeedback, { text: text(rng, 'older', rng.int(1, 2)) });
    await classes.giveFeedback({ ...deps, now: at(t) }, tutor, cls.id, pupil.id, c.moduleId, input);
    run.stats.feedback += 1;
  }
}

/** What the staff phase decided, for the pupils (in this process or in workers, see ./worker.ts). */
export interface SharedPlan {
  assigned: [string, { moduleId: string; day: Date }[]][];
  groupEntries: [string, { entryId: string; date: string; type: EncounterType; at: Date }[]][];
}

/** Sets up a run: the curriculum by stage, the careers catalog, and empty plans. */
export async function prepareRun(
  deps: ActivityDeps,
  roster: SeedRoster,
  opts: ActivityOptions,
  readiness?: ReadinessPort,
): Promise<Run> {
  const modulesByStage = new Map<StageId, Module[]>();
  for (const m of [...deps.curriculum.modules.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    modulesByStage.set(m.stage, [...(modulesByStage.get(m.stage) ?? []), m]);
  }
  const catalog = await getCatalog(deps.models);
  const occupations = catalog.occupations
    .filter((o) => o.title.en.length <= 300)
    .map((o) => ({ id: o.id, uri: o.uri, title: o.title.en }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    deps,
    opts,
    roster,
    stats: emptyStats(),
    modulesByStage,
    competencyIds: [...deps.curriculum.competencies.keys()].sort(),
    occupations,
    readiness,
    assigned: new Map(),
    groupEntries: new Map(),
    classOf: new Map(roster.classes.map((c) => [c.id, c])),
    visibleToAdviser: new Map(),
  };
}

/** Phase 1 (teachers and the careers leader); returns what the pupils' phase needs to know. */
export async function runStaffPhase(run: Run): Promise<SharedPlan> {
  await staffPhase(run);
  return { assigned: [...run.assigned], groupEntries: [...run.groupEntries] };
}

export function usePlan(run: Run, plan: SharedPlan): void {
  run.assigned = new Map(plan.assigned);
  run.groupEntries = new Map(plan.groupEntries);
}

/** Phases 2 and 3 for these pupils: their year, then their teachers' and advisers' follow-up. */
export async function runPupils(run: Run, pupils: readonly SeedPupil[], onPupil?: () => void): Promise<ActivityStats> {
  const outcomes: PupilOutcome[] = [];
  await pool(
    pupils,
    run.opts.concurrency,
    async (pupil) => {
      outcomes.push(await pupilPhase(run, pupil));
      onPupil?.();
    },
    run.opts.signal,
  );
  outcomes.sort((a, b) => a.pupilId.localeCompare(b.pupilId));
  for (const a of run.roster.advisers)
    run.visibleToAdviser.set(a.id, new Set(await visiblePupilIds(run.deps.models, ctxOf(run, a.id, 'adviser'))));
  await pool(
    outcomes,
    run.opts.concurrency,
    (o) =>
      followUp(run, o).catch((err: unknown) => {
        failed(run, `follow-up of ${o.pupilId}`, err);
      }),
    run.opts.signal,
  );
  return run.stats;
}

export function addStats(into: ActivityStats, more: ActivityStats): ActivityStats {
  for (const k of Object.keys(into) as (keyof ActivityStats)[]) into[k] += more[k];
  return into;
}

export type { Run };
