/**
 * Forwarding statements to schools' LRSs through a real local LRS (tests/support/test-lrs.ts) that fails, hangs
 * and recovers; the worker runs once per call with an injected clock (no sleeps).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { CreateLrsDestination } from '../../server/contract/lrs-destinations.js';
import {
  addDestination,
  listDeadLetters,
  replayDeadLetters,
  resumeDestination,
  getDestination,
} from '../../server/modules/xapi/forward/service.js';
import { forwardStatements, type ForwardDeps } from '../../server/modules/xapi/forward/worker.js';
import { buildErasureNoticeStatement, buildVoidingStatement } from '../../server/modules/xapi/generate.js';
import { testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { buildSchool, buildUser } from '../support/factories.js';
import { buildGrant, buildPartner, giveConsent } from '../support/factories-sharing.js';
import { startTestLrs, storeAs, type TestLrs, type TestLrsOptions } from '../support/test-lrs.js';

const database = await useTestDatabase();
const { models } = database;
const SECRET = testConfig().keyEncryptionSecret;
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const EXPERIENCED = 'http://adlnet.gov/expapi/verbs/experienced';

const servers: TestLrs[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const logLines: { level: number; msg: string; destinationId?: string }[] = [];
const logger = createLogger(
  'warn',
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  }),
);

/** The injected clock; statements are stored at its time (see put). */
function makeClock() {
  let t = Date.now();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

async function lrs(options: TestLrsOptions = {}) {
  const server = await startTestLrs({ basic: { key: 'k', secret: 's3cret-value' }, ...options });
  servers.push(server);
  return server;
}

function statement(sub: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.example', name: sub } },
    verb: { id: COMPLETED, display: { en: 'completed' } },
    object: { objectType: 'Activity', id: `https://waymark.example/activities/${n}` },
    timestamp: new Date(Date.UTC(2026, 10, 1, 9, 0, n % 60)).toISOString(),
    ...extra,
  };
}

async function destination(schoolId: string, server: TestLrs, input: Record<string, unknown> = {}) {
  return addDestination(
    { models, secret: SECRET },
    { schoolId },
    CreateLrsDestination.parse({
      endpoint: `${server.endpoint}/`,
      auth: { kind: 'basic', key: 'k', secret: 's3cret-value' },
      ...input,
    }),
  );
}

function worker(clock: ReturnType<typeof makeClock>, extra: Partial<ForwardDeps> = {}): ForwardDeps {
  return { models, secret: SECRET, logger, now: clock.now, random: () => 0.5, options: { requestTimeoutMs: 400 }, ...extra };
}

/** Runs the worker for one destination until it has nothing left, moving the clock to each next attempt. */
async function drain(deps: ForwardDeps, clock: ReturnType<typeof makeClock>, destinationId: string, maxRuns = 40) {
  const outcomes: string[] = [];
  for (let i = 0; i < maxRuns; i++) {
    const [run] = await forwardStatements(deps, { destinationId });
    outcomes.push(run?.outcome ?? 'not-due');
    const d = await models.LrsDestination.findById(destinationId).lean();
    if (d?.status === 'paused') break;
    if (run?.outcome === 'idle') break;
    if (d?.nextAttemptAt) clock.set(Math.max(clock.now().getTime(), d.nextAttemptAt.getTime()));
  }
  return outcomes;
}

const ids = (list: { id: string }[]) => list.map((s) => s.id);

/** Stores statements at the clock's time, then moves the clock past the worker's 30 s safety lag. */
async function put(
  clock: ReturnType<typeof makeClock>,
  schoolId: string,
  list: Record<string, unknown>[],
  options: { credentialKey?: string; version?: '1.0.3' | '2.0' } = {},
) {
  await storeAs(models, schoolId, list, { ...options, stored: clock.now() });
  clock.advance(31_000);
}

