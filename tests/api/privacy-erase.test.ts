/**
 * Erasure: every registered collection is emptied of the pupil (shared documents lose only them); Waymark's own
 * statements about the pupil are voided (voiding statements stored for the forwarder) and deleted, other tools'
 * statements keep their content with an anonymous actor; an erasure notice is stored; other pupils and other
 * schools are untouched; a crash mid-way is resumed by the next request; the tombstone names nobody.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { erasePupil, isErased } from '../../server/modules/privacy/erase.js';
import { eraseEntries, type Subject } from '../../server/modules/privacy/registry.js';
import { VERBS } from '../../server/modules/xapi/generate.js';
import { WAYMARK_CREDENTIAL_KEY } from '../../server/modules/xapi/generator.js';
import type { Models } from '../../server/db/models.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildPlatform, buildSchool, buildUser } from '../support/factories.js';
import { fillPupil, type FilledPupil } from '../support/factories-privacy.js';

const database = await useTestDatabase();
const app = buildApp(database);
const { models } = database;
const config = testConfig();
const publicUrl = config.publicUrl;

async function schoolWithPupils() {
  const school = await buildSchool(models);
  const platform = await buildPlatform(models, school);
  const planner = await buildUser(models, school, { role: 'planner' });
  const cls = await models.Class.create({
    schoolId: school.id,
    platformId: String(platform._id),
    contextId: `ctx-${school.id}`,
    title: 'Y13',
  });
  const make = async (name: string) => buildUser(models, school, { role: 'pupil', name, platformId: String(platform._id) });
  const pupil = await make('Amara');
  const classmate = await make('Ben');
  const fill = (p: { id: string; sub: string }, mate: { id: string; sub: string }) =>
    fillPupil(models, {
      schoolId: school.id,
      pupil: p,
      classmate: mate,
      issuer: platform.issuer,
      publicUrl,
      classId: String(cls._id),
    });
  const filled = await fill(pupil, classmate);
  const mateFilled = await fill(classmate, pupil);
  return { school, platform, planner, pupil, classmate, filled, mateFilled };
}

type Counter = { countDocuments(f: unknown): Promise<number> };
/** Documents about the pupil, per registered collection (by the registry's own filters). */
async function holdings(m: Models, f: FilledPupil, entryIds: string[]): Promise<Record<string, number>> {
  const subject: Subject = { schoolId: f.schoolId, pupilId: f.id, sub: f.sub, entryIds };
  const out: Record<string, number> = {};
  for (const [name, entry] of eraseEntries())
    if (entry.category !== 'xapi') out[name] = await (m[name] as unknown as Counter).countDocuments(entry.filter(subject));
  const key = `account:${f.agent.account.homePage}|${f.agent.account.name}`;
  out.XapiStatement = await m.XapiStatement.countDocuments({
    schoolId: f.schoolId,
    relatedAgents: key,
    verbIds: { $ne: VERBS.erased },
  });
  out.XapiDocument = await m.XapiDocument.countDocuments({ schoolId: f.schoolId, agentKey: key });
  return out;
}

const erase = async (planner: Parameters<typeof authHeader>[0], pupilId: string, body: unknown = { confirm: pupilId }) =>
  request(app)
    .post(`/api/planner/pupils/${pupilId}/erase`)
    .set('Authorization', await authHeader(planner))
    .send(body as object);

const a = await schoolWithPupils();
const b = await schoolWithPupils(); // another school, with the same shape of data

