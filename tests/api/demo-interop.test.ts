/**
 * The demo LMS against the real Waymark tool over HTTP on loopback: Dynamic Registration through the tool's
 * registration link, then a launch with the cookie binding ("Open in new window") verified by the tool.
 */
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { bootstrapDemo, demoModels, demoRouter } from '../../server/demo/index.js';
import { createLogger } from '../../server/log.js';
import { testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { freePort } from '../support/process.js';

const database = await useTestDatabase();
const port = await freePort();
const config = testConfig({ PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, DEMO_PUBLIC_URL: `http://127.0.0.1:${port}` });
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
  await bootstrapDemo({ ...deps, models: database.models });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const cookieOf = (res: request.Response, name: string) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith(`${name}=`));

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
    const login = await request(newWindow.replace(/^(https?:\/\/[^/]+).*/, '$1')).get(new URL(newWindow).pathname + new URL(newWindow).search + '&waymark_cookies=available');
    expect(login.status).toBe(302);
    const authUrl = new URL(String(login.headers.location));
    expect(authUrl.origin + authUrl.pathname).toBe(`http://127.0.0.1:${port}/demo/auth`);
    const stateCookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
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
});