describe('forwarding to an LRS', () => {
  it('sends every statement once, in stored order, in batches of at most 50, with the seal on secrets at rest', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    expect(dest.endpoint).toBe(server.endpoint);
    const all = Array.from({ length: 120 }, (_, i) => statement(`pupil-${i % 7}`, i));
    await put(clock, school.id, all.slice(0, 60));
    await put(clock, school.id, all.slice(60));

    const outcomes = await drain(worker(clock), clock, dest.id);

    expect(outcomes.at(-1)).toBe('idle');
    expect(ids(server.stored)).toEqual(ids(all));
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.every((p) => p.statements.length <= 50)).toBe(true);
    const raw = JSON.stringify(await models.LrsDestination.findById(dest.id).lean());
    expect(raw).not.toContain('s3cret-value');
    const view = await getDestination({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
    expect(view).toMatchObject({ delivered: 120, backlog: 0, deadLetters: 0, version: '1.0.3', lastError: null });
    expect(view.lastSuccessAt).not.toBeNull();
  });

  it('reads /about and sends the 2.0.0 form to a 2.0 LRS and the 1.0.3 form to a 1.0.3 LRS', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const lrs2 = await lrs({ versions: ['1.0.3', '2.0.0'] });
    const lrs1 = await lrs({ versions: ['1.0.0', '1.0.3'] });
    const d2 = await destination(school.id, lrs2);
    const d1 = await destination(school.id, lrs1);
    const s = statement('pupil-a', 1, {
      context: {
        contextAgents: [{ objectType: 'contextAgent', agent: { objectType: 'Agent', mbox: 'mailto:teacher@example.org' } }],
      },
    });
    await put(clock, school.id, [s], { version: '2.0' });
    await drain(worker(clock), clock, d2.id);
    await drain(worker(clock), clock, d1.id);

    const post2 = lrs2.requests.find((r) => r.method === 'POST');
    const post1 = lrs1.requests.find((r) => r.method === 'POST');
    expect(post2?.version).toBe('2.0.0');
    expect(post1?.version).toBe('1.0.3');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- statements as sent, read freely
    const sent2 = post2?.statements[0] as Record<string, any>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- statements as sent, read freely
    const sent1 = post1?.statements[0] as Record<string, any>;
    expect(sent2.version).toBe('2.0.0');
    expect(sent2.context.contextAgents).toHaveLength(1);
    expect(sent1.version).toBe('1.0.0');
    expect(sent1.context?.contextAgents).toBeUndefined();
    for (const sent of [sent1, sent2]) {
      expect(sent.stored).toBeUndefined();
      expect(sent.authority).toBeUndefined();
      expect(sent.id).toBe(s.id);
    }
    expect((await models.LrsDestination.findById(d2.id).lean())?.version).toBe('2.0.0');
  });

  it('keeps sending through 500s, a hang, 503 and 429 with Retry-After, then recovers: nothing lost, nothing duplicated, pupil order kept', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const all = Array.from({ length: 130 }, (_, i) => statement(`pupil-${i % 3}`, i));
    await put(clock, school.id, all);
    const deps = worker(clock);

    server.failNext(1, { status: 500 });
    let [run] = await forwardStatements(deps, { destinationId: dest.id });
    expect(run?.outcome).toBe('retry');
    let d = await models.LrsDestination.findById(dest.id).lean();
    expect(d?.lastError).toMatchObject({ code: 'http_500', status: 500 });
    expect(d?.failures).toBe(1);
    // Equal jitter with random 0.5: 3/4 of the first 10 s step.
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(7_500);
    // Not due before then.
    expect(await forwardStatements(deps, { destinationId: dest.id })).toEqual([]);

    clock.advance(7_500);
    server.failNext(1, { status: 502 });
    await forwardStatements(deps, { destinationId: dest.id });
    d = await models.LrsDestination.findById(dest.id).lean();
    expect(d?.failures).toBe(2);
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(15_000); // the step doubled

    clock.advance(15_000);
    server.failNext(1, { hang: true, status: 0 });
    [run] = await forwardStatements(deps, { destinationId: dest.id });
    expect(run?.outcome).toBe('retry');
    d = await models.LrsDestination.findById(dest.id).lean();
    expect(d?.lastError?.code).toBe('timeout');

    clock.set(d!.nextAttemptAt!.getTime());
    server.failNext(1, { status: 503, retryAfter: '120' });
    await forwardStatements(deps, { destinationId: dest.id });
    d = await models.LrsDestination.findById(dest.id).lean();
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(120_000);

    clock.advance(120_000);
    server.failNext(1, { status: 429, retryAfter: new Date(clock.now().getTime() + 30_000).toUTCString() });
    await forwardStatements(deps, { destinationId: dest.id });
    d = await models.LrsDestination.findById(dest.id).lean();
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBeGreaterThan(28_000);
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBeLessThanOrEqual(30_000);

    // A failure in the middle of a run: the first batch is stored, the second fails; the retry starts from the second.
    clock.set(d!.nextAttemptAt!.getTime());
    server.failNext(1, { pass: true, status: 200 });
    server.failNext(1, { status: 500 });
    await forwardStatements(deps, { destinationId: dest.id });
    expect(ids(server.stored)).toEqual(ids(all.slice(0, 50)));
    d = await models.LrsDestination.findById(dest.id).lean();
    clock.set(d!.nextAttemptAt!.getTime());
    await drain(deps, clock, dest.id);

    expect(ids(server.stored)).toEqual(ids(all));
    expect(new Set(ids(server.stored)).size).toBe(130);
    for (const pupil of ['pupil-0', 'pupil-1', 'pupil-2']) {
      const mine = all.filter((s) => s.actor.account.name === pupil);
      const received = server.stored.filter((s) => (s.actor as { account: { name: string } }).account.name === pupil);
      expect(ids(received)).toEqual(ids(mine));
    }
    d = await models.LrsDestination.findById(dest.id).lean();
    expect(d).toMatchObject({ failures: 0, failingSince: null, nextAttemptAt: null, delivered: 130 });
  });

  it('resends a batch whose answer was lost: the LRS keeps one copy, whether it answers 200 or 409 to the resend', async () => {
    const clock = makeClock();
    for (const conflictOnIdentical of [false, true]) {
      const school = await buildSchool(models);
      const server = await lrs({ conflictOnIdentical });
      const dest = await destination(school.id, server);
      const all = Array.from({ length: 10 }, (_, i) => statement('pupil-x', i));
      await put(clock, school.id, all);
      // The LRS already holds them (its answer to our first send was lost).
      for (const s of all) server.preload({ ...s, version: '1.0.0' });
      await drain(worker(clock), clock, dest.id);
      const view = await getDestination({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
      expect(view).toMatchObject({ delivered: 10, deadLetters: 0, backlog: 0 });
    }
  });

  it('isolates a 400 statement by splitting, dead-letters it, sends the rest; a replay sends it once fixed', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const all = Array.from({ length: 20 }, (_, i) => statement(`pupil-${i % 2}`, i));
    await put(clock, school.id, all);
    const bad = all[13]!;
    server.rejectIds([bad.id]);
    await drain(worker(clock), clock, dest.id);

    expect(ids(server.stored)).toEqual(ids(all.filter((s) => s !== bad)));
    const letters = await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ statementId: bad.id, reason: 'rejected', status: 'dead' });
    expect(letters[0]?.detail).toContain('400');
    expect(logLines.some((l) => l.level === 50 && l.destinationId === dest.id && /dead letters/.test(l.msg))).toBe(true);

    server.rejectIds([]);
    const newer = statement('pupil-1', 99);
    await put(clock, school.id, [newer]);
    clock.advance(60_000);
    expect(await replayDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id, { all: true })).toEqual({
      queued: 1,
    });
    await drain(worker(clock), clock, dest.id);
    expect(server.stored.slice(-2).map((s) => s.id)).toEqual([bad.id, newer.id]); // the replay goes first
    expect(await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id)).toEqual([]);
  });

  it('halves batches on 413 and remembers the size; a single statement still too large is dead-lettered', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const all = Array.from({ length: 60 }, (_, i) => statement('pupil-z', i));
    await put(clock, school.id, all);
    server.rejectAbove(20);
    await drain(worker(clock), clock, dest.id);
    expect(ids(server.stored)).toEqual(ids(all));
    const d = await models.LrsDestination.findById(dest.id).lean();
    expect(d?.maxBatch).toBeLessThanOrEqual(20);
    const later = server.requests.filter((r) => r.method === 'POST').slice(-2);
    expect(later.every((r) => r.status === 200 && r.statements.length <= 20)).toBe(true);

    server.rejectAbove(0);
    const huge = statement('pupil-z', 100);
    await put(clock, school.id, [huge]);
    clock.advance(60_000);
    await drain(worker(clock), clock, dest.id);
    const letters = await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
    expect(letters.map((l) => [l.statementId, l.reason])).toEqual([[huge.id, 'too_large']]);
  });

  it('splits a 409 batch: a statement the LRS holds with other content is dead-lettered as a conflict, the rest delivered', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const all = Array.from({ length: 8 }, (_, i) => statement('pupil-c', i));
    await put(clock, school.id, all);
    server.preload({ ...all[5]!, verb: { id: EXPERIENCED } });
    await drain(worker(clock), clock, dest.id);
    expect(ids(server.stored)).toEqual(ids(all.filter((_, i) => i !== 5)));
    const letters = await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
    expect(letters.map((l) => [l.statementId, l.reason])).toEqual([[all[5]!.id, 'conflict']]);
  });

  it('pauses a destination on 401 and alerts; resuming with new credentials sends what waited', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await addDestination(
      { models, secret: SECRET },
      { schoolId: school.id },
      CreateLrsDestination.parse({ endpoint: server.endpoint, auth: { kind: 'basic', key: 'k', secret: 'wrong' } }),
    );
    const all = Array.from({ length: 3 }, (_, i) => statement('pupil-p', i));
    await put(clock, school.id, all);
    const [run] = await forwardStatements(worker(clock), { destinationId: dest.id });
    expect(run?.outcome).toBe('paused');
    const view = await getDestination({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
    expect(view).toMatchObject({ status: 'paused', backlog: 3, lastError: { code: 'auth_rejected', status: 401 } });
    expect(view.pausedReason).toContain('auth_rejected');
    expect(logLines.some((l) => l.level === 50 && l.destinationId === dest.id && /paused/.test(l.msg))).toBe(true);
    clock.advance(3_600_000);
    expect(await forwardStatements(worker(clock), { destinationId: dest.id })).toEqual([]); // paused: never due

    await resumeDestination({ models, secret: SECRET }, { schoolId: school.id }, dest.id, {
      kind: 'basic',
      key: 'k',
      secret: 's3cret-value',
    });
    await drain(worker(clock), clock, dest.id);
    expect(ids(server.stored)).toEqual(ids(all));
  });

  it('gets an OAuth2 token with client credentials, reuses it until it expires, and fetches a new one on expiry and on 401', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await startTestLrs({ oauth: { clientId: 'waymark', clientSecret: 'client-s3cret', expiresIn: 600 } });
    servers.push(server);
    const dest = await addDestination(
      { models, secret: SECRET },
      { schoolId: school.id },
      CreateLrsDestination.parse({
        endpoint: server.endpoint,
        auth: {
          kind: 'oauth2',
          tokenUrl: server.tokenUrl,
          clientId: 'waymark',
          clientSecret: 'client-s3cret',
          scope: 'statements/write',
        },
      }),
    );
    await put(clock, school.id, [statement('pupil-o', 1)]);
    await drain(worker(clock), clock, dest.id);
    expect(server.tokenRequests).toBe(1);
    const stored = await models.LrsDestination.findById(dest.id).lean();
    expect(JSON.stringify(stored)).not.toContain('tok-1');
    expect(JSON.stringify(stored)).not.toContain('client-s3cret');

    await put(clock, school.id, [statement('pupil-o', 2)]);
    clock.advance(60_000); // still within the token's 600 s
    await drain(worker(clock), clock, dest.id);
    expect(server.tokenRequests).toBe(1);

    await put(clock, school.id, [statement('pupil-o', 3)]);
    clock.advance(600_000); // expired
    await drain(worker(clock), clock, dest.id);
    expect(server.tokenRequests).toBe(2);

    server.revokeTokens(); // the LRS forgets the token early: a 401 gets one fresh token, not a pause
    await put(clock, school.id, [statement('pupil-o', 4)]);
    clock.advance(60_000);
    await drain(worker(clock), clock, dest.id);
    expect(server.tokenRequests).toBe(3);
    expect(server.stored).toHaveLength(4);
    const posts = server.requests.filter((r) => r.method === 'POST' && r.path === '/xapi/statements');
    expect(posts.every((p) => p.authorization?.startsWith('Bearer tok-'))).toBe(true);
  });

  it('pauses when the token endpoint refuses the client', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await startTestLrs({ oauth: { clientId: 'waymark', clientSecret: 'right' } });
    servers.push(server);
    const dest = await addDestination(
      { models, secret: SECRET },
      { schoolId: school.id },
      CreateLrsDestination.parse({
        endpoint: server.endpoint,
        auth: { kind: 'oauth2', tokenUrl: server.tokenUrl, clientId: 'waymark', clientSecret: 'wrong' },
      }),
    );
    await put(clock, school.id, [statement('pupil-o', 1)]);
    const [run] = await forwardStatements(worker(clock), { destinationId: dest.id });
    expect(run?.outcome).toBe('paused');
    expect((await models.LrsDestination.findById(dest.id).lean())?.lastError?.code).toBe('token_rejected');
  });

  it('lets only one of two racing workers send for a destination; every statement arrives once', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const all = Array.from({ length: 150 }, (_, i) => statement(`pupil-${i % 4}`, i));
    await put(clock, school.id, all);
    const [a, b] = await Promise.all([
      forwardStatements(worker(clock), { destinationId: dest.id }),
      forwardStatements(worker(clock), { destinationId: dest.id }),
    ]);
    const outcomes = [...a, ...b].map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(ids(server.stored)).toEqual(ids(all));
    const posted = server.requests.filter((r) => r.method === 'POST').flatMap((r) => ids(r.statements));
    expect(posted).toHaveLength(150); // no batch was sent twice
  });

  it('a worker that lost its lease mid-batch cannot move the cursor; the new holder resends and the LRS keeps one copy', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const all = Array.from({ length: 5 }, (_, i) => statement('pupil-f', i));
    await put(clock, school.id, all);
    // While the first POST is in flight, another process takes the lease over (as if this one had stalled past it).
    const takeover: ForwardDeps['fetch'] = async (url, init) => {
      const res = await fetch(url, init);
      if (init.method === 'POST')
        await models.LrsDestination.updateOne(
          { _id: dest.id },
          { $set: { lease: { holder: 'other-process', until: new Date(clock.now().getTime() + 60_000) } } },
        );
      return res;
    };
    const [run] = await forwardStatements(worker(clock, { fetch: takeover }), { destinationId: dest.id });
    expect(run?.outcome).toBe('busy');
    const d = await models.LrsDestination.findById(dest.id).lean();
    expect(d?.cursor?.stored ?? null).toBeNull();
    expect(d?.lease?.holder).toBe('other-process');

    clock.advance(61_000); // the other process's lease expires unused
    await drain(worker(clock), clock, dest.id);
    expect(ids(server.stored)).toEqual(ids(all));
    expect((await models.LrsDestination.findById(dest.id).lean())?.delivered).toBe(5);
  });

  it('backs off on a refused connection (network error) like a 5xx', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    await put(clock, school.id, [statement('pupil-n', 1)]);
    const [run] = await forwardStatements(worker(clock), { destinationId: dest.id });
    expect(run?.outcome).toBe('retry');
    const d = await models.LrsDestination.findById(dest.id).lean();
    expect(d?.lastError?.code).toBe('network');
    expect(d?.status).toBe('active');
    expect(d?.nextAttemptAt?.getTime()).toBeGreaterThan(clock.now().getTime());
  });

  it('does not send statements stored within the safety lag until the lag has passed', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const s = statement('pupil-l', 1);
    await storeAs(models, school.id, [s], { stored: clock.now() });
    clock.advance(29_000); // inside the 30 s lag: a write stamped earlier may still be landing
    await forwardStatements(worker(clock), { destinationId: dest.id });
    expect(server.stored).toHaveLength(0);
    clock.advance(1_001);
    await forwardStatements(worker(clock), { destinationId: dest.id });
    expect(ids(server.stored)).toEqual([s.id]);
  });

  it('moves statements undeliverable past the limit to the dead letters, and replays them when the LRS is back', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server, { deadLetterAfterHours: 24 });
    const all = Array.from({ length: 5 }, (_, i) => statement('pupil-d', i));
    await put(clock, school.id, all);
    server.failNext(1000, { status: 500 });
    const deps = worker(clock, { options: { requestTimeoutMs: 400, backoffMaxMs: 6 * 3_600_000 } });
    await drain(deps, clock, dest.id, 12);
    expect(await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id)).toEqual([]);
    clock.advance(25 * 3_600_000);
    await forwardStatements(deps, { destinationId: dest.id });
    const letters = await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id);
    expect(letters.map((l) => l.statementId)).toEqual(ids(all));
    expect(letters.every((l) => l.reason === 'expired')).toBe(true);
    expect(server.stored).toHaveLength(0);

    server.recover();
    await replayDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id, { ids: [letters[0]!.id] });
    expect((await getDestination({ models, secret: SECRET }, { schoolId: school.id }, dest.id)).replaysQueued).toBe(1);
    await drain(deps, clock, dest.id);
    expect(ids(server.stored)).toEqual([all[0]!.id]);
    expect(await replayDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id, { all: true })).toEqual({
      queued: 4,
    });
    await drain(deps, clock, dest.id);
    expect(ids(server.stored)).toEqual(ids(all));
    expect(await listDeadLetters({ models, secret: SECRET }, { schoolId: school.id }, dest.id)).toEqual([]);
  });
});

