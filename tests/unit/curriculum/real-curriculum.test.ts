import { describe, expect, it } from 'vitest';
import { checkCurriculum, formatProblem } from '../../../curriculum/check.js';
import { CURRICULUM_ROOT, loadCurriculum } from '../../../curriculum/index.js';
import { STAGE_IDS } from '../../../curriculum/schema.js';

describe('the real curriculum', () => {
  it('passes every check', () => {
    const { problems } = checkCurriculum(CURRICULUM_ROOT);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('loads, with 11 modules per stage, one per primary competency', () => {
    const c = loadCurriculum();
    for (const stage of STAGE_IDS) {
      const modules = [...c.modules.values()].filter((m) => m.stage === stage);
      const primaries = new Set(modules.map((m) => m.competencies.find((x) => x.primary)?.id));
      expect({ stage, modules: modules.length, primaries: primaries.size }).toEqual({ stage, modules: 11, primaries: 11 });
    }
  });
});
