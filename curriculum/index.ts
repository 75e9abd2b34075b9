/**
 * The curriculum as the server sees it: `loadCurriculum()` reads and validates every curriculum file once at
 * start-up and returns a typed, frozen `Curriculum` (maps by id). `validateModule()` applies the same rules to a
 * school-authored module before it is stored. `yearGroupToStage()` maps an LMS year group to a stage.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module } from './schema.js';
import type { CompetencyFile, EncounterType, LearningStage, LocalizedText, StageId } from './schema.js';
import type { EncounterTypesFile, FrameworkFile, FrameworkId, ReadingLevelsFile, StagesFile, YearGroup } from './reference.js';
import type { PictorialCheck, ReadinessInstrument } from './readiness.js';
import { checkCurriculum, checkModule, formatPath, formatProblem, isBlocking } from './check.js';
import type { Indicator, Problem, ReferenceData } from './check.js';
import stagesJson from './stages.json' with { type: 'json' };

export type { Problem } from './check.js';
export { formatProblem } from './check.js';

type Competencies = CompetencyFile['competencies'];
export type Competency = Competencies[number];
export type Area = CompetencyFile['areas'][number];
export type LearningStageDef = CompetencyFile['learningStages'][number];
export type Stage = StagesFile['stages'][number];
export type EncounterTypeDef = EncounterTypesFile['types'][number];
export type FrameworkItem = FrameworkFile['items'][number];
export interface Framework extends Omit<FrameworkFile, 'items'> {
  items: readonly FrameworkItem[];
  /** code → item. */
  codes: ReadonlyMap<string, FrameworkItem>;
}
export type StagedYearGroup = YearGroup & { stage: StageId | null };

export interface Curriculum {
  areas: ReadonlyMap<string, Area>;
  learningStages: ReadonlyMap<LearningStage, LearningStageDef>;
  competencies: ReadonlyMap<string, Competency>;
  indicators: ReadonlyMap<string, Indicator>;
  stages: ReadonlyMap<StageId, Stage>;
  /** Every known year-group code; `stage` is null below S1 (Reception, groep 1). */
  yearGroups: ReadonlyMap<string, StagedYearGroup>;
  frameworks: Readonly<Record<FrameworkId, Framework>>;
  encounterTypes: ReadonlyMap<EncounterType, EncounterTypeDef>;
  readiness: { instrument: ReadinessInstrument; pictorial: PictorialCheck };
  readingLevels: ReadingLevelsFile['thresholds'];
  modules: ReadonlyMap<string, Module>;
  /** Module id → file path (relative to the repository), for messages. */
  moduleFiles: ReadonlyMap<string, string>;
  /** Content-quality problems (translation, reading level, repeated text); `npm run curriculum -- check` fails on them. */
  editorialProblems: readonly Problem[];
}

