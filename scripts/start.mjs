#!/usr/bin/env node
// `npm start`: builds the client when the build is missing or older than its sources, then runs the server
// in this process (TypeScript through tsx), so signals reach it directly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = path.join(root, 'dist/client/index.html');
const stale = !fs.existsSync(built) || fs.statSync(built).mtimeMs < newestMtime(path.join(root, 'client'));
if (stale && process.env.NODE_ENV !== 'production') {
  process.stderr.write('Building the client (first start or changed sources)…\n');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
} else if (!fs.existsSync(built)) {
  process.stderr.write('dist/client is missing: run `npm run build` before starting in production.\n');
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
await import('../server/main.ts');
