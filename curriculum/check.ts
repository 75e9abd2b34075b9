/**
 * The curriculum checker: reads every curriculum file, parses it with its zod schema (reporting every issue),
 * then applies the cross-file rules: unique ids, references, scenario graphs, crosswalk codes, file layout,
 * translations, reading level and repeated text. Each problem names a file and a path inside it.
 *
 * Problems come in two severities. `error` problems (file, schema, reference) make the curriculum unusable and
 * stop the server at start-up. `editorial` problems (language, reading level, repeated text) are content
 * quality: `npm run curriculum -- check` (and so CI) fails on both.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { CompetencyFile, ENCOUNTER_TYPES, IndicatorFile, LANGUAGES, Module, STAGE_IDS } from './schema.js';
import type { Language, LocalizedText, StageId } from './schema.js';
import {
  CROSSWALK_FRAMEWORK,
  EncounterTypesFile,
  FRAMEWORK_IDS,
  FrameworkFile,
  ReadingLevelsFile,
  StagesFile,
} from './reference.js';
import type { FrameworkId } from './reference.js';
import { PictorialCheck, ReadinessInstrument } from './readiness.js';
import { readingEase, words } from './readability.js';
import { pupilText } from './pupil-text.js';

export type ProblemKind = 'file' | 'schema' | 'reference' | 'language' | 'reading-level' | 'repetition';

export interface Problem {
  /** File path relative to the curriculum folder's parent, e.g. `curriculum/modules/S1/s1-x.json`. */
  file: string;
  /** Path inside the file, e.g. `activities[2].options[0].feedback.nl`; `(file)` for the file itself. */
  path: string;
  message: string;
  kind: ProblemKind;
}

const EDITORIAL: readonly ProblemKind[] = ['language', 'reading-level', 'repetition'];

/** True for problems that make the curriculum unusable (as opposed to editorial ones). */
export function isBlocking(problem: Problem): boolean {
  return !EDITORIAL.includes(problem.kind);
}

/** `file: path: problem`, the checker's output line. */
export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

/** Formats a zod issue path: `activities[2].options[0].feedback.nl`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out === '' ? '(root)' : out;
}

// ---------------------------------------------------------------------------------------------------------
// Tunable rules (documented in docs/curriculum.md).

/** A Dutch string equal to the English one is flagged as untranslated when it has more than this many words. */
export const UNTRANSLATED_MIN_WORDS = 4;
/** Identical pupil-facing strings of at least this many words in two modules are flagged. */
export const REPEATED_STRING_MIN_WORDS = 6;
/** Word n-gram size and Jaccard similarity above which two modules' pupil text counts as repeated. */
export const SHINGLE_SIZE = 3;
export const SHINGLE_JACCARD_MAX = 0.15;

// ---------------------------------------------------------------------------------------------------------
// Reference data (everything but modules), as parsed.

export interface Indicator {
  id: string;
  competency: string;
  stage: StageId;
  text: LocalizedText;
}

export interface ReferenceData {
  competencies: z.infer<typeof CompetencyFile> | null;
  indicators: Map<string, Indicator>;
  stages: z.infer<typeof StagesFile> | null;
  frameworks: Partial<Record<FrameworkId, z.infer<typeof FrameworkFile>>>;
  encounterTypes: z.infer<typeof EncounterTypesFile> | null;
  readingLevels: z.infer<typeof ReadingLevelsFile> | null;
  readiness: { instrument: ReadinessInstrument | null; pictorial: PictorialCheck | null };
}

export interface ModuleEntry {
  file: string;
  module: Module;
}

export interface CheckResult {
  problems: Problem[];
  reference: ReferenceData;
  /** Modules that passed the schema (they may still have reference or editorial problems). */
  modules: ModuleEntry[];
}

interface Source {
  root: string;
  rel: (abs: string) => string;
  problems: Problem[];
}

