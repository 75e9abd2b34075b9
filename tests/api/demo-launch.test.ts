import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { DEMO, demoHarness, ISSUER, TOOL } from './demo-support.js';

const database = await useTestDatabase();
const h = await demoHarness(database);
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
let clientId = '';
let deploymentId = '';

beforeAll(async () => {
  ({ clientId, deploymentId } = await h.register());
});

describe('demo LMS pages', () => {
  it('lists the courses and a sign-in action for each of the fifteen people', async () => {
    const res = await request(h.app).get('/demo/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en-GB">');
    expect(res.text).toContain('Year 8 Careers');
    expect(res.text).toContain('Year 10 Careers');
    expect(res.text.match(/name="personId"/g)).toHaveLength(15);
    expect(res.text).toContain('<main id="main"');
    expect(await h.ctx.models.Person.countDocuments({ kind: 'pupil' })).toBe(12);
  });

  it('replaces the CSP so the course page may frame the tool and post forms to it', async () => {
    const res = await request(h.app).get('/demo/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain(`frame-src 'self' ${TOOL}`);
    expect(csp).toContain("script-src 'self'");
    expect(String(res.headers['permissions-policy'])).toContain(`microphone=(self "${TOOL}")`);
  });

  it('embeds Waymark through third-party initiated login with platform storage as the binding', async () => {
    const { params, html, src } = await h.iframeLogin('demo-pupil-01', '/demo/courses/demo-course-y8');
    expect(src.startsWith(`${TOOL}/lti/login?`)).toBe(true);
    expect(html).toMatch(/<iframe[^>]*title="Waymark"[^>]*allow="microphone"/);
    expect(params.get('iss')).toBe(ISSUER);
    expect(params.get('login_hint')).toBe('demo-pupil-01');
    expect(params.get('target_link_uri')).toBe(`${TOOL}/lti/launch`);
    expect(params.get('client_id')).toBe(clientId);
    expect(params.get('lti_deployment_id')).toBe(deploymentId);
    expect(params.get('lti_storage_target')).toBe('_parent');
    expect(params.get('lti_message_hint')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(html).toContain('Open in new window');
    expect(html).toContain('/demo/static/course.js');
  });

  it('refuses a course page to a pupil of another class (403) and to nobody signed in (401)', async () => {
    const cookie = await h.signIn('demo-pupil-01');
    const other = await request(h.app).get('/demo/courses/demo-course-y10').set('Cookie', cookie);
    expect(other.status).toBe(403);
    const anonymous = await request(h.app).get('/demo/courses/demo-course-y8');
    expect(anonymous.status).toBe(401);
    const missing = await request(h.app).get('/demo/courses/nope').set('Cookie', cookie);
    expect(missing.status).toBe(404);
  });

  it('offers "Add Waymark activity" and the gradebook to the teacher only', async () => {
    const teacher = await request(h.app)
      .get('/demo/courses/demo-course-y8')
      .set('Cookie', await h.signIn('demo-teacher-01'));
    expect(teacher.text).toContain('Add Waymark activity');
    const pupil = await request(h.app)
      .get('/demo/courses/demo-course-y8')
      .set('Cookie', await h.signIn('demo-pupil-02'));
    expect(pupil.text).not.toContain('Add Waymark activity');
    const grades = await request(h.app)
      .get('/demo/courses/demo-course-y8/grades')
      .set('Cookie', await h.signIn('demo-pupil-02'));
    expect(grades.status).toBe(403);
  });

  it('serves its scripts and stylesheet from its own origin', async () => {
    for (const file of ['demo.css', 'autopost.js', 'course.js', 'return.js']) {
      const res = await request(h.app).get(`/demo/static/${file}`);
      expect(res.status).toBe(200);
    }
    expect((await request(h.app).get('/demo/static/course.js')).text).toContain("case 'lti.put_data'");
  });
});

describe('demo LMS id_token', () => {
  it('signs a pupil launch with RS256 and every required LTI claim', async () => {
    const { payload, idToken, nonce } = await h.launch('demo-pupil-01', '/demo/courses/demo-course-y8');
    const header = JSON.parse(Buffer.from(idToken.split('.')[0] ?? '', 'base64url').toString());
    expect(header.alg).toBe('RS256');
    expect(header.kid).toMatch(/^demo-/);
    expect(payload.iss).toBe(ISSUER);
    expect(payload.aud).toBe(clientId);
    expect(payload.azp).toBe(clientId);
    expect(payload.sub).toBe('demo-pupil-01');
    expect(payload.nonce).toBe(nonce);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    expect(payload.email).toBe('amara.okafor@pupils.demo-school.example');
    expect(payload.given_name).toBe('Amara');
    expect(payload[`${LTI}/message_type`]).toBe('LtiResourceLinkRequest');
    expect(payload[`${LTI}/version`]).toBe('1.3.0');
    expect(payload[`${LTI}/deployment_id`]).toBe(deploymentId);
    expect(payload[`${LTI}/target_link_uri`]).toBe(`${TOOL}/lti/launch`);
    expect(payload[`${LTI}/resource_link`]).toMatchObject({ id: `rl-demo-course-y8-${clientId}`, title: 'Waymark' });
    expect(payload[`${LTI}/roles`]).toEqual([
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
      'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student',
    ]);
    expect(payload[`${LTI}/context`]).toMatchObject({ id: 'demo-course-y8', title: 'Year 8 Careers', label: 'Y8-CAREERS' });
    expect(payload[`${LTI}/custom`]).toEqual({ year_group: 'EN-Y8', person: 'Amara', unknown: '$Not.A.Variable' });
    expect(payload[`${LTI}/launch_presentation`]).toMatchObject({ locale: 'en-GB', document_target: 'iframe' });
    expect(payload[`${LTI}/tool_platform`]).toMatchObject({ product_family_code: 'waymark-demo' });
    expect(payload[`${LTI}/lis`]).toMatchObject({ person_sourcedid: 'sis-demo-pupil-01' });
    expect(payload['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).toMatchObject({
      lineitems: `${ISSUER}/api/ags/courses/demo-course-y8/lineitems`,
      scope: expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-ags/scope/score']),
    });
    expect(payload['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice']).toEqual({
      context_memberships_url: `${ISSUER}/api/nrps/courses/demo-course-y8/memberships`,
      service_versions: ['2.0'],
    });
    expect(payload[`${LTI}/role_scope_mentor`]).toBeUndefined();
  });

  it('omits e-mail for a pupil without one and sends year_group per class', async () => {
    const { payload } = await h.launch('demo-pupil-08', '/demo/courses/demo-course-y10');
    expect(payload.email).toBeUndefined();
    expect((payload[`${LTI}/custom`] as Record<string, string>).year_group).toBe('EN-Y10');
  });

  it('gives the adviser the Mentor role with role_scope_mentor naming four pupils', async () => {
    const { payload } = await h.launch('demo-adviser-01', '/demo/courses/demo-course-y8');
    expect(payload[`${LTI}/roles`]).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor']);
    expect(payload[`${LTI}/role_scope_mentor`]).toEqual(['demo-pupil-02', 'demo-pupil-05', 'demo-pupil-08', 'demo-pupil-09']);
  });

  it('gives the teacher Instructor and the planner the institution Administrator role', async () => {
    const teacher = await h.launch('demo-teacher-01', '/demo/courses/demo-course-y10');
    expect(teacher.payload[`${LTI}/roles`]).toContain('http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor');
    const planner = await h.launch('demo-planner-01', '/demo/courses/demo-course-y10');
    expect(planner.payload[`${LTI}/roles`]).toContain('http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator');
    expect(planner.payload[`${LTI}/roles`]).not.toContain('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner');
  });

  it('sends a deep linking request from the add-activity page', async () => {
    const { payload } = await h.launch('demo-teacher-01', '/demo/courses/demo-course-y8/add');
    expect(payload[`${LTI}/message_type`]).toBe('LtiDeepLinkingRequest');
    expect(payload[`${LTI}/resource_link`]).toBeUndefined();
    expect(payload['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings']).toMatchObject({
      deep_link_return_url: `${ISSUER}/deep-link/return`,
      accept_types: ['ltiResourceLink'],
      accept_multiple: true,
      data: expect.any(String),
    });
  });

  it('auto-posts id_token and state to the redirect URI with a script of its own origin', async () => {
    const { cookie, params } = await h.iframeLogin('demo-pupil-03', '/demo/courses/demo-course-y8');
    const res = await request(h.app).post('/demo/auth').type('form').send(h.authQuery(params)).set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`action="${TOOL}/lti/launch"`);
    expect(res.text).toContain('name="state" value="state-123"');
    expect(res.text).toContain(`src="${DEMO}/demo/static/autopost.js"`);
    expect(res.text).not.toMatch(/<script>/);
  });
});

describe('demo LMS auth endpoint refusals', () => {
  it('refuses a redirect_uri the tool did not register', async () => {
    const { cookie, params } = await h.iframeLogin('demo-pupil-01', '/demo/courses/demo-course-y8');
    const res = await request(h.app)
      .get('/demo/auth')
      .query(h.authQuery(params, { redirect_uri: 'https://evil.example/launch' }))
      .set('Cookie', cookie);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_redirect_uri');
  });

  it('refuses a login_hint that is not the user the launch was made for', async () => {
    const { cookie, params } = await h.iframeLogin('demo-pupil-01', '/demo/courses/demo-course-y8');
    const res = await request(h.app)
      .get('/demo/auth')
      .query(h.authQuery(params, { login_hint: 'demo-pupil-02' }))
      .set('Cookie', cookie);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('login_hint_mismatch');
  });

  it('refuses when another demo user is signed in on this browser', async () => {
    const { params } = await h.iframeLogin('demo-pupil-01', '/demo/courses/demo-course-y8');
    const other = await h.signIn('demo-pupil-04');
    const res = await request(h.app).get('/demo/auth').query(h.authQuery(params)).set('Cookie', other);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('login_hint_mismatch');
  });

  it('refuses a request without nonce, with the wrong response_mode or prompt', async () => {
    const { cookie, params } = await h.iframeLogin('demo-pupil-01', '/demo/courses/demo-course-y8');
    const res = await request(h.app)
      .get('/demo/auth')
      .query(h.authQuery(params, { nonce: undefined, response_mode: 'query', prompt: 'login' }))
      .set('Cookie', cookie);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['nonce', 'prompt', 'response_mode']);
  });

  it('refuses an unknown lti_message_hint and an unknown client_id', async () => {
    const { cookie, params } = await h.iframeLogin('demo-pupil-01', '/demo/courses/demo-course-y8');
    const hint = await request(h.app)
      .get('/demo/auth')
      .query(h.authQuery(params, { lti_message_hint: 'made-up' }))
      .set('Cookie', cookie);
    expect(hint.status).toBe(400);
    expect(hint.body.error.code).toBe('invalid_message_hint');
    const client = await request(h.app)
      .get('/demo/auth')
      .query(h.authQuery(params, { client_id: 'someone-else' }))
      .set('Cookie', cookie);
    expect(client.status).toBe(400);
    expect(client.body.error.code).toBe('unauthorized_client');
  });

  it('shows a readable page, not JSON, to a browser', async () => {
    const res = await request(h.app).get('/demo/auth').query({ scope: 'openid' }).set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('invalid_request');
  });
});

