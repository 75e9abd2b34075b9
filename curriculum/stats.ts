/**
 * Coverage figures for `npm run curriculum -- stats`.
 *
 * `cells[stage][competency]` counts the modules of that stage that list the competency at all (primary or
 * not); `primary_cells` counts only modules where it is the primary competency. Both include zero cells, so a
 * gap in the stage × competency grid shows as 0.
 */
import { ACTIVITY_TYPES, STAGE_IDS } from './schema.js';
import type { StageId } from './schema.js';
import { completeLanguages } from './check.js';
import type { CheckResult } from './check.js';

export interface CurriculumStats {
  modules: number;
  cells: Record<StageId, Record<string, number>>;
  primary_cells: Record<StageId, Record<string, number>>;
  activity_types: Record<string, number>;
  languages: string[];
  indicators: number;
  minutes_total: number;
  /** Problems the checker found (stats cover only modules that passed the schema). */
  problems: number;
}

/** Computes coverage figures from a checker result. */
export function curriculumStats(result: CheckResult): CurriculumStats {
  const competencyIds = result.reference.competencies?.competencies.map((c) => c.id) ?? [];
  const grid = () =>
    Object.fromEntries(STAGE_IDS.map((s) => [s, Object.fromEntries(competencyIds.map((c) => [c, 0]))])) as Record<
      StageId,
      Record<string, number>
    >;
  const cells = grid();
  const primary = grid();
  const activityTypes: Record<string, number> = Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, 0]));
  let minutes = 0;
  for (const { module: m } of result.modules) {
    minutes += m.minutes;
    for (const c of m.competencies) {
      cells[m.stage][c.id] = (cells[m.stage][c.id] ?? 0) + 1;
      if (c.primary) primary[m.stage][c.id] = (primary[m.stage][c.id] ?? 0) + 1;
    }
    for (const a of m.activities) activityTypes[a.type] = (activityTypes[a.type] ?? 0) + 1;
  }
  return {
    modules: result.modules.length,
    cells,
    primary_cells: primary,
    activity_types: activityTypes,
    languages: completeLanguages(result.modules),
    indicators: result.reference.indicators.size,
    minutes_total: minutes,
    problems: result.problems.length,
  };
}

/** A readable table: one row per competency, one column per stage, "listed (primary)". */
export function formatStats(stats: CurriculumStats): string {
  const competencies = Object.keys(stats.cells.S1);
  const width = Math.max(12, ...competencies.map((c) => c.length));
  const lines = [
    `${'competency'.padEnd(width)}  ${STAGE_IDS.map((s) => s.padStart(7)).join('')}`,
    ...competencies.map(
      (c) =>
        `${c.padEnd(width)}  ${STAGE_IDS.map((s) => `${stats.cells[s][c] ?? 0}(${stats.primary_cells[s][c] ?? 0})`.padStart(7)).join('')}`,
    ),
    '',
    'cells: modules listing the competency (in brackets: as primary)',
    `modules: ${stats.modules}   indicators: ${stats.indicators}   minutes: ${stats.minutes_total}   languages: ${stats.languages.join(', ')}`,
    `activity types: ${Object.entries(stats.activity_types)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  ];
  if (stats.problems > 0) lines.push(`problems: ${stats.problems} (run \`npm run curriculum -- check\`)`);
  return lines.join('\n');
}
