import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCurriculum } from '../../../curriculum/check.js';
import { curriculumStats } from '../../../curriculum/stats.js';
import { clone, makeCurriculumDir, validS1Module } from './fixtures.js';
import type { FixtureDir } from './fixtures.js';

let dir: FixtureDir;
beforeEach(() => {
  dir = makeCurriculumDir();
});
afterEach(() => dir.remove());

const CLI = path.resolve('curriculum/cli.ts');
const TSX = path.resolve('node_modules/.bin/tsx');

function run(args: string[]): { code: number; stdout: string } {
  try {
    return { code: 0, stdout: execFileSync(TSX, [CLI, ...args, '--root', dir.root], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, stdout: e.stdout };
  }
}

describe('curriculum stats', () => {
  it('counts listed and primary competencies per stage, activity types, indicators and minutes', () => {
    dir.writeModule(validS1Module());
    const second = { ...clone(validS1Module()), id: 's1-fixture-second', minutes: 20 };
    second.competencies = [{ id: 'self-concept', indicators: ['self-concept.S1.1'], primary: true }];
    second.title = { en: 'My best day', nl: 'Mijn beste dag' };
    second.summary = { en: 'Draw a day you liked.', nl: 'Teken een dag die je fijn vond.' };
    second.activities = second.activities.map((a) => ({
      ...a,
      title: { en: `${a.title.en} again`, nl: `${a.title.nl} opnieuw` },
    }));
    dir.writeModule(second);
    const stats = curriculumStats(checkCurriculum(dir.root));
    expect(stats.modules).toBe(2);
    expect(stats.cells.S1['self-concept']).toBe(2);
    expect(stats.primary_cells.S1['self-concept']).toBe(1);
    expect(stats.cells.S1['work-society-economy']).toBe(1);
    expect(stats.cells.S2['self-concept']).toBe(0);
    expect(stats.activity_types).toMatchObject({ 'picture-choice': 2, sort: 2, scenario: 2, plan: 0 });
    expect(stats.indicators).toBe(44);
    expect(stats.minutes_total).toBe(50);
    expect(stats.languages).toEqual(['en', 'nl']);
  });
});

describe('curriculum CLI', () => {
  it('prints a one-line summary and exits 0 when clean', () => {
    dir.writeModule(validS1Module());
    const r = run(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('curriculum OK: 1 modules, 44 indicators, 30 minutes, languages en+nl');
  });

  it('prints each problem as `file: path: problem` and exits non-zero', () => {
    const m = clone(validS1Module());
    m.crosswalk.nlLob = ['XX'];
    dir.writeModule(m);
    const r = run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('curriculum/modules/S1/s1-fixture-helpers.json: crosswalk.nlLob[0]: unknown nl-lob code "XX"');
  });

  it('prints stats as one JSON object on the last line', () => {
    dir.writeModule(validS1Module());
    const r = run(['stats', '--json']);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    const stats = JSON.parse(last) as Record<string, unknown>;
    expect(stats).toMatchObject({ modules: 1, indicators: 44, minutes_total: 30, languages: ['en', 'nl'] });
    expect(Object.keys(stats)).toEqual(
      expect.arrayContaining(['modules', 'cells', 'primary_cells', 'activity_types', 'languages', 'indicators', 'minutes_total']),
    );
  });
});