describe('demo LMS language', () => {
  it('sends the language the signed-in user chose as launch_presentation.locale', async () => {
    const cookie = await h.signIn('demo-pupil-06');
    const page = await request(h.app).get('/demo/').set('Cookie', cookie);
    expect(page.text).toContain('<label for="locale">');
    expect(
      (await request(h.app).post('/demo/session/locale').type('form').send({ locale: 'nl-NL' }).set('Cookie', cookie)).status,
    ).toBe(303);
    const course = await request(h.app).get('/demo/courses/demo-course-y8').set('Cookie', cookie);
    const src = /<iframe[^>]*\ssrc="([^"]+)"/.exec(course.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const params = new URL(src).searchParams;
    const auth = await request(h.app).get('/demo/auth').query(h.authQuery(params)).set('Cookie', cookie);
    const idToken = /name="id_token" value="([^"]+)"/.exec(auth.text)?.[1] ?? '';
    const payload = await h.verifyIdToken(idToken, params.get('client_id') ?? '');
    expect(payload[`${LTI}/launch_presentation`]).toMatchObject({ locale: 'nl-NL' });
  });

  it('refuses an unsupported language and a language change without a session', async () => {
    const cookie = await h.signIn('demo-pupil-06');
    const bad = await request(h.app).post('/demo/session/locale').type('form').send({ locale: 'fr-FR' }).set('Cookie', cookie);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('locale');
    const anonymous = await request(h.app).post('/demo/session/locale').type('form').send({ locale: 'nl-NL' });
    expect(anonymous.status).toBe(401);
  });
});
