import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRICULUM_ROOT } from '../../../curriculum/index.js';
import {
  PictorialCheck,
  ReadinessError,
  ReadinessInstrument,
  scorePictorialCheck,
  scoreReadiness,
} from '../../../curriculum/readiness.js';
import type { StageId } from '../../../curriculum/schema.js';

const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(CURRICULUM_ROOT, 'readiness', name), 'utf8'));
const instrument = ReadinessInstrument.parse(read('instrument.json'));
const pictorial = PictorialCheck.parse(read('pictorial.json'));

/**
 * Answers for every item: competency items at `agreement` (reverse-keyed ones answered so they score the same),
 * decision-status items as given.
 */
function answers(agreement: number, status: { decided: number; undecided: number; indecisive: number }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of instrument.items) {
    if (item.scale === 'competency') out[item.id] = item.reverse ? 6 - agreement : agreement;
    else out[item.id] = status[item.scale];
  }
  return out;
}
const decided = { decided: 5, undecided: 2, indecisive: 1 };
const undecided = { decided: 2, undecided: 4, indecisive: 2 };
const indecisive = { decided: 2, undecided: 4, indecisive: 5 };
const score = (stage: StageId, a: Record<string, number>, flags: string[] = []) =>
  scoreReadiness({ stage, answers: a }, flags, instrument, pictorial);

describe('readiness check', () => {
  it('suggests self-help for a confident, decided pupil with no flags', () => {
    const r = score('S4', answers(5, decided));
    expect(r.level).toBe('self-help');
    expect(r.rule.id).toBe('ready-for-self-help');
    expect(r.capability).toEqual({ score: 5, band: 'high' });
    expect(r.decisionStatus?.status).toBe('decided');
    expect(r.instrument.validated).toBe(false);
  });

  it('suggests brief staff-assisted help for low capability without flags', () => {
    const r = score('S3', answers(2, undecided));
    expect(r.level).toBe('brief-staff-assisted');
    expect(r.rule.id).toBe('low-capability');
    expect(r.lowCompetencies).toHaveLength(11);
  });

  it('suggests individual case-managed help for low capability with complexity', () => {
    const r = score('S5', answers(2, undecided), ['young-carer']);
    expect(r.level).toBe('individual-case-managed');
    expect(r.rule.id).toBe('low-capability-with-complexity');
    expect(r.complexity).toEqual({ score: 2, band: 'moderate', flags: ['young-carer'] });
  });

  it('raises the level when the school sets complexity flags', () => {
    const a = answers(5, decided);
    expect(score('S4', a).level).toBe('self-help');
    expect(score('S4', a, ['send']).level).toBe('brief-staff-assisted');
    expect(score('S4', a, ['send']).rule.id).toBe('moderate-complexity');
    const moderate = answers(3, decided);
    expect(score('S4', moderate, ['neet-risk', 'low-attendance']).level).toBe('individual-case-managed');
    expect(score('S4', moderate, ['neet-risk', 'low-attendance']).rule.id).toBe('moderate-capability-high-complexity');
  });

  it('treats an indecisive pupil as needing more help than an undecided one', () => {
    expect(score('S4', answers(4, undecided)).level).toBe('self-help');
    const r = score('S4', answers(4, indecisive));
    expect(r.decisionStatus?.status).toBe('indecisive');
    expect(r.level).toBe('brief-staff-assisted');
    expect(r.rule.id).toBe('indecisive');
    expect(score('S4', answers(4, indecisive), ['newly-arrived']).rule.id).toBe('indecisive-with-complexity');
  });

  it('applies reverse keying', () => {
    const a = answers(5, decided);
    a['sc-2'] = 5; // "I often feel I have little to offer": strong agreement scores 1
    const r = score('S4', a);
    expect(r.competencies['self-concept']).toBe(3);
  });

  it('explains the rule in English and Dutch', () => {
    const r = score('S4', answers(2, undecided), ['family-disruption']);
    expect(r.rule.explanation.en).toMatch(/one-to-one/);
    expect(r.rule.explanation.nl).toMatch(/een-op-een/);
  });

  it('asks for a conversation when too many answers are missing', () => {
    const a = answers(5, decided);
    for (const id of ['sc-1', 'sc-2', 'io-1', 'io-2', 'cg-1']) delete a[id];
    const r = score('S4', a);
    expect(r.missing).toBe(5);
    expect(r.rule.id).toBe('incomplete');
    expect(r.level).toBe('brief-staff-assisted');
  });

  it('puts every pupil under 11 in the universal tier, whatever the answers or flags', () => {
    for (const stage of ['S1', 'S2'] as const) {
      const r = score(stage, {}, ['young-carer', 'neet-risk', 'send']);
      expect(r.level).toBe('universal');
      expect(r.rule.id).toBe('under-11-universal');
      expect(r.capability).toBeNull();
    }
    const faces = scorePictorialCheck({ 'f-good-at': 3, 'f-ask-help': 1 }, pictorial);
    expect(faces.level).toBe('universal');
  });

  it('rejects unknown items, out-of-range answers and unknown flags', () => {
    expect(() => score('S4', { ...answers(5, decided), nope: 3 })).toThrow(ReadinessError);
    expect(() => score('S4', { ...answers(5, decided), 'sc-1': 6 })).toThrow(/answer must be an integer 1–5/);
    expect(() => score('S4', answers(5, decided), ['rich'])).toThrow(/unknown flag "rich"/);
    expect(() => scorePictorialCheck({ 'f-good-at': 4 }, pictorial)).toThrow(/one of the faces/);
  });

  it('keeps its cut-offs as data: changing a band changes the result', () => {
    const strict = ReadinessInstrument.parse({
      ...instrument,
      scoring: {
        ...instrument.scoring,
        capabilityBands: [{ band: 'low', below: 4.5 }, { band: 'moderate', below: 4.9 }, { band: 'high' }],
      },
    });
    const r = scoreReadiness({ stage: 'S4', answers: answers(4, decided) }, [], strict);
    expect(r.capability?.band).toBe('low');
    expect(r.level).toBe('brief-staff-assisted');
  });
});
