/**
 * The careers explorer API: search in Dutch and English (typos, alternative titles) ranked and explained, the
 * occupation page with US figures labelled and attribution, saved occupations (pupil only, own data), planner
 * aggregates with small groups suppressed, local opportunities scoped to the school, and bad input.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { OccupationPage, SearchResponse } from '../../server/contract/careers.js';
import { ensureCareersLoaded } from '../../server/modules/careers/load.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const { models } = database;
const app = buildApp(database, { curriculum: loadCurriculum() });

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const pupil = await buildUser(models, school, { role: 'pupil' });
const classmate = await buildUser(models, school, { role: 'pupil' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const planner = await buildUser(models, school, { role: 'planner' });
const foreignPupil = await buildUser(models, otherSchool, { role: 'pupil' });
const foreignPlanner = await buildUser(models, otherSchool, { role: 'planner' });

const NURSE = '8d3e8aaa-791b-4c75-a465-f3f827028f50'; // nurse responsible for general care / algemeen verpleegkundige
const ELECTRICIAN = '4910419f-b4af-4f59-b544-9dbebc8a74f0';
const PLUMBER = 'ed3cf43d-c2c1-4c46-82fc-1375e27e0290';
const uri = (id: string) => `http://data.europa.eu/esco/occupation/${id}`;

const as = async (user: { id: string; schoolId: string; role: 'pupil' | 'teacher' | 'adviser' | 'planner' }) => ({
  Authorization: await authHeader(user),
});
const search = async (q: string, lang = 'en') =>
  (
    await request(app)
      .get('/api/careers/search')
      .query({ q, lang })
      .set(await as(pupil))
      .expect(200)
  ).body as SearchResponse;

describe('loading the dataset', () => {
  it('loads once and is a no-op when the version is unchanged', async () => {
    const first = await ensureCareersLoaded(models);
    const again = await ensureCareersLoaded(models);
    expect(again).toEqual({ version: first.version, loaded: false });
    expect(await models.CareerOccupation.countDocuments({})).toBe(3007);
    expect(await models.CareersMeta.findById('dataset').lean()).toMatchObject({ version: first.version });
  });
});

describe('GET /api/careers/search', () => {
  it('finds the general nurse first for the Dutch "verpleegkundige"', async () => {
    const body = await search('verpleegkundige', 'nl');
    expect(body.results[0]?.id).toBe(NURSE);
    expect(body.results[0]?.reasons[0]).toMatchObject({ kind: 'title', lang: 'nl', matchedText: 'algemeen verpleegkundige' });
    expect(body.results[0]?.explanation.nl).toContain('algemeen verpleegkundige');
    expect(body.rankingRules).toContain('docs/careers.md');
  });

  it('reads a typo: "electrcian" finds the electrician first, explained as a spelling match', async () => {
    const body = await search('electrcian');
    expect(body.results[0]?.id).toBe(ELECTRICIAN);
    expect(body.results[0]?.reasons[0]).toMatchObject({ kind: 'fuzzy', queryTerm: 'electrcian', matchedTerm: 'electrician' });
  });

  it('finds an occupation by an alternative title ("wireman" → electrician)', async () => {
    const body = await search('wireman');
    expect(body.results[0]?.id).toBe(ELECTRICIAN);
    expect(body.results[0]?.reasons[0]).toMatchObject({
      kind: 'alternative_title',
      field: 'alternative_title',
      matchedText: 'wireman',
    });
  });

  it('matches prefixes and exact Dutch titles', async () => {
    expect((await search('loodgieter', 'nl')).results[0]?.id).toBe(PLUMBER);
    const prefix = await search('plumb');
    expect(prefix.results[0]?.reasons[0]?.kind).toBe('prefix');
  });

  it('records a pupil search as a learning event', async () => {
    await search('timmerman', 'nl');
    const event = await models.LearningEvent.findOne({
      schoolId: school.id,
      userId: pupil.id,
      kind: 'careers.searched',
      'data.query': 'timmerman',
    }).lean();
    expect(event?.data).toMatchObject({
      lang: 'nl',
      results: expect.arrayContaining([expect.stringContaining('http://data.europa.eu/esco/occupation/')]),
    });
  });

  it('refuses an empty or overlong query with 400', async () => {
    const empty = await request(app)
      .get('/api/careers/search')
      .query({ q: '' })
      .set(await as(pupil))
      .expect(400);
    expect(empty.body.error.code).toBe('invalid_request');
    await request(app)
      .get('/api/careers/search')
      .query({ q: 'x'.repeat(101) })
      .set(await as(pupil))
      .expect(400);
  });

  it('asks for a launch token', async () => {
    await request(app).get('/api/careers/search').query({ q: 'nurse' }).expect(401);
  });
});

describe('GET /api/careers/occupations/:id', () => {
  it('shows both languages, skills, routes, US figures with country, source and year, and attribution', async () => {
    const res = await request(app)
      .get(`/api/careers/occupations/${ELECTRICIAN}`)
      .set(await as(pupil))
      .expect(200);
    const page = res.body as OccupationPage;
    expect(page.title).toEqual({ en: 'electrician', nl: 'monteur elektrische installaties' });
    expect(page.description.nl.length).toBeGreaterThan(20);
    expect(page.groupPath.map((g) => g.code)).toEqual(['7', '74', '741', '7411']);
    expect(page.skills.essential.length).toBeGreaterThan(0);
    expect(page.skills.essential.every((s) => s.lang === 'en')).toBe(true);
    expect(page.routes.countries.map((c) => c.country)).toEqual(['NL', 'England', 'US-Canada']);
    expect(page.routes.indicative).toBe(true);
    expect(page.labourMarket?.country).toBe('US');
    for (const f of page.labourMarket?.figures ?? [])
      expect(f).toMatchObject({ country: 'US', source: expect.any(String), year: expect.any(String) });
    expect(page.attribution.map((a) => a.source)).toEqual(expect.arrayContaining(['esco', 'bls', 'onet', 'nesta']));
    expect(page.attribution.find((a) => a.source === 'esco')?.text).toContain(
      'This service uses the ESCO classification of the European Commission.',
    );
    expect(page.related.sameGroup.length + page.related.sharedSkills.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown occupation and 400 for a malformed id', async () => {
    await request(app)
      .get('/api/careers/occupations/00000000-0000-0000-0000-000000000000')
      .set(await as(pupil))
      .expect(404);
    const bad = await request(app)
      .get('/api/careers/occupations/not-an-id')
      .set(await as(pupil))
      .expect(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});

describe('browse', () => {
  it('lists ISCO major groups with sub-major children, subjects and interests, and people at work', async () => {
    const groups = await request(app)
      .get('/api/careers/groups')
      .set(await as(pupil))
      .expect(200);
    expect(groups.body.groups).toHaveLength(10);
    const subjects = await request(app)
      .get('/api/careers/subjects/maths')
      .set(await as(pupil))
      .expect(200);
    expect(subjects.body.groups.length).toBeGreaterThan(0);
    await request(app)
      .get('/api/careers/interests/realistic')
      .set(await as(pupil))
      .expect(200);
    await request(app)
      .get('/api/careers/subjects/underwater-basket')
      .set(await as(pupil))
      .expect(404);
    const people = await request(app)
      .get('/api/careers/people-at-work')
      .set(await as(pupil))
      .expect(200);
    expect(people.body.cards.length).toBeGreaterThanOrEqual(30);
  });
});

describe('saved occupations', () => {
  it('saves with a note, lists and deletes the pupil’s own, and logs the save', async () => {
    const saved = await request(app)
      .post('/api/careers/saved')
      .set(await as(pupil))
      .send({ uri: uri(NURSE), note: 'Ask Gran about her work' })
      .expect(201);
    expect(saved.body).toMatchObject({ uri: uri(NURSE), note: 'Ask Gran about her work' });
    const list = await request(app)
      .get('/api/careers/saved')
      .set(await as(pupil))
      .expect(200);
    expect(list.body.saved.map((s: { uri: string }) => s.uri)).toEqual([uri(NURSE)]);
    expect(
      (
        await request(app)
          .get('/api/careers/saved')
          .set(await as(classmate))
          .expect(200)
      ).body.saved,
    ).toEqual([]);
    const page = await request(app)
      .get(`/api/careers/occupations/${NURSE}`)
      .set(await as(pupil))
      .expect(200);
    expect(page.body.saved).toEqual({ isSaved: true, note: 'Ask Gran about her work' });
    expect(
      await models.LearningEvent.countDocuments({
        schoolId: school.id,
        userId: pupil.id,
        kind: 'careers.saved',
        'subject.activityId': uri(NURSE),
      }),
    ).toBe(1);
    // Another pupil cannot delete it: it is not theirs.
    await request(app)
      .delete(`/api/careers/saved/${NURSE}`)
      .set(await as(classmate))
      .expect(404);
    await request(app)
      .delete(`/api/careers/saved/${NURSE}`)
      .set(await as(foreignPupil))
      .expect(404);
    await request(app)
      .delete(`/api/careers/saved/${NURSE}`)
      .set(await as(pupil))
      .expect(204);
    expect(await models.SavedOccupation.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(0);
  });

  it('is for pupils only (403) and validates input (400)', async () => {
    await request(app)
      .get('/api/careers/saved')
      .set(await as(teacher))
      .expect(403);
    await request(app)
      .post('/api/careers/saved')
      .set(await as(teacher))
      .send({ uri: uri(NURSE) })
      .expect(403);
    const bad = await request(app)
      .post('/api/careers/saved')
      .set(await as(pupil))
      .send({ uri: 'https://example.com/job', note: 'x' })
      .expect(400);
    expect(bad.body.error.details[0].path).toBe('uri');
    await request(app)
      .post('/api/careers/saved')
      .set(await as(pupil))
      .send({ uri: uri(NURSE), note: 'x'.repeat(2001) })
      .expect(400);
    await request(app)
      .post('/api/careers/saved')
      .set(await as(pupil))
      .send({ uri: uri('00000000-0000-0000-0000-000000000000') })
      .expect(404);
  });
});

describe('suggestions', () => {
  it('suggests from ratings in the request when none are stored, always with a reason', async () => {
    const res = await request(app)
      .post('/api/careers/suggestions')
      .set(await as(classmate))
      .send({
        ratings: [
          { interest: 'realistic', value: 5 },
          { interest: 'social', value: 1 },
        ],
      })
      .expect(200);
    expect(res.body.ratingsFrom).toBe('request');
    expect(res.body.suggestions).toHaveLength(1);
    expect(res.body.suggestions[0].reason.en).toContain('Working with my hands');
    await request(app)
      .post('/api/careers/suggestions')
      .set(await as(teacher))
      .send({})
      .expect(403);
    await request(app)
      .post('/api/careers/suggestions')
      .set(await as(pupil))
      .send({ ratings: [{ interest: 'x', value: 9 }] })
      .expect(400);
  });
});

describe('GET /api/careers/insights (planners, aggregate only)', () => {
  it('counts distinct pupils per ISCO sub-major group and leaves out groups under 5 pupils', async () => {
    const pupils = await Promise.all(Array.from({ length: 5 }, () => buildUser(models, school, { role: 'pupil' })));
    for (const p of pupils)
      await request(app)
        .get(`/api/careers/occupations/${ELECTRICIAN}`)
        .set(await as(p))
        .expect(200);
    for (const p of pupils.slice(0, 4))
      await request(app)
        .get(`/api/careers/occupations/${PLUMBER}`)
        .set(await as(p))
        .expect(200);
    const res = await request(app)
      .get('/api/careers/insights')
      .set(await as(planner))
      .expect(200);
    expect(res.body.minGroupSize).toBe(5);
    const codes = res.body.groups.map((g: { code: string }) => g.code);
    expect(codes).toContain('74'); // electrician: 5 pupils
    expect(codes).not.toContain('71'); // plumber: 4 pupils
    expect(res.body.groups.every((g: { pupils: number }) => g.pupils >= 5)).toBe(true);
    expect(res.body.suppressedGroups).toBeGreaterThan(0);
    const foreign = await request(app)
      .get('/api/careers/insights')
      .set(await as(foreignPlanner))
      .expect(200);
    expect(foreign.body.groups).toEqual([]);
    await request(app)
      .get('/api/careers/insights')
      .set(await as(teacher))
      .expect(403);
  });
});

describe('local opportunities', () => {
  const input = {
    kind: 'work-experience',
    title: 'Week with our electricians',
    employer: 'Van Dijk Installaties',
    occupationUris: [uri(ELECTRICIAN)],
    startsOn: '2026-06-01',
  };

  it('lets planners and teachers manage their school’s opportunities and shows them to pupils', async () => {
    const created = await request(app)
      .post('/api/careers/opportunities')
      .set(await as(planner))
      .send(input)
      .expect(201);
    expect(created.body).toMatchObject({ title: input.title, encounterType: 'work-experience' });
    const id = created.body.id as string;
    const page = await request(app)
      .get(`/api/careers/occupations/${ELECTRICIAN}`)
      .set(await as(pupil))
      .expect(200);
    expect(page.body.opportunities.map((o: { id: string }) => o.id)).toEqual([id]);
    const other = await request(app)
      .get(`/api/careers/occupations/${ELECTRICIAN}`)
      .set(await as(foreignPupil))
      .expect(200);
    expect(other.body.opportunities).toEqual([]);
    await request(app)
      .put(`/api/careers/opportunities/${id}`)
      .set(await as(teacher))
      .send({ ...input, title: 'Two weeks' })
      .expect(200);
    // Another school's staff see 404, like a missing one; pupils may not manage (403).
    await request(app)
      .put(`/api/careers/opportunities/${id}`)
      .set(await as(foreignPlanner))
      .send(input)
      .expect(404);
    await request(app)
      .delete(`/api/careers/opportunities/${id}`)
      .set(await as(foreignPlanner))
      .expect(404);
    await request(app)
      .post('/api/careers/opportunities')
      .set(await as(pupil))
      .send(input)
      .expect(403);
    expect(
      (
        await request(app)
          .get('/api/careers/opportunities')
          .set(await as(teacher))
          .expect(200)
      ).body.opportunities[0].title,
    ).toBe('Two weeks');
    await request(app)
      .delete(`/api/careers/opportunities/${id}`)
      .set(await as(planner))
      .expect(204);
    await request(app)
      .delete(`/api/careers/opportunities/${id}`)
      .set(await as(planner))
      .expect(404);
  });

  it('refuses bad input with 400', async () => {
    const res = await request(app)
      .post('/api/careers/opportunities')
      .set(await as(planner))
      .send({ ...input, occupationUris: [], url: 'javascript:alert(1)' })
      .expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['occupationUris', 'url']),
    );
  });
});

describe('GET /api/careers/opportunities/:id (a pupil starts a log entry from it)', () => {
  it('answers anyone in the school, 404 for another school or a bad id', async () => {
    const created = await request(app)
      .post('/api/careers/opportunities')
      .set(await as(teacher))
      .send({ kind: 'open-day', title: 'Open day', employer: 'Ziekenhuis Oost', occupationUris: [uri(NURSE)] })
      .expect(201);
    const id = created.body.id as string;
    const got = await request(app)
      .get(`/api/careers/opportunities/${id}`)
      .set(await as(pupil))
      .expect(200);
    expect(got.body).toMatchObject({ id, employer: 'Ziekenhuis Oost', encounterType: 'workplace-visit', startsOn: null });
    await request(app)
      .get(`/api/careers/opportunities/${id}`)
      .set(await as(foreignPupil))
      .expect(404);
    await request(app)
      .get('/api/careers/opportunities/not-an-id')
      .set(await as(pupil))
      .expect(400);
  });
});

// ---- sharing with a class ----
async function buildShareClass(schoolId: string, members: { id: string; role: 'pupil' | 'teacher' }[]) {
  const cls = await models.Class.create({
    schoolId,
    platformId: 'platform-test',
    contextId: `ctx-${Math.random()}`,
    title: 'Year 9 Maths',
    label: '9M',
  });
  const classId = String(cls._id);
  for (const m of members) await models.Membership.create({ schoolId, classId, userId: m.id, role: m.role, source: 'launch' });
  return classId;
}
const otherTeacher = await buildUser(models, school, { role: 'teacher' });
const outsider = await buildUser(models, school, { role: 'pupil' });
const foreignTeacher = await buildUser(models, otherSchool, { role: 'teacher' });
const classId = await buildShareClass(school.id, [
  { id: teacher.id, role: 'teacher' },
  { id: pupil.id, role: 'pupil' },
]);
const foreignClassId = await buildShareClass(otherSchool.id, [{ id: foreignTeacher.id, role: 'teacher' }]);
const shared = (id: string) => `/api/careers/classes/${id}/shared`;

describe('sharing the jobs linked to a subject with a class', () => {
  it('shows nothing shared at first, then the subject the teacher shared, to the teacher and the class’s pupils', async () => {
    const before = await request(app)
      .get(shared(classId))
      .set(await as(pupil))
      .expect(200);
    expect(before.body).toMatchObject({ classId, shared: null });

    const res = await request(app)
      .post(shared(classId))
      .set(await as(teacher))
      .send({ subject: 'maths' })
      .expect(200);
    expect(res.body.shared.subject.id).toBe('maths');
    expect(res.body.shared.groups.length).toBeGreaterThan(0);
    expect(res.body.shared.groups[0].occupations.length).toBeGreaterThan(0);

    const seen = await request(app)
      .get(shared(classId))
      .set(await as(pupil))
      .expect(200);
    expect(seen.body.shared.subject.id).toBe('maths');
    expect(seen.body.attribution.map((a: { source: string }) => a.source)).toContain('esco');

    // The latest choice replaces the earlier one: one share per class.
    await request(app)
      .post(shared(classId))
      .set(await as(teacher))
      .send({ subject: 'biology' })
      .expect(200);
    expect(await models.ClassShare.countDocuments({ schoolId: school.id, classId })).toBe(1);
    const latest = await request(app)
      .get(shared(classId))
      .set(await as(teacher))
      .expect(200);
    expect(latest.body.shared.subject.id).toBe('biology');
  });

  it('refuses bad input with 400', async () => {
    const res = await request(app)
      .post(shared(classId))
      .set(await as(teacher))
      .send({ subject: 'Maths!', extra: 1 })
      .expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    await request(app)
      .get(shared('nope'))
      .set(await as(teacher))
      .expect(400);
  });

  it('answers 403 for a teacher of another class, a pupil sharing, or a pupil outside the class', async () => {
    await request(app)
      .post(shared(classId))
      .set(await as(otherTeacher))
      .send({ subject: 'maths' })
      .expect(403);
    await request(app)
      .post(shared(classId))
      .set(await as(pupil))
      .send({ subject: 'maths' })
      .expect(403);
    await request(app)
      .get(shared(classId))
      .set(await as(outsider))
      .expect(403);
    await request(app)
      .get(shared(classId))
      .set(await as(planner))
      .expect(403);
  });

  it('answers 404 for another school’s class, a missing class or an unknown subject', async () => {
    await request(app)
      .post(shared(foreignClassId))
      .set(await as(teacher))
      .send({ subject: 'maths' })
      .expect(404);
    await request(app)
      .get(shared(classId))
      .set(await as(foreignTeacher))
      .expect(404);
    await request(app)
      .get(shared('0123456789abcdef01234567'))
      .set(await as(teacher))
      .expect(404);
    await request(app)
      .post(shared(classId))
      .set(await as(teacher))
      .send({ subject: 'no-such-subject' })
      .expect(404);
  });
});
