/**
 * The dashboard as CSV: the same figures as GET /api/planner/dashboard, one per row in a long format
 * (section, key, label, year_group, measure, value) that spreadsheets pivot easily. UTF-8 with a byte-order mark,
 * CRLF, formula-looking cells quoted (classes/present.ts csvCell).
 */
import type { DashboardView } from '../../contract/dashboard.js';
import { csvCell } from '../classes/present.js';

export const DASHBOARD_CSV_COLUMNS = ['section', 'key', 'label', 'year_group', 'measure', 'value'] as const;
type Row = [string, string, string, string, string, string | number | null];

export function dashboardRows(view: DashboardView): Row[] {
  const rows: Row[] = [];
  const f = view.filters;
  rows.push(['filter', 'academic_year', view.academicYear.id, '', 'value', view.academicYear.id]);
  rows.push(['filter', 'framework', f.framework, '', 'value', f.framework]);
  rows.push(['filter', 'year_group', f.yearGroup ?? 'all', '', 'value', f.yearGroup ?? 'all']);
  rows.push(['filter', 'class', f.classId ?? 'all', '', 'value', f.classId ?? 'all']);
  rows.push(['filter', 'group', f.group ?? 'all', '', 'value', f.group ?? 'all']);
  rows.push(['school', 'pupils', '', '', 'pupils', view.pupils]);
  rows.push(['school', 'active_pupils', '', '', 'pupils', view.activePupils]);
  const titles = new Map(view.coverage.rows.map((r) => [r.code, r.title]));
  for (const c of view.coverage.cells) {
    rows.push(['coverage', c.code, titles.get(c.code) ?? '', c.yearGroup, 'pupils', c.pupils]);
    rows.push(['coverage', c.code, titles.get(c.code) ?? '', c.yearGroup, 'covered', c.covered]);
    rows.push(['coverage', c.code, titles.get(c.code) ?? '', c.yearGroup, 'percent', c.percent]);
  }
  for (const c of view.completionByClass)
    for (const m of ['pupils', 'pupilsCompleted', 'completions', 'assignedModules', 'assignedPercent'] as const)
      rows.push(['class_completion', c.classId, c.title, '', m, c[m]]);
  for (const m of view.completionByModule)
    for (const k of ['completed', 'stagePupils', 'percent', 'ratings', 'averageRating'] as const)
      rows.push(['module_completion', m.moduleId, m.title, m.stage ?? '', k, m[k]]);
  for (const g of view.gatsby.byYearGroup)
    for (const k of [
      'pupils',
      'employerEncounters',
      'withEmployerEncounter',
      'employerPercent',
      'workplaceNeeded',
      'meetingWorkplace',
      'workplacePercent',
    ] as const)
      rows.push(['gatsby', g.yearGroup, g.label, g.yearGroup, k, g[k]]);
  for (const [list, data] of [
    ['no_encounter', view.lists.noEncounter],
    ['no_activity', view.lists.noActivity],
  ] as const) {
    rows.push([list, 'total', '', '', 'pupils', data.total]);
    for (const p of data.pupils) rows.push([list, p.id, p.name ?? '', p.yearGroup ?? '', 'pupil', 1]);
  }
  for (const t of view.trends)
    for (const k of ['activePupils', 'completions', 'encounters'] as const) rows.push(['term', t.termId, t.name, '', k, t[k]]);
  if (view.readiness.available) {
    rows.push(['readiness', 'assessed', '', '', 'pupils', view.readiness.assessed]);
    for (const l of view.readiness.levels) rows.push(['readiness', l.level, '', '', 'pupils', l.pupils]);
    const cap = view.readiness.capacity;
    if (cap) {
      rows.push(['capacity', 'total', '', '', 'pupils', cap.total]);
      rows.push(['capacity', 'demand', 'individual-case-managed', '', 'pupils', cap.demand]);
      for (const a of cap.advisers) rows.push(['capacity', 'adviser', a.name, '', 'capacity', a.capacity]);
    }
  }
  return rows;
}

export function presentDashboardCsv(view: DashboardView): string {
  const rows: (string | number | null)[][] = [[...DASHBOARD_CSV_COLUMNS], ...dashboardRows(view)];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
