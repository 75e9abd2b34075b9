/**
 * `npm run bench:player`: what a pupil's browser downloads before the player can start (initial JavaScript and
 * CSS, gzip), and the HTTP round trip of an autosave while 50 pupils type at once, against the real app in
 * process on loopback. MongoDB: MONGODB_URI when set, else mongodb-memory-server (honours MONGOMS_SYSTEM_BINARY);
 * a database of its own, dropped at the end. Ends with one line of JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { loadCurriculum } from '../curriculum/index.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, syncIndexes } from '../server/db/connect.js';
import { createModels } from '../server/db/models.js';
import { launchTokenKey, signLaunchToken } from '../server/http/launch-token.js';
import { createLogger } from '../server/log.js';
import { openMongo, percentile } from './support.js';

const PUPILS = 50;
/** Each pupil saves about once a second while typing (the player debounces at 800 ms), for this long. */
const PACED_SECONDS = 15;
const PACE_MS = 1000;
/** Then the same pupils save back to back with no pause: the server's saturation point. */
const SATURATION_SAVES_PER_PUPIL = 20;
const WARMUP = 50;

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** The entry script, its statically imported chunks and the stylesheets index.html loads before anything runs. */
function initialAssets(root: string): { files: string[]; raw: number; gzip: number } {
  const index = path.join(root, 'dist/client/index.html');
  const newest = (dir: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .reduce(
        (m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs),
        0,
      );
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < newest(path.join(root, 'client'))) {
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      stdio: 'inherit',
      cwd: root,
    });
  }
  const html = fs.readFileSync(index, 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const files = [...new Set(refs)];
  let raw = 0;
  let gzip = 0;
  for (const ref of files) {
    const bytes = fs.readFileSync(path.join(root, 'dist/client', ref));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

async function main(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..');
  const assets = initialAssets(root);

  const mongo = await openMongo();
  const dbName = `waymark_bench_player_${process.pid}`;
  const db = await connectDatabase(mongo.uri, { dbName });
  const models = createModels(db.connection);
  await syncIndexes(db.connection);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(os.tmpdir(), 'waymark-bench'),
    KEY_ENCRYPTION_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    LOG_LEVEL: 'silent',
    DEMO: 'false',
  });
  const curriculum = loadCurriculum();
  const app = createApp({ config, logger: createLogger('silent'), db, models, curriculum });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    // A module with a reflection activity at the pupils' stage: the typing-heavy case autosave exists for.
    const module = [...curriculum.modules.values()].find(
      (m) => m.stage === 'S3' && m.activities.some((a) => a.type === 'reflection'),
    );
    const activity = module?.activities.find((a) => a.type === 'reflection');
    if (!module || activity?.type !== 'reflection') throw new Error('no S3 module with a reflection');
    const promptId = activity.prompts[0]!.id;

    await models.School.create({ _id: 'bench-player', name: 'Bench Player School' });
    const key = launchTokenKey(config.keyEncryptionSecret);
    const tokens: string[] = [];
    for (let i = 0; i < PUPILS; i += 1) {
      const user = await models.User.create({
        schoolId: 'bench-player',
        platformId: 'bench',
        sub: `pupil-${i}`,
        role: 'pupil',
        yearGroup: 'EN-Y8',
        source: 'launch',
      });
      tokens.push((await signLaunchToken(key, { sub: String(user._id), sch: 'bench-player', role: 'pupil', lang: 'en' })).token);
    }
    const url = `${base}/api/progress/modules/${module.id}/activities/${activity.id}`;
    const save = async (token: string, seq: number): Promise<number> => {
      const text = `I am getting better at explaining what I enjoy. Draft ${seq}: ${'words '.repeat(20 + (seq % 40))}`;
      const started = performance.now();
      const res = await fetch(url, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          clientSeq: seq,
          answer: { type: 'reflection', responses: { [promptId]: { text, private: false } } },
        }),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`autosave answered ${res.status}`);
      return performance.now() - started;
    };

    for (let i = 0; i < WARMUP; i += 1) await save(tokens[i % PUPILS]!, i + 1);
    const seqs = tokens.map(() => WARMUP + 1);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // Paced: 50 pupils typing, each saving about once a second (jittered so they do not march in step).
    const latencies: number[] = [];
    const started = performance.now();
    const until = started + PACED_SECONDS * 1000;
    await Promise.all(
      tokens.map(async (token, p) => {
        await sleep(Math.random() * PACE_MS);
        while (performance.now() < until) {
          const t0 = performance.now();
          latencies.push(await save(token, (seqs[p] = seqs[p]! + 1)));
          await sleep(Math.max(0, PACE_MS * (0.8 + 0.4 * Math.random()) - (performance.now() - t0)));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    // Saturation: no pause between saves.
    const saturated: number[] = [];
    const satStarted = performance.now();
    await Promise.all(
      tokens.map(async (token, p) => {
        for (let s = 0; s < SATURATION_SAVES_PER_PUPIL; s += 1) saturated.push(await save(token, (seqs[p] = seqs[p]! + 1)));
      }),
    );
    const satSeconds = (performance.now() - satStarted) / 1000;
    saturated.sort((a, b) => a - b);
    const result = {
      bench: 'player',
      initial_js_css_gzip_bytes: assets.gzip,
      initial_js_css_raw_bytes: assets.raw,
      initial_files: assets.files.length,
      pupils: PUPILS,
      autosaves: latencies.length,
      autosaves_per_s: round(latencies.length / seconds),
      autosave_p50_ms: round(percentile(latencies, 50), 2),
      autosave_p95_ms: round(percentile(latencies, 95), 2),
      autosave_p99_ms: round(percentile(latencies, 99), 2),
      saturation_saves_per_s: round(saturated.length / satSeconds),
      saturation_p95_ms: round(percentile(saturated, 95), 2),
      mongo: mongo.kind,
      node: process.version,
    };
    process.stdout.write(
      `Initial JS + CSS: ${assets.files.length} files, ${(assets.raw / 1024).toFixed(1)} KiB raw, ${(assets.gzip / 1024).toFixed(1)} KiB gzip\n`,
    );
    process.stdout.write(
      `Autosave, ${PUPILS} pupils typing at once (about one save a second each): ${result.autosaves} saves in ${seconds.toFixed(1)} s\n`,
    );
    process.stdout.write(
      `  p50 ${result.autosave_p50_ms} ms  p95 ${result.autosave_p95_ms} ms  p99 ${result.autosave_p99_ms} ms\n`,
    );
    process.stdout.write(
      `Saturation (no pause between saves): ${result.saturation_saves_per_s} saves/s, p95 ${result.saturation_p95_ms} ms\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.connection.dropDatabase();
    await db.close();
    await mongo.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:player failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
