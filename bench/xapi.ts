/**
 * `npm run bench:xapi`: the Statement API's ingest and query speed over 100,000 stored statements, next to the raw
 * MongoDB insertMany rate of the same documents, so the cost of validation and indexing reads as a ratio.
 *
 * 1. POST /xapi/statements with one statement per request, then with batches of 50 (HTTP on loopback, HTTP Basic
 *    with a real credential, xAPI 2.0.0), each bounded by a count and a time budget.
 * 2. The store is filled to 100,000 statements through storeStatements (the same code path, without HTTP).
 * 3. The same stored documents are inserted with insertMany, in batches of 50, into a scratch collection of the same
 *    database (only the _id index): the floor for a write of those bytes; and again into a scratch collection with
 *    xapi_statements' indexes, so the cost of indexing and the cost of validation can be told apart.
 * 4. GET /xapi/statements by agent, by verb + since and by registration (limit=100), p50/p95 over many queries.
 *
 * Statements are Waymark's own (server/modules/xapi/generate.ts from synthetic learning events): 2,000 pupils in 80
 * classes, real curriculum modules, every generated kind. MongoDB: MONGODB_URI when set, else mongodb-memory-server
 * (honours MONGOMS_SYSTEM_BINARY); a database of its own, dropped at the end. Ends with one line of JSON.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCurriculum } from '../curriculum/index.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, syncIndexes } from '../server/db/connect.js';
import { createModels } from '../server/db/models.js';
import { createLogger } from '../server/log.js';
import { createCredential } from '../server/modules/xapi/credentials.js';
import {
  agentOf,
  buildStatements,
  classGroupOf,
  registrationFor,
  VERBS,
  type EventForXapi,
  type ModuleInfo,
  type XapiEnv,
} from '../server/modules/xapi/generate.js';
import { storeStatements, type XapiContext } from '../server/modules/xapi/statements.js';
import type { JsonObject } from '../server/modules/xapi/validate.js';
import { listenOnLoopback, openMongo, percentile } from './support.js';

const TOTAL = 100_000;
const PUPILS = 2_000;
const CLASSES = 80;
const SINGLE = { concurrency: 8, max: 4_000, budgetMs: 15_000 };
const BATCH = { size: 50, concurrency: 4, max: 25_000, budgetMs: 20_000 };
const RAW_DOCS = 25_000;
const QUERIES = 300;
const QUERY_LIMIT = 100;
const SCHOOL = 'bench-school';
const ISSUER = 'https://lms.bench.example';

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Waymark-shaped statements from synthetic learning events, in timeline order. */
function statementFactory(publicUrl: string) {
  const curriculum = loadCurriculum();
  const modules = [...curriculum.modules.values()].slice(0, 40).map<ModuleInfo>((m) => ({
    id: m.id,
    version: m.version,
    stage: m.stage,
    title: m.title,
    competencies: m.competencies.map((c) => c.id),
    activities: new Map(m.activities.map((a) => [a.id, { type: a.type, title: a.title }])),
  }));
  const pupilId = (n: number) => `bench${String(n).padStart(19, '0')}`;
  const classId = (n: number) => `class${String(n).padStart(19, '0')}`;
  const env: XapiEnv = {
    publicUrl,
    agents: new Map(
      Array.from({ length: PUPILS }, (_, n) => [
        pupilId(n),
        agentOf({ _id: pupilId(n), sub: `sub-${n}` }, { issuer: ISSUER, publicUrl, identifiable: false }),
      ]),
    ),
    classes: new Map(
      Array.from({ length: CLASSES }, (_, n) => [
        classId(n),
        classGroupOf({ contextId: `ctx-${n}` }, { issuer: ISSUER, publicUrl, classId: classId(n), identifiable: false }),
      ]),
    ),
    modules: new Map(modules.map((m) => [`${m.id}@${m.version}`, m])),
    language: 'en',
    progress: 50,
  };
  const kinds = [
    'progress.answer-saved',
    'progress.activity-completed',
    'progress.module-completed',
    'log.created',
    'careers.viewed',
  ];
  const start = Date.parse('2026-09-01T08:00:00Z');
  let i = 0;
  const queue: JsonObject[] = [];
  const registrations: string[] = [];
  const next = (): JsonObject => {
    while (!queue.length) {
      const n = i++;
      const pupil = n % PUPILS;
      const module = modules[(n * 7) % modules.length]!;
      const activity = [...module.activities.keys()][n % module.activities.size]!;
      const kind = kinds[n % kinds.length]!;
      const event: EventForXapi = {
        _id: `bench-event-${n}`,
        schoolId: SCHOOL,
        userId: pupilId(pupil),
        actorId: pupilId(pupil),
        actorRole: 'pupil',
        kind,
        classId: classId(pupil % CLASSES),
        at: new Date(start + n * 30_000),
        subject:
          kind === 'log.created'
            ? { logEntryId: `log-${n}` }
            : kind === 'careers.viewed'
              ? { activityId: `http://data.europa.eu/esco/occupation/bench-${n % 3000}` }
              : { moduleId: module.id, moduleVersion: module.version, activityId: activity },
        data:
          kind === 'progress.answer-saved'
            ? { status: 'completed', answer: { type: 'choice', selected: ['a'] }, score: { correct: 1, total: 1 } }
            : kind === 'log.created'
              ? { encounterType: 'employer-talk', hours: 1.5, competencies: module.competencies }
              : kind === 'progress.module-completed'
                ? { score: 75 }
                : { title: 'Nurse' },
      };
      if (n % 50 === 0 && event.subject?.moduleId) registrations.push(registrationFor(SCHOOL, event.userId, module.id));
      const mapped = buildStatements(event, env);
      if ('statements' in mapped) queue.push(...mapped.statements);
    }
    return queue.shift()!;
  };
  return {
    next,
    take: (n: number) => Array.from({ length: n }, next),
    agentOf: (n: number) => env.agents.get(pupilId(n % PUPILS))!,
    registrations,
  };
}

