/**
 * Waymark as an operator runs it: `node scripts/start.mjs` (what `npm start` runs) and the admin CLI, as real
 * processes, against the test MongoDB or the embedded one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase, uriWithDatabase } from '../support/db.js';
import { cleanEnv, freePort, spawnScript, waitFor200 } from '../support/process.js';

const database = await useTestDatabase();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-proc-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function admin(args: string[], env: NodeJS.ProcessEnv) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, last: res.stdout.trim().split('\n').at(-1) ?? '' };
}

describe('npm start', () => {
  it('exits non-zero naming PORT when PORT is not a number', async () => {
    const proc = spawnScript('scripts/start.mjs', [], cleanEnv({ PORT: 'abc', DATA_DIR: tmp }));
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toMatch(/PORT: must be a port number/);
  });

  it('with MONGODB_URI, answers /healthz, /readyz and serves the client, then stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const proc = spawnScript(
      'scripts/start.mjs',
      [],
      cleanEnv({ PORT: String(port), DATA_DIR: tmp, MONGODB_URI: uriWithDatabase(database.uri, database.name) }),
    );
    await waitFor200(`${proc.url}/readyz`, proc);
    expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
    const page = await fetch(`${proc.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(await proc.stop('SIGTERM')).toBe(0);
    expect(proc.output()).toContain('"msg":"stopped"');
  });

  it('without MONGODB_URI and without a reachable mongod download, exits non-zero within 60 s with a short message naming MONGODB_URI', async () => {
    const port = await freePort();
    const started = Date.now();
    const proc = spawnScript(
      'scripts/start.mjs',
      [],
      cleanEnv({
        PORT: String(port),
        DATA_DIR: path.join(tmp, 'offline'),
        MONGOMS_SYSTEM_BINARY: undefined,
        MONGOMS_DOWNLOAD_DIR: path.join(tmp, 'no-binaries'),
        MONGOMS_PREFER_GLOBAL_PATH: '0',
        // Stands for "no internet": the download host refuses at once.
        MONGOMS_DOWNLOAD_MIRROR: 'https://127.0.0.1:9',
        MONGOMS_VERSION: '7.0.14',
      }),
    );
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const out = proc.output();
    expect(out).toContain('could not start its embedded MongoDB');
    expect(out).toContain('MONGODB_URI');
    expect(out).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  });
});

describe('embedded MongoDB (no MONGODB_URI)', () => {
  const binary = process.env.MONGOMS_SYSTEM_BINARY;
  const dataDir = path.join(tmp, 'embedded');
  const env = () =>
    cleanEnv({ DATA_DIR: dataDir, MONGOMS_SYSTEM_BINARY: binary, MONGOMS_VERSION: process.env.MONGOMS_VERSION ?? '7.0.0' });

  it('keeps data across restarts and serves /readyz', async () => {
    const created = admin(['school', 'create', '--id', 'restart-check', '--name', 'Restart Check', '--json'], env());
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.last)).toMatchObject({ school: { id: 'restart-check' } });

    const port = await freePort();
    const proc = spawnScript('scripts/start.mjs', [], { ...env(), PORT: String(port) });
    await waitFor200(`${proc.url}/readyz`, proc);
    expect(await proc.stop('SIGTERM')).toBe(0);

    const listed = admin(['school', 'list', '--json'], env());
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.last).schools.map((s: { id: string }) => s.id)).toContain('restart-check');
  });
});

describe('admin CLI', () => {
  const env = () => cleanEnv({ DATA_DIR: tmp, MONGODB_URI: uriWithDatabase(database.uri, database.name) });

  it('creates and lists schools, refusing a duplicate and a bad id with a JSON error on stderr', () => {
    const ok = admin(['school', 'create', '--id', 'st-marys', '--name', "St Mary's", '--json'], env());
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.last).school).toMatchObject({ id: 'st-marys', name: "St Mary's" });

    const dup = admin(['school', 'create', '--id', 'st-marys', '--name', 'Again', '--json'], env());
    expect(dup.status).toBe(1);
    expect(JSON.parse(dup.stderr.trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'school_exists' } });

    const bad = admin(['school', 'create', '--id', 'Not A Slug', '--name', 'X', '--json'], env());
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stderr.trim().split('\n').at(-1) ?? '').error.code).toBe('invalid_request');

    const list = admin(['school', 'list', '--json'], env());
    expect(JSON.parse(list.last).schools.map((s: { id: string }) => s.id)).toContain('st-marys');
  });

  it('prints help for a command and fails on an unknown one', () => {
    const help = admin(['school', 'create', '--help'], env());
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--id <value>');
    const unknown = admin(['nonsense', '--json'], env());
    expect(unknown.status).toBe(1);
    expect(JSON.parse(unknown.stderr.trim().split('\n').at(-1) ?? '').error.code).toBe('unknown_command');
  });
});