/** Thrown by loadCurriculum when curriculum files are unusable; `problems` lists every one. */
export class CurriculumError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`The curriculum has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'CurriculumError';
  }
}

/** The `curriculum/` folder this file lives in. */
export const CURRICULUM_ROOT = path.dirname(fileURLToPath(import.meta.url));

/** A Map that refuses changes once built (Object.freeze does not stop Map.prototype.set). */
class FrozenMap<K, V> extends Map<K, V> {
  constructor(entries: Iterable<readonly [K, V]>) {
    super();
    for (const [k, v] of entries) super.set(k, v);
    Object.freeze(this);
  }
  override set(): this {
    throw new TypeError('The curriculum is read-only');
  }
  override delete(): boolean {
    throw new TypeError('The curriculum is read-only');
  }
  override clear(): void {
    throw new TypeError('The curriculum is read-only');
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function frozenMap<K, V>(entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> {
  const list = [...entries];
  for (const [, v] of list) deepFreeze(v);
  return new FrozenMap(list);
}

function framework(file: FrameworkFile): Framework {
  return { ...file, codes: frozenMap(file.items.map((it) => [it.code, it])) };
}

function stagedYearGroups(stages: StagesFile): Map<string, StagedYearGroup> {
  const map = new Map<string, StagedYearGroup>();
  for (const s of stages.stages) for (const y of s.yearGroups) map.set(y.code, { ...y, stage: s.id });
  for (const y of stages.unstaged) map.set(y.code, { ...y, stage: null });
  return map;
}

/**
 * Reads and validates the whole curriculum (competencies, indicators, stages, frameworks, encounter types,
 * readiness instruments, reading levels, modules) and returns it frozen.
 * Throws CurriculumError listing every blocking problem (unreadable files, schema and reference errors).
 * Editorial problems do not stop start-up; they are on `editorialProblems` and fail `npm run curriculum -- check`.
 */
export function loadCurriculum(rootDir: string = CURRICULUM_ROOT): Curriculum {
  const { problems, reference: ref, modules } = checkCurriculum(rootDir);
  const blocking = problems.filter(isBlocking);
  const { competencies, stages, encounterTypes, readingLevels } = ref;
  const { instrument, pictorial } = ref.readiness;
  const frameworks = ref.frameworks;
  if (blocking.length > 0 || !competencies || !stages || !encounterTypes || !readingLevels || !instrument || !pictorial) {
    throw new CurriculumError(blocking);
  }
  const fw = {} as Record<FrameworkId, Framework>;
  for (const [id, file] of Object.entries(frameworks) as [FrameworkId, FrameworkFile][]) fw[id] = framework(file);

  return deepFreeze({
    areas: frozenMap(competencies.areas.map((a) => [a.id, a])),
    learningStages: frozenMap(competencies.learningStages.map((l) => [l.id, l])),
    competencies: frozenMap(competencies.competencies.map((c) => [c.id, c])),
    indicators: frozenMap(ref.indicators),
    stages: frozenMap(stages.stages.map((s) => [s.id, s])),
    yearGroups: frozenMap(stagedYearGroups(stages)),
    frameworks: fw,
    encounterTypes: frozenMap(encounterTypes.types.map((t) => [t.id, t])),
    readiness: { instrument, pictorial },
    readingLevels: readingLevels.thresholds,
    modules: frozenMap(modules.map((e) => [e.module.id, e.module])),
    moduleFiles: frozenMap(modules.map((e) => [e.module.id, e.file])),
    editorialProblems: problems.filter((p) => !isBlocking(p)),
  });
}

function referenceOf(curriculum: Curriculum): ReferenceData {
  return {
    competencies: {
      areas: [...curriculum.areas.values()],
      learningStages: [...curriculum.learningStages.values()],
      competencies: [...curriculum.competencies.values()],
    },
    indicators: new Map(curriculum.indicators),
    stages: null,
    frameworks: Object.fromEntries(
      Object.entries(curriculum.frameworks).map(([id, f]) => [id, { ...f, source: [...f.source], items: [...f.items] }]),
    ),
    encounterTypes: { types: [...curriculum.encounterTypes.values()] },
    readingLevels: { thresholds: curriculum.readingLevels },
    readiness: curriculum.readiness,
  };
}

/**
 * Validates a school-authored module (e.g. from MongoDB) with the built-in modules' schema and rules: references,
 * scenario graphs, crosswalk codes, translations and reading level. Its id must not clash with a built-in
 * module. Repeated text is not checked (schools may adapt built-in modules under CC BY-SA).
 * Returns every problem (file = `label`); an empty list means valid.
 */
export function validateModule(candidate: unknown, curriculum: Curriculum, label = 'school-module'): Problem[] {
  const parsed = Module.safeParse(candidate);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({
      file: label,
      path: formatPath(i.path),
      message: i.message,
      kind: 'schema' as const,
    }));
  }
  const problems: Problem[] = [];
  if (curriculum.modules.has(parsed.data.id)) {
    problems.push({
      file: label,
      path: 'id',
      message: `id "${parsed.data.id}" is taken by a built-in module`,
      kind: 'reference',
    });
  }
  problems.push(...checkModule({ file: label, module: parsed.data }, referenceOf(curriculum)));
  return problems;
}

const yearGroupStages = stagedYearGroups(stagesJson as StagesFile);

/**
 * The Waymark stage of a year-group code (EN-Y7 → S3, NL-G5 → S2, US-G9 → S4, CA-G10 → S4), case-insensitive.
 * Returns null for a known code below S1 (EN-R, NL-G1) and undefined for an unknown code.
 */
export function yearGroupToStage(code: string): StageId | null | undefined {
  const found = yearGroupStages.get(code.trim().toUpperCase());
  return found === undefined ? undefined : found.stage;
}

/** The localized label of a year-group code, e.g. NL-HAVO4 → { en: 'havo year 4', nl: 'havo leerjaar 4' }. */
export function yearGroupLabel(code: string): LocalizedText | undefined {
  return yearGroupStages.get(code.trim().toUpperCase())?.label;
}
