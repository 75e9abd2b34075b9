/** Shared set-up for the xAPI LRS tests: an app, a school, credentials and statement builders. */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createCredential, type CreateCredentialInput } from '../../server/modules/xapi/credentials.js';
import { buildApp } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';
import { buildSchool } from '../support/factories.js';

export const VERSIONS = ['1.0.3', '2.0.0'] as const;
export type Version = (typeof VERSIONS)[number];

export async function credential(database: TestDatabase, input: Partial<CreateCredentialInput> & { schoolId: string }) {
  const { key, secret } = await createCredential(database.models, { scope: 'all', read: true, write: true, ...input });
  return { key, secret, auth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
}

export async function setupLrs(database: TestDatabase) {
  const app = buildApp(database);
  const school = await buildSchool(database.models);
  const full = await credential(database, { schoolId: school.id });
  return { app, school, full };
}

/** A client bound to one credential and version. */
export function client(app: Parameters<typeof request>[0], auth: string, version: string) {
  const h = (r: request.Test) => r.set('Authorization', auth).set('X-Experience-API-Version', version);
  return {
    post: (path: string, body?: unknown) => h(request(app).post(`/xapi${path}`)).send(body as object),
    put: (path: string, body?: unknown) => h(request(app).put(`/xapi${path}`)).send(body as object),
    get: (path: string, query: Record<string, unknown> = {}) =>
      h(request(app).get(`/xapi${path}`)).query(
        Object.fromEntries(
          Object.entries(query).map(([k, v]) => [
            k,
            typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean),
          ]),
        ),
      ),
    del: (path: string) => h(request(app).delete(`/xapi${path}`)),
    raw: (method: 'post' | 'put' | 'get' | 'delete', path: string) => h(request(app)[method](`/xapi${path}`)),
  };
}

let counter = 0;
export const uniqueMbox = () => `mailto:learner-${Date.now()}-${counter++}@example.org`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests mutate statements freely
export function statement(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    actor: { objectType: 'Agent', name: 'Learner', mbox: uniqueMbox() },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: {
      objectType: 'Activity',
      id: `https://waymark.example/activities/${randomUUID()}`,
      definition: { name: { 'en-US': 'Careers module' }, type: 'http://adlnet.gov/expapi/activities/module' },
    },
    ...overrides,
  };
}
