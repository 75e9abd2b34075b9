import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildPlatform, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const { models } = database;
const app = buildApp(database);
const school = await buildSchool(models);
const other = await buildSchool(models);
const planner = await buildUser(models, school, { role: 'planner' });
const teacher = await buildUser(models, school, { role: 'teacher' });
const otherPlanner = await buildUser(models, other, { role: 'planner' });
const platform = await buildPlatform(models, school, { issuer: 'https://canvas.instructure.com', clientId: '10000000000099' });
const otherPlatform = await buildPlatform(models, other);

const newPlatform = {
  issuer: 'https://moodle.school.example',
  clientId: 'abc123',
  authLoginUrl: 'https://moodle.school.example/mod/lti/auth.php',
  tokenUrl: 'https://moodle.school.example/mod/lti/token.php',
  jwksUrl: 'https://moodle.school.example/mod/lti/certs.php',
  deploymentIds: ['7'],
  frameOrigins: ['https://moodle.school.example'],
};

describe('school admin API', () => {
  it('lets a planner register an LMS for their own school and list only their school’s registrations', async () => {
    const created = await request(app)
      .post('/api/admin/platforms')
      .set('Authorization', await authHeader(planner))
      .send(newPlatform);
    expect(created.status, created.text).toBe(201);
    expect(created.body.platform).toMatchObject({ schoolId: school.id, issuer: newPlatform.issuer, deploymentIds: ['7'] });
    const listed = await request(app)
      .get('/api/admin/platforms')
      .set('Authorization', await authHeader(planner));
    const issuers = listed.body.platforms.map((p: { issuer: string }) => p.issuer);
    expect(issuers).toEqual(expect.arrayContaining([newPlatform.issuer, 'https://canvas.instructure.com']));
    expect(listed.body.platforms.every((p: { schoolId: string }) => p.schoolId === school.id)).toBe(true);
  });

  it('refuses a school id in the body and bad URLs with 400 and stores nothing', async () => {
    const before = await models.Platform.countDocuments();
    const withSchool = await request(app)
      .post('/api/admin/platforms')
      .set('Authorization', await authHeader(planner))
      .send({ ...newPlatform, clientId: 'x', schoolId: other.id });
    expect(withSchool.status).toBe(400);
    const badUrl = await request(app)
      .post('/api/admin/platforms')
      .set('Authorization', await authHeader(planner))
      .send({ ...newPlatform, clientId: 'y', jwksUrl: 'not a url' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.details.map((d: { path: string }) => d.path)).toContain('jwksUrl');
    expect(await models.Platform.countDocuments()).toBe(before);
  });

  it('adds a frame origin to its own registration, and answers 404 for another school’s', async () => {
    const ok = await request(app)
      .post(`/api/admin/platforms/${String(platform._id)}/frame-origins`)
      .set('Authorization', await authHeader(planner))
      .send({ origin: 'https://northfield.instructure.com' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.platform.frameOrigins).toContain('https://northfield.instructure.com');
    const foreign = await request(app)
      .post(`/api/admin/platforms/${String(otherPlatform._id)}/frame-origins`)
      .set('Authorization', await authHeader(planner))
      .send({ origin: 'https://evil.example' });
    expect(foreign.status).toBe(404);
  });

  it('shows pending deployments only for the school’s own LMS clients', async () => {
    const now = new Date();
    await models.PendingDeployment.create({
      issuer: 'https://canvas.instructure.com',
      clientId: '10000000000099',
      deploymentId: 'dep-new',
      candidates: [{ registrationId: String(platform._id), schoolId: school.id }],
      firstSeenAt: now,
      lastSeenAt: now,
    });
    await models.PendingDeployment.create({
      issuer: 'https://other.example',
      clientId: 'c',
      deploymentId: 'dep-other',
      candidates: [{ registrationId: String(otherPlatform._id), schoolId: other.id }],
      firstSeenAt: now,
      lastSeenAt: now,
    });
    const res = await request(app)
      .get('/api/admin/pending-deployments')
      .set('Authorization', await authHeader(planner));
    expect(res.body.pending.map((p: { deploymentId: string }) => p.deploymentId)).toEqual(['dep-new']);
  });

  it('lists and retries the school’s failed grades only', async () => {
    const base = {
      platformId: String(platform._id),
      resourceLinkId: 'rl',
      userSub: 'sub',
      score: {
        scoreGiven: 1,
        scoreMaximum: 1,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: new Date().toISOString(),
      } as const,
      status: 'failed' as const,
      nextAttemptAt: new Date(),
      lastError: 'HTTP 400',
    };
    const mine = await models.ScoreJob.create({ ...base, schoolId: school.id, userId: planner.id, key: 'k1' });
    const theirs = await models.ScoreJob.create({ ...base, schoolId: other.id, userId: otherPlanner.id, key: 'k2' });
    const listed = await request(app)
      .get('/api/admin/score-jobs')
      .set('Authorization', await authHeader(planner));
    expect(listed.body.failed.map((j: { id: string }) => j.id)).toEqual([String(mine._id)]);
    const retried = await request(app)
      .post(`/api/admin/score-jobs/${String(mine._id)}/retry`)
      .set('Authorization', await authHeader(planner));
    expect(retried.status, retried.text).toBe(200);
    expect((await models.ScoreJob.findOne({ schoolId: school.id, _id: mine._id }).lean())?.status).toBe('pending');
    const foreign = await request(app)
      .post(`/api/admin/score-jobs/${String(theirs._id)}/retry`)
      .set('Authorization', await authHeader(planner));
    expect(foreign.status).toBe(404);
  });

  it('refuses teachers with 403', async () => {
    for (const path of ['/api/admin/platforms', '/api/admin/pending-deployments', '/api/admin/score-jobs']) {
      const res = await request(app)
        .get(path)
        .set('Authorization', await authHeader(teacher));
      expect(res.status).toBe(403);
    }
  });
});
