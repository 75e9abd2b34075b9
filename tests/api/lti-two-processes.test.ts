/**
 * The LTI login and launch across two real server processes (`node scripts/start.mjs`) on one MongoDB database,
 * as behind a load balancer without sticky sessions: the OIDC login is answered by one process and the launch by
 * the other. Login state and nonces live in MongoDB, so the launch succeeds wherever it lands, and a replay is
 * refused by either process. The processes fetch the test platform's JWKS over real HTTP on loopback.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../lti/index.js';
import { useTestDatabase, uriWithDatabase } from '../support/db.js';
import { buildSchool } from '../support/factories.js';
import { createTestPlatform, role, type TestPlatform } from '../support/platform.js';
import { cleanEnv, freePort, spawnScript, waitFor200, type RunningProcess } from '../support/process.js';

const database = await useTestDatabase();
const { models } = database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-two-'));

// The platform's endpoints on loopback: the processes fetch its JWKS over HTTP, as from a real LMS.
let jwksFetches = 0;
const platformApp = express();
platformApp.get('/jwks', (_req, res) => {
  jwksFetches += 1;
  // Requested only by the processes, which start after `platform` exists.
  res.json(platform.jwks());
});
const platformServer = platformApp.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => platformServer.once('listening', resolve));
const platformBase = `http://127.0.0.1:${(platformServer.address() as AddressInfo).port}`;
const platform: TestPlatform = await createTestPlatform({
  profile: 'canvas',
  clock: systemClock,
  overrides: { jwksUrl: `${platformBase}/jwks`, authLoginUrl: `${platformBase}/authorize`, tokenUrl: `${platformBase}/token` },
});
const school = await buildSchool(models, { id: 'two-process-school' });
await models.Platform.create({ ...platform.registration(), schoolId: school.id });

const portA = await freePort();
const portB = await freePort();
// Both processes are one tool: the same public origin (process A's), the same key secret, the same database.
const PUBLIC_URL = `http://localhost:${portA}`;
const TARGET = `${PUBLIC_URL}/lti/launch`;
const env = (port: number) =>
  cleanEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL,
    KEY_ENCRYPTION_SECRET: 'two-process-secret-two-process-secret-0123456789',
    MONGODB_URI: uriWithDatabase(database.uri, database.name),
    DATA_DIR: tmp,
    DEMO: 'false',
    LOG_LEVEL: 'warn',
  });

let a: RunningProcess;
let b: RunningProcess;

beforeAll(async () => {
  // One after the other: the first start may rebuild the client and creates the tool key; the second finds both.
  a = spawnScript('scripts/start.mjs', [], env(portA));
  await waitFor200(`${a.url}/readyz`, a);
  b = spawnScript('scripts/start.mjs', [], env(portB));
  await waitFor200(`${b.url}/readyz`, b);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  platformServer.closeAllConnections();
  await new Promise<void>((resolve) => platformServer.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Started {
  state: string;
  nonce: string;
  cookie: string;
}

/** The platform's browser posting the login initiation to `proc`, past the cookie probe. */
async function login(proc: RunningProcess): Promise<Started> {
  const p = platform.profile;
  const res = await fetch(`${proc.url}/lti/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      iss: p.issuer,
      login_hint: 'hint-1',
      target_link_uri: TARGET,
      client_id: p.clientId,
      lti_deployment_id: p.deploymentId,
      waymark_cookies: 'available',
    }),
  });
  expect(res.status, await res.text()).toBe(302);
  const location = new URL(res.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(`${platformBase}/authorize`);
  expect(location.searchParams.get('redirect_uri')).toBe(TARGET);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lti_state_'));
  expect(cookie).toBeDefined();
  return {
    state: location.searchParams.get('state') ?? '',
    nonce: location.searchParams.get('nonce') ?? '',
    cookie: cookie!.split(';')[0]!,
  };
}

async function signedToken(started: Started, sub: string): Promise<string> {
  const claims = platform.launchClaims({ nonce: started.nonce, targetLinkUri: TARGET, sub, roles: [role.learner] });
  return platform.signIdToken(claims);
}

/** The platform's auto-submitted form_post of the id_token to `proc`. */
async function launch(proc: RunningProcess, started: Started, idToken: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${proc.url}/lti/launch`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: started.cookie },
    body: new URLSearchParams({ id_token: idToken, state: started.state }),
  });
  return { status: res.status, text: await res.text() };
}

function expectRefused(res: { status: number; text: string }, code: string) {
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.text).toContain(`<code>${code}</code>`);
  expect(res.text).not.toContain('waymark-launch"');
}

describe('LTI launch across two processes on one database', () => {
  it('accepts a launch on process B for a login answered by process A, fetching the platform JWKS over HTTP', async () => {
    const started = await login(a);
    expect(await models.LoginState.countDocuments({ _id: started.state })).toBe(1);
    const res = await launch(b, started, await signedToken(started, 'pupil-a-to-b'));
    expect(res.status, `${res.text}\n--- A ---\n${a.output()}\n--- B ---\n${b.output()}`).toBe(200);
    expect(res.text).toMatch(/<meta name="waymark-launch" content="[^"]+">/);
    expect(jwksFetches).toBeGreaterThanOrEqual(1);
    const user = await models.User.findOne({ schoolId: school.id, sub: 'pupil-a-to-b' }).lean();
    expect(user?.role).toBe('pupil');
    // Security Framework: state and nonce are single use, and both are recorded where every process sees them.
    expect(await models.LoginState.countDocuments({ _id: started.state })).toBe(0);
    expect(await models.Nonce.countDocuments({ _id: started.nonce })).toBe(1);
  });

  it('refuses the replay of a launch on either process once the other has accepted it', async () => {
    const started = await login(b);
    const token = await signedToken(started, 'pupil-b-to-a');
    expect((await launch(a, started, token)).status).toBe(200);
    expectRefused(await launch(b, started, token), 'unknown_state');
    expectRefused(await launch(a, started, token), 'unknown_state');
    expect(await models.User.countDocuments({ schoolId: school.id, sub: 'pupil-b-to-a' })).toBe(1);
  });

  it('lets exactly one of two simultaneous launches of the same login win, one per process', async () => {
    const started = await login(a);
    const token = await signedToken(started, 'pupil-race');
    const results = await Promise.all([launch(a, started, token), launch(b, started, token)]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expectRefused(
      results.find((r) => r.status !== 200)!,
      'unknown_state',
    );
    expect(await models.User.countDocuments({ schoolId: school.id, sub: 'pupil-race' })).toBe(1);
  });
});
