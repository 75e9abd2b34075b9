/** Builds a test app on the file's own database with a quiet logger and a test configuration. */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createApp, type AppDeps } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import type { TestDatabase } from './db.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: path.join(os.tmpdir(), 'waymark-test'),
    KEY_ENCRYPTION_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
}

export function buildApp(database: TestDatabase, extra: Partial<AppDeps> = {}, env: Record<string, string> = {}) {
  const config = testConfig(env);
  return createApp({ config, logger: createLogger(config.logLevel), db: database.db, models: database.models, ...extra });
}

/** Listens on a free loopback port and closes the server after the file's tests. */
export async function listen(app: Pick<ReturnType<typeof createApp>, 'listen'>): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
