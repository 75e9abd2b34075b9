import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();

describe('health and security headers', () => {
  const app = buildApp(database);

  it('answers /healthz and /readyz when the database is reachable', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: true } });
  });

  it('answers /readyz 503 when the database does not answer', async () => {
    const down = buildApp({ ...database, db: { ...database.db, ping: async () => false } });
    const res = await request(down).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe(false);
  });

  it('gives every response a request id, echoing a well-formed incoming one', async () => {
    const fresh = await request(app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await request(app).get('/healthz').set('X-Request-Id', 'lms-trace-12345');
    expect(echoed.headers['x-request-id']).toBe('lms-trace-12345');
    const refused = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(refused.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('lets stored platform frame origins and the demo LMS frame the tool, and never sends X-Frame-Options', async () => {
    await database.models.Platform.create({
      schoolId: 'demo',
      issuer: 'https://canvas.instructure.com',
      clientId: '10000000000001',
      authLoginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
      jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
      frameOrigins: ['https://school.instructure.com', 'javascript:alert(1)'],
    });
    const res = await request(buildApp(database)).get('/healthz');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/frame-ancestors 'self' (.* )?https:\/\/school\.instructure\.com/);
    expect(csp).toContain('http://127.0.0.1:3000');
    expect(csp).not.toContain('javascript:');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers API calls without a launch token 401, unknown API routes 404 and malformed JSON 400 with a reason', async () => {
    const anonymous = await request(app).get('/api/nothing-here');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const school = await buildSchool(database.models);
    const pupil = await buildUser(database.models, school);
    const missing = await request(app)
      .get('/api/nothing-here')
      .set('Authorization', await authHeader(pupil));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const forged = await request(app).get('/api/modules').set('Authorization', 'Bearer not.a.token');
    expect(forged.status).toBe(401);
    const malformed = await request(app).post('/api/meta').set('Content-Type', 'application/json').send('{"a":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });
});
