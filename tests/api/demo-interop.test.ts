/**
 * The demo LMS against the real Waymark tool over HTTP on loopback: Dynamic Registration through the tool's
 * registration link, then a launch with the cookie binding ("Open in new window") verified by the tool.
 */
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateLineItem, postScore } from '../../lti/ags.js';
import { LtiServiceError } from '../../lti/errors.js';
import { rotateToolKeys } from '../../lti/keys.js';
import { fetchMemberships } from '../../lti/nrps.js';
import { createApp } from '../../server/app.js';
import { createLtiRuntime } from '../../server/modules/lti/deps.js';
import { bootstrapDemo, demoModels, demoRouter } from '../../server/demo/index.js';
import { createLogger } from '../../server/log.js';
import { testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { freePort } from '../support/process.js';

const database = await useTestDatabase();
const port = await freePort();
const config = testConfig({
  PORT: String(port),
  PUBLIC_URL: `http://localhost:${port}`,
  DEMO_PUBLIC_URL: `http://127.0.0.1:${port}`,
});
const logger = createLogger(config.logLevel);
const deps = { config, logger, connection: database.db.connection };
// As in server/app.ts once the demo is mounted: the demo router first, then the tool.
const app = express();
app.use('/demo', demoRouter(deps));
app.use(createApp({ config, logger, db: database.db, models: database.models }));
let server: Server;

beforeAll(async () => {
  server = app.listen(port);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  // The tool's own start-up step: a current signing key (server/background.ts runs it in the real server).
  const runtime = createLtiRuntime(config, database.models);
  await rotateToolKeys({ keys: runtime.keys, clock: runtime.clock, secret: runtime.secret });
  await bootstrapDemo({ ...deps, models: database.models });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const cookieOf = (res: request.Response, name: string) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${name}=`));

describe('demo LMS with the real tool', () => {
  it('registers Waymark through Dynamic Registration for the demo school, idempotently', async () => {
    const models = demoModels(database.db.connection);
    const registrations = await models.Registration.find().lean();
    expect(registrations).toHaveLength(1);
    expect(registrations[0]?.initiateLoginUri).toBe(`http://localhost:${port}/lti/login`);
    const platform = await database.models.Platform.findOne({ issuer: `http://127.0.0.1:${port}/demo` }).lean();
    expect(platform?.schoolId).toBe('demo');
    expect(platform?.clientId).toBe(registrations[0]?._id);
    await bootstrapDemo({ ...deps, models: database.models });
    expect(await models.Registration.countDocuments()).toBe(1);
  });

  it('launches a pupil into Waymark: the tool verifies our id_token', async () => {
    const demo = request(`http://127.0.0.1:${port}`);
    const signIn = await demo.post('/demo/session').type('form').send({ personId: 'demo-pupil-05' });
    const session = cookieOf(signIn, 'wm_demo_session') ?? '';
    const page = await demo.get('/demo/courses/demo-course-y8').set('Cookie', session);
    const newWindow = /href="([^"]+)" target="_blank"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(newWindow).toContain(`http://localhost:${port}/lti/login?`);
    // The tool's cookie probe would answer "available" in a browser that keeps cookies.
    const login = await request(newWindow.replace(/^(https?:\/\/[^/]+).*/, '$1')).get(
      new URL(newWindow).pathname + new URL(newWindow).search + '&waymark_cookies=available',
    );
    expect(login.status).toBe(302);
    const authUrl = new URL(String(login.headers.location));
    expect(authUrl.origin + authUrl.pathname).toBe(`http://127.0.0.1:${port}/demo/auth`);
    const stateCookies = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const auth = await demo.get(authUrl.pathname + authUrl.search).set('Cookie', session);
    expect(auth.status).toBe(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(auth.text)?.[1] ?? '';
    const launch = await request(`http://localhost:${port}`)
      .post('/lti/launch')
      .type('form')
      .set('Cookie', stateCookies)
      .send({ id_token: field('id_token'), state: field('state') });
    expect(launch.status, launch.text.slice(0, 400)).toBe(200);
    expect(launch.text).toContain('name="waymark-launch"');
  });

  it('serves the tool’s own AGS and NRPS clients: line item, score through the Moodle-style URL, outage, paged members', async () => {
    const runtime = createLtiRuntime(config, database.models);
    const issuer = `http://127.0.0.1:${port}/demo`;
    const clientId = (await demoModels(database.db.connection).Registration.findOne().lean())?._id ?? '';
    const [registration] = await runtime.registrations.findByIssuerAndClientId(issuer, clientId);
    if (!registration) throw new Error('the tool has no registration for the demo LMS');
    const services = { fetch: runtime.fetch, clock: runtime.clock, tokens: runtime.tokens };
    const ags = {
      scope: ['lineitem', 'lineitem.readonly', 'result.readonly', 'score'].map(
        (s) => `https://purl.imsglobal.org/spec/lti-ags/scope/${s}`,
      ),
      lineItemsUrl: `${issuer}/api/ags/courses/demo-course-y10/lineitems`,
    };
    const item = await findOrCreateLineItem(
      services,
      registration,
      ags,
      { tag: 'interop' },
      { label: 'Interop', scoreMaximum: 10, tag: 'interop' },
    );
    expect(item.id).toContain('/lineitem?type_id=1');
    const again = await findOrCreateLineItem(
      services,
      registration,
      ags,
      { tag: 'interop' },
      { label: 'Interop', scoreMaximum: 10, tag: 'interop' },
    );
    expect(again.id).toBe(item.id);
    const score = {
      userId: 'demo-pupil-09',
      scoreGiven: 8,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
    } as const;
    await postScore(services, registration, ags, item.id, score);
    const stored = await demoModels(database.db.connection).Score.find({ userId: 'demo-pupil-09' }).lean();
    expect(stored.map((s) => s.scoreGiven)).toEqual([8]);

    await request(`http://127.0.0.1:${port}`).post('/demo/api/control').send({ agsDown: true }).expect(200);
    const down = await postScore(services, registration, ags, item.id, {
      ...score,
      timestamp: new Date(Date.now() + 1000).toISOString(),
    }).catch((err: unknown) => err);
    await request(`http://127.0.0.1:${port}`).post('/demo/api/control').send({ agsDown: false }).expect(200);
    expect(down).toBeInstanceOf(LtiServiceError);
    expect((down as LtiServiceError).retryable).toBe(true);
    expect((down as LtiServiceError).retryAfterMs).toBe(30_000);

    const membership = await fetchMemberships(services, registration, `${issuer}/api/nrps/courses/demo-course-y10/memberships`);
    expect(membership.members).toHaveLength(8);
    expect(membership.skipped).toBe(0);
  });
});