describe('which statements a destination gets', () => {
  it('sends only Waymark-generated statements, only allowed verbs, only shared pupils, and never another school’s', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const other = await buildSchool(models);
    // The school shares one pupil with the partner organisation (code careers-hub), with consent.
    const sharedPupil = await buildUser(models, school, { role: 'pupil' });
    const hub = await buildPartner(models, school, { code: `careers-hub-${school.id}` });
    await buildGrant(models, school, { partnerId: hub.id }, 'pupil', [sharedPupil.id]);
    await giveConsent(models, school, sharedPupil);
    const server = await lrs();
    const waymarkOnly = await destination(school.id, server, { filters: { statements: 'waymark' } });
    const server2 = await lrs();
    const verbs = await destination(school.id, server2, { filters: { verbs: [EXPERIENCED] } });
    const server3 = await lrs();
    const shared = await destination(school.id, server3, { filters: { pupils: 'shared', partnerId: hub.code } });

    const ours = statement(sharedPupil.sub, 1);
    const partners = statement(sharedPupil.sub, 2);
    const experienced = statement('other-pupil', 3, { verb: { id: EXPERIENCED } });
    const elsewhere = statement(sharedPupil.sub, 4);
    await put(clock, school.id, [ours]);
    await put(clock, school.id, [partners], { credentialKey: 'wm_partnerkey' });
    await put(clock, school.id, [experienced]);
    await put(clock, other.id, [elsewhere]);
    for (const d of [waymarkOnly, verbs, shared]) await drain(worker(clock), clock, d.id);

    expect(ids(server.stored)).toEqual([ours.id, experienced.id]);
    expect(ids(server2.stored)).toEqual([experienced.id]);
    expect(ids(server3.stored)).toEqual([ours.id, partners.id]);
    for (const s of [server, server2, server3]) expect(ids(s.stored)).not.toContain(elsewhere.id);
    expect((await getDestination({ models, secret: SECRET }, { schoolId: school.id }, verbs.id)).backlog).toBe(0);
  });

  it('lets Waymark’s voiding statements through every filter, and its erasure notice to destinations that get all pupils', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const pupil = await buildUser(models, school, { role: 'pupil' });
    const hub = await buildPartner(models, school, { code: `careers-hub-${school.id}` });
    const allServer = await lrs();
    const all = await destination(school.id, allServer, { filters: { verbs: [EXPERIENCED] } });
    const sharedServer = await lrs();
    const shared = await destination(school.id, sharedServer, { filters: { pupils: 'shared', partnerId: hub.code } });
    const target = statement(pupil.sub, 1);
    await put(clock, school.id, [target]);
    const voiding = buildVoidingStatement({ publicUrl: 'https://tool.example', statementId: target.id, at: clock.now() });
    const notice = buildErasureNoticeStatement({
      publicUrl: 'https://tool.example',
      schoolId: school.id,
      agent: target.actor,
      at: clock.now(),
    });
    await put(clock, school.id, [voiding, notice]);
    // A partner's own voiding statement is no erasure: the filters apply to it as to any statement.
    const partnersVoiding = { ...voiding, id: randomUUID(), object: { objectType: 'StatementRef', id: randomUUID() } };
    await put(clock, school.id, [partnersVoiding], { credentialKey: 'wm_partnerkey' });
    for (const d of [all, shared]) await drain(worker(clock), clock, d.id);

    expect(ids(allServer.stored)).toEqual([voiding.id, notice.id]);
    expect(ids(sharedServer.stored)).toEqual([voiding.id]);
  });

  it('forwards a statement with an attachment as multipart/mixed with the attachment part', async () => {
    const clock = makeClock();
    const school = await buildSchool(models);
    const server = await lrs();
    const dest = await destination(school.id, server);
    const data = Buffer.from('evidence bytes');
    const { createHash } = await import('node:crypto');
    const sha2 = createHash('sha256').update(data).digest('hex');
    const s = statement('pupil-m', 1, {
      attachments: [
        {
          usageType: 'https://waymark.example/evidence',
          display: { en: 'evidence' },
          contentType: 'text/plain',
          length: data.length,
          sha2,
        },
      ],
    });
    const { storeStatements } = await import('../../server/modules/xapi/statements.js');
    await storeStatements(
      models,
      {
        credential: { key: 'waymark', schoolId: school.id, scope: 'all', read: true, write: true },
        version: '2.0',
        publicUrl: 'https://waymark.example',
        cursorKey: Buffer.alloc(32, 1),
      },
      [s],
      [{ sha2, contentType: 'text/plain', data }],
    );
    clock.advance(31_000);
    await drain(worker(clock), clock, dest.id);
    const post = server.requests.find((r) => r.method === 'POST');
    expect(post?.contentType).toMatch(/^multipart\/mixed/);
    expect(post?.partHashes).toEqual([sha2]);
    expect(ids(server.stored)).toEqual([s.id]);
  });
});

