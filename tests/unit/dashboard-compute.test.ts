/** Pure calculations behind the dashboard and the calendar. */
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import {
  activeDays,
  activeIn,
  compareYearGroups,
  employerExpected,
  foldEncounters,
  latestRatings,
  moduleCodes,
  percent,
  workplaceNeeded,
} from '../../server/modules/dashboard/compute.js';
import { summaryUpdates } from '../../server/modules/dashboard/summaries.js';
import {
  checkYear,
  defaultLeavingYearGroups,
  nextYearGroup,
  resolveYear,
  termOf,
} from '../../server/modules/calendar/defaults.js';

const curriculum = loadCurriculum();
const known = new Set(curriculum.yearGroups.keys());

describe('percent', () => {
  it.each([
    [1, 3, 33],
    [2, 3, 67],
    [1, 2, 50],
    [1, 8, 13],
    [0, 5, 0],
    [0, 0, null],
  ])('%i of %i is %s', (part, whole, expected) => {
    expect(percent(part, whole)).toBe(expected);
  });
});

describe('summary fields', () => {
  it('activeDays reads the month bitmasks', () => {
    expect(activeDays({ '2026-10': (1 << 0) | (1 << 30), '2026-09': 1 << 14 })).toEqual([
      '2026-09-15',
      '2026-10-01',
      '2026-10-31',
    ]);
  });
  it('activeIn checks only the days inside the range, across months', () => {
    const days = { '2026-10': 1 << 30, '2026-11': 1 << 4 }; // 31 October, 5 November
    expect(activeIn(days, '2026-10-01', '2026-10-31')).toBe(true);
    expect(activeIn(days, '2026-10-01', '2026-10-30')).toBe(false);
    expect(activeIn(days, '2026-11-06', '2026-12-31')).toBe(false);
    expect(activeIn(days, '2026-11-05', '2026-11-05')).toBe(true);
    expect(activeIn(days, '2026-09-01', '2027-08-31')).toBe(true);
    expect(activeIn(undefined, '2026-09-01', '2027-08-31')).toBe(false);
  });
  it('foldEncounters takes the latest type and date of each entry, whatever order the changes were stored in', () => {
    expect(
      foldEncounters({
        e1: { '300': { d: '2026-05-01' }, '100': { t: 'volunteering', d: '2025-07-20' }, '200': { t: 'work-experience' } },
      }),
    ).toEqual([{ id: 'e1', type: 'work-experience', date: '2026-05-01' }]);
  });
  it('latestRatings keeps each module’s last rating', () => {
    expect(latestRatings({ m: { '20': 5, '3': 1, '100': 2 } })).toEqual(new Map([['m', 2]]));
  });
  it('summaryUpdates ignores class-level events and counts only the pupil’s own actions as activity', () => {
    const source = { country: 'england' as const, years: [] };
    const base = {
      _id: 'x',
      schoolId: 's',
      kind: 'log.verified',
      subject: { logEntryId: 'e1' },
      at: new Date('2026-10-01T10:00:00Z'),
    };
    expect(summaryUpdates({ ...base, userId: 'class:1', actorId: 't' }, source)).toEqual([]);
    const verified = summaryUpdates({ ...base, userId: 'p', actorId: 't' }, source);
    expect(verified).toHaveLength(1);
    expect(JSON.stringify(verified)).toContain('"ok.e1":true');
    expect(JSON.stringify(verified)).not.toContain('days');
  });
});

describe('frameworks and Gatsby expectations', () => {
  it('maps a module to Waymark competencies (Blueprint) or to its crosswalk codes', () => {
    expect(moduleCodes(curriculum, 's3-a-fresh-start', 'blueprint')).toEqual(['change-and-growth', 'interacting-with-others']);
    expect(moduleCodes(curriculum, 's3-a-fresh-start', 'gatsby')).toEqual(['GB3']);
    expect(moduleCodes(curriculum, 'no-such-module', 'cdi')).toEqual([]);
  });
  it.each([
    ['EN-Y6', false, 0],
    ['EN-Y7', true, 0],
    ['EN-Y11', true, 1],
    ['EN-Y12', true, 1],
    ['EN-Y13', true, 2],
    ['NL-VWO6', true, 2],
  ])('%s: employer encounter expected %s, workplace experiences due %i', (code, employer, workplace) => {
    expect(employerExpected(curriculum, code)).toBe(employer);
    expect(workplaceNeeded(curriculum, code)).toBe(workplace);
  });
  it('orders year groups by number', () => {
    expect(['EN-Y10', 'EN-Y8', 'EN-Y9', 'NL-G2'].sort(compareYearGroups)).toEqual(['EN-Y8', 'EN-Y9', 'EN-Y10', 'NL-G2']);
  });
});

describe('calendar arithmetic', () => {
  const england = { country: 'england' as const, years: [] };
  it('puts a date in its year and term', () => {
    const y = resolveYear(england, new Date('2027-02-10T00:00:00Z'));
    expect(y.id).toBe('2026-27');
    expect(termOf(y, new Date('2027-02-10T00:00:00Z'))?.id).toBe('spring');
    expect(termOf(y, new Date('2028-02-10T00:00:00Z'))).toBeNull();
  });
  it('moves pupils up one year group and knows the final ones', () => {
    expect(nextYearGroup('EN-Y7', known)).toBe('EN-Y8');
    expect(nextYearGroup('EN-R', known)).toBe('EN-Y1');
    expect(nextYearGroup('NL-G7', known)).toBe('NL-G8');
    expect(nextYearGroup('NL-HAVO5', known)).toBeNull();
    expect(nextYearGroup('EN-Y13', known)).toBeNull();
    expect(defaultLeavingYearGroups(known, 'netherlands')).toEqual(['NL-G8', 'NL-HAVO5', 'NL-MBO', 'NL-VMBO4', 'NL-VWO6']);
  });
  it('refuses a year change whose terms do not fit', () => {
    const problems = checkYear(england, {
      id: '2026-27',
      start: '2027-03-01',
      terms: [{ id: 'a', name: 'A', start: '2027-09-02' }],
    });
    expect(problems.map((p) => p.path)).toEqual(['start', 'terms.0.start', 'terms.0.start']);
  });
});