async function post(url: string, auth: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: auth, 'x-experience-api-version': '2.0.0', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST statements answered ${res.status}: ${text.slice(0, 300)}`);
}

/** Sends `take()` bodies with `concurrency` workers until `max` statements or the budget; statements per second. */
async function ingest(
  send: (body: JsonObject | JsonObject[]) => Promise<void>,
  take: () => JsonObject | JsonObject[],
  opts: { concurrency: number; max: number; budgetMs: number },
): Promise<{ statements: number; seconds: number; perSecond: number; p50: number; p95: number }> {
  let sent = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + opts.budgetMs;
  const worker = async () => {
    while (sent < opts.max && performance.now() < deadline) {
      const body = take();
      sent += Array.isArray(body) ? body.length : 1;
      const t0 = performance.now();
      await send(body);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return { statements: sent, seconds, perSecond: sent / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function timeQueries(run: (i: number) => Promise<number>): Promise<{ p50: number; p95: number; meanCount: number }> {
  const latencies: number[] = [];
  let count = 0;
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    count += await run(i);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((x, y) => x - y);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), meanCount: count / QUERIES };
}

async function main(): Promise<void> {
  const mongo = await openMongo();
  const dbName = `wm_bench_${randomBytes(6).toString('hex')}`;
  const db = await connectDatabase(mongo.uri, { dbName });
  const cleanups: (() => Promise<void>)[] = [
    () => db.connection.dropDatabase().then(() => undefined),
    () => db.close(),
    () => mongo.stop(),
  ];
  try {
    const models = createModels(db.connection);
    await syncIndexes(db.connection);
    const server = http.createServer();
    const base = `http://127.0.0.1:${await listenOnLoopback(server)}`;
    cleanups.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL: base,
      DATA_DIR: path.join(os.tmpdir(), 'waymark-bench'),
      KEY_ENCRYPTION_SECRET: randomBytes(48).toString('base64url'),
      DEMO: 'false',
      LOG_LEVEL: 'info',
    });
    const logger = createLogger(config.logLevel, { write: () => undefined });
    server.on('request', createApp({ config, logger, db, models }));
    await models.School.create({ _id: SCHOOL, name: 'Bench School', locale: 'en', country: 'england' });
    const { key, secret } = await createCredential(models, { schoolId: SCHOOL, scope: 'all', read: true, write: true });
    const auth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const statementsUrl = `${base}/xapi/statements`;
    const send = (body: JsonObject | JsonObject[]) => post(statementsUrl, auth, body);
    const factory = statementFactory(base);

    process.stdout.write(`Waymark xAPI bench: node ${process.version}, ${os.cpus().length} cores, MongoDB ${mongo.kind}\n`);
    await ingest(send, factory.next, { concurrency: 1, max: 200, budgetMs: 10_000 }); // warm-up
    const single = await ingest(send, factory.next, SINGLE);
    progress(`POST single: ${single.statements} statements, ${round(single.perSecond)}/s`);
    const batch = await ingest(send, () => factory.take(BATCH.size), BATCH);
    progress(`POST batches of 50: ${batch.statements} statements, ${round(batch.perSecond)}/s`);

    // Fill to TOTAL through the same store path without HTTP; remember when 90 % was stored (for `since`).
    const ctx: XapiContext = {
      credential: { key, schoolId: SCHOOL, scope: 'all', read: true, write: true },
      version: '2.0',
      publicUrl: base,
      cursorKey: randomBytes(32),
    };
    let stored = await models.XapiStatement.countDocuments({ schoolId: SCHOOL });
    const fillStarted = performance.now();
    const fillFrom = stored;
    let since90: Date | undefined;
    while (stored < TOTAL) {
      const n = Math.min(500, TOTAL - stored);
      await storeStatements(models, ctx, factory.take(n), []);
      stored += n;
      if (!since90 && stored >= TOTAL * 0.9) since90 = new Date();
      if (stored % 10_000 < n) progress(`stored ${stored}`);
    }
    const fillPerSecond = (stored - fillFrom) / ((performance.now() - fillStarted) / 1000);

    // The same documents, raw: insertMany in batches of 50 (the batch size above) into a scratch collection.
    const docs = await models.XapiStatement.find({ schoolId: SCHOOL }, { _id: 0 }).limit(RAW_DOCS).lean();
    const scratch = db.connection.collection(`bench_raw_${randomBytes(4).toString('hex')}`);
    let offset = 0;
    const raw = await ingest(
      async (body) => {
        await scratch.insertMany((body as JsonObject[]).map((d) => ({ ...d })));
      },
      () => {
        const slice = docs.slice(offset % docs.length, (offset % docs.length) + BATCH.size) as unknown as JsonObject[];
        offset += BATCH.size;
        return slice;
      },
      { concurrency: BATCH.concurrency, max: RAW_DOCS, budgetMs: BATCH.budgetMs },
    );
    await scratch.drop();
    // The same again into a scratch collection with xapi_statements' indexes: what indexing alone costs.
    const indexed = db.connection.collection(`bench_raw_indexed_${randomBytes(4).toString('hex')}`);
    const specs = (await db.connection.collection('xapi_statements').indexes()).filter((spec) => spec.name !== '_id_');
    await indexed.createIndexes(
      specs.map((spec) => ({
        key: spec.key,
        ...(spec.name ? { name: spec.name } : {}),
        ...(spec.unique ? { unique: true } : {}),
        ...(spec.partialFilterExpression ? { partialFilterExpression: spec.partialFilterExpression } : {}),
      })),
    );
    offset = 0;
    const rawIndexed = await ingest(
      async (body) => {
        await indexed.insertMany((body as JsonObject[]).map((d) => ({ ...d })));
      },
      () => {
        const slice = docs.slice(offset % docs.length, (offset % docs.length) + BATCH.size) as unknown as JsonObject[];
        offset += BATCH.size;
        return slice;
      },
      { concurrency: BATCH.concurrency, max: Math.min(RAW_DOCS, docs.length), budgetMs: BATCH.budgetMs },
    );
    await indexed.drop();
    progress(`raw insertMany of 50: ${raw.statements} documents, ${round(raw.perSecond)}/s`);

    // Queries.
    const get = async (query: Record<string, string>) => {
      const url = new URL(statementsUrl);
      for (const [k, v] of Object.entries({ ...query, limit: String(QUERY_LIMIT) })) url.searchParams.set(k, v);
      const res = await fetch(url, { headers: { authorization: auth, 'x-experience-api-version': '2.0.0' } });
      const body = (await res.json()) as { statements?: unknown[] };
      if (res.status !== 200 || !body.statements) throw new Error(`GET statements answered ${res.status}`);
      return body.statements.length;
    };
    const verbs = [VERBS.answered, VERBS.completed, VERBS.progressed, VERBS.experienced, VERBS.viewed];
    const byAgent = await timeQueries((i) => get({ agent: JSON.stringify(factory.agentOf((i * 7919) % PUPILS)) }));
    const byVerbSince = await timeQueries((i) =>
      get({ verb: verbs[i % verbs.length]!, since: (since90 ?? new Date(0)).toISOString() }),
    );
    const regs = factory.registrations;
    const byRegistration = await timeQueries((i) => get({ registration: regs[(i * 31) % regs.length]! }));

    const ratio = batch.perSecond / raw.perSecond;
    const lines = [
      ['measure', 'statements', 'seconds', 'per s', 'p50 ms', 'p95 ms'],
      [
        'POST single (c8)',
        single.statements,
        round(single.seconds, 2),
        round(single.perSecond),
        round(single.p50, 2),
        round(single.p95, 2),
      ],
      [
        'POST batch of 50 (c4)',
        batch.statements,
        round(batch.seconds, 2),
        round(batch.perSecond),
        round(batch.p50, 2),
        round(batch.p95, 2),
      ],
      [
        'raw insertMany of 50 (c4)',
        raw.statements,
        round(raw.seconds, 2),
        round(raw.perSecond),
        round(raw.p50, 2),
        round(raw.p95, 2),
      ],
      [
        'raw insertMany, same indexes',
        rawIndexed.statements,
        round(rawIndexed.seconds, 2),
        round(rawIndexed.perSecond),
        round(rawIndexed.p50, 2),
        round(rawIndexed.p95, 2),
      ],
    ].map((row) => row.map(String));
    const widths = lines[0]!.map((_, i) => Math.max(...lines.map((r) => r[i]!.length)));
    process.stdout.write('\ningest\n');
    for (const row of lines)
      process.stdout.write(`  ${row.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}\n`);
    process.stdout.write(
      `  batch50 / raw insertMany = ${round(ratio, 3)} (same indexes: ${round(batch.perSecond / rawIndexed.perSecond, 3)}); fill to ${TOTAL} via storeStatements (500/call): ${Math.round(fillPerSecond)}/s\n`,
    );
    process.stdout.write(`\nGET /xapi/statements over ${stored} statements (limit=${QUERY_LIMIT}, ${QUERIES} queries each)\n`);
    for (const [name, q] of [
      ['agent', byAgent],
      ['verb + since', byVerbSince],
      ['registration', byRegistration],
    ] as const)
      process.stdout.write(
        `  ${name.padEnd(14)} p50 ${round(q.p50, 2)} ms  p95 ${round(q.p95, 2)} ms  (${round(q.meanCount)} statements per answer)\n`,
      );
    process.stdout.write('\n');
    process.stdout.write(
      JSON.stringify({
        bench: 'xapi',
        single_per_s: round(single.perSecond),
        batch50_per_s: round(batch.perSecond),
        raw_insert_many_per_s: round(raw.perSecond),
        batch_to_raw_ratio: round(ratio, 3),
        raw_insert_many_indexed_per_s: round(rawIndexed.perSecond),
        batch_to_raw_indexed_ratio: round(batch.perSecond / rawIndexed.perSecond, 3),
        query_agent_p95_ms: round(byAgent.p95, 2),
        query_verb_since_p95_ms: round(byVerbSince.p95, 2),
        query_registration_p95_ms: round(byRegistration.p95, 2),
        query_limit: QUERY_LIMIT,
        stored_statements: stored,
        fill_store_per_s: Math.round(fillPerSecond),
        mongo: mongo.kind,
        node: process.version,
      }) + '\n',
    );
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:xapi failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
