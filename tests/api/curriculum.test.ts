import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import { createLogger } from '../../server/log.js';
import { publishBuiltinModules } from '../../server/modules/curriculum/service.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;
const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const pupil = await buildUser(models, school, { role: 'pupil' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const otherTeacher = await buildUser(models, otherSchool, { role: 'teacher' });

/** A school module made from a built-in one, with a new id. */
function schoolModule(id: string, version = 1) {
  const base = [...curriculum.modules.values()].find((m) => m.stage === 'S3');
  if (!base) throw new Error('no S3 module in the curriculum');
  return {
    ...structuredClone(base),
    id,
    version,
    title: { en: `Our own module ${version}`, nl: `Onze eigen module ${version}` },
  };
}

describe('curriculum API', () => {
  it('lists built-in modules by stage, each with its competencies and activity types', async () => {
    const res = await request(app)
      .get('/api/modules?stage=S1')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(200);
    expect(res.body.modules.length).toBeGreaterThanOrEqual(11);
    expect(res.body.modules.every((m: { stage: string }) => m.stage === 'S1')).toBe(true);
    expect(res.body.modules[0]).toMatchObject({
      source: 'builtin',
      competencies: expect.any(Array),
      activityTypes: expect.any(Array),
    });
  });

  it('rejects an unknown stage with a 400 and a reason', async () => {
    const res = await request(app)
      .get('/api/modules?stage=S9')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details[0].path).toBe('stage');
  });

  it('shows teacher notes to teachers but not to pupils', async () => {
    const id = [...curriculum.modules.keys()][0]!;
    const asPupil = await request(app)
      .get(`/api/modules/${id}`)
      .set('Authorization', await authHeader(pupil));
    const asTeacher = await request(app)
      .get(`/api/modules/${id}`)
      .set('Authorization', await authHeader(teacher));
    expect(asPupil.status).toBe(200);
    expect(asPupil.body.module.teacherNotes).toBeUndefined();
    expect(asPupil.body.module.activities.length).toBeGreaterThanOrEqual(3);
    expect(asTeacher.body.module.teacherNotes.lessonPlan.en.length).toBeGreaterThan(20);
  });

  it('answers 404 for a module that does not exist', async () => {
    const res = await request(app)
      .get('/api/modules/no-such-module')
      .set('Authorization', await authHeader(pupil));
    expect(res.status).toBe(404);
  });
});

describe('school modules', () => {
  it('lets a teacher publish a valid module, lists it for the school only, and keeps old versions', async () => {
    const v1 = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(teacher))
      .send(schoolModule('s3-our-work-week'));
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body.module).toMatchObject({ id: 's3-our-work-week', version: 1, source: 'school' });

    const v2 = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(teacher))
      .send(schoolModule('s3-our-work-week', 2));
    expect(v2.status).toBe(201);
    const current = await request(app)
      .get('/api/modules/s3-our-work-week')
      .set('Authorization', await authHeader(pupil));
    expect(current.body.module.title.en).toBe('Our own module 2');
    const old = await request(app)
      .get('/api/modules/s3-our-work-week?version=1')
      .set('Authorization', await authHeader(pupil));
    expect(old.body.module.title.en).toBe('Our own module 1');

    const listed = await request(app)
      .get('/api/modules?stage=S3')
      .set('Authorization', await authHeader(pupil));
    expect(listed.body.modules.filter((m: { id: string }) => m.id === 's3-our-work-week')).toHaveLength(1);

    // Another school sees nothing of it.
    const elsewhere = await request(app)
      .get('/api/modules/s3-our-work-week')
      .set('Authorization', await authHeader(otherTeacher));
    expect(elsewhere.status).toBe(404);
  });

  it('refuses a version that skips or repeats one', async () => {
    const res = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(teacher))
      .send(schoolModule('s3-our-work-week', 5));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version_conflict');
  });

  it('refuses an invalid module with every problem and stores nothing', async () => {
    const bad = schoolModule('s3-broken-module');
    (bad.title as { nl?: string }).nl = '';
    (bad as { minutes: number }).minutes = 90;
    const res = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(teacher))
      .send(bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('module_invalid');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['title.nl', 'minutes']));
    expect(await models.ModuleVersion.countDocuments({ moduleId: 's3-broken-module' })).toBe(0);
  });

  it('refuses an id taken by a built-in module', async () => {
    const builtinId = [...curriculum.modules.keys()][0]!;
    const res = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(teacher))
      .send(schoolModule(builtinId));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('module_id_taken');
  });

  it('does not let pupils publish', async () => {
    const res = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(pupil))
      .send(schoolModule('s3-pupil-made'));
    expect(res.status).toBe(403);
  });
});

describe('built-in module versions', () => {
  it('records every built-in module version once, and flags a changed file whose version was not bumped', async () => {
    const logger = createLogger('silent');
    const first = await publishBuiltinModules(models, curriculum, logger);
    expect(first.published).toBe(curriculum.modules.size);
    const again = await publishBuiltinModules(models, curriculum, logger);
    expect(again).toEqual({ published: 0, unchangedVersionEdits: [] });

    const [id, module] = [...curriculum.modules.entries()][0]!;
    const edited = { ...curriculum, modules: new Map([[id, { ...module, minutes: module.minutes === 20 ? 21 : 20 }]]) };
    const flagged = await publishBuiltinModules(models, edited, logger);
    expect(flagged.unchangedVersionEdits).toEqual([id]);
  });
});
