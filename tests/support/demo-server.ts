/**
 * Waymark with its demo LMS, in-process, as `npm start` runs it: the tool on http://localhost:PORT and the demo
 * LMS on http://127.0.0.1:PORT (another site), registered through Dynamic Registration over real HTTP.
 */
import path from 'node:path';
import { afterAll } from 'vitest';
import { createApp } from '../../server/app.js';
import { ensureToolKeys } from '../../server/background.js';
import { bootstrapDemo } from '../../server/demo/index.js';
import { createLogger } from '../../server/log.js';
import { createLtiRuntime } from '../../server/modules/lti/deps.js';
import { testConfig } from './app.js';
import type { TestDatabase } from './db.js';
import { freePort } from './process.js';

export async function startDemoServer(database: TestDatabase) {
  const port = await freePort();
  const config = testConfig({
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    DEMO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    DEMO: 'true',
  });
  const logger = createLogger(config.logLevel);
  const lti = createLtiRuntime(config, database.models);
  await ensureToolKeys(database.models, lti, logger);
  const app = createApp({
    config,
    logger,
    db: database.db,
    models: database.models,
    lti,
    client: { dir: path.resolve('dist/client') },
  });
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  await bootstrapDemo({ config, logger, connection: database.db.connection, models: database.models });
  return { config, lti, logger, toolUrl: `http://localhost:${port}`, demoUrl: `http://127.0.0.1:${port}/demo` };
}
