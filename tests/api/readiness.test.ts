/**
 * The pupil's readiness check: the instrument for their stage in their language, submitting answers (scored,
 * stored with the rule and instrument version, recorded once as a `readiness.completed` learning event), the
 * pupil's kind summary (no level, band or score), history, and `latestReadiness` for staff views.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { PupilInstrument, PupilReadinessSummary } from '../../server/contract/readiness.js';
import { latestReadiness } from '../../server/modules/readiness/service.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;
const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const { instrument, pictorial } = curriculum.readiness;

/** Every statement answered with `value` (reverse items too, so the score is not simply `value`). */
const allAnswers = (value: number) => Object.fromEntries(instrument.items.map((i) => [i.id, value]));
const clientId = () => `c-${Math.random().toString(36).slice(2, 12)}`;

async function submit(user: Parameters<typeof authHeader>[0], answers: Record<string, number>, id = clientId()) {
  return request(app)
    .post('/api/readiness/results')
    .set('Authorization', await authHeader(user))
    .send({ clientId: id, answers });
}

describe('GET /api/readiness/instrument', () => {
  it('gives a Year 10 pupil the statements check in the language asked for', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y10' });
    const res = await request(app)
      .get('/api/readiness/instrument?lang=nl')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(200);
    const body = res.body as PupilInstrument;
    expect(body).toMatchObject({ kind: 'check', id: instrument.id, version: instrument.version, stage: 'S4', lang: 'nl' });
    expect(body.items).toHaveLength(instrument.items.length);
    expect(body.items[0]?.text).toBe(instrument.items[0]?.text.nl);
    expect(body.options.map((o) => o.value)).toEqual([1, 2, 3, 4, 5]);
    // Nothing about scoring reaches the pupil.
    expect(JSON.stringify(body)).not.toMatch(/reverse|competency|rules|flags|band/);
  });

  it('gives a Year 3 pupil the pictorial check, with a text label for every face', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y3' });
    const res = await request(app)
      .get('/api/readiness/instrument')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(200);
    const body = res.body as PupilInstrument;
    expect(body.kind).toBe('pictorial');
    expect(body.options).toHaveLength(3);
    for (const o of body.options) expect(o.label.length).toBeGreaterThan(0);
    expect(body.items.map((i) => i.id)).toEqual(pictorial.items.map((i) => i.id));
  });

  it('answers 409 stage_unknown when the pupil has no year group', async () => {
    const pupil = await buildUser(models, school);
    const res = await request(app)
      .get('/api/readiness/instrument')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('stage_unknown');
  });

  it('rejects an unknown language (400) and staff (403)', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y10' });
    const bad = await request(app)
      .get('/api/readiness/instrument?lang=fr')
      .set('Authorization', await authHeader(pupil));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const teacher = await buildUser(models, school, { role: 'teacher' });
    const res = await request(app)
      .get('/api/readiness/instrument')
      .set('Authorization', await authHeader(teacher));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});

