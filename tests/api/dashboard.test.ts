/**
 * The planner's dashboard on a small fixture school whose figures are worked out by hand below (academic year
 * 2025-26, England: autumn 1 Sep–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug).
 *
 * Pupils            class  did this year (2025-26)
 *   A  EN-Y8        8A     completed M1 (1 Oct), rated it 4 then 5; employer talk logged (dated 9 Oct, changed to 10 Oct)
 *   B  EN-Y8        8A     completed M1 (15 Jan) and M2 (20 Jan), rated M1 3
 *   C  EN-Y8        8B     nothing
 *   D  EN-Y11       11A    completed M3 (5 Nov); workplace visit (10 Mar, verified); work experience last year (15 Jun 2025)
 *   E  EN-Y11       11A    volunteering, logged with last year's date (20 Jul 2025) then changed to 1 May 2026
 *   F  EN-Y11       —      completed M3 last year only; in the uploaded group "pupil-premium" with A
 * M1 s3-a-fresh-start (change-and-growth, interacting-with-others; Gatsby GB3), M2 s3-choosing-my-options
 * (decision-making, career-information; GB3, GB4), M3 s4-checking-job-facts (career-information,
 * work-society-economy; GB2, GB4). M1 is assigned to 8A.
 */
import { inflateSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { DashboardView } from '../../server/contract/dashboard.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { buildDashboardFixture } from '../support/factories-dashboard.js';
import { buildAdviser, buildGrant, shareWithoutConsent } from '../support/factories-sharing.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;
type User = Parameters<typeof authHeader>[0];

const school = await buildSchool(models, { name: 'Fixture Academy' });
const other = await buildSchool(models);
const planner = await buildUser(models, school, { role: 'planner' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const foreignClass = await models.Class.create({ schoolId: other.id, platformId: 'p', contextId: 'x', title: 'Other 8A' });
const { A, B, F, c8A, M1, M2, M3 } = await buildDashboardFixture(models, school, { teacherId: teacher.id });
const YEAR = 'academicYear=2025-26';
const dash = async (user: User, query = '') =>
  request(app)
    .get(`/api/planner/dashboard?${YEAR}${query}`)
    .set('Authorization', await authHeader(user));
const view = async (query = '') => {
  const res = await dash(planner, query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as DashboardView;
};
const cell = (v: DashboardView, code: string, yg: string) => v.coverage.cells.find((c) => c.code === code && c.yearGroup === yg);
const binary = (res: request.Test) =>
  res.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('GET /api/planner/dashboard', () => {
  it('coverage by competency and year group (Blueprint): share of pupils with a completed module in each cell', async () => {
    const v = await view();
    expect(v.academicYear).toMatchObject({ id: '2025-26', start: '2025-09-01', end: '2026-08-31', current: false });
    expect(v.pupils).toBe(6);
    expect(v.activePupils).toBe(4); // C did nothing; F only last year
    expect(v.coverage.yearGroups.map((y) => [y.code, y.pupils])).toEqual([
      ['EN-Y8', 3],
      ['EN-Y11', 3],
    ]);
    expect(v.coverage.rows).toHaveLength(11);
    expect(cell(v, 'change-and-growth', 'EN-Y8')).toEqual({
      code: 'change-and-growth',
      yearGroup: 'EN-Y8',
      pupils: 3,
      covered: 2,
      percent: 67,
    });
    expect(cell(v, 'interacting-with-others', 'EN-Y8')?.percent).toBe(67);
    expect(cell(v, 'decision-making', 'EN-Y8')).toMatchObject({ covered: 1, percent: 33 });
    expect(cell(v, 'career-information', 'EN-Y8')).toMatchObject({ covered: 1, percent: 33 });
    expect(cell(v, 'career-information', 'EN-Y11')).toMatchObject({ covered: 1, percent: 33 });
    expect(cell(v, 'work-society-economy', 'EN-Y11')).toMatchObject({ covered: 1, percent: 33 });
    expect(cell(v, 'self-concept', 'EN-Y8')).toMatchObject({ covered: 0, percent: 0 });
    const covered = v.coverage.cells.filter((c) => c.covered > 0).length;
    expect(covered).toBe(6);
  });

  it('switches framework through the crosswalks (Gatsby)', async () => {
    const v = await view('&framework=gatsby');
    expect(v.coverage.rows.map((r) => r.code)).toEqual(['GB1', 'GB2', 'GB3', 'GB4', 'GB5', 'GB6', 'GB7', 'GB8']);
    expect(cell(v, 'GB3', 'EN-Y8')).toMatchObject({ covered: 2, percent: 67 });
    expect(cell(v, 'GB4', 'EN-Y8')).toMatchObject({ covered: 1, percent: 33 });
    expect(cell(v, 'GB2', 'EN-Y11')).toMatchObject({ covered: 1, percent: 33 });
    expect(cell(v, 'GB4', 'EN-Y11')).toMatchObject({ covered: 1, percent: 33 });
    expect(v.coverage.cells.filter((c) => c.covered > 0)).toHaveLength(4);
  });

  it('completion by class and by module, with satisfaction', async () => {
    const v = await view();
    expect(
      v.completionByClass.map((c) => [c.title, c.pupils, c.pupilsCompleted, c.completions, c.assignedModules, c.assignedPercent]),
    ).toEqual([
      ['11A', 2, 1, 1, 0, null],
      ['8A', 2, 2, 3, 1, 100],
      ['8B', 1, 0, 0, 0, null],
    ]);
    const byModule = Object.fromEntries(
      v.completionByModule.map((m) => [m.moduleId, [m.completed, m.stagePupils, m.percent, m.ratings, m.averageRating]]),
    );
    expect(byModule).toEqual({ [M1]: [2, 3, 67, 2, 4], [M2]: [1, 3, 33, 0, null], [M3]: [1, 3, 33, 0, null] });
  });

  it('encounters against the Gatsby expectations, and the lists to follow up', async () => {
    const v = await view();
    const g = Object.fromEntries(v.gatsby.byYearGroup.map((x) => [x.yearGroup, x]));
    expect(g['EN-Y8']).toMatchObject({
      pupils: 3,
      employerExpected: true,
      employerEncounters: 1,
      withEmployerEncounter: 1,
      employerPercent: 33,
      workplaceNeeded: 0,
      workplacePercent: null,
    });
    expect(g['EN-Y11']).toMatchObject({
      pupils: 3,
      employerExpected: true,
      employerEncounters: 1,
      withEmployerEncounter: 1,
      employerPercent: 33,
      workplaceNeeded: 1,
      meetingWorkplace: 2,
      workplacePercent: 67,
    });
    expect(v.lists.noEncounter.total).toBe(3);
    expect(v.lists.noEncounter.pupils.map((p) => p.name)).toEqual(['Ben', 'Cas', 'Fay']);
    expect(v.lists.noActivity.pupils.map((p) => p.name)).toEqual(['Cas', 'Fay']);
  });

  it('trends by term', async () => {
    const v = await view();
    expect(v.trends.map((t) => [t.termId, t.activePupils, t.completions, t.encounters])).toEqual([
      ['autumn', 2, 2, 1],
      ['spring', 3, 2, 1],
      ['summer', 1, 0, 1],
    ]);
  });

  it('filters by year group, class and uploaded pupil group', async () => {
    expect((await view('&yearGroup=en-y11')).pupils).toBe(3);
    const byClass = await view(`&classId=${c8A}`);
    expect(byClass.pupils).toBe(2);
    expect(byClass.completionByClass.map((c) => c.title)).toEqual(['8A']);
    const fSub = (await models.User.findOne({ schoolId: school.id, _id: F.id }).lean())?.sub;
    const up = await request(app)
      .post('/api/planner/dashboard/groups')
      .set('Authorization', await authHeader(planner))
      .send({ csv: `pupil,group\r\n${fSub ?? ''},pupil-premium\r\n${A.id},pupil-premium\r\n` });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body).toEqual({ pupils: 2, groups: ['pupil-premium'] });
    const grouped = await view('&group=pupil-premium');
    expect(grouped.pupils).toBe(2);
    expect(grouped.options.groups).toEqual(['pupil-premium']);
    expect(cell(grouped, 'change-and-growth', 'EN-Y8')).toMatchObject({ pupils: 1, covered: 1, percent: 100 });
    const bad = await request(app)
      .post('/api/planner/dashboard/groups')
      .set('Authorization', await authHeader(planner))
      .send({ csv: 'pupil,group\nnobody,x\n' });
    expect(bad.status).toBe(400);
  });

  it("400 for a bad query, 403 for other roles, 404 for another school's class or an unknown group", async () => {
    const badFramework = await dash(planner, '&framework=bogus');
    expect(badFramework.status).toBe(400);
    expect(badFramework.body.error.code).toBe('invalid_request');
    expect((await dash(planner, '&academicYear=2099-00')).status).toBe(400);
    expect((await dash(teacher)).status).toBe(403);
    expect((await dash(A)).status).toBe(403);
    const foreign = await dash(planner, `&classId=${String(foreignClass._id)}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await dash(planner, '&group=nope')).status).toBe(404);
  });
});

describe('GET /api/planner/dashboard.csv and .pdf', () => {
  it('the CSV holds the same figures as the API', async () => {
    const v = await view('&framework=gatsby');
    const res = await request(app)
      .get(`/api/planner/dashboard.csv?${YEAR}&framework=gatsby`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual(['section', 'key', 'label', 'year_group', 'measure', 'value']);
    const value = (section: string, key: string, yg: string, measure: string) =>
      rows.find((r) => r[0] === section && r[1] === key && r[3] === yg && r[4] === measure)?.[5];
    for (const c of v.coverage.cells) expect(value('coverage', c.code, c.yearGroup, 'percent')).toBe(String(c.percent));
    for (const g of v.gatsby.byYearGroup)
      expect(value('gatsby', g.yearGroup, g.yearGroup, 'workplacePercent')).toBe(
        g.workplacePercent === null ? '' : String(g.workplacePercent),
      );
    expect(value('no_encounter', 'total', '', 'pupils')).toBe('3');
    expect(value('school', 'pupils', '', 'pupils')).toBe('6');
    expect(
      (
        await request(app)
          .get(`/api/planner/dashboard.csv?${YEAR}`)
          .set('Authorization', await authHeader(teacher))
      ).status,
    ).toBe(403);
  });

  it('the PDF is a PDF with the key figures', async () => {
    const res = await binary(
      request(app)
        .get(`/api/planner/dashboard.pdf?${YEAR}`)
        .set('Authorization', await authHeader(planner)),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Fixture Academy');
    expect(text).toContain('Pupils: 6');
    expect(text).toContain('EN-Y8 67% (2/3)');
    expect(text).toContain('No encounter logged this year: 3');
    expect(text).not.toContain('Cas'); // no pupil names in the report
    expect((await dash(planner, '&framework=nope')).status).toBe(400);
    expect(
      (
        await request(app)
          .get(`/api/planner/dashboard.pdf?${YEAR}`)
          .set('Authorization', await authHeader(teacher))
      ).status,
    ).toBe(403);
  });
});

describe('readiness and adviser capacity', () => {
  it('counts pupils by level of help (the adviser’s agreed level wins) against the advisers’ capacity', async () => {
    const before = await view();
    expect(before.readiness).toEqual({
      available: true,
      assessed: 0,
      levels: [
        { level: 'self-help', pupils: 0 },
        { level: 'brief-staff-assisted', pupils: 0 },
        { level: 'individual-case-managed', pupils: 0 },
      ],
      capacity: null,
    });
    const result = (userId: string, suggestedLevel: string) => ({
      schoolId: school.id,
      userId,
      eventId: `ev-${userId}`,
      kind: 'check',
      stage: 'S3',
      instrument: { id: 'x', version: 1, validated: false },
      suggestedLevel,
      rule: { id: 'r', explanation: { en: 'r', nl: 'r' } },
      answered: 10,
      missing: 0,
      at: new Date('2026-01-10'),
    });
    await models.ReadinessResult.insertMany([result(A.id, 'individual-case-managed'), result(B.id, 'self-help')]);
    const adviser = await buildAdviser(models, school);
    await models.AdviserReview.create({
      schoolId: school.id,
      pupilId: B.id,
      adviserId: adviser.accountId,
      agreedLevel: 'individual-case-managed',
    });
    await shareWithoutConsent(models, school);
    await buildGrant(models, school, { adviserId: adviser.accountId }, 'yearGroup', ['EN-Y8'], { capacity: 5 });

    const v = await view();
    expect(v.readiness.assessed).toBe(2);
    expect(v.readiness.levels.map((l) => l.pupils)).toEqual([0, 0, 2]);
    expect(v.readiness.capacity).toEqual({
      total: 5,
      demand: 2,
      advisers: [{ name: 'Ada Adviser', capacity: 5, pupilsShared: 3 }],
    });
  });
});

/** The text drawn in a pdfkit PDF: inflate each content stream and decode its hex-string text operands. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let out = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let body: Buffer;
    try {
      body = inflateSync(pdf.subarray(start, end));
    } catch {
      continue;
    }
    for (const line of body.toString('latin1').split('\n')) {
      const parts = [...line.matchAll(/<([0-9a-fA-F]+)>/g)].map((t) => Buffer.from(t[1]!, 'hex').toString('latin1'));
      if (parts.length) out += parts.join('');
    }
    out += '\n';
  }
  return out;
}
