/**
 * Leavers' destinations: planners list a cohort's leavers (pupils in a final year group), record and correct a
 * destination per checkpoint, import a CSV with per-row errors and export one; the outcomes summary puts
 * destinations next to what the pupils did in Waymark and hides groups of fewer than five pupils.
 * Other roles get 403; another school's pupils answer 404.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { academicYearOf } from '../../server/modules/calendar/service.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const app = buildApp(database);
const { models } = database;

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const planner = await buildUser(models, school, { role: 'planner' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const foreignPlanner = await buildUser(models, otherSchool, { role: 'planner' });
const foreignPupil = await buildUser(models, otherSchool, { role: 'pupil', yearGroup: 'EN-Y13', name: 'Far Away' });
const year10 = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y12', name: 'Young Yara' });
// 16 leavers (Year 13, England's default leaving year group): names sort as L00..L15.
const leavers: Awaited<ReturnType<typeof buildUser>>[] = [];
for (let i = 0; i < 16; i++)
  leavers.push(await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y13', name: `L${String(i).padStart(2, '0')}` }));
const cohort = (await academicYearOf(models, school.id, new Date())).id;
type User = Parameters<typeof authHeader>[0];
const auth = (u: User) => authHeader(u);

// What the first eight did in Waymark: two completed modules each and one log entry each.
for (const p of leavers.slice(0, 8)) {
  for (const moduleId of ['m-a', 'm-b'])
    await models.ModuleAttempt.create({
      schoolId: school.id,
      userId: p.id,
      moduleId,
      moduleVersion: 1,
      source: 'builtin',
      status: 'completed',
      startedAt: new Date(),
      completedAt: new Date(),
    });
  await models.LogEntry.create({
    schoolId: school.id,
    pupilId: p.id,
    createdBy: p.id,
    encounterType: 'workplace-visit',
    date: '2025-03-04',
    organisation: 'Garage',
    hours: 2,
    revision: 1,
  });
}

const put = async (user: User, pupilId: string, checkpoint: string, body: unknown) =>
  request(app)
    .put(`/api/planner/destinations/${pupilId}/${checkpoint}`)
    .set('Authorization', await auth(user))
    .send(body as object);

describe('GET /api/planner/destinations', () => {
  it('lists the cohort’s leavers (pupils in a final year group) with their records', async () => {
    const res = await request(app)
      .get('/api/planner/destinations')
      .set('Authorization', await auth(planner));
    expect(res.status).toBe(200);
    expect(res.body.cohort).toBe(cohort);
    expect(res.body.checkpoints).toEqual(['leaving', '1y', '2y', '3y']);
    expect(res.body.leavers.map((l: { name: string }) => l.name)).toEqual(
      leavers.map((_, i) => `L${String(i).padStart(2, '0')}`),
    );
    expect(res.body.leavers.some((l: { pupilId: string }) => l.pupilId === year10.id)).toBe(false);
  });
  it('lists pupils the calendar rollover marked as leavers under the year they finished', async () => {
    const left = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y13', name: 'Earlier Leaver' });
    await models.User.updateOne({ schoolId: school.id, _id: left.id }, { $set: { leaverYear: '2024-25' } });
    const res = await request(app)
      .get('/api/planner/destinations?cohort=2024-25')
      .set('Authorization', await auth(planner));
    expect(res.body.leavers.map((l: { pupilId: string }) => l.pupilId)).toEqual([left.id]);
    const now = await request(app)
      .get('/api/planner/destinations')
      .set('Authorization', await auth(planner));
    expect(now.body.leavers.some((l: { pupilId: string }) => l.pupilId === left.id)).toBe(false);
    await models.User.deleteOne({ schoolId: school.id, _id: left.id });
  });
  it('rejects a malformed cohort with 400', async () => {
    const res = await request(app)
      .get('/api/planner/destinations?cohort=last-year')
      .set('Authorization', await auth(planner));
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('cohort');
  });
  it('is for planners only (403 for a teacher)', async () => {
    const res = await request(app)
      .get('/api/planner/destinations')
      .set('Authorization', await auth(teacher));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
  it('never lists another school’s leavers', async () => {
    const res = await request(app)
      .get('/api/planner/destinations')
      .set('Authorization', await auth(foreignPlanner));
    expect(res.body.leavers.map((l: { pupilId: string }) => l.pupilId)).toEqual([foreignPupil.id]);
  });
});

describe('PUT /api/planner/destinations/:pupilId/:checkpoint', () => {
  it('records a destination with a snapshot of what the pupil did, and replaces it on correction', async () => {
    const p = leavers[0]!;
    let res = await put(planner, p.id, 'leaving', { status: 'employment', detail: 'part-time' });
    expect(res.status).toBe(200);
    expect(res.body.leaver.records.leaving).toMatchObject({ status: 'employment', detail: 'part-time', source: 'manual' });
    res = await put(planner, p.id, 'leaving', { status: 'education', detail: 'further-education' });
    expect(res.body.leaver.records.leaving).toMatchObject({ status: 'education', detail: 'further-education' });
    const stored = await models.Destination.find({ schoolId: school.id, pupilId: p.id }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ cohort, checkpoint: 'leaving', recordedBy: planner.id });
    expect(stored[0]!.activity).toMatchObject({ modulesCompleted: 2, encounters: 1 });
    // Destinations are not learning: no LearningEvent, nothing for an LRS.
    expect(await models.LearningEvent.countDocuments({ schoolId: school.id, userId: p.id })).toBe(0);
  });
  it('rejects an unknown status and a detail of another status with 400', async () => {
    let res = await put(planner, leavers[1]!.id, 'leaving', { status: 'gap-year' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('status');
    res = await put(planner, leavers[1]!.id, 'leaving', { status: 'neet', detail: 'full-time' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('detail');
    res = await put(planner, leavers[1]!.id, '5y', { status: 'neet' });
    expect(res.status).toBe(400);
  });
  it('asks for the cohort of a pupil not known as a leaver, and takes it when given', async () => {
    let res = await put(planner, year10.id, 'leaving', { status: 'apprenticeship' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('cohort');
    res = await put(planner, year10.id, 'leaving', { status: 'apprenticeship', detail: 'advanced', cohort: '2023-24' });
    expect(res.status).toBe(200);
    expect(res.body.leaver.cohort).toBe('2023-24');
    const list = await request(app)
      .get('/api/planner/destinations?cohort=2023-24')
      .set('Authorization', await auth(planner));
    expect(list.body.leavers.map((l: { pupilId: string }) => l.pupilId)).toEqual([year10.id]);
    expect(list.body.cohorts).toContain('2023-24');
    await models.Destination.deleteMany({ schoolId: school.id, pupilId: year10.id });
  });
  it('is for planners only (403 for a teacher)', async () => {
    const res = await put(teacher, leavers[1]!.id, 'leaving', { status: 'neet' });
    expect(res.status).toBe(403);
    expect(await models.Destination.countDocuments({ schoolId: school.id, pupilId: leavers[1]!.id })).toBe(0);
  });
  it('answers 404 for another school’s pupil', async () => {
    const res = await put(planner, foreignPupil.id, 'leaving', { status: 'neet' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await models.Destination.countDocuments({ schoolId: otherSchool.id })).toBe(0);
  });
});

describe('DELETE /api/planner/destinations/:pupilId/:checkpoint', () => {
  it('removes a mistaken record; 404 when there is none; 403 for a teacher', async () => {
    const p = leavers[15]!;
    await put(planner, p.id, '3y', { status: 'neet' });
    expect(
      (
        await request(app)
          .delete(`/api/planner/destinations/${p.id}/3y`)
          .set('Authorization', await auth(teacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .delete(`/api/planner/destinations/${p.id}/3y`)
          .set('Authorization', await auth(planner))
      ).status,
    ).toBe(204);
    expect(
      (
        await request(app)
          .delete(`/api/planner/destinations/${p.id}/3y`)
          .set('Authorization', await auth(planner))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .delete(`/api/planner/destinations/${p.id}/9y`)
          .set('Authorization', await auth(planner))
      ).status,
    ).toBe(400);
  });
});

describe('POST /api/planner/destinations/import', () => {
  const post = async (user: User, csv: string) =>
    request(app)
      .post('/api/planner/destinations/import')
      .set('Authorization', await auth(user))
      .type('text/csv')
      .send(csv);

  it('records valid rows and reports each bad row by line', async () => {
    const csv = [
      'pupil_id,name,checkpoint,status,detail',
      ...leavers.slice(1, 7).map((p) => `${p.id},"Name, with comma",leaving,education,higher-education`),
      `${leavers[7]!.id},x,leaving,employment,full-time`,
      `${leavers[8]!.id},x,leaving,,`,
      `${leavers[9]!.id},x,leaving,gap-year,`,
      `${leavers[10]!.id},x,leaving,neet,full-time`,
      `${leavers[11]!.id},x,6y,neet,`,
      `${foreignPupil.id},x,leaving,neet,`,
      `not-an-id,x,leaving,neet,`,
      `${leavers[7]!.id},x,leaving,neet,`,
    ].join('\r\n');
    const res = await post(planner, csv);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(7);
    expect(res.body.skipped).toBe(1);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(res.body.errors[0].message).toMatch(/status must be one of/);
    expect(res.body.errors[1].message).toMatch(/detail/);
    expect(res.body.errors[3].message).toBe('no pupil with this id in your school');
    expect(await models.Destination.countDocuments({ schoolId: school.id, source: 'import' })).toBe(7);
    expect(await models.Destination.countDocuments({ schoolId: otherSchool.id })).toBe(0);
  });
  it('rejects a CSV without the needed columns, or an empty body, with 400', async () => {
    const res = await post(planner, 'id,destination\n1,education\n');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['pupil_id', 'checkpoint', 'status']);
    expect((await post(planner, '')).status).toBe(400);
  });
  it('is for planners only (403 for a teacher)', async () => {
    const res = await post(teacher, `pupil_id,checkpoint,status\n${leavers[12]!.id},leaving,neet\n`);
    expect(res.status).toBe(403);
  });
});

describe('GET /api/planner/destinations.csv', () => {
  it('exports one row per leaver and checkpoint that imports back unchanged', async () => {
    await models.User.updateOne({ schoolId: school.id, _id: leavers[14]!.id }, { $set: { name: '=HYPERLINK("x")' } });
    const res = await request(app)
      .get('/api/planner/destinations.csv')
      .set('Authorization', await auth(planner));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="destinations-${cohort}.csv"`);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('pupil_id,name,year_group,cohort,checkpoint,status,detail,recorded_at');
    expect(lines).toHaveLength(1 + 16 * 4);
    expect(lines).toContain(
      `${leavers[7]!.id},L07,EN-Y13,${cohort},leaving,employment,full-time,${lines.find((l) => l.startsWith(`${leavers[7]!.id},L07,EN-Y13,${cohort},leaving`))!.split(',')[7]!}`,
    );
    // A formula in a name is defused for spreadsheets.
    expect(res.text).toContain(`${leavers[14]!.id},"'=HYPERLINK(""x"")"`);
    const before = await models.Destination.countDocuments({ schoolId: school.id });
    const again = await request(app)
      .post('/api/planner/destinations/import')
      .set('Authorization', await auth(planner))
      .type('text/csv')
      .send(res.text);
    expect(again.body).toMatchObject({ imported: 8, errors: [] });
    expect(await models.Destination.countDocuments({ schoolId: school.id })).toBe(before);
  });
  it('is for planners only (403 for a teacher)', async () => {
    expect(
      (
        await request(app)
          .get('/api/planner/destinations.csv')
          .set('Authorization', await auth(teacher))
      ).status,
    ).toBe(403);
  });
});

describe('GET /api/planner/destinations/summary', () => {
  it('shows destinations next to what pupils did, hiding groups under five', async () => {
    // Now: L00-L06 education (7), L07 employment (1), L08 skipped, the rest not recorded (8).
    const res = await request(app)
      .get('/api/planner/destinations/summary')
      .set('Authorization', await auth(planner));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cohort, checkpoint: 'leaving', minGroupSize: 5, leavers: 16 });
    const group = (key: string): unknown => (res.body.byDestination as { key: string }[]).find((g) => g.key === key);
    // Employment holds one pupil: hidden; as the only hidden group, the next smallest (education, 7) is hidden too.
    expect(group('employment')).toMatchObject({ pupils: null, suppressed: true, modulesCompletedMean: null });
    expect(group('education')).toMatchObject({ pupils: null, suppressed: true, encountersMean: null });
    expect(group('apprenticeship')).toMatchObject({ pupils: 0, suppressed: false, modulesCompletedMean: null });
    // Not recorded: L08-L15, none of whom did anything in Waymark.
    expect(group('not-recorded')).toMatchObject({
      pupils: 8,
      suppressed: false,
      modulesCompletedMean: 0,
      encountersMean: 0,
      withEncounterShare: 0,
    });
    // By activity: the 8 recorded pupils all completed 2 modules (band 1-2), all in education or work.
    expect(res.body.byActivity).toEqual([
      { key: '0', pupils: 0, suppressed: false, positiveShare: null },
      { key: '1-2', pupils: 8, suppressed: false, positiveShare: 1 },
      { key: '3+', pupils: 0, suppressed: false, positiveShare: null },
    ]);
  });
  it('shows each group’s figures once every group is large enough', async () => {
    for (const [i, p] of leavers.entries()) await put(planner, p.id, '1y', { status: i < 8 ? 'education' : 'employment' });
    const res = await request(app)
      .get('/api/planner/destinations/summary?checkpoint=1y')
      .set('Authorization', await auth(planner));
    const group = (key: string): unknown => (res.body.byDestination as { key: string }[]).find((g) => g.key === key);
    expect(group('education')).toMatchObject({
      pupils: 8,
      suppressed: false,
      modulesCompletedMean: 2,
      encountersMean: 1,
      withEncounterShare: 1,
    });
    expect(group('employment')).toMatchObject({
      pupils: 8,
      suppressed: false,
      modulesCompletedMean: 0,
      encountersMean: 0,
      withEncounterShare: 0,
    });
    expect(group('not-recorded')).toMatchObject({ pupils: 0, suppressed: false });
    expect(res.body.byActivity).toEqual([
      { key: '0', pupils: 8, suppressed: false, positiveShare: 1 },
      { key: '1-2', pupils: 8, suppressed: false, positiveShare: 1 },
      { key: '3+', pupils: 0, suppressed: false, positiveShare: null },
    ]);
  });
  it('rejects an unknown checkpoint with 400 and a teacher with 403', async () => {
    expect(
      (
        await request(app)
          .get('/api/planner/destinations/summary?checkpoint=10y')
          .set('Authorization', await auth(planner))
      ).status,
    ).toBe(400);
    expect(
      (
        await request(app)
          .get('/api/planner/destinations/summary')
          .set('Authorization', await auth(teacher))
      ).status,
    ).toBe(403);
  });
  it('shows nothing of another school', async () => {
    const res = await request(app)
      .get('/api/planner/destinations/summary')
      .set('Authorization', await auth(foreignPlanner));
    expect(res.body.leavers).toBe(1);
    expect(res.body.byDestination.find((g: { key: string }) => g.key === 'not-recorded')).toMatchObject({
      suppressed: true,
      pupils: null,
    });
  });
});