describe('POST /api/readiness/results', () => {
  it('stores the scores, the suggested level with its rule and the instrument version, and records one event', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y10' });
    const id = clientId();
    const res = await submit(pupil, allAnswers(2), id);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const summary = res.body as PupilReadinessSummary;
    expect(summary.kind).toBe('check');
    expect(summary.answered).toBe(instrument.items.length);
    // The pupil's view never names a level, band, score or rule.
    expect(JSON.stringify(summary)).not.toMatch(/level|band|score|rule|case|self-help|staff-assisted/i);

    const stored = await models.ReadinessResult.findOne({ schoolId: school.id, userId: pupil.id }).lean();
    expect(stored).toMatchObject({
      kind: 'check',
      stage: 'S4',
      instrument: { id: instrument.id, version: instrument.version, validated: false },
      answered: instrument.items.length,
      missing: 0,
    });
    // Answer 2 everywhere: normal items score 2, reverse items 4; self-concept has one of each.
    expect((stored?.competencies as Record<string, number>)['self-concept']).toBe(3);
    expect(stored?.suggestedLevel).toBeTypeOf('string');
    expect(instrument.rules.map((r) => r.id)).toContain(stored?.rule?.id);
    expect(stored?.rule?.explanation?.en.length).toBeGreaterThan(10);

    // A retry with the same clientId records nothing new.
    const again = await submit(pupil, allAnswers(2), id);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(summary.id);
    expect(await models.ReadinessResult.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(1);
    const events = await models.LearningEvent.find({ schoolId: school.id, userId: pupil.id, kind: 'readiness.completed' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: pupil.id, xapi: { status: 'pending' } });
    expect(events[0]?.data).toMatchObject({
      suggestedLevel: stored?.suggestedLevel,
      instrument: { version: instrument.version },
    });
  });

  it('names strengths and things to explore without labelling the pupil', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y12' });
    const answers: Record<string, number> = {};
    for (const item of instrument.items) {
      const high = item.competency === 'self-concept' || item.competency === 'decision-making';
      const want = high ? 5 : item.competency === 'securing-work' ? 1 : 3;
      answers[item.id] = item.reverse ? 6 - want : want;
    }
    const res = await submit(pupil, answers);
    expect(res.status).toBe(201);
    const summary = res.body as PupilReadinessSummary;
    expect(summary.strengths.map((s) => s.id).sort()).toEqual(['decision-making', 'self-concept']);
    expect(summary.toExplore[0]?.id).toBe('securing-work');
    expect(summary.strengths[0]?.title.nl.length).toBeGreaterThan(0);
  });

  it('stores the pictorial check in the universal tier for a Year 2 pupil', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y2' });
    const answers = Object.fromEntries(pictorial.items.map((i, n) => [i.id, n === 0 ? 3 : 2]));
    const res = await submit(pupil, answers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.kind).toBe('pictorial');
    expect(res.body.strengths).toEqual([{ id: pictorial.items[0]?.competency, title: expect.any(Object) }]);
    const stored = await models.ReadinessResult.findOne({ schoolId: school.id, userId: pupil.id }).lean();
    expect(stored).toMatchObject({ kind: 'pictorial', suggestedLevel: 'universal', rule: { id: pictorial.rule.id } });
  });

  it('rejects unknown items, out-of-range answers, no answers and a bad clientId (400)', async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y10' });
    const unknown = await submit(pupil, { 'no-such-item': 3 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].message).toContain('no-such-item');
    const range = await submit(pupil, { 'sc-1': 9 });
    expect(range.status).toBe(400);
    expect((await submit(pupil, {})).status).toBe(400);
    const badId = await request(app)
      .post('/api/readiness/results')
      .set('Authorization', await authHeader(pupil))
      .send({ clientId: 'x', answers: { 'sc-1': 3 } });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details.map((d: { path: string }) => d.path)).toContain('clientId');
    expect(await models.ReadinessResult.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(0);
  });

  it('refuses staff (403)', async () => {
    const adviser = await buildUser(models, school, { role: 'adviser' });
    const res = await submit(adviser, allAnswers(3));
    expect(res.status).toBe(403);
  });
});

describe('GET /api/readiness/results', () => {
  it("lists the pupil's own results, newest first, and nobody else's", async () => {
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y9' });
    const other = await buildUser(models, otherSchool, { yearGroup: 'EN-Y9' });
    await submit(pupil, allAnswers(4));
    await submit(pupil, allAnswers(2));
    await submit(other, allAnswers(3));
    const res = await request(app)
      .get('/api/readiness/results')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(200);
    const results = (res.body as { results: PupilReadinessSummary[] }).results;
    expect(results).toHaveLength(2);
    expect(results[0]!.at >= results[1]!.at).toBe(true);
    // Another school's pupil sees only their own.
    const theirs = await request(app)
      .get('/api/readiness/results')
      .set('Authorization', await authHeader(other));
    expect(theirs.body.results).toHaveLength(1);
  });

  it('refuses a teacher (403)', async () => {
    const teacher = await buildUser(models, school, { role: 'teacher' });
    const res = await request(app)
      .get('/api/readiness/results')
      .set('Authorization', await authHeader(teacher));
    expect(res.status).toBe(403);
  });
});

describe('latestReadiness', () => {
  it('gives each pupil their latest result, only in the school asked for', async () => {
    const a = await buildUser(models, school, { yearGroup: 'EN-Y11' });
    const b = await buildUser(models, school, { yearGroup: 'EN-Y11' });
    const other = await buildUser(models, otherSchool, { yearGroup: 'EN-Y11' });
    await submit(a, allAnswers(5));
    const last = await submit(a, allAnswers(1));
    await submit(b, allAnswers(3));
    await submit(other, allAnswers(3));
    const latest = await latestReadiness(models, school.id, [a.id, b.id, other.id]);
    expect([...latest.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(String(latest.get(a.id)?._id)).toBe(last.body.id);
    expect(latest.get(a.id)).toMatchObject({ userId: a.id, stage: 'S4', rule: { id: expect.any(String) } });
  });
});
