import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoContext, registerThroughTool } from '../../server/demo/index.js';
import { createLogger } from '../../server/log.js';
import { useTestDatabase } from '../support/db.js';
import { demoHarness, fakeToolKey, ISSUER, TOOL, toolRegistrationBody } from './demo-support.js';

const database = await useTestDatabase();
const h = await demoHarness(database);
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

async function registrationToken(): Promise<string> {
  const { issueRegistrationToken } = await import('../../server/demo/registration.js');
  return issueRegistrationToken(h.ctx);
}

describe('demo LMS dynamic registration', () => {
  it('publishes an OpenID configuration under its issuer with the LTI platform configuration', async () => {
    const res = await request(h.app).get('/demo/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(`${ISSUER}/.well-known/openid-configuration`.startsWith(res.body.issuer)).toBe(true);
    expect(res.body).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/auth`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      registration_endpoint: `${ISSUER}/register`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
    });
    const platform = res.body['https://purl.imsglobal.org/spec/lti-platform-configuration'];
    expect(platform.product_family_code).toBe('waymark-demo');
    expect(platform.messages_supported.map((m: { type: string }) => m.type)).toEqual([
      'LtiResourceLinkRequest',
      'LtiDeepLinkingRequest',
    ]);
    expect(platform.variables).toContain('Context.id');
  });

  it('registers a tool, assigning client_id and deployment_id, and stores what it posted', async () => {
    const token = await registrationToken();
    const res = await request(h.app).post('/demo/register').set('Authorization', `Bearer ${token}`).send(toolRegistrationBody());
    expect(res.status).toBe(200);
    expect(res.body.client_id).toMatch(/^demo-client-/);
    expect(res.body[TOOL_CONFIG].deployment_id).toMatch(/^demo-deployment-/);
    expect(res.body.scope.split(' ')).toHaveLength(5);
    const stored = await h.ctx.models.Registration.findById(res.body.client_id).lean();
    expect(stored).toMatchObject({
      jwksUri: `${TOOL}/lti/jwks.json`,
      initiateLoginUri: `${TOOL}/lti/login`,
      redirectUris: [`${TOOL}/lti/launch`],
      targetLinkUri: `${TOOL}/lti/launch`,
      customParameters: { person: '$Person.name.given', unknown: '$Not.A.Variable' },
    });
    expect(stored?.messages.map((m) => m.messageType)).toEqual(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']);
  });

  it('accepts a registration token once only', async () => {
    const token = await registrationToken();
    expect(
      (await request(h.app).post('/demo/register').set('Authorization', `Bearer ${token}`).send(toolRegistrationBody())).status,
    ).toBe(200);
    const again = await request(h.app)
      .post('/demo/register')
      .set('Authorization', `Bearer ${token}`)
      .send(toolRegistrationBody());
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_token');
    const none = await request(h.app).post('/demo/register').send(toolRegistrationBody());
    expect(none.status).toBe(401);
  });

  it('refuses bodies that are not a valid LTI client registration, saying why', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ application_type: 'native' }, 'invalid_client_metadata', 'application_type'],
      [{ grant_types: ['implicit'] }, 'invalid_client_metadata', 'grant_types'],
      [{ token_endpoint_auth_method: 'client_secret_basic' }, 'invalid_client_metadata', 'token_endpoint_auth_method'],
      [{ jwks_uri: 'http://tool.example/jwks' }, 'invalid_client_metadata', 'jwks_uri'],
      [{ [TOOL_CONFIG]: undefined }, 'invalid_client_metadata', TOOL_CONFIG],
      [{ redirect_uris: ['http://localhost:9999/elsewhere'] }, 'invalid_redirect_uri', 'localhost:9999'],
    ];
    for (const [overrides, error, mentions] of cases) {
      const res = await request(h.app)
        .post('/demo/register')
        .set('Authorization', `Bearer ${await registrationToken()}`)
        .send(toolRegistrationBody(overrides));
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.body.error).toBe(error);
      expect(res.body.error_description).toContain(mentions);
    }
  });

  it('performs the admin browser step: the tool fetches our configuration and registers', async () => {
    const seen: string[] = [];
    // A fake tool behind fetch: on its registration page it does what Waymark does (DR 1.0 §3.3-3.6).
    const toolFetch = (async (input: string | URL | Request) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      seen.push(url.pathname);
      if (url.pathname !== '/lti/register') return new Response('not found', { status: 404 });
      const configUrl = url.searchParams.get('openid_configuration') ?? '';
      const token = url.searchParams.get('registration_token') ?? '';
      const config = await request(h.app).get(new URL(configUrl).pathname).set('Authorization', `Bearer ${token}`);
      const reg = await request(h.app)
        .post(new URL(config.body.registration_endpoint as string).pathname)
        .set('Authorization', `Bearer ${token}`)
        .send(toolRegistrationBody({ client_name: 'Waymark via link' }));
      return new Response(`<p>registered ${reg.status}</p>`, {
        status: reg.status === 200 ? 200 : 400,
        headers: { 'content-type': 'text/html' },
      });
    }) as typeof fetch;
    const ctx = demoContext({
      config: h.config,
      logger: createLogger('silent'),
      connection: database.db.connection,
      fetch: toolFetch,
    });
    const registration = await registerThroughTool(ctx, `${TOOL}/lti/register?link=one-time`);
    expect(seen).toEqual(['/lti/register']);
    expect(registration?.clientName).toBe('Waymark via link');
  });
});

describe('demo LMS deep linking return', () => {
  let clientId = '';
  let deploymentId = '';
  beforeAll(async () => {
    ({ clientId, deploymentId } = await h.register());
  });

  /** Starts a deep linking request as the teacher and returns its `data` and the teacher's cookie. */
  async function deepLinkingRequest(): Promise<{ data: string; cookie: string }> {
    const { payload } = await h.launch('demo-teacher-01', '/demo/courses/demo-course-y10/add');
    return { data: (payload[`${DL}/deep_linking_settings`] as { data: string }).data, cookie: await h.signIn('demo-teacher-01') };
  }

  function response(data: string, overrides: Record<string, unknown> = {}, key: CryptoKey = h.tool.privateKey, kid = h.tool.kid) {
    return new SignJWT({
      nonce: `dl-${randomUUID()}`,
      [`${LTI}/message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}/version`]: '1.3.0',
      [`${LTI}/deployment_id`]: deploymentId,
      [`${DL}/data`]: data,
      [`${DL}/content_items`]: [
        {
          type: 'ltiResourceLink',
          title: 'What is a job?',
          url: `${TOOL}/lti/launch`,
          custom: { module: 's3-what-is-a-job' },
          lineItem: { scoreMaximum: 10, label: 'What is a job?', resourceId: 's3-what-is-a-job', tag: 'waymark' },
        },
        { type: 'ltiResourceLink', title: 'My strengths' },
        { type: 'html', html: '<p>not accepted</p>' },
      ],
      [`${DL}/msg`]: 'Added 2 modules',
      ...overrides,
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(clientId)
      .setAudience(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
  }

  it('verifies the response and creates resource links and line items for each content item', async () => {
    const { data, cookie } = await deepLinkingRequest();
    const jwt = await response(data);
    const res = await request(h.app).post('/demo/deep-link/return').type('form').send({ JWT: jwt }).set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Added 2 activities');
    expect(res.text).toContain('1 item(s) of a type');
    const links = await h.ctx.models.ResourceLink.find({ courseId: 'demo-course-y10', isPlacement: false })
      .sort({ createdAt: 1 })
      .lean();
    expect(links.map((l) => l.title)).toEqual(['What is a job?', 'My strengths']);
    expect(links[0]?.custom).toEqual({ module: 's3-what-is-a-job' });
    const items = await h.ctx.models.LineItem.find({ courseId: 'demo-course-y10' }).lean();
    expect(items).toEqual([
      expect.objectContaining({
        label: 'What is a job?',
        scoreMaximum: 10,
        resourceId: 's3-what-is-a-job',
        tag: 'waymark',
        resourceLinkId: links[0]?._id,
      }),
    ]);
    // The new activity launches with its own resource link, custom parameters and line item.
    const page = await request(h.app).get(`/demo/courses/demo-course-y10?link=${links[0]?._id}`).set('Cookie', cookie);
    expect(page.text).toContain('What is a job?');
    const { payload } = await h.launch('demo-pupil-07', `/demo/courses/demo-course-y10?link=${links[0]?._id}`);
    expect(payload[`${LTI}/resource_link`]).toMatchObject({ id: links[0]?._id, title: 'What is a job?' });
    expect((payload[`${LTI}/custom`] as Record<string, string>).module).toBe('s3-what-is-a-job');
    expect((payload['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as { lineitem: string }).lineitem).toBe(
      `${ISSUER}/api/ags/courses/demo-course-y10/lineitems/${items[0]?._id}/lineitem?type_id=1`,
    );
    // The nonce is single use.
    const replay = await request(h.app).post('/demo/deep-link/return').type('form').send({ JWT: jwt }).set('Cookie', cookie);
    expect(replay.status).toBe(400);
    expect(replay.body.error.message).toContain('nonce');
  });

  it('refuses a response with a bad signature', async () => {
    const { data, cookie } = await deepLinkingRequest();
    const stranger = await fakeToolKey(h.tool.kid);
    const res = await request(h.app)
      .post('/demo/deep-link/return')
      .type('form')
      .send({ JWT: await response(data, {}, stranger.privateKey) })
      .set('Cookie', cookie);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_deep_linking_response');
    expect(res.body.error.message).toContain('signature');
  });

  it('refuses another deployment, a wrong message type, unknown data and a missing nonce', async () => {
    const { data, cookie } = await deepLinkingRequest();
    const post = async (jwt: string) =>
      request(h.app).post('/demo/deep-link/return').type('form').send({ JWT: jwt }).set('Cookie', cookie);
    expect((await post(await response(data, { [`${LTI}/deployment_id`]: 'other' }))).body.error.message).toContain(
      'deployment_id',
    );
    expect(
      (await post(await response(data, { [`${LTI}/message_type`]: 'LtiResourceLinkRequest' }))).body.error.message,
    ).toContain('message_type');
    expect((await post(await response('forged-data'))).body.error.message).toContain('data');
    expect((await post(await response(data, { nonce: undefined }))).body.error.message).toContain('nonce');
    const empty = await request(h.app).post('/demo/deep-link/return').type('form').send({});
    expect(empty.status).toBe(400);
    expect(await h.ctx.models.ResourceLink.countDocuments({ courseId: 'demo-course-y10', isPlacement: false })).toBe(2);
  });

  it('refuses a response returned by another signed-in user', async () => {
    const { data } = await deepLinkingRequest();
    const pupil = await h.signIn('demo-pupil-07');
    const res = await request(h.app)
      .post('/demo/deep-link/return')
      .type('form')
      .send({ JWT: await response(data) })
      .set('Cookie', pupil);
    expect(res.status).toBe(403);
  });
});
