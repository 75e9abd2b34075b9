/**
 * How old a pupil is, for the consent rule, with the minimum data: Waymark never stores dates of birth. A pupil's
 * age is the lower bound of their year group's typical age in curriculum/stages.json (EN-Y8 "12-13" → 12; EN-Y9
 * "13-14" → 13), i.e. the age every pupil of the year has reached at the start of the school year. A pupil
 * without a known year group has no known age and is treated as the youngest (parental consent), never the oldest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CURRICULUM_ROOT } from '../../../curriculum/index.js';
import type { ConsentKind } from './model.js';

interface StagesFile {
  stages: { yearGroups: { code: string; typicalAge: string }[] }[];
  unstaged: { code: string; typicalAge: string }[];
}

// Reference data shipped with the code (not school data): read once.
const ages: ReadonlyMap<string, number> = (() => {
  const file = JSON.parse(fs.readFileSync(path.join(CURRICULUM_ROOT, 'stages.json'), 'utf8')) as StagesFile;
  const all = [...file.stages.flatMap((s) => s.yearGroups), ...file.unstaged];
  return new Map(all.map((y) => [y.code, Number(y.typicalAge.split('-')[0])]));
})();

/** The age every pupil of this year group has at the start of the school year; undefined when unknown. */
export function typicalAgeOf(yearGroup: string | null | undefined): number | undefined {
  return yearGroup ? ages.get(yearGroup.trim().toUpperCase()) : undefined;
}

export interface ConsentPolicy {
  consent: 'none' | 'by-age';
  pupilFromAge: number;
}

/** Parental consent under 13, the pupil's own from 13. */
export const DEFAULT_POLICY: ConsentPolicy = { consent: 'by-age', pupilFromAge: 13 };

/** Which consent sharing this pupil needs under the policy; null when none is needed. */
export function requiredConsent(policy: ConsentPolicy, yearGroup: string | null | undefined): ConsentKind | null {
  if (policy.consent === 'none') return null;
  const age = typicalAgeOf(yearGroup);
  return age !== undefined && age >= policy.pupilFromAge ? 'pupil' : 'parent';
}
