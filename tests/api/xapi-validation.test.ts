/**
 * Strict validation: every non-conformant statement is a 400 with a reason and leaves nothing stored. Named by the
 * ADL LRS conformance requirement (XAPI-xxxxx) or the section of xAPI 1.0.3 / IEEE 9274.1.1 it comes from.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH } from '../../server/modules/xapi/statements.js';
import { useTestDatabase } from '../support/db.js';
import { client, setupLrs, statement, VERSIONS } from './xapi-support.js';

const database = await useTestDatabase();
const { app, school, full } = await setupLrs(database);
const { models } = database;
const countStored = () => models.XapiStatement.countDocuments({ schoolId: school.id });

type Mutate = (s: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const BOTH: [string, Mutate][] = [
  ['XAPI-00003: a statement without actor', (s) => delete s.actor],
  ['XAPI-00004: a statement without verb', (s) => delete s.verb],
  ['XAPI-00005: a statement without object', (s) => delete s.object],
  ['XAPI-00001: a property set to null', (s) => (s.context = null)],
  ['XAPI-00001: a null inside a language map', (s) => (s.verb.display = { 'en-US': null })],
  ['XAPI-00006: a string where a number is required (score.raw "5")', (s) => (s.result = { score: { raw: '5' } })],
  ['XAPI-00006: a string where a boolean is required (success "true")', (s) => (s.result = { success: 'true' })],
  ['XAPI-00007: an id that is not a UUID', (s) => (s.id = 'c70c2b85-321f-4e1c-a0b5-6c41d4e5ac7z')],
  ['XAPI-00007: an mbox that is not a mailto IRI', (s) => (s.actor.mbox = 'learner@example.org')],
  ['XAPI-00007: a verb id that is not an IRI', (s) => (s.verb.id = 'completed')],
  ['XAPI-00008/XAPI-00010: a key in the wrong case ("Actor")', (s) => ((s.Actor = s.actor), delete s.actor)],
  ['Data 2.2: an unknown property at the top level', (s) => (s.colour = 'blue')],
  ['Data 2.2: an unknown property in the object', (s) => (s.object.kind = 'module')],
  ['XAPI-00009: an interactionType in the wrong case ("Choice")', (s) => (s.object.definition.interactionType = 'Choice')],
  ['XAPI-00013: a language map key that is not an RFC 5646 tag', (s) => (s.verb.display = { 'not a tag': 'x' })],
  ['XAPI-00013: a tag with a repeated extension singleton', (s) => (s.object.definition.name = { 'zh-z-aaa-z-bbb-c-ccc': 'x' })],
  ['Data 2.4.2.1: an Agent with two inverse functional identifiers', (s) => (s.actor.openid = 'https://openid.example/me')],
  ['Data 2.4.2.1: an Agent with no inverse functional identifier', (s) => (s.actor = { name: 'Nobody' })],
  ['Data 2.4.2.1: an account without homePage', (s) => (s.actor = { account: { name: 'x' } })],
  ['Data 2.4.2.1: an mbox_sha1sum that is not hex SHA-1', (s) => (s.actor = { mbox_sha1sum: 'abc' })],
  ['Data 2.4.2.2: an anonymous Group without members', (s) => (s.actor = { objectType: 'Group', name: 'Team' })],
  [
    'Data 2.4.2.2: a Group member that is a Group',
    (s) =>
      (s.actor = {
        objectType: 'Group',
        mbox: 'mailto:g@example.org',
        member: [{ objectType: 'Group', mbox: 'mailto:h@example.org' }],
      }),
  ],
  [
    'Data 2.4.4.1: interaction components not allowed by the interactionType',
    (s) => void Object.assign(s.object.definition, { interactionType: 'true-false', choices: [{ id: 'a' }] }),
  ],
  [
    'Data 2.4.4.1: duplicate interaction component ids',
    (s) => void Object.assign(s.object.definition, { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] }),
  ],
  [
    'Data 2.4.4.3: a SubStatement inside a SubStatement',
    (s) =>
      (s.object = {
        objectType: 'SubStatement',
        actor: s.actor,
        verb: s.verb,
        object: { objectType: 'SubStatement', actor: s.actor, verb: s.verb, object: { id: 'https://x.example/a' } },
      }),
  ],
  [
    'Data 2.4.4.3: a SubStatement with an id',
    (s) =>
      (s.object = {
        objectType: 'SubStatement',
        id: randomUUID(),
        actor: s.actor,
        verb: s.verb,
        object: { id: 'https://x.example/a' },
      }),
  ],
  ['Data 2.4.4.2: a StatementRef whose id is not a UUID', (s) => (s.object = { objectType: 'StatementRef', id: 'abc' })],
  ['Data 2.4.5.1: a scaled score above 1', (s) => (s.result = { score: { scaled: 1.5 } })],
  ['Data 2.4.5.1: a raw score below min', (s) => (s.result = { score: { raw: -1, min: 0, max: 10 } })],
  ['Data 2.4.5.1: min not below max', (s) => (s.result = { score: { min: 10, max: 10 } })],
  ['Data 2.4.5: a duration that is not ISO 8601', (s) => (s.result = { duration: '1 hour' })],
  [
    'Data 2.4.6: revision when the object is not an Activity',
    (s) => ((s.object = { objectType: 'Agent', mbox: 'mailto:o@example.org' }), (s.context = { revision: '2' })),
  ],
  [
    'Data 2.4.6: platform when the object is a StatementRef',
    (s) => ((s.object = { objectType: 'StatementRef', id: randomUUID() }), (s.context = { platform: 'Waymark' })),
  ],
  ['Data 2.4.6: a registration that is not a UUID', (s) => (s.context = { registration: 'attempt-1' })],
  ['Data 2.4.6: a team that is an Agent', (s) => (s.context = { team: { mbox: 'mailto:t@example.org' } })],
  ['Data 2.4.7: a timestamp that is not a date-time', (s) => (s.timestamp = '2024-13-45T99:00:00Z')],
  ['Data 2.4.7: a timestamp with the -00:00 offset', (s) => (s.timestamp = '2024-01-01T10:00:00-00:00')],
  ['Data 2.4.10: a version this LRS does not accept', (s) => (s.version = '0.95')],
  [
    'Data 2.4.11: an attachment without sha2',
    (s) =>
      (s.attachments = [
        {
          usageType: 'https://x.example/u',
          display: { en: 'a' },
          contentType: 'text/plain',
          length: 1,
          fileUrl: 'https://x.example/f',
        },
      ]),
  ],
  [
    'Data 2.4.11: an attachment without data or fileUrl',
    (s) =>
      (s.attachments = [
        { usageType: 'https://x.example/u', display: { en: 'a' }, contentType: 'text/plain', length: 1, sha2: 'a'.repeat(64) },
      ]),
  ],
  ['Data 4.3: an extension key that is not an IRI', (s) => (s.result = { extensions: { score: 1 } })],
];

describe.each(VERSIONS)('statement validation, xAPI %s', (version) => {
  const c = client(app, full.auth, version);
  const is2 = version === '2.0.0';

  it.each(BOTH)('%s is rejected with 400 and a reason, nothing stored', async (_name, mutate) => {
    const s = statement();
    s.object.definition = { ...s.object.definition };
    mutate(s);
    const before = await countStored();
    const res = await c.post('/statements', [statement(), s]);
    expect(res.status).toBe(400);
    expect(res.body.error.message.length).toBeGreaterThan(10);
    expect(await countStored()).toBe(before);
  });

  it('XAPI-00001: null is allowed inside extensions', async () => {
    const res = await c.post('/statements', statement({ result: { extensions: { 'https://waymark.example/ext/x': null } } }));
    expect(res.status).toBe(200);
  });

  it('Data 2.4.2: mbox, mbox_sha1sum, openid and account are each accepted as the one IFI', async () => {
    for (const actor of [
      { mbox: 'mailto:a@example.org' },
      { mbox_sha1sum: createHash('sha1').update('mailto:a@example.org').digest('hex') },
      { openid: 'https://openid.example/a' },
      { account: { homePage: 'https://lms.example', name: 'sub-1' } },
    ])
      await c.post('/statements', statement({ actor })).expect(200);
  });

  it(`${is2 ? 'IEEE 9274.1.1' : 'Data 2.4.6'}: contextAgents and contextGroups are ${is2 ? 'accepted with their rules' : 'unknown properties in 1.0.3'}`, async () => {
    const context = {
      contextAgents: [
        {
          objectType: 'contextAgent',
          agent: { mbox: 'mailto:m@example.org' },
          relevantTypes: ['https://waymark.example/types/mentor'],
        },
      ],
      contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', mbox: 'mailto:class@example.org' } }],
    };
    const res = await c.post('/statements', statement({ context }));
    expect(res.status).toBe(is2 ? 200 : 400);
    if (is2) {
      const badType = await c.post(
        '/statements',
        statement({ context: { contextAgents: [{ objectType: 'Agent', agent: { mbox: 'mailto:m@example.org' } }] } }),
      );
      expect(badType.status).toBe(400);
      const emptyTypes = await c.post(
        '/statements',
        statement({
          context: {
            contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:m@example.org' }, relevantTypes: [] }],
          },
        }),
      );
      expect(emptyTypes.status).toBe(400);
    }
  });

  it(
    is2
      ? 'IEEE 9274.1.1 Data 4.5: a timestamp without time zone is not RFC 3339 and is 400'
      : 'Data 2.4.7: an ISO 8601 timestamp without zone is accepted',
    async () => {
      const res = await c.post('/statements', statement({ timestamp: '2024-01-01T10:00:00' }));
      expect(res.status).toBe(is2 ? 400 : 200);
    },
  );

  it('Data 2.4.10: a statement with version 2.0.0 is accepted only under 2.0', async () => {
    const res = await c.post('/statements', statement({ version: '2.0.0' }));
    expect(res.status).toBe(is2 ? 200 : 400);
  });

  it('Communication 1.5: malformed JSON is 400 malformed_json and stores nothing', async () => {
    const before = await countStored();
    const res = await c.raw('post', '/statements').set('Content-Type', 'application/json').send('{"actor": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
    expect(await countStored()).toBe(before);
  });

  it('Communication 1.5: a body that is neither JSON nor multipart/mixed is 400', async () => {
    const res = await c.raw('post', '/statements').set('Content-Type', 'text/plain').send(JSON.stringify(statement()));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unsupported_content_type');
  });

  it(`Oversized batches: more than ${MAX_BATCH} statements is 413 with a reason and stores nothing`, async () => {
    const before = await countStored();
    const res = await c.post(
      '/statements',
      Array.from({ length: MAX_BATCH + 1 }, () => statement()),
    );
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('batch_too_large');
    expect(await countStored()).toBe(before);
  });

  it('Communication 1.5.2: a statement with an attachment in multipart/mixed is stored and returned with attachments=true', async () => {
    const data = Buffer.from('Reflection notes: I liked the workplace visit.');
    const sha2 = createHash('sha256').update(data).digest('hex');
    const s = statement({
      attachments: [
        {
          usageType: 'https://waymark.example/attachments/evidence',
          display: { en: 'Notes' },
          contentType: 'text/plain',
          length: data.length,
          sha2,
        },
      ],
    });
    const boundary = 'abc123boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(s)}\r\n--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await c.raw('post', '/statements').set('Content-Type', `multipart/mixed; boundary=${boundary}`).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = await c
      .get('/statements', { statementId: res.body[0], attachments: true })
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(got.headers['content-type']).toMatch(/^multipart\/mixed; boundary=/);
    const text = (got.body as Buffer).toString('utf8');
    expect(text).toContain(`X-Experience-API-Hash: ${sha2}`);
    expect(text).toContain('I liked the workplace visit');
    // A part whose bytes do not match its hash is refused.
    const tampered = body.toString('latin1').replace('workplace', 'WORKPLACE');
    const bad = await c
      .raw('post', '/statements')
      .set('Content-Type', `multipart/mixed; boundary=${boundary}`)
      .send(Buffer.from(tampered, 'latin1'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_attachment');
  });

  it('Data 2.6: a signed statement is accepted when the JWS payload matches, refused when it does not', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const send = async (signed: object, s: Record<string, unknown>) => {
      const jws = await new CompactSign(Buffer.from(JSON.stringify(signed)))
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
      const sha2 = createHash('sha256').update(jws).digest('hex');
      const withSig = {
        ...s,
        attachments: [
          {
            usageType: 'http://adlnet.gov/expapi/attachments/signature',
            display: { en: 'signature' },
            contentType: 'application/octet-stream',
            length: jws.length,
            sha2,
          },
        ],
      };
      const boundary = 'sigboundary';
      const body = `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(withSig)}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n${jws}\r\n--${boundary}--\r\n`;
      return c.raw('post', '/statements').set('Content-Type', `multipart/mixed; boundary=${boundary}`).send(body);
    };
    const s = statement({ id: randomUUID() });
    expect((await send(s, s)).status).toBe(200);
    const other = statement({ id: randomUUID() });
    const res = await send({ ...other, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }, other);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_signature');
  });
});

describe('version negotiation and the alternate request syntax', () => {
  const post = (version?: string) => {
    const r = request(app).post('/xapi/statements').set('Authorization', full.auth);
    return version ? r.set('X-Experience-API-Version', version) : r;
  };

  it('XAPI-00331: a request without X-Experience-API-Version is 400 (except About)', async () => {
    const res = await post().send(statement());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unsupported_version');
    const about = await request(app).get('/xapi/about');
    expect(about.status).toBe(200);
    expect(about.body.version).toEqual(expect.arrayContaining(['1.0.3', '2.0.0']));
  });

  it('XAPI-00331: an unsupported version (0.95, 3.0.0) is 400', async () => {
    for (const v of ['0.95', '3.0.0', 'banana']) expect((await post(v).send(statement())).status).toBe(400);
  });

  it('XAPI-00333: the response carries the version it answered with (1.0.x → 1.0.3, 2.0.x → 2.0.0)', async () => {
    expect((await post('1.0.1').send(statement())).headers['x-experience-api-version']).toBe('1.0.3');
    expect((await post('2.0').send(statement())).headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('XAPI-00336/XAPI-00148: 1.0.3 supports the alternate request syntax (GET and PUT as form POSTs)', async () => {
    const form = new URLSearchParams({ 'X-Experience-API-Version': '1.0.3', Authorization: full.auth, limit: '1' });
    const res = await request(app).post('/xapi/statements?method=GET').type('form').send(form.toString());
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('statements');
    expect(res.body).toHaveProperty('more');
    const id = randomUUID();
    const put = new URLSearchParams({
      'X-Experience-API-Version': '1.0.3',
      Authorization: full.auth,
      'Content-Type': 'application/json',
      statementId: id,
      content: JSON.stringify(statement()),
    });
    expect((await request(app).post('/xapi/statements?method=PUT').type('form').send(put.toString())).status).toBe(204);
    expect(await models.XapiStatement.countDocuments({ schoolId: school.id, statementId: id })).toBe(1);
  });

  it('Communication 1.3: extra query parameters in the alternate syntax are 400', async () => {
    const form = new URLSearchParams({ 'X-Experience-API-Version': '1.0.3', Authorization: full.auth });
    const res = await request(app)
      .post(`/xapi/statements?method=PUT&statementId=${randomUUID()}`)
      .type('form')
      .send(form.toString());
    expect(res.status).toBe(400);
  });

  it('IEEE 9274.1.1 Communication 1.3: xAPI 2.0 rejects the alternate request syntax', async () => {
    const form = new URLSearchParams({ 'X-Experience-API-Version': '2.0.0', Authorization: full.auth, limit: '1' });
    const res = await request(app).post('/xapi/statements?method=GET').type('form').send(form.toString());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('alternate_syntax_not_allowed');
    const viaHeader = await request(app)
      .post('/xapi/statements?method=GET')
      .set('X-Experience-API-Version', '2.0.0')
      .type('form')
      .send(`Authorization=${encodeURIComponent(full.auth)}`);
    expect(viaHeader.status).toBe(400);
  });

  it('Communication 1.1: HEAD answers like GET without a body', async () => {
    const res = await request(app)
      .head('/xapi/statements?limit=1')
      .set('Authorization', full.auth)
      .set('X-Experience-API-Version', '1.0.3');
    expect(res.status).toBe(200);
    expect(res.text ?? '').toBe('');
  });
});
