/**
 * The school calendar: country defaults (England, the Netherlands), planners' changes, academicYearOf, and the
 * year-group rollover (pupils move up, final years become leavers), idempotent and scheduled.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { CalendarView } from '../../server/contract/calendar.js';
import {
  academicYearOf,
  currentAcademicYear,
  rolloverYearGroups,
  runScheduledRollovers,
} from '../../server/modules/calendar/service.js';
import { eventId, recordLearningEvent, type LearningEventInput } from '../../server/modules/events/record.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const app = buildApp(database, { curriculum: loadCurriculum() });
const { models } = database;
type User = Parameters<typeof authHeader>[0];

const england = await buildSchool(models);
const dutch = await buildSchool(models);
await models.School.updateOne({ _id: dutch.id }, { $set: { country: 'netherlands', locale: 'nl' } });
const planner = await buildUser(models, england, { role: 'planner' });
const teacher = await buildUser(models, england, { role: 'teacher' });
const dutchPlanner = await buildUser(models, dutch, { role: 'planner' });

const d = (s: string) => new Date(`${s}T12:00:00Z`);
const get = async (user: User) =>
  request(app)
    .get('/api/planner/calendar')
    .set('Authorization', await authHeader(user));
const put = async (user: User, yearId: string, body: unknown) =>
  request(app)
    .put(`/api/planner/calendar/years/${yearId}`)
    .set('Authorization', await authHeader(user))
    .send(body as object);

describe('academicYearOf (defaults)', () => {
  it('England: 1 September to 31 August, autumn, spring and summer terms', async () => {
    const y = await academicYearOf(models, england.id, d('2026-11-15'));
    expect(y.id).toBe('2026-27');
    expect(y.start.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(y.end.toISOString()).toBe('2027-08-31T23:59:59.999Z');
    expect(y.terms.map((t) => [t.id, t.startDay, t.endDay])).toEqual([
      ['autumn', '2026-09-01', '2026-12-31'],
      ['spring', '2027-01-01', '2027-03-31'],
      ['summer', '2027-04-01', '2027-08-31'],
    ]);
    expect((await academicYearOf(models, england.id, d('2026-08-31'))).id).toBe('2025-26');
    expect((await academicYearOf(models, england.id, d('2027-07-20'))).id).toBe('2026-27');
  });

  it('the Netherlands: 1 August to 31 July in three periodes, named in Dutch', async () => {
    const y = await academicYearOf(models, dutch.id, d('2026-08-01'));
    expect(y.id).toBe('2026-27');
    expect(y.terms.map((t) => [t.id, t.name, t.startDay, t.endDay])).toEqual([
      ['periode-1', 'Periode 1', '2026-08-01', '2026-11-30'],
      ['periode-2', 'Periode 2', '2026-12-01', '2027-03-31'],
      ['periode-3', 'Periode 3', '2027-04-01', '2027-07-31'],
    ]);
    expect((await academicYearOf(models, dutch.id, d('2026-07-31'))).id).toBe('2025-26');
  });

  it('currentAcademicYear is the year holding now', async () => {
    expect((await currentAcademicYear(models, england.id, d('2030-01-10'))).id).toBe('2029-30');
  });
});

describe('GET/PUT /api/planner/calendar', () => {
  it('shows last, this and next year with the default leaving year groups', async () => {
    const res = await get(planner);
    expect(res.status).toBe(200);
    const view = res.body as CalendarView;
    expect(view.country).toBe('england');
    expect(view.years).toHaveLength(3);
    expect(view.years[1]?.id).toBe(view.currentYearId);
    expect(view.defaultLeavingYearGroups).toContain('EN-Y13');
    expect(view.defaultLeavingYearGroups).not.toContain('EN-Y11');
  });

  it('a planner moves the start of a year and its terms; the previous year now ends the day before', async () => {
    // A completion on 3 September 2027 is filed under 2027-28 by default …
    const pupil = await buildUser(models, england, { yearGroup: 'EN-Y9' });
    const e: LearningEventInput = {
      schoolId: england.id,
      userId: pupil.id,
      actorId: pupil.id,
      kind: 'progress.module-completed',
      subject: { moduleId: 's3-a-fresh-start', moduleVersion: 1 },
      at: d('2027-09-03'),
      data: {},
    };
    await recordLearningEvent(models, eventId(e, 'once'), e);
    const yearsOf = async () =>
      (await models.PupilSummary.find({ schoolId: england.id, userId: pupil.id }).lean()).map((x) => x.year);
    expect(await yearsOf()).toEqual(['2027-28']);
    const res = await put(planner, '2027-28', {
      start: '2027-09-06',
      terms: [
        { id: 'autumn', name: 'Autumn', start: '2027-09-06' },
        { id: 'spring', name: 'Spring', start: '2028-01-04' },
        { id: 'summer', name: 'Summer', start: '2028-04-17' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const y = await academicYearOf(models, england.id, d('2027-09-06'));
    expect(y.id).toBe('2027-28');
    expect(y.custom).toBe(true);
    expect(y.terms.map((t) => t.endDay)).toEqual(['2028-01-03', '2028-04-16', '2028-08-31']);
    const before = await academicYearOf(models, england.id, d('2027-09-03'));
    expect(before.id).toBe('2026-27');
    expect(before.endDay).toBe('2027-09-05');
    // … and under 2026-27 once the year starts on 6 September: the summaries were rebuilt.
    expect(await yearsOf()).toEqual(['2026-27']);
  });

  it('refuses terms out of order or a first term that does not start the year (400, every reason)', async () => {
    const res = await put(planner, '2028-29', {
      start: '2028-09-01',
      terms: [
        { id: 'autumn', name: 'Autumn', start: '2028-09-04' },
        { id: 'spring', name: 'Spring', start: '2028-09-02' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const paths = (res.body.error.details as { path: string }[]).map((x) => x.path);
    expect(paths).toEqual(expect.arrayContaining(['terms.0.start', 'terms.1.start']));
    expect(
      (await put(planner, '2028-30', { start: '2028-09-01', terms: [{ id: 'a', name: 'A', start: '2028-09-01' }] })).status,
    ).toBe(400);
  });

  it('is for planners only (403)', async () => {
    expect((await get(teacher)).status).toBe(403);
    expect(
      (await put(teacher, '2027-28', { start: '2027-09-01', terms: [{ id: 'a', name: 'A', start: '2027-09-01' }] })).status,
    ).toBe(403);
  });

  it("one school's change does not touch another's calendar", async () => {
    const res = await get(dutchPlanner);
    expect(res.status).toBe(200);
    expect((res.body as CalendarView).years.every((y) => !y.custom)).toBe(true);
    expect((await academicYearOf(models, dutch.id, d('2027-09-03'))).id).toBe('2027-28');
  });
});

describe('year-group rollover', () => {
  it('moves pupils up, makes the final year leavers, and changes nothing the second time', async () => {
    const school = await buildSchool(models);
    const y7 = await buildUser(models, school, { yearGroup: 'EN-Y7' });
    const y13 = await buildUser(models, school, { yearGroup: 'EN-Y13' });
    const reception = await buildUser(models, school, { yearGroup: 'EN-R' });
    const noYear = await buildUser(models, school);
    const staff = await buildUser(models, school, { role: 'teacher', yearGroup: 'EN-Y7' });

    const first = await rolloverYearGroups(models, school.id, '2026-27', { now: d('2026-09-02') });
    expect(first).toMatchObject({ ran: true, status: 'done', moved: 2, leavers: 1 });
    const second = await rolloverYearGroups(models, school.id, '2026-27', { now: d('2026-09-03') });
    expect(second).toMatchObject({ ran: false, moved: 2, leavers: 1 });

    const byId = async (u: { id: string }) => models.User.findOne({ schoolId: school.id, _id: u.id }).lean();
    expect(await byId(y7)).toMatchObject({ yearGroup: 'EN-Y8', yearGroupYear: '2026-27' });
    expect((await byId(y7))?.leaverYear).toBeUndefined();
    expect(await byId(y13)).toMatchObject({ yearGroup: 'EN-Y13', leaverYear: '2025-26' });
    expect(await byId(reception)).toMatchObject({ yearGroup: 'EN-Y1' });
    expect((await byId(noYear))?.yearGroup).toBeUndefined();
    expect((await byId(staff))?.yearGroup).toBe('EN-Y7');

    // A crashed run (record left `running`) is re-run without moving anyone twice.
    await models.YearRollover.updateOne({ schoolId: school.id, yearId: '2026-27' }, { $set: { status: 'running' } });
    const rerun = await rolloverYearGroups(models, school.id, '2026-27', { now: d('2026-09-04') });
    expect(rerun).toMatchObject({ ran: true, moved: 0, leavers: 0 });
    expect(await byId(y7)).toMatchObject({ yearGroup: 'EN-Y8' });
  });

  it('uses the school leaving year groups (an 11-16 school) and skips pupils the LMS already moved', async () => {
    const school = await buildSchool(models);
    const p = await buildPlanner(school);
    const y11 = await buildUser(models, school, { yearGroup: 'EN-Y11' });
    const launched = await buildUser(models, school, { yearGroup: 'EN-Y9' });
    await models.User.updateOne({ schoolId: school.id, _id: launched.id }, { $set: { lastLaunchAt: d('2026-09-01') } });
    const settings = await request(app)
      .put('/api/planner/calendar/settings')
      .set('Authorization', await authHeader(p))
      .send({ leavingYearGroups: ['en-y11'] });
    expect(settings.status).toBe(200);
    expect((settings.body as CalendarView).leavingYearGroups).toEqual(['EN-Y11']);
    const bad = await request(app)
      .put('/api/planner/calendar/settings')
      .set('Authorization', await authHeader(p))
      .send({ leavingYearGroups: ['EN-Y99'] });
    expect(bad.status).toBe(400);

    await rolloverYearGroups(models, school.id, '2026-27', { now: d('2026-09-02') });
    expect(await models.User.findOne({ schoolId: school.id, _id: y11.id }).lean()).toMatchObject({ leaverYear: '2025-26' });
    expect(await models.User.findOne({ schoolId: school.id, _id: launched.id }).lean()).toMatchObject({
      yearGroup: 'EN-Y9',
      yearGroupYear: '2026-27',
    });
  });

  it('the scheduled job records a baseline for a new school, then rolls over when the next year starts', async () => {
    await models.YearRollover.deleteMany({ schoolId: { $exists: true } });
    const school = await buildSchool(models);
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y8' });
    const firstRun = await runScheduledRollovers(models, d('2026-10-01'));
    expect(firstRun.some((r) => r.status === 'baseline' && r.yearId === '2026-27')).toBe(true);
    expect((await models.User.findOne({ schoolId: school.id, _id: pupil.id }).lean())?.yearGroup).toBe('EN-Y8');
    await runScheduledRollovers(models, d('2027-03-01'));
    expect((await models.User.findOne({ schoolId: school.id, _id: pupil.id }).lean())?.yearGroup).toBe('EN-Y8');
    await runScheduledRollovers(models, d('2027-09-02'));
    await runScheduledRollovers(models, d('2027-09-03'));
    expect(await models.User.findOne({ schoolId: school.id, _id: pupil.id }).lean()).toMatchObject({
      yearGroup: 'EN-Y9',
      yearGroupYear: '2027-28',
    });
  });

  it('POST /api/planner/calendar/rollover runs it on demand for planners (403 otherwise, 400 for a future year)', async () => {
    const school = await buildSchool(models);
    const p = await buildPlanner(school);
    const t = await buildUser(models, school, { role: 'teacher' });
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y3' });
    const post = async (u: User, body: unknown) =>
      request(app)
        .post('/api/planner/calendar/rollover')
        .set('Authorization', await authHeader(u))
        .send(body as object);
    expect((await post(t, {})).status).toBe(403);
    expect((await post(p, { yearId: '2099-00' })).status).toBe(400);
    const res = await post(p, {});
    expect(res.status).toBe(200);
    expect(res.body.rollover).toMatchObject({ ran: true, moved: 1 });
    expect((await post(p, {})).body.rollover).toMatchObject({ ran: false });
    expect((await models.User.findOne({ schoolId: school.id, _id: pupil.id }).lean())?.yearGroup).toBe('EN-Y4');
  });
});

async function buildPlanner(school: { id: string }) {
  return buildUser(models, school, { role: 'planner' });
}