describe('POST /api/planner/pupils/:pupilId/erase', () => {
  it('empties every collection of the pupil and leaves classmates and other schools as they were', async () => {
    const entryIds = [a.filled.entryId];
    const before = await holdings(models, a.filled, entryIds);
    for (const [name, n] of Object.entries(before)) expect(n, `fixture holds ${name}`).toBeGreaterThan(0);
    const mateBefore = await holdings(models, a.mateFilled, [a.mateFilled.entryId]);
    const otherSchoolBefore = await holdings(models, b.filled, [b.filled.entryId]);

    const res = await erase(a.planner, a.pupil.id);
    expect(res.status).toBe(200);
    expect(res.body.erasure).toMatchObject({ pupilId: a.pupil.id, status: 'done' });
    expect(res.body.erasure.kept.map((k: { collection: string }) => k.collection)).toContain('SafeguardingConcern');

    const after = await holdings(models, a.filled, entryIds);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await holdings(models, a.mateFilled, [a.mateFilled.entryId])).toEqual(mateBefore);
    expect(await holdings(models, b.filled, [b.filled.entryId])).toEqual(otherSchoolBefore);
    // Shared documents keep the classmate.
    const grant = await models.SharingGrant.findOne({ schoolId: a.school.id, values: a.classmate.id }).lean();
    expect(grant?.values).toEqual([a.classmate.id]);
    // Safeguarding concerns stay (the school's safeguarding policy governs them).
    expect(await models.SafeguardingConcern.countDocuments({ schoolId: a.school.id, pupilId: a.pupil.id })).toBe(1);
  });

  it('voids Waymark’s statements, anonymises other tools’ ones and stores an erasure notice for the forwarder', async () => {
    const store = (f: object) => models.XapiStatement.find({ schoolId: a.school.id, ...f }).lean();
    const voiding = await store({ voids: { $in: a.filled.ourStatementIds } });
    expect(voiding.map((v) => v.voids).sort()).toEqual([...a.filled.ourStatementIds].sort());
    expect(voiding.every((v) => v.credentialKey === WAYMARK_CREDENTIAL_KEY)).toBe(true);
    expect(await store({ statementId: { $in: a.filled.ourStatementIds } })).toEqual([]);
    const theirs = await store({ statementId: { $in: a.filled.otherStatementIds } });
    expect(theirs).toHaveLength(2);
    for (const s of theirs) {
      expect(s.json).not.toContain(a.pupil.sub);
      expect(s.json).toContain('/erased');
    }
    const attempted = JSON.parse(theirs.find((s) => s.json.includes('attempted'))!.json) as {
      actor: { account: { name: string } };
    };
    expect(attempted.actor.account.name).not.toBe(a.pupil.sub);
    const notice = await store({ verbIds: VERBS.erased });
    expect(notice).toHaveLength(1);
    expect(JSON.parse(notice[0]!.json)).toMatchObject({ object: { objectType: 'Agent', account: { name: a.pupil.sub } } });
    // The classmate's statements are untouched.
    expect(await store({ statementId: { $in: a.mateFilled.ourStatementIds }, voided: false })).toHaveLength(2);
  });

  it('keeps a tombstone that names nobody, and answers a repeat as done', async () => {
    const job = await models.ErasureJob.findOne({ schoolId: a.school.id, pupilId: a.pupil.id }).lean();
    expect(job).toMatchObject({ status: 'done', reason: 'request', requestedBy: a.planner.id });
    expect(job?.subject).toBeUndefined();
    expect(JSON.stringify(job)).not.toContain(a.pupil.sub);
    expect(
      await isErased(models, config.keyEncryptionSecret, {
        schoolId: a.school.id,
        platformId: String(a.platform._id),
        sub: a.pupil.sub,
      }),
    ).toBe(true);
    expect(
      await isErased(models, config.keyEncryptionSecret, {
        schoolId: a.school.id,
        platformId: String(a.platform._id),
        sub: a.classmate.sub,
      }),
    ).toBe(false);
    const again = await erase(a.planner, a.pupil.id);
    expect(again.status).toBe(200);
    expect(again.body.erasure.status).toBe('done');
  });

  it('resumes after a crash mid-way and finishes the job', async () => {
    const c = await schoolWithPupils();
    let steps = 0;
    const crash = erasePupil(
      {
        models,
        publicUrl,
        secret: config.keyEncryptionSecret,
        afterStep: () => {
          if (++steps === 6) throw new Error('simulated crash');
        },
      },
      { schoolId: c.school.id, pupilId: c.pupil.id, requestedBy: c.planner.id, reason: 'request' },
    );
    await expect(crash).rejects.toThrow('simulated crash');
    const halfway = await models.ErasureJob.findOne({ schoolId: c.school.id, pupilId: c.pupil.id }).lean();
    expect(halfway?.status).toBe('running');
    expect(halfway?.steps).toHaveLength(6);
    expect(await models.User.countDocuments({ schoolId: c.school.id, _id: c.pupil.id })).toBe(1);

    const res = await erase(c.planner, c.pupil.id);
    expect(res.status).toBe(200);
    expect(res.body.erasure.status).toBe('done');
    const after = await holdings(models, c.filled, [c.filled.entryId]);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(
      (await models.ErasureJob.findOne({ schoolId: c.school.id, pupilId: c.pupil.id }).lean())?.steps.length,
    ).toBeGreaterThan(6);
  });

  it('rejects a missing or mismatched confirmation with 400 and erases nothing', async () => {
    let res = await erase(b.planner, b.pupil.id, {});
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('confirm');
    res = await erase(b.planner, b.pupil.id, { confirm: b.classmate.id });
    expect(res.status).toBe(400);
    expect(await models.User.countDocuments({ schoolId: b.school.id, _id: b.pupil.id })).toBe(1);
  });
  it('is for planners only (403 for a teacher or the pupil)', async () => {
    const teacher = await buildUser(models, b.school, { role: 'teacher' });
    expect((await erase(teacher, b.pupil.id)).status).toBe(403);
    expect((await erase({ ...b.pupil, schoolId: b.school.id, role: 'pupil' }, b.pupil.id)).status).toBe(403);
    expect(await models.ErasureJob.countDocuments({ schoolId: b.school.id })).toBe(0);
  });
  it('answers 404 for another school’s pupil and erases nothing there', async () => {
    const res = await erase(a.planner, b.pupil.id);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await models.User.countDocuments({ schoolId: b.school.id, _id: b.pupil.id })).toBe(1);
  });
});
