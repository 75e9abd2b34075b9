import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { client, setupLrs, statement } from './xapi-support.js';

const database = await useTestDatabase();
const { app, full } = await setupLrs(database);

describe('smoke', () => {
  it('stores and reads', async () => {
    const c = client(app, full.auth, '1.0.3');
    const s = statement();
    const post = await c.post('/statements', s);
    expect(post.status, JSON.stringify(post.body)).toBe(200);
    const get = await c.get('/statements', { statementId: post.body[0] });
    expect(get.status, JSON.stringify(get.body)).toBe(200);
    expect(get.body.verb.id).toBe(s.verb.id);
    const list = await c.get('/statements', { agent: s.actor });
    expect(list.body.statements).toHaveLength(1);
  });
});
