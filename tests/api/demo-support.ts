/**
 * Test harness for the demo LMS: its router on a plain express app with the file's own database, and a fake
 * tool (its own RS256 key, JWKS served through an injected fetch) that registers through the real registration
 * endpoint and signs client assertions and deep linking responses.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { demoContext, demoRouter } from '../../server/demo/index.js';
import { issueRegistrationToken } from '../../server/demo/registration.js';
import { createLogger } from '../../server/log.js';
import { testConfig } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';

export const TOOL = 'http://localhost:4100';
export const DEMO = 'http://127.0.0.1:4200';
export const ISSUER = `${DEMO}/demo`;
export const TOKEN_URL = `${ISSUER}/token`;

export interface FakeTool {
  kid: string;
  privateKey: CryptoKey;
  jwks: { keys: JWK[] };
}

export async function fakeToolKey(kid = `tool-${randomUUID()}`): Promise<FakeTool> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] } };
}

/** The client registration Waymark would send (DR 1.0 §3.6). */
export function toolRegistrationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${TOOL}/lti/login`,
    redirect_uris: [`${TOOL}/lti/launch`],
    client_name: 'Waymark',
    jwks_uri: `${TOOL}/lti/jwks.json`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: [
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ].join(' '),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      domain: 'localhost:4100',
      target_link_uri: `${TOOL}/lti/launch`,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: `${TOOL}/lti/launch`, label: 'Waymark' },
        { type: 'LtiDeepLinkingRequest', target_link_uri: `${TOOL}/lti/launch`, label: 'Waymark', placements: ['ContentArea'] },
      ],
      custom_parameters: { person: '$Person.name.given', unknown: '$Not.A.Variable' },
    },
    ...overrides,
  };
}

export async function demoHarness(database: TestDatabase) {
  const tool = await fakeToolKey();
  const config = testConfig({ PUBLIC_URL: TOOL, DEMO_PUBLIC_URL: DEMO });
  const logger = createLogger(config.logLevel);
  const jwksFetches: string[] = [];
  const fakeFetch = (async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === `${TOOL}/lti/jwks.json`) {
      jwksFetches.push(url);
      return new Response(JSON.stringify(tool.jwks), { headers: { 'content-type': 'application/json' } });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  const deps = { config, logger, connection: database.db.connection, fetch: fakeFetch };
  const app = express();
  app.use(pinoHttp({ logger }));
  app.use('/demo', demoRouter(deps));
  const ctx = demoContext(deps);

  async function register(overrides: Record<string, unknown> = {}): Promise<{ clientId: string; deploymentId: string }> {
    const token = await issueRegistrationToken(ctx);
    const res = await request(app)
      .post('/demo/register')
      .set('Authorization', `Bearer ${token}`)
      .send(toolRegistrationBody(overrides));
    if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
    return {
      clientId: res.body.client_id,
      deploymentId: res.body['https://purl.imsglobal.org/spec/lti-tool-configuration'].deployment_id,
    };
  }

  async function signIn(personId: string): Promise<string> {
    const res = await request(app).post('/demo/session').type('form').send({ personId });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    const cookie = (res.headers['set-cookie']?.[0] ?? '').split(';')[0];
    if (!cookie) throw new Error('no session cookie');
    return cookie;
  }

  /** Opens a course page as `personId` and returns the iframe's login initiation parameters. */
  async function iframeLogin(
    personId: string,
    path: string,
  ): Promise<{ cookie: string; params: URLSearchParams; html: string; src: string }> {
    const cookie = await signIn(personId);
    const res = await request(app).get(path).set('Cookie', cookie);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    const src = /<iframe[^>]*\ssrc="([^"]+)"/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
    if (!src) throw new Error('no iframe on the page');
    return { cookie, params: new URL(src).searchParams, html: res.text, src };
  }

  /** The OIDC authentication request the tool would send back for a login initiation. */
  function authQuery(params: URLSearchParams, overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const query: Record<string, string | undefined> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: params.get('client_id') ?? '',
      redirect_uri: `${TOOL}/lti/launch`,
      login_hint: params.get('login_hint') ?? '',
      lti_message_hint: params.get('lti_message_hint') ?? '',
      state: 'state-123',
      nonce: `nonce-${randomUUID()}`,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  }

  /** Runs a launch end to end on the platform side and returns the verified id_token payload. */
  async function launch(
    personId: string,
    path: string,
  ): Promise<{ payload: JWTPayload & Record<string, unknown>; idToken: string; nonce: string }> {
    const { cookie, params } = await iframeLogin(personId, path);
    const query = authQuery(params);
    const res = await request(app).get('/demo/auth').query(query).set('Cookie', cookie);
    if (res.status !== 200) throw new Error(`auth: ${res.status} ${JSON.stringify(res.body)}`);
    const idToken = /name="id_token" value="([^"]+)"/.exec(res.text)?.[1];
    if (!idToken) throw new Error('no id_token in the auth response');
    const payload = await verifyIdToken(idToken, params.get('client_id') ?? '');
    return { payload, idToken, nonce: query.nonce ?? '' };
  }

  async function verifyIdToken(idToken: string, clientId: string) {
    const jwks = (await request(app).get('/demo/.well-known/jwks.json')).body;
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: clientId,
      algorithms: ['RS256'],
    });
    return payload as JWTPayload & Record<string, unknown>;
  }

  async function clientAssertion(
    clientId: string,
    overrides: { aud?: string; jti?: string; key?: CryptoKey; kid?: string } = {},
  ): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? tool.kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(overrides.aud ?? TOKEN_URL)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(overrides.jti ?? randomUUID())
      .sign(overrides.key ?? tool.privateKey);
  }

  async function accessToken(clientId: string, scope: string): Promise<string> {
    const res = await request(app)
      .post('/demo/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await clientAssertion(clientId),
        scope,
      });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token as string;
  }

  return {
    app,
    ctx,
    tool,
    config,
    register,
    signIn,
    iframeLogin,
    authQuery,
    launch,
    verifyIdToken,
    clientAssertion,
    accessToken,
    jwksFetches,
  };
}

export const Scopes = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  result: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
};
