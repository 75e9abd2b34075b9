/**
 * `npm run bench:careers`: careers explorer API latency, in process over loopback HTTP, as a pupil.
 *
 * 200 queries, half Dutch and half English, drawn deterministically from the dataset's titles and alternative
 * titles (whole titles, first words, 4-letter prefixes, and one-letter typos), run one after another through
 * GET /api/careers/search; then GET /api/careers/occupations/:id for each query's first result.
 * MongoDB: MONGODB_URI when set, else mongodb-memory-server (honours MONGOMS_SYSTEM_BINARY); a database of its own,
 * dropped at the end. Ends with one line of JSON.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDataset } from '../curriculum/careers/dataset.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, syncIndexes } from '../server/db/connect.js';
import { createModels } from '../server/db/models.js';
import { launchTokenKey, signLaunchToken } from '../server/http/launch-token.js';
import { createLogger } from '../server/log.js';
import { getCatalog } from '../server/modules/careers/catalog.js';

const QUERIES = 200;

async function mongo(): Promise<{ uri: string; stop: () => Promise<void> }> {
  const given = process.env.MONGODB_URI;
  if (given) return { uri: given, stop: async () => undefined };
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create();
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop();
    },
  };
}

/** Deterministic mixed queries: whole titles, first words, prefixes and typos, alternating nl/en. */
function queries(): { q: string; lang: 'en' | 'nl' }[] {
  const { occupations } = readDataset();
  const out: { q: string; lang: 'en' | 'nl' }[] = [];
  const step = Math.floor(occupations.length / QUERIES);
  for (let i = 0; out.length < QUERIES; i++) {
    const o = occupations[(i * step + 7) % occupations.length];
    if (!o) break;
    const lang = i % 2 === 0 ? 'nl' : 'en';
    const li = lang === 'en' ? 0 : 1;
    const alt = o.alt[li][i % Math.max(1, o.alt[li].length)];
    const title = o.title[li];
    const word = title.split(' ')[0] ?? title;
    const variant = i % 4;
    let q = title;
    if (variant === 1) q = alt ?? title;
    else if (variant === 2) q = word.length > 4 ? word.slice(0, 4) : word;
    else if (variant === 3 && word.length > 5) q = word.slice(0, 2) + word.slice(3); // one letter dropped
    out.push({ q, lang });
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 100) / 100;
};

async function get(base: string, pathAndQuery: string, auth: string): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(base + pathAndQuery, { headers: { authorization: auth } });
  const body: unknown = await res.json();
  return { status: res.status, body, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const server = await mongo();
  const db = await connectDatabase(server.uri, { dbName: `wm_bench_careers_${randomBytes(4).toString('hex')}` });
  try {
    const models = createModels(db.connection);
    await syncIndexes(db.connection);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: path.join(os.tmpdir(), 'waymark-bench'),
      KEY_ENCRYPTION_SECRET: randomBytes(48).toString('base64url'),
      DEMO: 'false',
      LOG_LEVEL: 'info',
    });
    const logger = createLogger(config.logLevel, { write: () => undefined });
    const loadStarted = performance.now();
    const catalog = await getCatalog(models, logger);
    const loadMs = Math.round(performance.now() - loadStarted);

    await models.School.create({ _id: 'bench-school', name: 'Bench School', locale: 'nl', country: 'netherlands' });
    const pupil = await models.User.create({
      schoolId: 'bench-school',
      platformId: 'p',
      sub: 'bench-pupil',
      role: 'pupil',
      source: 'launch',
    });
    const { token } = await signLaunchToken(launchTokenKey(config.keyEncryptionSecret), {
      sub: String(pupil._id),
      sch: 'bench-school',
      role: 'pupil',
      lang: 'nl',
    });
    const auth = `Bearer ${token}`;

    const httpServer = http.createServer(createApp({ config, logger, db, models }));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${String((httpServer.address() as AddressInfo).port)}`;
    try {
      const qs = queries();
      // Warm-up: one request of each kind (JIT, connection pool).
      await get(base, `/api/careers/search?q=nurse`, auth);
      const search: number[] = [];
      const pages: number[] = [];
      const firstIds: string[] = [];
      let empty = 0;
      for (const { q, lang } of qs) {
        const r = await get(base, `/api/careers/search?${new URLSearchParams({ q, lang }).toString()}`, auth);
        if (r.status !== 200) throw new Error(`search ${q}: HTTP ${String(r.status)}`);
        search.push(r.ms);
        const first = (r.body as { results: { id: string }[] }).results[0];
        if (first) firstIds.push(first.id);
        else empty++;
      }
      for (const id of firstIds) {
        const r = await get(base, `/api/careers/occupations/${id}`, auth);
        if (r.status !== 200) throw new Error(`page ${id}: HTTP ${String(r.status)}`);
        pages.push(r.ms);
      }
      const result = {
        occupations: catalog.occupations.length,
        queries: qs.length,
        queries_nl: qs.filter((q) => q.lang === 'nl').length,
        queries_without_result: empty,
        search_p50_ms: pct(search, 50),
        search_p95_ms: pct(search, 95),
        search_max_ms: pct(search, 100),
        pages: pages.length,
        page_p50_ms: pct(pages, 50),
        page_p95_ms: pct(pages, 95),
        first_load_and_index_ms: loadMs,
        mongo: process.env.MONGODB_URI ? 'uri' : 'embedded',
        cpus: os.cpus().length,
      };
      process.stdout.write(
        `search p50 ${String(result.search_p50_ms)} ms, p95 ${String(result.search_p95_ms)} ms; page p95 ${String(result.page_p95_ms)} ms\n`,
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } finally {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    }
  } finally {
    await db.connection.dropDatabase();
    await db.close();
    await server.stop();
  }
}

await main();
