import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCurriculum, formatProblem } from '../../../curriculum/check.js';
import { ACTIVITY_TYPES } from '../../../curriculum/schema.js';
import { clone, makeCurriculumDir, validS1Module } from './fixtures.js';
import type { FixtureDir } from './fixtures.js';

let dir: FixtureDir;
beforeEach(() => {
  dir = makeCurriculumDir();
});
afterEach(() => dir.remove());

const FILE = 'curriculum/modules/S1/s1-fixture-helpers.json';

function lines(): string[] {
  return checkCurriculum(dir.root).problems.map(formatProblem);
}

/** A mutable view of the fixture module, for tests that break one rule. */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('curriculum checker', () => {
  it('accepts a valid module', () => {
    dir.writeModule(validS1Module());
    expect(lines()).toEqual([]);
  });

  it('rejects a duplicate module id', () => {
    dir.writeModule(validS1Module());
    dir.writeModule(validS1Module(), 'modules/S1/s1-fixture-helpers-copy.json');
    expect(lines()).toContain(
      'curriculum/modules/S1/s1-fixture-helpers.json: id: duplicate module id "s1-fixture-helpers" (also in curriculum/modules/S1/s1-fixture-helpers-copy.json)',
    );
  });

  it('rejects a duplicate activity id within a module', () => {
    const m = clone(validS1Module()) as Loose;
    m.activities[1].id = 'who-helps';
    dir.writeModule(m);
    expect(lines()).toContain(`${FILE}: activities[1].id: duplicate id "who-helps" (also at activities[0])`);
  });

  it('rejects an unknown indicator', () => {
    const m = clone(validS1Module()) as Loose;
    m.competencies[0].indicators = ['work-society-economy.S1.9'];
    dir.writeModule(m);
    expect(lines()).toContain(`${FILE}: competencies[0].indicators[0]: unknown indicator "work-society-economy.S1.9"`);
  });

  it('rejects an indicator of another competency or another stage', () => {
    const m = clone(validS1Module()) as Loose;
    m.competencies[0].indicators = ['self-concept.S1.1', 'work-society-economy.S3.1'];
    dir.writeModule(m);
    expect(lines()).toEqual(
      expect.arrayContaining([
        `${FILE}: competencies[0].indicators[0]: indicator "self-concept.S1.1" belongs to competency "self-concept", not "work-society-economy"`,
        `${FILE}: competencies[0].indicators[1]: indicator "work-society-economy.S3.1" is for stage S3, not S1`,
      ]),
    );
  });

  it('rejects an unknown competency and an activity competency outside the module', () => {
    const m = clone(validS1Module()) as Loose;
    m.competencies[1].id = 'juggling';
    m.activities[0].competencies = ['decision-making'];
    dir.writeModule(m);
    expect(lines()).toEqual(
      expect.arrayContaining([
        `${FILE}: competencies[1].id: unknown competency "juggling"`,
        `${FILE}: activities[0].competencies[0]: competency "decision-making" is not one of the module's competencies`,
      ]),
    );
  });

  it('rejects a scenario choice pointing to a missing node', () => {
    const m = clone(validS1Module()) as Loose;
    m.activities[2].nodes[0].choices[1].next = 'nowhere';
    dir.writeModule(m);
    const out = lines();
    expect(out).toContain(`${FILE}: activities[2].nodes[0].choices[1].next: next node "nowhere" does not exist`);
    expect(out).toContain(`${FILE}: activities[2].nodes[2]: node "sad-end" cannot be reached from the start node`);
  });

  it('rejects a scenario with a missing start, a dead end or a loop', () => {
    const missingStart = clone(validS1Module()) as Loose;
    missingStart.activities[2].start = 'intro';
    dir.writeModule(missingStart);
    expect(lines()).toContain(`${FILE}: activities[2].start: start node "intro" does not exist`);

    const looping = clone(validS1Module()) as Loose;
    looping.activities[2].nodes[2] = {
      id: 'sad-end',
      text: { en: 'The dog runs off.', nl: 'De hond rent weg.' },
      choices: [{ id: 'again', label: { en: 'Try again', nl: 'Probeer opnieuw' }, next: 'begin' }],
    };
    looping.activities[2].nodes[1].end = undefined;
    dir.writeModule(looping);
    expect(lines()).toEqual(
      expect.arrayContaining([
        `${FILE}: activities[2].nodes[2].choices[0].next: choice loops back to "begin": every path must reach an end node`,
        `${FILE}: activities[2].nodes[1]: node "good-end" has no choices and no end: the path stops here`,
      ]),
    );
  });

  it('rejects a sort card with an unknown category, choice scoring without correct options and minSteps > maxSteps', () => {
    const m = clone(validS1Module()) as Loose;
    m.activities[1].cards[0].category = 'pilot';
    for (const o of m.activities[0].options) delete o.correct;
    m.activities.push({
      id: 'my-plan',
      type: 'plan',
      title: { en: 'My plan', nl: 'Mijn plan' },
      learningStage: 'actualisation',
      goalPrompt: { en: 'Who will you help?', nl: 'Wie ga jij helpen?' },
      stepPrompt: { en: 'What will you do?', nl: 'Wat ga je doen?' },
      minSteps: 3,
      maxSteps: 2,
      datesRequired: false,
      completion: { rule: 'goal-and-steps' },
    });
    dir.writeModule(m);
    expect(lines()).toEqual(
      expect.arrayContaining([
        `${FILE}: activities[1].cards[0].category: unknown category "pilot"`,
        `${FILE}: activities[0].scoring: scoring needs at least one option marked \`correct\``,
        `${FILE}: activities[3].minSteps: minSteps (3) is more than maxSteps (2)`,
      ]),
    );
  });

  it('rejects sort scoring when no card has an expected category, but allows open cards in a scored sort', () => {
    const m = clone(validS1Module()) as Loose;
    delete m.activities[1].cards[2].category;
    dir.writeModule(m);
    expect(lines()).toEqual([]);
    for (const c of m.activities[1].cards) delete c.category;
    dir.writeModule(m);
    expect(lines()).toEqual([`${FILE}: activities[1].scoring: scoring needs at least one card with an expected \`category\``]);
  });

  it('rejects a missing Dutch string', () => {
    const m = clone(validS1Module()) as Loose;
    delete m.activities[0].options[1].feedback.nl;
    dir.writeModule(m);
    expect(lines()).toEqual([`${FILE}: activities[0].options[1].feedback.nl: Dutch text is missing`]);
  });

  it('flags Dutch text identical to the English', () => {
    const m = clone(validS1Module()) as Loose;
    m.summary.nl = m.summary.en;
    dir.writeModule(m);
    expect(lines()).toEqual([`${FILE}: summary.nl: Dutch text is identical to the English (untranslated?)`]);
  });

  it('rejects an unknown activity type', () => {
    const m = clone(validS1Module()) as Loose;
    m.activities[1].type = 'quiz';
    dir.writeModule(m);
    const expected = ACTIVITY_TYPES.map((t) => `'${t}'`).join(' | ');
    expect(lines()).toEqual([`${FILE}: activities[1].type: Invalid discriminator value. Expected ${expected}`]);
  });

  it('rejects crosswalk codes that do not exist', () => {
    const m = clone(validS1Module()) as Loose;
    m.crosswalk.gatsby = ['GB9'];
    m.crosswalk.asca = ['M4'];
    dir.writeModule(m);
    expect(lines()).toEqual([
      `${FILE}: crosswalk.asca[0]: unknown asca code "M4"`,
      `${FILE}: crosswalk.gatsby[0]: unknown gatsby code "GB9"`,
    ]);
  });

  it('rejects S1 text above the reading threshold', () => {
    const m = clone(validS1Module()) as Loose;
    m.summary.en =
      'Throughout this comprehensive investigation, participants will systematically evaluate occupational responsibilities, considering organisational considerations alongside community expectations and professional qualifications.';
    dir.writeModule(m);
    const out = lines();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^curriculum\/modules\/S1\/s1-fixture-helpers\.json: pupil-text\.en: Flesch reading ease \d+\.\d is below the S1 minimum of 95; hardest: summary\.en \(-?\d+\)/,
    );
  });

  it('rejects a module in the wrong stage folder or under the wrong file name', () => {
    dir.writeModule(validS1Module(), 'modules/S3/helpers.json');
    expect(lines()).toEqual([
      'curriculum/modules/S3/helpers.json: id: file name must be the module id: expected s1-fixture-helpers.json',
      'curriculum/modules/S3/helpers.json: stage: module of stage S1 is in folder modules/S3/',
    ]);
  });

  it('flags modules that repeat each other’s pupil text, and passes different ones', () => {
    dir.writeModule(validS1Module());
    const other = clone(validS1Module()) as Loose;
    other.id = 's1-fixture-copy';
    dir.writeModule(other);
    const out = lines();
    expect(out).toContain(`${FILE}: summary.en: same pupil text as s1-fixture-copy (summary.en)`);
    expect(
      out.some((l) => l.startsWith(`${FILE}: pupil-text.en: pupil text repeats s1-fixture-copy (word 3-gram Jaccard 100%`)),
    ).toBe(true);
  });

  it('reports every schema issue, not just the first', () => {
    const m = clone(validS1Module()) as Loose;
    m.minutes = 5;
    m.version = 0;
    m.extra = true;
    dir.writeModule(m);
    expect(lines()).toHaveLength(3);
  });
});
