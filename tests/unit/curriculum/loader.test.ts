import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CurriculumError,
  formatProblem,
  loadCurriculum,
  validateModule,
  yearGroupLabel,
  yearGroupToStage,
} from '../../../curriculum/index.js';
import { clone, makeCurriculumDir, validS1Module } from './fixtures.js';
import type { FixtureDir } from './fixtures.js';

let dir: FixtureDir;
beforeEach(() => {
  dir = makeCurriculumDir();
});
afterEach(() => dir.remove());

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('loadCurriculum', () => {
  it('returns frozen maps by id', () => {
    dir.writeModule(validS1Module());
    const c = loadCurriculum(dir.root);
    expect(c.modules.get('s1-fixture-helpers')?.version).toBe(1);
    expect(c.competencies.size).toBe(11);
    expect(c.indicators.get('self-concept.S1.1')?.stage).toBe('S1');
    expect(c.frameworks.gatsby.codes.get('GB5')?.verified).toBe(true);
    expect(c.encounterTypes.get('job-shadowing')?.countsAs.workplaceExperience).toBe(true);
    expect(c.yearGroups.get('EN-R')?.stage).toBeNull();
    expect(() => (c.modules as Map<string, unknown>).set('x', {})).toThrow(TypeError);
    expect(Object.isFrozen(c.modules.get('s1-fixture-helpers'))).toBe(true);
    expect(Object.isFrozen(c.modules.get('s1-fixture-helpers')?.activities[0])).toBe(true);
  });

  it('throws a CurriculumError listing every blocking problem', () => {
    const m = clone(validS1Module()) as Loose;
    m.crosswalk.cdi = ['CDI-9'];
    m.competencies[0].indicators = ['nope.S1.1'];
    dir.writeModule(m);
    let error: unknown;
    try {
      loadCurriculum(dir.root);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CurriculumError);
    expect((error as CurriculumError).problems.map(formatProblem)).toEqual([
      'curriculum/modules/S1/s1-fixture-helpers.json: competencies[0].indicators[0]: unknown indicator "nope.S1.1"',
      'curriculum/modules/S1/s1-fixture-helpers.json: crosswalk.cdi[0]: unknown cdi code "CDI-9"',
    ]);
  });

  it('loads despite editorial problems but reports them', () => {
    const m = clone(validS1Module()) as Loose;
    m.summary.nl = m.summary.en;
    dir.writeModule(m);
    const c = loadCurriculum(dir.root);
    expect(c.editorialProblems.map(formatProblem)).toEqual([
      'curriculum/modules/S1/s1-fixture-helpers.json: summary.nl: Dutch text is identical to the English (untranslated?)',
    ]);
  });
});

describe('validateModule (school-authored modules)', () => {
  it('accepts a valid module and rejects one whose id clashes with a built-in module', () => {
    dir.writeModule(validS1Module());
    const c = loadCurriculum(dir.root);
    expect(validateModule(validS1Module(), c)).toEqual([
      { file: 'school-module', path: 'id', message: 'id "s1-fixture-helpers" is taken by a built-in module', kind: 'reference' },
    ]);
    const own = { ...clone(validS1Module()), id: 's1-our-school-helpers' };
    expect(validateModule(own, c)).toEqual([]);
  });

  it('applies the same schema and reference rules', () => {
    const c = loadCurriculum(dir.root);
    const m = clone(validS1Module()) as Loose;
    m.id = 's1-ours';
    m.activities[2].nodes[0].choices[0].next = 'gone';
    delete m.title.nl;
    expect(validateModule(m, c, 'school:abc').map(formatProblem)).toEqual(['school:abc: title.nl: Dutch text is missing']);
    m.title.nl = 'Mensen die ons helpen';
    expect(validateModule(m, c, 'school:abc').map(formatProblem)).toContain(
      'school:abc: activities[2].nodes[0].choices[0].next: next node "gone" does not exist',
    );
  });
});

describe('yearGroupToStage', () => {
  it('maps year groups of every system to a stage', () => {
    expect(yearGroupToStage('EN-Y7')).toBe('S3');
    expect(yearGroupToStage('EN-Y2')).toBe('S1');
    expect(yearGroupToStage('NL-G5')).toBe('S2');
    expect(yearGroupToStage('NL-G8')).toBe('S3');
    expect(yearGroupToStage('NL-HAVO4')).toBe('S4');
    expect(yearGroupToStage('NL-MBO')).toBe('S5');
    expect(yearGroupToStage('US-G9')).toBe('S4');
    expect(yearGroupToStage('CA-G10')).toBe('S4');
    expect(yearGroupToStage('qc-sec5')).toBe('S5');
  });

  it('returns null below S1 and undefined for unknown codes', () => {
    expect(yearGroupToStage('EN-R')).toBeNull();
    expect(yearGroupToStage('NL-G1')).toBeNull();
    expect(yearGroupToStage('XX-1')).toBeUndefined();
  });

  it('gives localized labels', () => {
    expect(yearGroupLabel('NL-VWO3')).toEqual({ en: 'vwo year 3', nl: 'vwo leerjaar 3' });
  });
});