function readJson(src: Source, abs: string): unknown {
  const file = src.rel(abs);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    src.problems.push({ file, path: '(file)', message: 'file is missing', kind: 'file' });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    src.problems.push({ file, path: '(file)', message: `not valid JSON: ${(err as Error).message}`, kind: 'file' });
    return undefined;
  }
}

function parseWith<S extends z.ZodType>(src: Source, schema: S, abs: string, data: unknown): z.infer<S> | null {
  if (data === undefined) return null;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const file = src.rel(abs);
  for (const issue of result.error.issues) {
    src.problems.push({ file, path: formatPath(issue.path), message: issue.message, kind: 'schema' });
  }
  return null;
}

function load<S extends z.ZodType>(src: Source, schema: S, relPath: string): z.infer<S> | null {
  const abs = path.join(src.root, relPath);
  return parseWith(src, schema, abs, readJson(src, abs));
}

function listJson(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

// ---------------------------------------------------------------------------------------------------------
// Generic walks.

function isLocalized(value: unknown): value is LocalizedText {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === LANGUAGES.length && LANGUAGES.every((l) => typeof (value as Record<string, unknown>)[l] === 'string');
}

function normalise(text: string): string {
  return words(text.toLowerCase()).join(' ');
}

/** Dutch text identical to the English (beyond a few words) is almost certainly untranslated. */
function checkTranslations(file: string, value: unknown, at: PropertyKey[], out: Problem[]): void {
  if (isLocalized(value)) {
    if (words(value.en).length >= UNTRANSLATED_MIN_WORDS && normalise(value.en) === normalise(value.nl)) {
      out.push({
        file,
        path: formatPath([...at, 'nl']),
        message: 'Dutch text is identical to the English (untranslated?)',
        kind: 'language',
      });
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkTranslations(file, v, [...at, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) checkTranslations(file, v, [...at, k], out);
  }
}

/** Every list of objects with an `id` must not repeat an id (activities, options, cards, nodes, prompts...). */
function checkUniqueIds(file: string, value: unknown, at: PropertyKey[], out: Problem[]): void {
  if (Array.isArray(value)) {
    const seen = new Map<string, number>();
    value.forEach((v, i) => {
      const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
      if (typeof id === 'string') {
        const first = seen.get(id);
        if (first !== undefined) {
          out.push({
            file,
            path: formatPath([...at, i, 'id']),
            message: `duplicate id "${id}" (also at ${formatPath([...at, first])})`,
            kind: 'reference',
          });
        } else seen.set(id, i);
      }
      checkUniqueIds(file, v, [...at, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) checkUniqueIds(file, v, [...at, k], out);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Module rules.

export interface ModuleCheckOptions {
  /** Check that the file sits at `modules/<stage>/<id>.json` (built-in modules only). */
  filePath?: { stageFolder: string; baseName: string };
}

/** Reference, structure, translation and reading-level rules for one schema-valid module. */
export function checkModule(entry: ModuleEntry, ref: ReferenceData, options: ModuleCheckOptions = {}): Problem[] {
  const { file, module: m } = entry;
  const out: Problem[] = [];
  const problem = (p: string, message: string, kind: ProblemKind = 'reference') => out.push({ file, path: p, message, kind });

  const prefix = `${m.stage.toLowerCase()}-`;
  if (!m.id.startsWith(prefix)) problem('id', `module id must start with "${prefix}" (its stage)`);
  if (options.filePath) {
    if (options.filePath.stageFolder !== m.stage)
      problem('stage', `module of stage ${m.stage} is in folder modules/${options.filePath.stageFolder}/`, 'file');
    if (options.filePath.baseName !== `${m.id}.json`)
      problem('id', `file name must be the module id: expected ${m.id}.json`, 'file');
  }

  checkUniqueIds(file, m, [], out);

  // Competencies and indicators.
  const competencyIds = new Set(ref.competencies?.competencies.map((c) => c.id) ?? []);
  const primaries = m.competencies.filter((c) => c.primary).length;
  if (primaries !== 1) problem('competencies', `exactly one competency must be primary (found ${primaries})`);
  m.competencies.forEach((c, i) => {
    if (!competencyIds.has(c.id)) {
      problem(`competencies[${i}].id`, `unknown competency "${c.id}"`);
      return;
    }
    c.indicators.forEach((ind, j) => {
      const p = `competencies[${i}].indicators[${j}]`;
      const found = ref.indicators.get(ind);
      if (!found) problem(p, `unknown indicator "${ind}"`);
      else if (found.competency !== c.id)
        problem(p, `indicator "${ind}" belongs to competency "${found.competency}", not "${c.id}"`);
      else if (found.stage !== m.stage) problem(p, `indicator "${ind}" is for stage ${found.stage}, not ${m.stage}`);
    });
  });
  const moduleCompetencies = new Set(m.competencies.map((c) => c.id));

  // Activities.
  m.activities.forEach((a, i) => {
    const p = `activities[${i}]`;
    a.competencies?.forEach((c, j) => {
      if (!moduleCompetencies.has(c))
        problem(`${p}.competencies[${j}]`, `competency "${c}" is not one of the module's competencies`);
    });
    switch (a.type) {
      case 'choice':
      case 'picture-choice': {
        const hasCorrect = a.options.some((o) => o.correct !== undefined);
        if (a.scoring && !hasCorrect) problem(`${p}.scoring`, 'scoring needs at least one option marked `correct`');
        if (a.scoring && !a.options.some((o) => o.correct === true)) {
          if (hasCorrect) problem(`${p}.options`, 'a scored question needs at least one option with `correct: true`');
        }
        if (a.scoring && a.mode === 'single' && a.options.filter((o) => o.correct === true).length > 1) {
          problem(`${p}.options`, 'a single-answer question can have only one option with `correct: true`');
        }
        break;
      }
      case 'sort': {
        const categories = new Set(a.categories.map((c) => c.id));
        a.cards.forEach((card, j) => {
          if (card.category !== undefined && !categories.has(card.category)) {
            problem(`${p}.cards[${j}].category`, `unknown category "${card.category}"`);
          }
        });
        // Cards without a category are open (any placement is right); scoring needs at least one that is not.
        if (a.scoring && a.cards.every((c) => c.category === undefined)) {
          problem(`${p}.scoring`, 'scoring needs at least one card with an expected `category`');
        }
        break;
      }
      case 'scenario':
        checkScenario(a, p, problem);
        break;
      case 'plan':
        if (a.minSteps > a.maxSteps) problem(`${p}.minSteps`, `minSteps (${a.minSteps}) is more than maxSteps (${a.maxSteps})`);
        break;
      case 'experience':
        if (ref.encounterTypes) {
          const known = new Set(ref.encounterTypes.types.map((t) => t.id));
          a.encounterTypes.forEach((t, j) => {
            if (!known.has(t))
              problem(`${p}.encounterTypes[${j}]`, `encounter type "${t}" is not described in encounter-types.json`);
          });
        }
        break;
      default:
        break;
    }
  });

  // Crosswalk codes.
  for (const [field, frameworkId] of Object.entries(CROSSWALK_FRAMEWORK) as [keyof typeof CROSSWALK_FRAMEWORK, FrameworkId][]) {
    const framework = ref.frameworks[frameworkId];
    if (!framework) continue;
    const codes = new Set(framework.items.map((it) => it.code));
    const seen = new Set<string>();
    m.crosswalk[field].forEach((code, i) => {
      const p = `crosswalk.${field}[${i}]`;
      if (!codes.has(code)) problem(p, `unknown ${frameworkId} code "${code}"`);
      else if (seen.has(code)) problem(p, `duplicate code "${code}"`);
      seen.add(code);
    });
  }

  checkTranslations(file, m, [], out);
  out.push(...checkReadingLevel(entry, ref));
  return out;
}

type Scenario = Extract<Module['activities'][number], { type: 'scenario' }>;

function checkScenario(a: Scenario, p: string, problem: (path: string, message: string) => void): void {
  const index = new Map(a.nodes.map((n, i) => [n.id, i]));
  if (!index.has(a.start)) {
    problem(`${p}.start`, `start node "${a.start}" does not exist`);
    return;
  }
  a.nodes.forEach((n, i) => {
    if (n.choices.length === 0 && !n.end)
      problem(`${p}.nodes[${i}]`, `node "${n.id}" has no choices and no end: the path stops here`);
    if (n.choices.length > 0 && n.end) problem(`${p}.nodes[${i}].end`, `node "${n.id}" has both choices and an end`);
    n.choices.forEach((c, j) => {
      if (!index.has(c.next)) problem(`${p}.nodes[${i}].choices[${j}].next`, `next node "${c.next}" does not exist`);
    });
  });
  // Every path from the start must reach an end node: no cycles among reachable nodes.
  const state = new Map<string, 'open' | 'done'>();
  const reportedCycle = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    const i = index.get(id);
    const node = i === undefined ? undefined : a.nodes[i];
    node?.choices.forEach((c, j) => {
      if (!index.has(c.next)) return;
      const s = state.get(c.next);
      if (s === 'open') {
        if (!reportedCycle.has(`${id}>${c.next}`)) {
          reportedCycle.add(`${id}>${c.next}`);
          problem(`${p}.nodes[${i}].choices[${j}].next`, `choice loops back to "${c.next}": every path must reach an end node`);
        }
      } else if (s === undefined) visit(c.next);
    });
    state.set(id, 'done');
  };
  visit(a.start);
  a.nodes.forEach((n, i) => {
    if (!state.has(n.id)) problem(`${p}.nodes[${i}]`, `node "${n.id}" cannot be reached from the start node`);
  });
}

/** Reading ease of the module's pupil-facing text, per language, against the stage's thresholds. */
export function checkReadingLevel(entry: ModuleEntry, ref: ReferenceData): Problem[] {
  const thresholds = ref.readingLevels?.thresholds[entry.module.stage];
  if (!thresholds) return [];
  const texts = pupilText(entry.module);
  const out: Problem[] = [];
  for (const lang of LANGUAGES) {
    const min = thresholds[lang];
    const { score } = readingEase(
      texts.map((t) => t.text[lang]),
      lang,
    );
    if (score >= min) continue;
    const hardest = texts
      .filter((t) => words(t.text[lang]).length >= 4)
      .map((t) => ({ path: t.path, score: readingEase([t.text[lang]], lang).score }))
      .sort((x, y) => x.score - y.score)
      .slice(0, 3)
      .map((h) => `${h.path}.${lang} (${h.score.toFixed(0)})`);
    const formula = lang === 'en' ? 'Flesch reading ease' : 'Flesch–Douma';
    out.push({
      file: entry.file,
      path: `pupil-text.${lang}`,
      message: `${formula} ${score.toFixed(1)} is below the ${entry.module.stage} minimum of ${min}${hardest.length ? `; hardest: ${hardest.join(', ')}` : ''}`,
      kind: 'reading-level',
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Repeated text across modules.

function shingles(texts: readonly string[], n: number): Set<string> {
  const set = new Set<string>();
  for (const t of texts) {
    const ws = normalise(t).split(' ').filter(Boolean);
    for (let i = 0; i + n <= ws.length; i++) set.add(ws.slice(i, i + n).join(' '));
  }
  return set;
}

/** Word-shingle Jaccard similarity of two sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const s of a) if (b.has(s)) inter += 1;
  return inter / (a.size + b.size - inter);
}

/** Flags identical long pupil strings shared by two modules, and module pairs whose pupil text is too similar. */
export function checkRepetition(entries: readonly ModuleEntry[]): Problem[] {
  const out: Problem[] = [];
  for (const lang of LANGUAGES) {
    const seen = new Map<string, { id: string; file: string; path: string }[]>();
    const sets: { entry: ModuleEntry; set: Set<string> }[] = [];
    for (const entry of entries) {
      const texts = pupilText(entry.module);
      for (const t of texts) {
        const key = normalise(t.text[lang]);
        if (key.split(' ').length < REPEATED_STRING_MIN_WORDS) continue;
        const list = seen.get(key) ?? [];
        list.push({ id: entry.module.id, file: entry.file, path: `${t.path}.${lang}` });
        seen.set(key, list);
      }
      sets.push({
        entry,
        set: shingles(
          texts.map((t) => t.text[lang]),
          SHINGLE_SIZE,
        ),
      });
    }
    for (const list of seen.values()) {
      const modules = new Set(list.map((l) => l.id));
      if (modules.size < 2) continue;
      for (const here of list) {
        const other = list.find((l) => l.id !== here.id);
        if (other)
          out.push({
            file: here.file,
            path: here.path,
            message: `same pupil text as ${other.id} (${other.path})`,
            kind: 'repetition',
          });
      }
    }
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const a = sets[i];
        const b = sets[j];
        if (!a || !b) continue;
        const sim = jaccard(a.set, b.set);
        if (sim < SHINGLE_JACCARD_MAX) continue;
        const pct = `${Math.round(sim * 100)}%`;
        const why = `word ${SHINGLE_SIZE}-gram Jaccard ${pct}, limit ${Math.round(SHINGLE_JACCARD_MAX * 100)}%`;
        out.push({
          file: a.entry.file,
          path: `pupil-text.${lang}`,
          message: `pupil text repeats ${b.entry.module.id} (${why})`,
          kind: 'repetition',
        });
        out.push({
          file: b.entry.file,
          path: `pupil-text.${lang}`,
          message: `pupil text repeats ${a.entry.module.id} (${why})`,
          kind: 'repetition',
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Reference-data rules.

function checkReference(src: Source, ref: ReferenceData): void {
  const problem = (file: string, p: string, message: string) => src.problems.push({ file, path: p, message, kind: 'reference' });
  const competencyIds = new Set<string>();
  if (ref.competencies) {
    const file = src.rel(path.join(src.root, 'competencies.json'));
    const areas = new Set(ref.competencies.areas.map((a) => a.id));
    const numbers = new Set<number>();
    ref.competencies.competencies.forEach((c, i) => {
      if (!areas.has(c.area)) problem(file, `competencies[${i}].area`, `unknown area "${c.area}"`);
      if (numbers.has(c.number)) problem(file, `competencies[${i}].number`, `duplicate number ${c.number}`);
      numbers.add(c.number);
      competencyIds.add(c.id);
    });
    checkUniqueIds(file, ref.competencies, [], src.problems);
    checkTranslations(file, ref.competencies, [], src.problems);
  }

  if (ref.stages) {
    const file = src.rel(path.join(src.root, 'stages.json'));
    ref.stages.stages.forEach((s, i) => {
      if (s.id !== STAGE_IDS[i]) problem(file, `stages[${i}].id`, `stages must be listed in order ${STAGE_IDS.join(', ')}`);
    });
    const codes = new Map<string, string>();
    const note = (code: string, p: string) => {
      const first = codes.get(code);
      if (first) problem(file, p, `year group "${code}" is listed twice (also at ${first})`);
      else codes.set(code, p);
    };
    ref.stages.stages.forEach((s, i) => s.yearGroups.forEach((y, j) => note(y.code, `stages[${i}].yearGroups[${j}].code`)));
    ref.stages.unstaged.forEach((y, j) => note(y.code, `unstaged[${j}].code`));
  }

  const gatsby = new Set(ref.frameworks.gatsby?.items.map((i) => i.code) ?? []);
  for (const id of FRAMEWORK_IDS) {
    const fw = ref.frameworks[id];
    if (!fw) continue;
    const file = src.rel(path.join(src.root, 'frameworks', `${id}.json`));
    const seen = new Set<string>();
    fw.items.forEach((it, i) => {
      if (seen.has(it.code)) problem(file, `items[${i}].code`, `duplicate code "${it.code}"`);
      seen.add(it.code);
      if (it.competency && competencyIds.size > 0 && !competencyIds.has(it.competency)) {
        problem(file, `items[${i}].competency`, `unknown competency "${it.competency}"`);
      }
    });
  }

  if (ref.encounterTypes) {
    const file = src.rel(path.join(src.root, 'encounter-types.json'));
    const ids = ref.encounterTypes.types.map((t) => t.id);
    for (const t of ENCOUNTER_TYPES) if (!ids.includes(t)) problem(file, 'types', `encounter type "${t}" is not described`);
    checkUniqueIds(file, ref.encounterTypes.types, ['types'], src.problems);
    ref.encounterTypes.types.forEach((t, i) =>
      t.gatsby.forEach((g, j) => {
        if (gatsby.size > 0 && !gatsby.has(g)) problem(file, `types[${i}].gatsby[${j}]`, `unknown gatsby code "${g}"`);
      }),
    );
    checkTranslations(file, ref.encounterTypes, [], src.problems);
  }

  const { instrument, pictorial } = ref.readiness;
  if (instrument) {
    const file = src.rel(path.join(src.root, 'readiness', 'instrument.json'));
    checkUniqueIds(file, instrument, [], src.problems);
    const covered = new Set<string>();
    instrument.items.forEach((it, i) => {
      if (it.competency && competencyIds.size > 0 && !competencyIds.has(it.competency)) {
        problem(file, `items[${i}].competency`, `unknown competency "${it.competency}"`);
      }
      if (it.competency) covered.add(it.competency);
    });
    for (const c of competencyIds) if (!covered.has(c)) problem(file, 'items', `no item measures competency "${c}"`);
    for (const s of ['decided', 'undecided', 'indecisive'] as const) {
      if (!instrument.items.some((it) => it.scale === s)) problem(file, 'items', `no item measures decision status "${s}"`);
    }
    checkTranslations(file, instrument, [], src.problems);
  }
  if (pictorial) {
    const file = src.rel(path.join(src.root, 'readiness', 'pictorial.json'));
    checkUniqueIds(file, pictorial, [], src.problems);
    pictorial.items.forEach((it, i) => {
      if (competencyIds.size > 0 && !competencyIds.has(it.competency))
        problem(file, `items[${i}].competency`, `unknown competency "${it.competency}"`);
    });
    checkTranslations(file, pictorial, [], src.problems);
  }
}

function loadIndicators(src: Source, competencyIds: ReadonlySet<string>): Map<string, Indicator> {
  const indicators = new Map<string, Indicator>();
  const where = new Map<string, string>();
  for (const abs of listJson(path.join(src.root, 'indicators'))) {
    const file = src.rel(abs);
    const parsed = parseWith(src, IndicatorFile, abs, readJson(src, abs));
    if (!parsed) continue;
    const problem = (p: string, message: string) => src.problems.push({ file, path: p, message, kind: 'reference' });
    if (path.basename(abs) !== `${parsed.stage}.json`)
      problem('stage', `file of stage ${parsed.stage} must be named ${parsed.stage}.json`);
    const perCompetency = new Set<string>();
    parsed.indicators.forEach((ind, i) => {
      const [competency, stage] = ind.id.split('.');
      if (competency !== ind.competency)
        problem(`indicators[${i}].id`, `id "${ind.id}" must start with its competency "${ind.competency}"`);
      if (stage !== parsed.stage) problem(`indicators[${i}].id`, `id "${ind.id}" must carry the file's stage ${parsed.stage}`);
      if (competencyIds.size > 0 && !competencyIds.has(ind.competency))
        problem(`indicators[${i}].competency`, `unknown competency "${ind.competency}"`);
      const first = where.get(ind.id);
      if (first) problem(`indicators[${i}].id`, `duplicate indicator id "${ind.id}" (also in ${first})`);
      else {
        where.set(ind.id, file);
        indicators.set(ind.id, { ...ind, stage: parsed.stage });
      }
      perCompetency.add(ind.competency);
    });
    for (const c of competencyIds)
      if (!perCompetency.has(c)) problem('indicators', `no indicator for competency "${c}" at ${parsed.stage}`);
    checkTranslations(file, parsed, [], src.problems);
  }
  return indicators;
}

/** Reads and parses all reference data (not modules) under `root`, collecting problems into `src`. */
function loadReference(src: Source): ReferenceData {
  const competencies = load(src, CompetencyFile, 'competencies.json');
  const competencyIds = new Set(competencies?.competencies.map((c) => c.id) ?? []);
  const frameworks: ReferenceData['frameworks'] = {};
  for (const id of FRAMEWORK_IDS) {
    const fw = load(src, FrameworkFile, path.join('frameworks', `${id}.json`));
    if (fw) frameworks[id] = fw;
  }
  const ref: ReferenceData = {
    competencies,
    indicators: loadIndicators(src, competencyIds),
    stages: load(src, StagesFile, 'stages.json'),
    frameworks,
    encounterTypes: load(src, EncounterTypesFile, 'encounter-types.json'),
    readingLevels: load(src, ReadingLevelsFile, 'reading-levels.json'),
    readiness: {
      instrument: load(src, ReadinessInstrument, path.join('readiness', 'instrument.json')),
      pictorial: load(src, PictorialCheck, path.join('readiness', 'pictorial.json')),
    },
  };
  checkReference(src, ref);
  return ref;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/**
 * Checks the whole curriculum under `root` (the `curriculum/` folder). Never throws for content problems:
 * they are returned, every one of them, sorted by file and path.
 */
export function checkCurriculum(root: string): CheckResult {
  const base = path.dirname(path.resolve(root));
  const src: Source = {
    root: path.resolve(root),
    rel: (abs) => path.relative(base, abs).split(path.sep).join('/'),
    problems: [],
  };
  const reference = loadReference(src);

  const modules: ModuleEntry[] = [];
  const modulesDir = path.join(src.root, 'modules');
  const byId = new Map<string, string>();
  if (fs.existsSync(modulesDir)) {
    for (const e of fs.readdirSync(modulesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(modulesDir, e.name);
      if (e.isFile()) {
        src.problems.push({
          file: src.rel(abs),
          path: '(file)',
          message: 'module files belong in a stage folder: modules/<S1..S5>/<id>.json',
          kind: 'file',
        });
        continue;
      }
      if (!(STAGE_IDS as readonly string[]).includes(e.name)) {
        src.problems.push({
          file: src.rel(abs),
          path: '(file)',
          message: `unknown stage folder "${e.name}" (expected one of ${STAGE_IDS.join(', ')})`,
          kind: 'file',
        });
        continue;
      }
      for (const fileAbs of listJson(abs)) {
        const file = src.rel(fileAbs);
        const parsed = parseWith(src, Module, fileAbs, readJson(src, fileAbs));
        if (!parsed) continue;
        const entry = { file, module: parsed };
        const first = byId.get(parsed.id);
        if (first) {
          src.problems.push({
            file,
            path: 'id',
            message: `duplicate module id "${parsed.id}" (also in ${first})`,
            kind: 'reference',
          });
          continue;
        }
        byId.set(parsed.id, file);
        src.problems.push(
          ...checkModule(entry, reference, { filePath: { stageFolder: e.name, baseName: path.basename(fileAbs) } }),
        );
        modules.push(entry);
      }
    }
  }
  src.problems.push(...checkRepetition(modules));
  return { problems: sortProblems(src.problems), reference, modules };
}

/** Languages whose text is complete in every module (the schema requires all of them, so normally all). */
export function completeLanguages(modules: readonly ModuleEntry[]): Language[] {
  return LANGUAGES.filter((l) => modules.every((e) => pupilText(e.module).every((t) => t.text[l].trim().length > 0)));
}
