/**
 * The statements resource against the LRS conformance requirements (XAPI-xxxxx ids from the ADL LRS conformance
 * requirements; section references from xAPI 1.0.3 / IEEE 9274.1.1), for both versions the LRS speaks.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { client, setupLrs, statement, uniqueMbox, VERSIONS } from './xapi-support.js';

const database = await useTestDatabase();
const { app, school, full } = await setupLrs(database);
const { models } = database;
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

const countStored = (filter: Record<string, unknown> = {}) =>
  models.XapiStatement.countDocuments({ schoolId: school.id, ...filter });

describe.each(VERSIONS)('statements resource, xAPI %s', (version) => {
  const c = client(app, full.auth, version);
  const is2 = version === '2.0.0';

  it('XAPI-00147/XAPI-00146: POST stores a statement and answers 200 with its assigned UUID', async () => {
    const res = await c.post('/statements', statement());
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-experience-api-version']).toBe(is2 ? '2.0.0' : '1.0.3');
    expect(await countStored({ statementId: res.body[0] })).toBe(1);
  });

  it('XAPI-00146: POST of an array answers the ids in order, keeping given ids', async () => {
    const id = randomUUID();
    const res = await c.post('/statements', [statement({ id }), statement()]);
    expect(res.status).toBe(200);
    expect(res.body[0]).toBe(id);
    expect(res.body).toHaveLength(2);
  });

  it('XAPI-00143/XAPI-00144: PUT with statementId stores and answers 204', async () => {
    const id = randomUUID();
    const res = await c.put(`/statements?statementId=${id}`, statement());
    expect(res.status).toBe(204);
    const got = await c.get('/statements', { statementId: id });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
  });

  it('XAPI-00145: PUT without statementId is 400 and stores nothing', async () => {
    const before = await countStored();
    const res = await c.put('/statements', statement({ id: randomUUID() }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_parameter');
    expect(await countStored()).toBe(before);
  });

  it('XAPI-00142: a re-sent id with other content is 409 and the stored statement is unchanged', async () => {
    const id = randomUUID();
    const original = statement({ id });
    await c.post('/statements', original).expect(200);
    const changed = { ...original, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } };
    const put = await c.put(`/statements?statementId=${id}`, changed);
    expect(put.status).toBe(409);
    expect(put.body.error.code).toBe('statement_conflict');
    const post = await c.post('/statements', changed);
    expect(post.status).toBe(409);
    const got = await c.get('/statements', { statementId: id });
    expect(got.body.verb.id).toBe(original.verb.id);
  });

  it('Communication 2.1.1: an identical re-send is accepted (PUT 204, POST 200) without a second copy', async () => {
    const id = randomUUID();
    const s = statement({ id, timestamp: '2024-03-01T10:00:00.000+01:00' });
    await c.put(`/statements?statementId=${id}`, s).expect(204);
    await c.put(`/statements?statementId=${id.toUpperCase()}`, { ...s, id: id.toUpperCase() }).expect(204);
    const post = await c.post('/statements', { ...s, timestamp: '2024-03-01T09:00:00.000Z' });
    expect(post.status).toBe(200);
    expect(post.body).toEqual([id]);
    expect(await countStored({ statementId: id })).toBe(1);
  });

  it('Communication 2.1.2.s2.b4: a batch with one non-conformant statement is 400 with a reason and stores none of it', async () => {
    const good = statement({ id: randomUUID() });
    const badOne = { ...statement(), verb: { id: 'should fail' } };
    const res = await c.post('/statements', [good, badOne]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_statement');
    expect(res.body.error.details[0].path).toBe('[1].verb.id');
    expect(await countStored({ statementId: good.id })).toBe(0);
    await c.get('/statements', { statementId: good.id }).expect(404);
  });

  it('Data 2.4.1: two statements with the same id in one batch are 400', async () => {
    const id = randomUUID();
    const res = await c.post('/statements', [statement({ id }), statement({ id })]);
    expect(res.status).toBe(400);
    expect(await countStored({ statementId: id })).toBe(0);
  });

  it('Data 2.4.7/2.4.8/2.4.9/2.4.10: stored, timestamp, authority and version are set by the LRS', async () => {
    const { body } = await c
      .post('/statements', { ...statement(), authority: { mbox: 'mailto:forged@example.org' } })
      .expect(200);
    const got = await c.get('/statements', { statementId: body[0] });
    expect(Date.parse(got.body.stored)).not.toBeNaN();
    expect(got.body.timestamp).toBe(got.body.stored);
    expect(got.body.authority.account.name).toBe(full.key);
    expect(got.body.version).toBe(is2 ? '2.0.0' : '1.0.0');
  });

  it('XAPI-00330: a statement is returned as it was sent (no conversion)', async () => {
    const s = statement({ result: { score: { scaled: 0.5, raw: 5, min: 0, max: 10 }, success: true, duration: 'PT1H2M3.5S' } });
    const { body } = await c.post('/statements', s).expect(200);
    const got = await c.get('/statements', { statementId: body[0] });
    expect(got.body.actor).toEqual(s.actor);
    expect(got.body.verb).toEqual(s.verb);
    expect(got.body.object).toEqual(s.object);
    expect(got.body.result).toEqual(s.result);
  });

  it(`${is2 ? '2.0 Data 4.5' : 'Data 2.4.7'}: timestamps ${is2 ? 'are normalised to UTC keeping their precision' : 'keep the offset they were sent with'}`, async () => {
    const { body } = await c.post('/statements', statement({ timestamp: '2024-05-01T12:30:00.123456+02:00' })).expect(200);
    const got = await c.get('/statements', { statementId: body[0] });
    expect(got.body.timestamp).toBe(is2 ? '2024-05-01T10:30:00.123456Z' : '2024-05-01T12:30:00.123456+02:00');
  });

  it('XAPI-00156/XAPI-00158: GET with statementId returns that statement; Last-Modified and Consistent-Through are set', async () => {
    const { body } = await c.post('/statements', statement()).expect(200);
    const got = await c.get('/statements', { statementId: body[0] });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(body[0]);
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(Date.parse(got.headers['x-experience-api-consistent-through'] as string)).not.toBeNaN();
    expect(Date.parse(got.headers['last-modified'] as string)).not.toBeNaN();
  });

  it('Communication 2.1.3: statementId combined with a filter parameter is 400', async () => {
    const res = await c.get('/statements', { statementId: randomUUID(), verb: 'http://adlnet.gov/expapi/verbs/completed' });
    expect(res.status).toBe(400);
  });

  it('XAPI-00012: parameter values are validated like statement values', async () => {
    for (const query of [
      { statementId: 'not-a-uuid' },
      { verb: 'no scheme' },
      { registration: '123' },
      { since: 'yesterday' },
      { limit: '-1' },
      { format: 'full' },
      { ascending: 'yes' },
      { agent: '{"name":"no ifi"}' },
      { unknown: 'x' },
    ]) {
      const res = await c.get('/statements', query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
  });

  it('XAPI-00154/XAPI-00159: GET without ids returns a StatementResult with statements and more', async () => {
    const res = await c.get('/statements', { limit: 1 });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.statements)).toBe(true);
    expect(typeof res.body.more).toBe('string');
    expect(res.headers['x-experience-api-consistent-through']).toBeTruthy();
  });
});

describe.each(VERSIONS)('statement queries, xAPI %s', (version) => {
  const c = client(app, full.auth, version);
  const is2 = version === '2.0.0';
  const learner = { objectType: 'Agent', mbox: uniqueMbox() };
  const instructor = { objectType: 'Agent', account: { homePage: 'https://lms.example', name: `teacher-${version}` } };
  const verb = `https://waymark.example/verbs/reflected-${version}`;
  const parent = `https://waymark.example/modules/${randomUUID()}`;
  const activity = `https://waymark.example/activities/${randomUUID()}`;
  const registration = randomUUID();
  const contextAgent = { objectType: 'Agent', mbox: uniqueMbox() };
  const ids: string[] = [];

  it('stores the fixture statements (actor, context and sub-statement agents and activities)', async () => {
    const context: Record<string, unknown> = { registration, instructor, contextActivities: { parent: { id: parent } } };
    if (is2)
      context.contextAgents = [
        { objectType: 'contextAgent', agent: contextAgent, relevantTypes: ['https://waymark.example/types/mentor'] },
      ];
    const first = await c
      .post('/statements', { ...statement(), actor: learner, verb: { id: verb }, object: { id: activity }, context })
      .expect(200);
    ids.push(first.body[0]);
    const sub = {
      actor: learner,
      verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' },
      object: {
        objectType: 'SubStatement',
        actor: learner,
        verb: { id: verb },
        object: { id: `${activity}/sub` },
        context: { contextActivities: { grouping: [{ id: parent }] } },
      },
    };
    const second = await c.post('/statements', sub).expect(200);
    ids.push(second.body[0]);
    const other = await c.post('/statements', statement()).expect(200);
    ids.push(other.body[0]);
  });

  it('XAPI-00181: agent matches the actor exactly', async () => {
    const res = await c.get('/statements', { agent: learner });
    expect(res.body.statements.map((s: { id: string }) => s.id).sort()).toEqual([ids[0], ids[1]].sort());
  });

  it('XAPI-00180: verb matches the verb id exactly (not the sub-statement verb)', async () => {
    const res = await c.get('/statements', { verb });
    expect(res.body.statements.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
  });

  it('XAPI-00179: activity matches the object only unless related_activities', async () => {
    const res = await c.get('/statements', { activity: parent });
    expect(res.body.statements).toHaveLength(0);
  });

  it('XAPI-00177: related_activities=true matches context activities and sub-statements', async () => {
    const res = await c.get('/statements', { activity: parent, related_activities: true });
    expect(res.body.statements.map((s: { id: string }) => s.id).sort()).toEqual([ids[0], ids[1]].sort());
  });

  it(
    'Communication 2.1.3 related_agents: related_agents=true matches context instructor' + (is2 ? ' and contextAgents' : ''),
    async () => {
      const plain = await c.get('/statements', { agent: instructor });
      expect(plain.body.statements).toHaveLength(0);
      const related = await c.get('/statements', { agent: instructor, related_agents: true });
      expect(related.body.statements.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
      if (is2) {
        const byContextAgent = await c.get('/statements', { agent: contextAgent, related_agents: true });
        expect(byContextAgent.body.statements.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
      }
    },
  );

  it('XAPI-00178: registration matches the context registration', async () => {
    const res = await c.get('/statements', { registration: registration.toUpperCase() });
    expect(res.body.statements.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
  });

  it('Communication 2.1.3 since/until/ascending: stored-time window and order', async () => {
    const stored = (await models.XapiStatement.findOne({ schoolId: school.id, statementId: ids[1] }).lean())?.stored as Date;
    const since = await c.get('/statements', { agent: learner, since: new Date(stored.getTime() - 1).toISOString() });
    expect(since.body.statements.map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    const until = await c.get('/statements', { agent: learner, until: new Date(stored.getTime() - 1).toISOString() });
    expect(until.body.statements.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    const desc = await c.get('/statements', { agent: learner });
    const asc = await c.get('/statements', { agent: learner, ascending: true });
    expect(asc.body.statements.map((s: { id: string }) => s.id)).toEqual(
      [...desc.body.statements.map((s: { id: string }) => s.id)].reverse(),
    );
  });

  it('Communication 2.1.3 limit/more: pages are stable and the more IRL is opaque and relative', async () => {
    const agent = { mbox: uniqueMbox() };
    const sent = (
      await c
        .post(
          '/statements',
          Array.from({ length: 5 }, () => ({ ...statement(), actor: agent })),
        )
        .expect(200)
    ).body as string[];
    const seen: string[] = [];
    let res = await c.get('/statements', { agent, limit: 2 });
    for (;;) {
      seen.push(...res.body.statements.map((s: { id: string }) => s.id));
      if (!res.body.more) break;
      expect(res.body.more).toMatch(/^\/xapi\/statements\?more=/);
      // A statement stored meanwhile must not shift the pages being read.
      await c.post('/statements', { ...statement(), actor: agent }).expect(200);
      res = await c.raw('get', res.body.more.replace('/xapi', ''));
      expect(res.status).toBe(200);
    }
    expect(seen.sort()).toEqual([...sent].sort());
    const tampered = await c.get('/statements', { more: 'eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA' });
    expect(tampered.status).toBe(400);
  });

  it('Communication 2.1.3 format: ids reduces agents, activities and verbs to identifiers', async () => {
    const res = await c.get('/statements', { statementId: ids[0], format: 'ids' });
    expect(res.body.actor).toEqual({ objectType: 'Agent', mbox: learner.mbox });
    expect(res.body.verb).toEqual({ id: verb });
    expect(res.body.object).toEqual({ objectType: 'Activity', id: activity });
  });

  it('Communication 2.1.3 format: canonical returns the LRS definition in the requested language', async () => {
    const id = `https://waymark.example/activities/${randomUUID()}`;
    await c
      .post('/statements', statement({ object: { id, definition: { name: { 'en-US': 'Work experience', nl: 'Stage' } } } }))
      .expect(200);
    const { body } = await c.post('/statements', statement({ object: { id } })).expect(200);
    const res = await c
      .get('/statements', { statementId: body[0], format: 'canonical' })
      .set('Accept-Language', 'nl-NL, en;q=0.5');
    expect(res.body.object.definition.name).toEqual({ nl: 'Stage' });
    const exact = await c.get('/statements', { statementId: body[0], format: 'exact' });
    expect(exact.body.object.definition).toBeUndefined();
  });

  it('Communication 2.4/2.5: the activities resource returns the canonical definition; agents returns a Person', async () => {
    const act = await c.get('/activities', { activityId: activity });
    expect(act.status).toBe(200);
    expect(act.body).toMatchObject({ objectType: 'Activity', id: activity });
    const person = await c.get('/agents', { agent: learner });
    expect(person.body).toMatchObject({ objectType: 'Person', mbox: [learner.mbox] });
    const missing = await c.get('/activities');
    expect(missing.status).toBe(400);
  });
});

describe.each(VERSIONS)('voiding, xAPI %s', (version) => {
  const c = client(app, full.auth, version);
  const voiding = (target: string) => ({
    ...statement(),
    verb: { id: VOIDED, display: { en: 'voided' } },
    object: { objectType: 'StatementRef', id: target },
  });

  it('XAPI-00018/XAPI-00155/XAPI-00157: a voided statement is gone from statementId and queries, retrievable by voidedStatementId', async () => {
    const target = statement();
    const { body } = await c.post('/statements', target).expect(200);
    const voidRes = await c.post('/statements', voiding(body[0])).expect(200);
    await c.get('/statements', { statementId: body[0] }).expect(404);
    const byVoided = await c.get('/statements', { voidedStatementId: body[0] });
    expect(byVoided.status).toBe(200);
    expect(byVoided.body.id).toBe(body[0]);
    const query = await c.get('/statements', { agent: target.actor });
    // The voiding statement stands in: it targets a statement matching the filter (Communication 2.1.3).
    expect(query.body.statements.map((s: { id: string }) => s.id)).toEqual([voidRes.body[0]]);
    await c.get('/statements', { voidedStatementId: voidRes.body[0] }).expect(404);
  });

  it('XAPI-00016: a voiding statement cannot target another voiding statement (refused, nothing stored)', async () => {
    const { body } = await c.post('/statements', statement()).expect(200);
    const first = await c.post('/statements', voiding(body[0])).expect(200);
    const second = voiding(first.body[0]);
    const res = await c.post('/statements', second);
    expect(res.status).toBe(400);
    await c.get('/statements', { statementId: first.body[0] }).expect(200);
  });

  it('Data 2.3.2: a voiding statement must target a StatementRef', async () => {
    const res = await c.post('/statements', { ...statement(), verb: { id: VOIDED } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/StatementRef/);
  });

  it('Data 2.3.2: a statement arriving after its voiding statement is voided on arrival', async () => {
    const id = randomUUID();
    await c.post('/statements', voiding(id)).expect(200);
    await c.post('/statements', statement({ id })).expect(200);
    await c.get('/statements', { statementId: id }).expect(404);
    await c.get('/statements', { voidedStatementId: id }).expect(200);
  });
});
