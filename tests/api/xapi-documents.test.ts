/**
 * State, activity profile and agent profile resources with ETag concurrency (Communication 2.3, 2.6, 2.7, 3.1),
 * for both versions.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { client, setupLrs, uniqueMbox, VERSIONS } from './xapi-support.js';

const database = await useTestDatabase();
const { app, full } = await setupLrs(database);

const qs = (params: Record<string, unknown>) =>
  new URLSearchParams(
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
  ).toString();

describe.each(VERSIONS)('document resources, xAPI %s', (version) => {
  const c = client(app, full.auth, version);
  const activityId = `https://waymark.example/activities/${randomUUID()}`;
  const agent = { objectType: 'Agent', mbox: uniqueMbox() };

  const resources = [
    { name: 'state', path: '/activities/state', base: { activityId, agent }, id: 'stateId' },
    { name: 'activity profile', path: '/activities/profile', base: { activityId }, id: 'profileId' },
    { name: 'agent profile', path: '/agents/profile', base: { agent }, id: 'profileId' },
  ] as const;

  describe.each(resources)('$name', ({ path, base, id, name }) => {
    const at = (docId: string, extra: Record<string, unknown> = {}) => `${path}?${qs({ ...base, [id]: docId, ...extra })}`;

    it('XAPI-00322: PUT stores a document; GET returns it with a quoted SHA-1 ETag and Last-Modified', async () => {
      const put = await c.raw('put', at('notes')).set('If-None-Match', '*').set('Content-Type', 'text/plain').send('first draft');
      expect(put.status).toBe(204);
      const got = await c.raw('get', at('notes'));
      expect(got.status).toBe(200);
      expect(got.text).toBe('first draft');
      expect(got.headers['content-type']).toMatch(/^text\/plain/);
      expect(got.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
      expect(got.headers['last-modified']).toBeTruthy();
    });

    it('Communication 3.1: If-Match with the current ETag replaces; a stale ETag is 412 and changes nothing', async () => {
      const { headers } = await c.raw('get', at('notes'));
      const stale = await c
        .raw('put', at('notes'))
        .set('If-Match', '"1111111111111111111111111111111111111111"')
        .set('Content-Type', 'text/plain')
        .send('lost');
      expect(stale.status).toBe(412);
      expect((await c.raw('get', at('notes'))).text).toBe('first draft');
      const ok = await c
        .raw('put', at('notes'))
        .set('If-Match', headers.etag as string)
        .set('Content-Type', 'text/plain')
        .send('second draft');
      expect(ok.status).toBe(204);
      expect((await c.raw('get', at('notes'))).text).toBe('second draft');
    });

    it('Communication 3.1: If-None-Match: * on an existing document is 412', async () => {
      const res = await c.raw('put', at('notes')).set('If-None-Match', '*').set('Content-Type', 'text/plain').send('again');
      expect(res.status).toBe(412);
    });

    it(
      name === 'state'
        ? 'Communication 3.1: the state resource permits PUT without concurrency headers'
        : 'XAPI-00322 / Communication 3.1: PUT to an existing profile without If-Match or If-None-Match is 409 with a reason',
      async () => {
        const res = await c.raw('put', at('notes')).set('Content-Type', 'text/plain').send('blind overwrite');
        if (name === 'state') {
          expect(res.status).toBe(204);
          await c.raw('put', at('notes')).set('Content-Type', 'text/plain').send('second draft').expect(204);
        } else {
          expect(res.status).toBe(409);
          expect(res.body.error.message).toMatch(/If-Match/);
          expect((await c.raw('get', at('notes'))).text).toBe('second draft');
        }
      },
    );

    it('Communication 2.2: POST merges JSON objects; merging into a non-JSON document is 400', async () => {
      await c.raw('post', at('prefs')).set('Content-Type', 'application/json').send({ colour: 'blue', size: 1 }).expect(204);
      await c.raw('post', at('prefs')).set('Content-Type', 'application/json').send({ size: 2, font: 'serif' }).expect(204);
      const got = await c.raw('get', at('prefs'));
      expect(got.body).toEqual({ colour: 'blue', size: 2, font: 'serif' });
      const bad = await c.raw('post', at('notes')).set('Content-Type', 'application/json').send({ a: 1 });
      expect(bad.status).toBe(400);
      const notObject = await c.raw('post', at('prefs')).set('Content-Type', 'application/json').send('[1,2]');
      expect(notObject.status).toBe(400);
    });

    it('Communication 2.2: GET without the id lists ids, filtered by since', async () => {
      const list = await c.raw('get', `${path}?${qs(base)}`);
      expect(list.status).toBe(200);
      expect(list.body.sort()).toEqual(['notes', 'prefs']);
      const later = await c.raw('get', `${path}?${qs({ ...base, since: new Date(Date.now() + 60_000).toISOString() })}`);
      expect(later.body).toEqual([]);
    });

    it('Communication 2.2: DELETE removes a document (honouring If-Match) and GET then answers 404', async () => {
      const stale = await c.raw('delete', at('prefs')).set('If-Match', '"0000000000000000000000000000000000000000"');
      expect(stale.status).toBe(412);
      await c.raw('delete', at('prefs')).expect(204);
      await c.raw('get', at('prefs')).expect(404);
    });

    it('Communication 2.2: missing, unknown or malformed parameters are 400', async () => {
      expect(
        (
          await c
            .raw('put', `${path}?${qs(base)}`)
            .set('Content-Type', 'text/plain')
            .send('x')
        ).status,
      ).toBe(400);
      expect((await c.raw('get', at('notes', { colour: 'blue' }))).status).toBe(400);
      const badAgent = 'agent' in base ? { ...base, agent: '{"name":"no ifi"}' } : { ...base, activityId: 'not an iri' };
      expect((await c.raw('get', `${path}?${qs({ ...badAgent, [id]: 'notes' })}`)).status).toBe(400);
    });
  });

  it("Communication 2.3: DELETE of state without stateId removes all the agent's state for that activity and registration", async () => {
    const registration = randomUUID();
    const base = { activityId, agent, registration };
    for (const stateId of ['a', 'b'])
      await c
        .raw('put', `/activities/state?${qs({ ...base, stateId })}`)
        .set('Content-Type', 'text/plain')
        .send(stateId)
        .expect(204);
    await c.raw('delete', `/activities/state?${qs(base)}`).expect(204);
    expect((await c.raw('get', `/activities/state?${qs(base)}`)).body).toEqual([]);
    // State without the registration is a different document set and survives.
    expect((await c.raw('get', `/activities/state?${qs({ activityId, agent })}`)).body).toContain('notes');
  });
});
