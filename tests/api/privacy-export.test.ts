/**
 * Export of everything held about a pupil: the registry classifies every collection that names a person (so a new
 * one cannot be forgotten); the JSON holds every registered collection, the evidence files and the xAPI statements
 * and documents about the pupil, and withholds safeguarding concerns; the PDF is the readable summary. Planners
 * only (403), another school's pupil 404, malformed ids 400.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { eraseEntries, unclassifiedModels } from '../../server/modules/privacy/registry.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildPlatform, buildSchool, buildUser } from '../support/factories.js';
import { fillPupil } from '../support/factories-privacy.js';

const database = await useTestDatabase();
const app = buildApp(database);
const { models } = database;
const publicUrl = testConfig().publicUrl;

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const platform = await buildPlatform(models, school);
const planner = await buildUser(models, school, { role: 'planner' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const pupil = await buildUser(models, school, { role: 'pupil', name: 'Amara Okafor', platformId: String(platform._id) });
const classmate = await buildUser(models, school, { role: 'pupil', name: 'Ben', platformId: String(platform._id) });
const foreignPupil = await buildUser(models, otherSchool, { role: 'pupil' });
const cls = await models.Class.create({
  schoolId: school.id,
  platformId: String(platform._id),
  contextId: 'ctx-1',
  title: 'Y13',
});
const filled = await fillPupil(models, {
  schoolId: school.id,
  pupil,
  classmate,
  issuer: platform.issuer,
  publicUrl,
  classId: String(cls._id),
});

describe('the privacy registry', () => {
  it('classifies every model with a schoolId and a person field, naming each such field', () => {
    expect(unclassifiedModels(models)).toEqual([]);
  });
  it('notices a new collection that names a pupil', () => {
    const schema = {
      path: (p: string) => (p === 'schoolId' ? {} : undefined),
      eachPath: (fn: (p: string, t: unknown) => void) => ['schoolId', 'pupilId', 'text'].forEach((p) => fn(p, {})),
    };
    expect(unclassifiedModels({ ...models, PupilDiary: { schema } })).toEqual([{ model: 'PupilDiary', fields: ['pupilId'] }]);
  });
});

describe('GET /api/planner/pupils/:pupilId/export', () => {
  it('gives every collection holding the pupil’s data, their evidence files and xAPI statements', async () => {
    const res = await request(app)
      .get(`/api/planner/pupils/${pupil.id}/export`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="waymark-pupil-${pupil.id}.json"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const body = res.body as {
      format: string;
      pupil: { id: string; name: string };
      collections: Record<string, Record<string, unknown>[]>;
      evidence: { base64: string; name: string }[];
      xapi: { statements: { id: string }[]; documents: unknown[] };
      withheld: { collection: string; reason: string }[];
    };
    expect(body.format).toBe('waymark-pupil-export');
    expect(body.pupil).toEqual({ id: pupil.id, name: 'Amara Okafor' });
    // Every registered collection is there and holds the fixture's record(s).
    for (const [, entry] of eraseEntries())
      if (entry.exportAs) expect(body.collections[entry.exportAs]?.length, entry.exportAs).toBeGreaterThan(0);
    expect(body.collections.user?.[0]).toMatchObject({ _id: pupil.id, name: 'Amara Okafor', sub: pupil.sub });
    expect(body.collections.log_entries?.[0]).toMatchObject({ organisation: 'Riverside Garage' });
    expect(body.evidence).toEqual([
      expect.objectContaining({ name: 'note.txt', base64: Buffer.from('hello').toString('base64') }),
    ]);
    expect(body.xapi.statements.map((s) => s.id).sort()).toEqual([...filled.ourStatementIds, ...filled.otherStatementIds].sort());
    expect(body.xapi.documents).toHaveLength(1);
    // Shared documents show this pupil only.
    expect(body.collections.group_encounters?.[0]?.pupilIds).toEqual([pupil.id]);
    expect(body.collections.sharing_grants?.[0]?.values).toEqual([pupil.id]);
    expect(res.text).not.toContain(classmate.id);
    // Safeguarding concerns are withheld, always listed the same way whether or not any exist.
    expect(body.withheld.map((w) => w.collection)).toEqual(['safeguarding_concerns']);
    expect(res.text).not.toContain('A worry');
  });
  it('lists the same withheld note for a pupil with no concerns', async () => {
    const res = await request(app)
      .get(`/api/planner/pupils/${classmate.id}/export`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(200);
    expect(res.body.withheld.map((w: { collection: string }) => w.collection)).toEqual(['safeguarding_concerns']);
  });
  it('rejects a malformed id with 400', async () => {
    const res = await request(app)
      .get('/api/planner/pupils/not-an-id/export')
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('pupilId');
  });
  it('is for planners only (403 for a teacher)', async () => {
    const res = await request(app)
      .get(`/api/planner/pupils/${pupil.id}/export`)
      .set('Authorization', await authHeader(teacher));
    expect(res.status).toBe(403);
  });
  it('answers 404 for another school’s pupil and for staff', async () => {
    let res = await request(app)
      .get(`/api/planner/pupils/${foreignPupil.id}/export`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    res = await request(app)
      .get(`/api/planner/pupils/${teacher.id}/export`)
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(404);
  });
});

describe('GET /api/planner/pupils/:pupilId/export.pdf', () => {
  it('renders the readable summary', async () => {
    const res = await request(app)
      .get(`/api/planner/pupils/${pupil.id}/export.pdf`)
      .set('Authorization', await authHeader(planner))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(2000);
  });
  it('is for planners only (403) and 404 for another school’s pupil', async () => {
    expect(
      (
        await request(app)
          .get(`/api/planner/pupils/${pupil.id}/export.pdf`)
          .set('Authorization', await authHeader(teacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(`/api/planner/pupils/${foreignPupil.id}/export.pdf`)
          .set('Authorization', await authHeader(planner))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .get('/api/planner/pupils/x/export.pdf')
          .set('Authorization', await authHeader(planner))
      ).status,
    ).toBe(400);
  });
});
