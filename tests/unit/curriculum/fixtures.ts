/**
 * Test fixtures for the curriculum checker: a temporary `curriculum/` folder holding copies of the real reference
 * data, our own fixture indicators and whichever modules a test writes. Real module files are never touched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CURRICULUM_ROOT } from '../../../curriculum/index.js';
import type { Module } from '../../../curriculum/schema.js';

const COMPETENCIES = [
  'self-concept',
  'interacting-with-others',
  'change-and-growth',
  'lifelong-learning',
  'career-information',
  'work-society-economy',
  'securing-work',
  'decision-making',
  'life-work-balance',
  'changing-roles',
  'career-building',
];

function indicatorFile(stage: string) {
  return {
    stage,
    indicators: COMPETENCIES.flatMap((c) => [
      {
        id: `${c}.${stage}.1`,
        competency: c,
        text: { en: `I can say one thing about ${c}.`, nl: `Ik kan één ding zeggen over ${c}.` },
      },
      { id: `${c}.${stage}.2`, competency: c, text: { en: `I can show ${c} in class.`, nl: `Ik laat ${c} zien in de klas.` } },
    ]),
  };
}

export interface FixtureDir {
  /** The temporary `curriculum/` folder. */
  root: string;
  writeModule(module: unknown, relPath?: string): string;
  writeJson(relPath: string, data: unknown): void;
  remove(): void;
}

/** A temporary curriculum folder with the real reference data and fixture indicators for S1 and S3. */
export function makeCurriculumDir(): FixtureDir {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-curriculum-'));
  const root = path.join(base, 'curriculum');
  fs.mkdirSync(root);
  for (const name of ['competencies.json', 'stages.json', 'encounter-types.json', 'reading-levels.json']) {
    fs.copyFileSync(path.join(CURRICULUM_ROOT, name), path.join(root, name));
  }
  fs.cpSync(path.join(CURRICULUM_ROOT, 'frameworks'), path.join(root, 'frameworks'), { recursive: true });
  fs.cpSync(path.join(CURRICULUM_ROOT, 'readiness'), path.join(root, 'readiness'), { recursive: true });
  const writeJson = (relPath: string, data: unknown) => {
    const abs = path.join(root, relPath);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, JSON.stringify(data, null, 2));
  };
  writeJson('indicators/S1.json', indicatorFile('S1'));
  writeJson('indicators/S3.json', indicatorFile('S3'));
  return {
    root,
    writeJson,
    writeModule(module, relPath) {
      const m = module as { id: string; stage: string };
      const rel = relPath ?? `modules/${m.stage}/${m.id}.json`;
      writeJson(rel, module);
      return `curriculum/${rel}`;
    },
    remove: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** A small, valid S1 module with easy text in both languages. Tests change one thing and expect one problem. */
export function validS1Module(): Module {
  return {
    id: 's1-fixture-helpers',
    version: 1,
    stage: 'S1',
    title: { en: 'People who help us', nl: 'Mensen die ons helpen' },
    summary: {
      en: 'We meet people who help. We say what they do.',
      nl: 'We leren mensen kennen die helpen. We zeggen wat ze doen.',
    },
    minutes: 30,
    competencies: [
      { id: 'work-society-economy', indicators: ['work-society-economy.S1.1'], primary: true },
      { id: 'self-concept', indicators: ['self-concept.S1.2'], primary: false },
    ],
    outcomes: [{ en: 'I can name two people who help us.', nl: 'Ik kan twee mensen noemen die ons helpen.' }],
    teacherNotes: {
      lessonPlan: {
        en: 'Show the pictures and talk about each helper for five minutes.',
        nl: 'Laat de plaatjes zien en praat vijf minuten over elke helper.',
      },
      subjects: ['pshe', 'language'],
      subjectLinks: {
        en: 'Speaking and listening: pupils describe a job.',
        nl: 'Spreken en luisteren: leerlingen beschrijven een beroep.',
      },
      differentiation: {
        en: 'Use fewer pictures for support; ask why for stretch.',
        nl: 'Gebruik minder plaatjes als steun; vraag door met waarom.',
      },
    },
    crosswalk: { cdi: ['CDI-2'], gatsby: ['GB4'], asca: ['M 3'], nlLob: ['WE'] },
    activities: [
      {
        id: 'who-helps',
        type: 'picture-choice',
        title: { en: 'Who helps?', nl: 'Wie helpt?' },
        learningStage: 'acquisition',
        mode: 'single',
        question: { en: 'Who puts out fires?', nl: 'Wie blust een brand?' },
        options: [
          {
            id: 'fire',
            label: { en: 'Fire crew', nl: 'Brandweer' },
            picture: '🚒',
            correct: true,
            feedback: { en: 'Yes! They put out fires.', nl: 'Ja! Zij blussen branden.' },
          },
          {
            id: 'baker',
            label: { en: 'Baker', nl: 'Bakker' },
            picture: '🥖',
            correct: false,
            feedback: { en: 'A baker makes bread.', nl: 'Een bakker bakt brood.' },
          },
        ],
        completion: { rule: 'answered' },
        scoring: { method: 'correct-options' },
      },
      {
        id: 'sort-tools',
        type: 'sort',
        title: { en: 'Tools', nl: 'Gereedschap' },
        learningStage: 'application',
        categories: [
          { id: 'doctor', label: { en: 'Doctor', nl: 'Dokter' } },
          { id: 'cook', label: { en: 'Cook', nl: 'Kok' } },
        ],
        cards: [
          { id: 'pan', label: { en: 'Pan', nl: 'Pan' }, category: 'cook' },
          { id: 'plaster', label: { en: 'Plaster', nl: 'Pleister' }, category: 'doctor' },
          { id: 'spoon', label: { en: 'Spoon', nl: 'Lepel' }, category: 'cook' },
        ],
        completion: { rule: 'all-cards-placed' },
        scoring: { method: 'correct-placements' },
      },
      {
        id: 'lost-dog',
        type: 'scenario',
        title: { en: 'A lost dog', nl: 'Een hond is kwijt' },
        learningStage: 'personalisation',
        start: 'begin',
        nodes: [
          {
            id: 'begin',
            text: { en: 'You see a lost dog. What do you do?', nl: 'Je ziet een hond die kwijt is. Wat doe je?' },
            choices: [
              { id: 'ask', label: { en: 'Ask an adult', nl: 'Vraag het een volwassene' }, next: 'good-end' },
              { id: 'leave', label: { en: 'Walk on', nl: 'Loop door' }, next: 'sad-end' },
            ],
          },
          {
            id: 'good-end',
            text: { en: 'The adult calls for help.', nl: 'De volwassene belt om hulp.' },
            choices: [],
            end: { message: { en: 'Well done!', nl: 'Goed gedaan!' }, considered: true },
          },
          {
            id: 'sad-end',
            text: { en: 'The dog is still lost.', nl: 'De hond is nog kwijt.' },
            choices: [],
            end: { message: { en: 'Who could help?', nl: 'Wie kan helpen?' }, considered: false },
          },
        ],
        completion: { rule: 'end-reached' },
        scoring: { method: 'considered-ending' },
      },
    ],
  };
}

/** A deep copy to mutate in one test. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
