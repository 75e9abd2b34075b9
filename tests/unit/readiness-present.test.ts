/**
 * The pure parts of the readiness flow: the pupil's kind summary (strengths and things to explore, never a level,
 * band or score), the adviser's suggestion with complexity flags, and the adviser record presenter.
 */
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import { scoreReadiness } from '../../curriculum/readiness.js';
import { presentRecord } from '../../server/modules/advising/present.js';
import { suggestionFor, type ReviewDoc } from '../../server/modules/advising/service.js';
import { pupilSummary } from '../../server/modules/readiness/present.js';
import type { ReadinessResultDoc } from '../../server/modules/readiness/service.js';

const curriculum = loadCurriculum();
const { instrument, pictorial } = curriculum.readiness;

/** A stored result for answers wanting `byCompetency[c]` (default 3) and the given decision scales. */
function resultFor(
  byCompetency: Record<string, number>,
  decision = { decided: 3, undecided: 3, indecisive: 1 },
): ReadinessResultDoc {
  const answers = Object.fromEntries(
    instrument.items.map((i) => {
      const want = i.scale === 'competency' ? (byCompetency[i.competency ?? ''] ?? 3) : decision[i.scale];
      return [i.id, i.reverse ? 6 - want : want];
    }),
  );
  const scored = scoreReadiness({ stage: 'S4', answers }, [], instrument);
  return {
    _id: new Types.ObjectId(),
    schoolId: 's',
    userId: 'u',
    eventId: 'e',
    kind: 'check',
    stage: 'S4',
    instrument: scored.instrument,
    answers,
    competencies: scored.competencies,
    lowCompetencies: scored.lowCompetencies,
    capability: scored.capability,
    complexity: scored.complexity,
    decisionStatus: scored.decisionStatus,
    suggestedLevel: scored.level,
    rule: { id: scored.rule.id, explanation: scored.rule.explanation },
    answered: scored.answered,
    missing: scored.missing,
    at: new Date('2026-11-01T10:00:00Z'),
  };
}

describe('pupilSummary', () => {
  it('names up to three strengths, most confident first, and up to three things to explore, never both', () => {
    const doc = resultFor({
      'self-concept': 5,
      'decision-making': 5,
      'career-building': 4,
      'lifelong-learning': 4,
      'securing-work': 1,
      'career-information': 2,
    });
    const summary = pupilSummary(curriculum, doc);
    expect(summary.strengths.map((s) => s.id).slice(0, 2)).toEqual(['self-concept', 'decision-making']);
    expect(summary.strengths).toHaveLength(3);
    expect(summary.toExplore.map((s) => s.id).slice(0, 2)).toEqual(['securing-work', 'career-information']);
    expect(summary.toExplore).toHaveLength(3);
    const strengthIds = new Set(summary.strengths.map((s) => s.id));
    expect(summary.toExplore.some((s) => strengthIds.has(s.id))).toBe(false);
    expect(summary.strengths[0]?.title.en).toBe(curriculum.competencies.get('self-concept')?.title.en);
  });

  it('carries no level, band, score or rule, whatever the result', () => {
    const worst = resultFor(Object.fromEntries([...curriculum.competencies.keys()].map((c) => [c, 1])), {
      decided: 1,
      undecided: 1,
      indecisive: 5,
    });
    expect(worst.suggestedLevel).toBe('individual-case-managed');
    const summary = pupilSummary(curriculum, worst);
    expect(summary.strengths).toEqual([]);
    expect(Object.keys(summary).sort()).toEqual(['answered', 'at', 'id', 'kind', 'stage', 'strengths', 'toExplore', 'total']);
    expect(JSON.stringify(summary)).not.toMatch(/case-managed|staff-assisted|self-help|band|rule|capability/);
  });

  it('lists the faces the young pupil chose "Yes!" for as what they feel good about, with nothing to explore', () => {
    const answers = Object.fromEntries(pictorial.items.map((i, n) => [i.id, n < 2 ? 3 : 1]));
    const doc = { ...resultFor({}), kind: 'pictorial' as const, stage: 'S1', answers, competencies: {} };
    const summary = pupilSummary(curriculum, doc);
    expect(summary.strengths.map((s) => s.id)).toEqual(pictorial.items.slice(0, 2).map((i) => i.competency));
    expect(summary.toExplore).toEqual([]);
    expect(summary.total).toBe(pictorial.items.length);
  });
});

describe('suggestionFor', () => {
  const lowCapability = resultFor(Object.fromEntries([...curriculum.competencies.keys()].map((c) => [c, 2])));

  it('keeps the stored suggestion without flags', () => {
    expect(suggestionFor(curriculum, lowCapability, [])).toEqual({
      level: 'brief-staff-assisted',
      rule: { id: 'low-capability', explanation: expect.any(Object) },
      flags: [],
      validated: false,
    });
  });

  it('scores the stored answers again with the adviser’s flags, and shows the rule that decided', () => {
    const s = suggestionFor(curriculum, lowCapability, ['young-carer']);
    expect(s).toMatchObject({
      level: 'individual-case-managed',
      rule: { id: 'low-capability-with-complexity' },
      flags: ['young-carer'],
    });
  });

  it('falls back to the stored suggestion for an older instrument version or an unknown flag', () => {
    const old = { ...lowCapability, instrument: { ...lowCapability.instrument, version: instrument.version + 1 } };
    expect(suggestionFor(curriculum, old, ['young-carer']).rule.id).toBe('low-capability');
    expect(suggestionFor(curriculum, lowCapability, ['no-such-flag']).rule.id).toBe('low-capability');
  });
});

describe('presentRecord', () => {
  it('gives an empty record when there is none, and newest notes first with dates as ISO strings', () => {
    expect(presentRecord(null)).toMatchObject({ agreedLevel: null, notes: [], referrals: [], flags: [] });
    const doc: ReviewDoc = {
      _id: new Types.ObjectId(),
      schoolId: 's',
      pupilId: 'p',
      adviserId: 'a',
      agreedLevel: 'self-help',
      followUpAt: new Date('2030-01-02T00:00:00Z'),
      flags: ['send'],
      notes: [
        { _id: 'n1', text: 'first', visibleToPupil: false, at: new Date('2026-01-01T00:00:00Z'), by: 'a' },
        { _id: 'n2', text: 'second', visibleToPupil: true, at: new Date('2026-02-01T00:00:00Z'), by: 'a' },
      ],
      referrals: [],
      levelHistory: [{ level: 'self-help', at: new Date('2026-01-01T00:00:00Z'), by: 'a' }],
      revision: 3,
    };
    const record = presentRecord(doc);
    expect(record.followUpAt).toBe('2030-01-02');
    expect(record.notes.map((n) => n.text)).toEqual(['second', 'first']);
    expect(record).not.toHaveProperty('revision');
    expect(record).not.toHaveProperty('schoolId');
  });
});