describe('the statement form per LRS version', () => {
  const stored = {
    id: '6f1c1a55-0f36-4a4c-9a57-5b1b8f5a8e01',
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.example', name: 'p1' } },
    verb: { id: COMPLETED },
    object: {
      objectType: 'SubStatement',
      actor: { objectType: 'Agent', mbox: 'mailto:a@example.org' },
      verb: { id: COMPLETED },
      object: { objectType: 'Activity', id: 'https://waymark.example/a/1' },
      context: { contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', mbox: 'mailto:g@example.org' } }] },
    },
    context: { contextAgents: [{ objectType: 'contextAgent', agent: { objectType: 'Agent', mbox: 'mailto:t@example.org' } }] },
    timestamp: '2026-11-01T10:00:00',
    stored: '2026-11-01T10:00:01.000Z',
    authority: { objectType: 'Agent', account: { homePage: 'https://waymark.example', name: 'waymark' } },
    version: '1.0.0',
  };

  it('gives a 1.0.3 LRS version 1.0.0 without 2.0-only context properties (also in a SubStatement), stored or authority', async () => {
    const { convertStatement } = await import('../../server/modules/xapi/forward/convert.js');
    const out = convertStatement(stored, '1.0.3') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read freely
    expect(out.version).toBe('1.0.0');
    expect(out.context).toEqual({});
    expect(out.object.context).toEqual({});
    expect(out.stored).toBeUndefined();
    expect(out.authority).toBeUndefined();
    expect(out.timestamp).toBe('2026-11-01T10:00:00');
    expect(stored.context.contextAgents).toHaveLength(1); // the frozen statement is not changed
  });

  it('gives a 2.0 LRS version 2.0.0, keeps contextAgents and writes an offset-less timestamp in UTC', async () => {
    const { convertStatement } = await import('../../server/modules/xapi/forward/convert.js');
    const out = convertStatement(stored, '2.0.0') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read freely
    expect(out.version).toBe('2.0.0');
    expect(out.context.contextAgents).toHaveLength(1);
    expect(out.object.context.contextGroups).toHaveLength(1);
    expect(out.timestamp).toBe('2026-11-01T10:00:00Z');
  });

  it('reads the version from /about, and Retry-After as seconds or a date', async () => {
    const { versionFromAbout } = await import('../../server/modules/xapi/forward/convert.js');
    const { retryAfterMs } = await import('../../server/modules/xapi/forward/http.js');
    expect(versionFromAbout({ version: ['1.0.3', '2.0.0'] })).toBe('2.0.0');
    expect(versionFromAbout({ version: ['1.0.0', '1.0.3'] })).toBe('1.0.3');
    expect(versionFromAbout({})).toBe('1.0.3');
    const now = new Date('2026-11-29T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
