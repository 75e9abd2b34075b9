import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoRouter } from '../../server/demo/index.js';
import { createLogger } from '../../server/log.js';
import { testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { demoHarness, fakeToolKey, ISSUER, Scopes } from './demo-support.js';

const database = await useTestDatabase();
const h = await demoHarness(database);
let clientId = '';
const LINEITEMS = '/demo/api/ags/courses/demo-course-y8/lineitems';
const SCORE_TYPE = 'application/vnd.ims.lis.v1.score+json';

beforeAll(async () => {
  ({ clientId } = await h.register());
});

function tokenRequest(assertion: string, scope = Scopes.score) {
  return request(h.app).post('/demo/token').type('form').send({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope,
  });
}

/** Turns an absolute platform URL into the path supertest calls, keeping the query. */
const local = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
/** What a correct tool does: add /scores to the path and keep the query (AGS 2.0 with Moodle-style URLs). */
function scoresOf(lineItemUrl: string): string {
  const u = new URL(lineItemUrl);
  u.pathname += '/scores';
  return local(u.href);
}

describe('demo LMS token endpoint', () => {
  it('issues a bearer token for a valid assertion with only the registered scopes', async () => {
    const res = await tokenRequest(
      await h.clientAssertion(clientId),
      `${Scopes.score} ${Scopes.nrps} https://example.com/unknown-scope`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${Scopes.score} ${Scopes.nrps}` });
    expect(res.body.access_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const stored = await h.ctx.models.AccessToken.find().lean();
    expect(stored.some((t) => t._id === res.body.access_token)).toBe(false); // hashed at rest
  });

  it('refuses a replayed jti', async () => {
    const assertion = await h.clientAssertion(clientId, { jti: `jti-${randomUUID()}` });
    expect((await tokenRequest(assertion)).status).toBe(200);
    const again = await tokenRequest(assertion);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: 'invalid_client' });
    expect(again.body.error_description).toContain('jti');
  });

  it('refuses an assertion for another audience', async () => {
    const res = await tokenRequest(await h.clientAssertion(clientId, { aud: `${ISSUER}/somewhere-else` }));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.body.error_description).toContain('aud');
  });

  it('refuses an assertion signed by a key the tool did not publish', async () => {
    const stranger = await fakeToolKey(h.tool.kid);
    const res = await tokenRequest(await h.clientAssertion(clientId, { key: stranger.privateKey }));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses a wrong grant type, a missing assertion and scopes never granted', async () => {
    const grant = await request(h.app).post('/demo/token').type('form').send({ grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    const scope = await tokenRequest(await h.clientAssertion(clientId), 'https://example.com/only-this');
    expect(scope.status).toBe(400);
    expect(scope.body.error).toBe('invalid_scope');
  });
});

describe('demo LMS assignment and grade services', () => {
  let token = '';
  beforeAll(async () => {
    token = await h.accessToken(clientId, `${Scopes.lineItem} ${Scopes.score} ${Scopes.result}`);
  });
  const auth = () => ({ Authorization: `Bearer ${token}` });

  async function createLineItem(body: Record<string, unknown>) {
    return request(h.app)
      .post(LINEITEMS)
      .set(auth())
      .set('Content-Type', 'application/vnd.ims.lis.v2.lineitem+json')
      .send(JSON.stringify(body));
  }

  it('creates a line item whose id is a Moodle-style URL with a query', async () => {
    const res = await createLineItem({
      label: 'My strengths',
      scoreMaximum: 10,
      tag: 'waymark',
      resourceId: 'module-s3-strengths',
    });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toContain('application/vnd.ims.lis.v2.lineitem+json');
    expect(res.body.id).toMatch(new RegExp(`^${ISSUER}/api/ags/courses/demo-course-y8/lineitems/[^/]+/lineitem\\?type_id=1$`));
    const got = await request(h.app).get(local(res.body.id)).set(auth());
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      label: 'My strengths',
      scoreMaximum: 10,
      tag: 'waymark',
      resourceId: 'module-s3-strengths',
    });
  });

  it('filters the container by tag, resource_id and resource_link_id', async () => {
    const linkId = `rl-demo-course-y8-${clientId}`;
    await h.ctx.models.ResourceLink.updateOne(
      { _id: linkId },
      { $setOnInsert: { courseId: 'demo-course-y8', clientId, title: 'Waymark', isPlacement: true, createdAt: new Date() } },
      { upsert: true },
    );
    await createLineItem({ label: 'Linked', scoreMaximum: 5, resourceLinkId: linkId, tag: 'linked' });
    const byTag = await request(h.app).get(LINEITEMS).query({ tag: 'linked' }).set(auth());
    expect(byTag.status).toBe(200);
    expect(byTag.body.map((i: { label: string }) => i.label)).toEqual(['Linked']);
    const byLink = await request(h.app).get(LINEITEMS).query({ resource_link_id: linkId }).set(auth());
    expect(byLink.body).toHaveLength(1);
    const byResource = await request(h.app).get(LINEITEMS).query({ resource_id: 'module-s3-strengths' }).set(auth());
    expect(byResource.body.map((i: { label: string }) => i.label)).toEqual(['My strengths']);
  });

  it('refuses a line item without label or with a scoreMaximum of 0, and one for a foreign resource link', async () => {
    const res = await createLineItem({ scoreMaximum: 0 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['label', 'scoreMaximum']);
    const foreign = await createLineItem({ label: 'x', scoreMaximum: 1, resourceLinkId: 'rl-elsewhere' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].path).toBe('resourceLinkId');
  });

  it('records a score posted to <lineitem path>/scores with the query kept, and shows it as a result', async () => {
    const item = (await createLineItem({ label: 'Job families', scoreMaximum: 20 })).body;
    const score = {
      userId: 'demo-pupil-01',
      scoreGiven: 7,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2026-11-29T10:00:00.123Z',
      comment: 'Well done',
    };
    const res = await request(h.app)
      .post(scoresOf(item.id))
      .set(auth())
      .set('Content-Type', SCORE_TYPE)
      .send(JSON.stringify(score));
    expect(res.status).toBe(200);
    expect(res.body.applied).toBe(true);
    const results = await request(h.app)
      .get(local(item.id.replace('/lineitem?', '/lineitem/results?')))
      .set(auth());
    expect(results.status).toBe(200);
    expect(results.body).toEqual([
      expect.objectContaining({
        userId: 'demo-pupil-01',
        resultScore: 14,
        resultMaximum: 20,
        comment: 'Well done',
        scoreOf: item.id,
      }),
    ]);
    // An older timestamp does not overwrite; the same one is an idempotent retry.
    const older = await request(h.app)
      .post(scoresOf(item.id))
      .set(auth())
      .set('Content-Type', SCORE_TYPE)
      .send(JSON.stringify({ ...score, scoreGiven: 1, timestamp: '2026-11-29T09:00:00Z' }));
    expect(older.body.applied).toBe(false);
    const stored = await h.ctx.models.Score.find({ userId: 'demo-pupil-01' }).lean();
    expect(stored.map((s) => s.scoreGiven)).toEqual([7]);
  });

  it('refuses a score URL that lost the line item query', async () => {
    const item = (await createLineItem({ label: 'Query test', scoreMaximum: 10 })).body;
    const withoutQuery = `${local(item.id).split('?')[0] ?? ''}/scores`;
    const score = {
      userId: 'demo-pupil-01',
      activityProgress: 'Started',
      gradingProgress: 'NotReady',
      timestamp: new Date().toISOString(),
    };
    const res = await request(h.app).post(withoutQuery).set(auth()).set('Content-Type', SCORE_TYPE).send(JSON.stringify(score));
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('type_id');
    // The broken variant a naive tool builds: `/scores` appended after the query.
    const naive = await request(h.app)
      .post(`${local(item.id)}/scores`)
      .set(auth())
      .set('Content-Type', SCORE_TYPE)
      .send(JSON.stringify(score));
    expect(naive.status).toBe(404);
  });

  it('refuses invalid scores with reasons: non-member, above maximum, bad progress, missing timestamp, wrong media type', async () => {
    const item = (await createLineItem({ label: 'Validation', scoreMaximum: 10 })).body;
    const post = (body: Record<string, unknown>, type = SCORE_TYPE) =>
      request(h.app).post(scoresOf(item.id)).set(auth()).set('Content-Type', type).send(JSON.stringify(body));
    const base = {
      userId: 'demo-pupil-01',
      scoreGiven: 5,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    };
    const stranger = await post({ ...base, userId: 'demo-pupil-07' }); // Year 10 pupil, not in Year 8
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0]).toMatchObject({ path: 'userId' });
    const above = await post({ ...base, scoreGiven: 11 });
    expect(above.status).toBe(400);
    expect(above.body.error.details[0].path).toBe('scoreGiven');
    const bad = await post({ ...base, activityProgress: 'Done', timestamp: undefined, scoreMaximum: undefined });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'activityProgress',
      'scoreMaximum',
      'timestamp',
    ]);
    const json = await post(base, 'application/json');
    expect(json.status).toBe(415);
  });

  it('accepts extra credit only while the demo control allows it', async () => {
    const item = (await createLineItem({ label: 'Extra', scoreMaximum: 10 })).body;
    const body = JSON.stringify({
      userId: 'demo-pupil-03',
      scoreGiven: 12,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    });
    await request(h.app).post('/demo/api/control').send({ allowExtraCredit: true }).expect(200);
    const res = await request(h.app).post(scoresOf(item.id)).set(auth()).set('Content-Type', SCORE_TYPE).send(body);
    await request(h.app).post('/demo/api/control').send({ allowExtraCredit: false }).expect(200);
    expect(res.status).toBe(200);
  });

  it('answers 503 with Retry-After during a simulated outage, and recovers', async () => {
    const item = (await createLineItem({ label: 'Outage', scoreMaximum: 10 })).body;
    const score = JSON.stringify({
      userId: 'demo-pupil-04',
      scoreGiven: 3,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    });
    expect((await request(h.app).post('/demo/api/control').send({ agsDown: true })).body).toEqual({
      agsDown: true,
      allowExtraCredit: false,
    });
    const down = await request(h.app).post(scoresOf(item.id)).set(auth()).set('Content-Type', SCORE_TYPE).send(score);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('30');
    expect(down.body.error.code).toBe('service_unavailable');
    await request(h.app).post('/demo/api/control').send({ agsDown: false }).expect(200);
    const up = await request(h.app).post(scoresOf(item.id)).set(auth()).set('Content-Type', SCORE_TYPE).send(score);
    expect(up.status).toBe(200);
  });

  it('refuses the control with a bad body, and hides it in production', async () => {
    const bad = await request(h.app).post('/demo/api/control').send({ agsDown: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('agsDown');
    const production = testConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://waymark.example',
      DEMO_PUBLIC_URL: 'https://lms.example',
    });
    const app = express().use(
      '/demo',
      demoRouter({ config: production, logger: createLogger('silent'), connection: database.db.connection }),
    );
    expect((await request(app).post('/demo/api/control').send({ agsDown: true })).status).toBe(404);
    expect((await h.ctx.models.Control.findById('control').lean())?.agsDown).toBe(false);
  });

  it('refuses calls without a token (401) or without the scope (403), and line items of another course (404)', async () => {
    expect((await request(h.app).get(LINEITEMS)).status).toBe(401);
    const nrpsOnly = await h.accessToken(clientId, Scopes.nrps);
    const res = await request(h.app).get(LINEITEMS).set('Authorization', `Bearer ${nrpsOnly}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_scope');
    const item = (await createLineItem({ label: 'Y8 only', scoreMaximum: 10 })).body;
    const elsewhere = local(item.id).replace('demo-course-y8', 'demo-course-y10');
    expect((await request(h.app).get(elsewhere).set(auth())).status).toBe(404);
  });

  it('lets the teacher see the latest score per pupil in the gradebook', async () => {
    const cookie = await h.signIn('demo-teacher-01');
    const page = await request(h.app).get('/demo/courses/demo-course-y8/grades').set('Cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Job families');
    expect(page.text).toContain('14 / 20');
    expect(page.text).toContain('Amara Okafor');
  });
});

describe('demo LMS names and roles', () => {
  it('pages the membership of a course five at a time with Link rel="next"', async () => {
    const token = await h.accessToken(clientId, Scopes.nrps);
    const seen: string[] = [];
    let url: string | null = `${ISSUER}/api/nrps/courses/demo-course-y8/memberships`;
    let pages = 0;
    while (url) {
      const res: request.Response = await request(h.app).get(local(url)).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
      expect(res.body.context).toMatchObject({ id: 'demo-course-y8', title: 'Year 8 Careers' });
      seen.push(...res.body.members.map((m: { user_id: string }) => m.user_id));
      const link: string | undefined = res.headers.link;
      url = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen).toContain('demo-adviser-01');
  });

  it('gives full role URIs, names, and e-mail only where the person has one', async () => {
    const token = await h.accessToken(clientId, Scopes.nrps);
    const res = await request(h.app)
      .get('/demo/api/nrps/courses/demo-course-y8/memberships')
      .query({ role: 'Learner', limit: 10 })
      .set('Authorization', `Bearer ${token}`);
    expect(res.body.members).toHaveLength(6);
    const ravi = res.body.members.find((m: { user_id: string }) => m.user_id === 'demo-pupil-02');
    expect(ravi).toMatchObject({
      status: 'Active',
      name: 'Ravi Patel',
      given_name: 'Ravi',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    });
    expect(ravi.email).toBeUndefined();
    const amara = res.body.members.find((m: { user_id: string }) => m.user_id === 'demo-pupil-01');
    expect(amara.email).toBe('amara.okafor@pupils.demo-school.example');
  });

  it('refuses a bad page number and an unknown course', async () => {
    const token = await h.accessToken(clientId, Scopes.nrps);
    const bad = await request(h.app)
      .get('/demo/api/nrps/courses/demo-course-y8/memberships')
      .query({ page: 0 })
      .set('Authorization', `Bearer ${token}`);
    expect(bad.status).toBe(400);
    const missing = await request(h.app).get('/demo/api/nrps/courses/nope/memberships').set('Authorization', `Bearer ${token}`);
    expect(missing.status).toBe(404);
  });
});
