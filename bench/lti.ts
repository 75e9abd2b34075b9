/**
 * `npm run bench:lti`: full LTI login-plus-launch round trips against the real app, in process, on loopback.
 *
 * One round trip is what a platform's browser does: POST /lti/login (past the cookie probe) → read state and nonce
 * from the 302 Location and the state cookie → the platform signs an id_token (RS256) → POST /lti/launch → 200.
 * Measured at concurrency 1, 10 and 50 (each level bounded by a launch count and a time budget), next to raw RS256
 * verifications per second with jose, so the launch rate can be read against the cost of its one signature check.
 *
 * MongoDB: MONGODB_URI when set, else mongodb-memory-server (honours MONGOMS_SYSTEM_BINARY); a database of its
 * own, dropped at the end. Every request goes to 127.0.0.1. Ends with one line of JSON.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { createApp } from '../server/app.js';
import { ensureToolKeys } from '../server/background.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase, syncIndexes } from '../server/db/connect.js';
import { createModels } from '../server/db/models.js';
import { createLogger } from '../server/log.js';
import { createLtiRuntime } from '../server/modules/lti/deps.js';
import { systemClock } from '../lti/index.js';
import { createTestPlatform, role, type TestPlatform } from '../tests/support/platform.js';
import { closeServer, listenOnLoopback, openMongo, percentile } from './support.js';

const LEVELS = [
  { concurrency: 1, maxLaunches: 200 },
  { concurrency: 10, maxLaunches: 1000 },
  { concurrency: 50, maxLaunches: 2000 },
] as const;
const LEVEL_BUDGET_MS = 10_000;
const WARMUP_LAUNCHES = 20;
const RS256_MAX = 20_000;
const RS256_BUDGET_MS = 2_000;
/** Launches come from this many distinct pupils, so most upsert an existing user as in a real school. */
const PUPILS = 500;

interface LevelResult {
  concurrency: number;
  launches: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** One login-plus-launch round trip; true when the launch answered 200 with a launch token. */
async function roundTrip(tool: string, platform: TestPlatform, sub: string): Promise<boolean> {
  const p = platform.profile;
  const target = `${tool}/lti/launch`;
  const login = await fetch(`${tool}/lti/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      iss: p.issuer,
      login_hint: sub,
      target_link_uri: target,
      client_id: p.clientId,
      lti_deployment_id: p.deploymentId,
      waymark_cookies: 'available',
    }),
  });
  await login.arrayBuffer();
  const location = login.headers.get('location');
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('lti_state_'))
    ?.split(';')[0];
  if (login.status !== 302 || !location || !cookie) return false;
  const query = new URL(location).searchParams;
  const state = query.get('state') ?? '';
  const idToken = await platform.signIdToken(
    platform.launchClaims({ nonce: query.get('nonce') ?? '', targetLinkUri: target, sub, roles: [role.learner] }),
  );
  const launch = await fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie },
    body: new URLSearchParams({ id_token: idToken, state }),
  });
  const html = await launch.text();
  return launch.status === 200 && html.includes('<meta name="waymark-launch"');
}

async function runLevel(tool: string, platform: TestPlatform, concurrency: number, maxLaunches: number): Promise<LevelResult> {
  const latencies: number[] = [];
  let issued = 0;
  let failures = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + LEVEL_BUDGET_MS;
  const worker = async () => {
    while (issued < maxLaunches && performance.now() < deadline) {
      const n = issued++;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await roundTrip(tool, platform, `pupil-${n % PUPILS}`);
      } catch (err) {
        firstError ??= err;
      }
      if (ok) latencies.push(performance.now() - t0);
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (firstError !== undefined)
    process.stderr.write(
      `c${concurrency}: a round trip threw: ${firstError instanceof Error ? firstError.message : JSON.stringify(firstError)}\n`,
    );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return {
    concurrency,
    launches: latencies.length,
    failures,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * Raw RS256 operations per second with one fixed key: verifications (the floor cost of a launch's signature check)
 * and signatures (the platform's side, which this bench pays inside every round trip).
 */
async function measureRs256(): Promise<{ verifyPerSecond: number; signPerSecond: number }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const sign = () =>
    new SignJWT({ sub: 'bench', nonce: randomBytes(16).toString('hex') })
      .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  const token = await sign();
  for (let i = 0; i < 200; i += 1) await jwtVerify(token, publicKey);
  const rate = async (op: () => Promise<unknown>) => {
    let count = 0;
    const started = performance.now();
    while (count < RS256_MAX && performance.now() - started < RS256_BUDGET_MS) {
      await op();
      count += 1;
    }
    return count / ((performance.now() - started) / 1000);
  };
  const verifyPerSecond = await rate(() => jwtVerify(token, publicKey, { algorithms: ['RS256'] }));
  const signPerSecond = await rate(sign);
  return { verifyPerSecond, signPerSecond };
}

async function main(): Promise<void> {
  const mongo = await openMongo();
  const dbName = `wm_bench_${randomBytes(6).toString('hex')}`;
  const db = await connectDatabase(mongo.uri, { dbName });
  // Run in order at the end; servers are put in front as they start.
  const cleanups: (() => Promise<void>)[] = [
    () => db.connection.dropDatabase().then(() => undefined),
    () => db.close(),
    () => mongo.stop(),
  ];
  try {
    const models = createModels(db.connection);
    await syncIndexes(db.connection);

    // The platform's JWKS on loopback, fetched by the tool over HTTP like a real LMS's.
    const platformServer = http.createServer();
    const platformBase = `http://127.0.0.1:${await listenOnLoopback(platformServer)}`;
    cleanups.unshift(() => closeServer(platformServer));
    const platform = await createTestPlatform({
      profile: 'canvas',
      clock: systemClock,
      overrides: {
        jwksUrl: `${platformBase}/jwks`,
        authLoginUrl: `${platformBase}/authorize`,
        tokenUrl: `${platformBase}/token`,
      },
    });
    const platformApp = express();
    platformApp.get('/jwks', (_req, res) => {
      res.json(platform.jwks());
    });
    platformServer.on('request', platformApp);

    // The tool, as main.ts wires it, on a loopback port chosen before the config so PUBLIC_URL can name it.
    const toolServer = http.createServer();
    const tool = `http://127.0.0.1:${await listenOnLoopback(toolServer)}`;
    cleanups.unshift(() => closeServer(toolServer));
    const config = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL: tool,
      DATA_DIR: path.join(os.tmpdir(), 'waymark-bench'),
      KEY_ENCRYPTION_SECRET: randomBytes(48).toString('base64url'),
      DEMO: 'false',
      LOG_LEVEL: 'info',
    });
    // Production logs at info: keep the cost of building every log line, and throw the lines away.
    const logger = createLogger(config.logLevel, { write: () => undefined });
    const runtime = createLtiRuntime(config, models);
    await ensureToolKeys(models, runtime, logger);
    toolServer.on('request', createApp({ config, logger, db, models, lti: runtime }));

