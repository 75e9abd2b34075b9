/**
 * Waymark's own careers data, in English and Dutch: school subjects and interests → ISCO-08 sub-major groups,
 * routes in per ISCO skill level (NL, England, US/Canada; indicative), and the "people at work" cards for ages
 * 5-11. Parsed with zod at load; `checkAuthored` checks it against the dataset (every sub-major group covered by
 * subjects and by interests, every card an existing occupation, every curriculum interest tag known).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CAREERS_DIR, type Dataset } from './dataset.js';

const Text = z.strictObject({ en: z.string().min(1), nl: z.string().min(1) });
const SubMajor = z.string().regex(/^\d{2}$/, 'must be an ISCO-08 sub-major group');

export const AuthoredTheme = z.strictObject({
  id: z.string().regex(/^[a-z-]+$/),
  icon: z.string().min(1),
  title: Text,
  blurb: Text,
  groups: z.array(SubMajor).min(1),
});
export type AuthoredTheme = z.infer<typeof AuthoredTheme>;

const RouteStep = z.strictObject({ label: Text, detail: Text });
const RouteCountry = z.strictObject({
  country: z.enum(['NL', 'England', 'US-Canada']),
  title: Text,
  paths: z.array(z.strictObject({ steps: z.array(RouteStep).min(1) })).min(1),
});
export const RoutesFile = z.strictObject({
  about: Text,
  indicative: z.literal(true),
  note: Text,
  /** ISCO major (1 digit) or sub-major (2 digits, overrides) group → skill level; null where it depends. */
  skillLevelOfMajorGroup: z.record(z.string(), z.number().int().min(1).max(4).nullable()),
  levels: z.record(z.enum(['1', '2', '3', '4']), z.strictObject({ label: Text, countries: z.array(RouteCountry).length(3) })),
});
export type RoutesFile = z.infer<typeof RoutesFile>;

export const PeopleAtWorkCard = z.strictObject({
  id: z.string().regex(/^[0-9a-f-]{36}$/),
  emoji: z.string().min(1),
  title: Text,
  sentence: Text,
  alt: Text,
});

export interface Authored {
  subjects: AuthoredTheme[];
  interests: AuthoredTheme[];
  routes: RoutesFile;
  peopleAtWork: z.infer<typeof PeopleAtWorkCard>[];
}

const AUTHORED_DIR = path.join(CAREERS_DIR, 'authored');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(AUTHORED_DIR, file), 'utf8'));

export function loadAuthored(): Authored {
  return {
    subjects: z.strictObject({ about: Text, subjects: z.array(AuthoredTheme) }).parse(readJson('subjects.json')).subjects,
    interests: z.strictObject({ about: Text, interests: z.array(AuthoredTheme) }).parse(readJson('interests.json')).interests,
    routes: RoutesFile.parse(readJson('routes.json')),
    peopleAtWork: z.strictObject({ about: Text, cards: z.array(PeopleAtWorkCard).min(30) }).parse(readJson('people-at-work.json'))
      .cards,
  };
}

/** ISCO skill level (1-4) of a unit group, from the authored major/sub-major table. */
export function skillLevelOf(routes: RoutesFile, isco: string): 1 | 2 | 3 | 4 {
  const level = routes.skillLevelOfMajorGroup[isco.slice(0, 2)] ?? routes.skillLevelOfMajorGroup[isco.slice(0, 1)];
  if (!level) throw new Error(`no ISCO skill level for group ${isco}`);
  return level as 1 | 2 | 3 | 4;
}

/** Interest tags used by `scale` activities in the curriculum modules. */
export function curriculumInterestTags(modulesDir = path.join(CAREERS_DIR, '..', 'modules')): string[] {
  const tags = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json'))
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/"interest":\s*"([a-z-]+)"/g)) tags.add(m[1] ?? '');
    }
  };
  if (fs.existsSync(modulesDir)) walk(modulesDir);
  return [...tags].filter(Boolean).sort();
}

/** Problems as sentences; empty when the authored data fits the dataset. */
export function checkAuthored(authored: Authored, dataset: Dataset): string[] {
  const problems: string[] = [];
  const subMajors = dataset.groups.filter(([code]) => code.length === 2).map(([code]) => code);
  const known = new Set(subMajors);
  for (const [name, themes] of [
    ['subjects', authored.subjects],
    ['interests', authored.interests],
  ] as const) {
    const ids = new Set<string>();
    for (const t of themes) {
      if (ids.has(t.id)) problems.push(`${name}: duplicate id ${t.id}`);
      ids.add(t.id);
      for (const g of t.groups) if (!known.has(g)) problems.push(`${name}/${t.id}: unknown ISCO sub-major group ${g}`);
    }
    const covered = new Set(themes.flatMap((t) => t.groups));
    for (const g of subMajors) if (!covered.has(g)) problems.push(`${name}: ISCO sub-major group ${g} is not covered`);
  }
  const interestIds = new Set(authored.interests.map((i) => i.id));
  for (const tag of curriculumInterestTags())
    if (!interestIds.has(tag)) problems.push(`interests: curriculum tag ${tag} has no interest`);
  const occupationIds = new Set(dataset.occupations.map((o) => o.id));
  const cardIds = new Set<string>();
  for (const c of authored.peopleAtWork) {
    if (!occupationIds.has(c.id)) problems.push(`people-at-work: ${c.id} is not an ESCO occupation in the dataset`);
    if (cardIds.has(c.id)) problems.push(`people-at-work: duplicate ${c.id}`);
    cardIds.add(c.id);
  }
  for (const o of dataset.occupations) {
    try {
      skillLevelOf(authored.routes, o.isco);
    } catch {
      problems.push(`routes: no skill level for ISCO group ${o.isco}`);
    }
  }
  return problems;
}