    await models.School.create({ _id: 'bench-school', name: 'Bench School', locale: 'en', country: 'england' });
    await models.Platform.create({ ...platform.registration(), schoolId: 'bench-school' });

    process.stdout.write(`Waymark LTI bench: node ${process.version}, ${os.cpus().length} cores, MongoDB ${mongo.kind}\n`);
    const warm = await runLevel(tool, platform, 1, WARMUP_LAUNCHES);
    if (warm.failures > 0)
      throw new Error(`warm-up launches failed (${warm.failures} of ${WARMUP_LAUNCHES}): the bench set-up is broken`);

    const results: LevelResult[] = [];
    for (const level of LEVELS) results.push(await runLevel(tool, platform, level.concurrency, level.maxLaunches));
    const { verifyPerSecond, signPerSecond } = await measureRs256();

    const rows = [
      ['concurrency', 'launches', 'failed', 'seconds', 'launches/s', 'p50 ms', 'p99 ms'],
      ...results.map((r) =>
        [r.concurrency, r.launches, r.failures, round(r.seconds, 2), round(r.perSecond), round(r.p50, 2), round(r.p99, 2)].map(
          String,
        ),
      ),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    process.stdout.write('\nlogin + launch round trips (POST /lti/login → sign id_token → POST /lti/launch)\n');
    for (const row of rows) process.stdout.write(`  ${row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')}\n`);
    process.stdout.write(`\nraw RS256 verifications (jose jwtVerify, fixed key): ${Math.round(verifyPerSecond)}/s\n`);
    process.stdout.write(
      `raw RS256 signatures (jose SignJWT, paid by the platform side of each round trip): ${Math.round(signPerSecond)}/s\n\n`,
    );

    const at = (c: number) => results.find((r) => r.concurrency === c)!;
    process.stdout.write(
      JSON.stringify({
        bench: 'lti',
        c1_launches_per_s: round(at(1).perSecond),
        c10_launches_per_s: round(at(10).perSecond),
        c50_launches_per_s: round(at(50).perSecond),
        c1_p50_ms: round(at(1).p50, 2),
        c1_p99_ms: round(at(1).p99, 2),
        c10_p50_ms: round(at(10).p50, 2),
        c10_p99_ms: round(at(10).p99, 2),
        c50_p50_ms: round(at(50).p50, 2),
        c50_p99_ms: round(at(50).p99, 2),
        rs256_verify_per_s: Math.round(verifyPerSecond),
        mongo: mongo.kind,
        node: process.version,
      }) + '\n',
    );
    if (results.some((r) => r.failures > 0)) {
      process.stderr.write(`${results.reduce((n, r) => n + r.failures, 0)} round trips failed\n`);
      process.exitCode = 1;
    }
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:lti failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
