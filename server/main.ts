/** Process entry: config → database → createApp → listen, and a graceful stop on SIGTERM/SIGINT. */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { createApp, type ClientAssets } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { EmbeddedMongoError } from './db/embedded.js';
import { openDatabase } from './db/open.js';
import { createLogger, type Logger } from './log.js';
import { ensureToolKeys, startBackground } from './background.js';
import { createLtiRuntime } from './modules/lti/deps.js';
import { bootstrapDemo } from './demo/index.js';
import { publishBuiltinModules } from './modules/curriculum/service.js';
import { loadCurriculum } from '../curriculum/index.js';
import { getCatalog } from './modules/careers/catalog.js';
import { seedDemoActivity } from './seed/index.js';
import { readinessPort } from './seed/readiness.js';
import { startRetention } from './modules/privacy/retention.js';
import { startForwarding } from './modules/xapi/forward/worker.js';
import { startDashboardJobs } from './modules/dashboard/jobs.js';

async function clientAssets(dev: boolean, httpServer: Server): Promise<{ client: ClientAssets; close?: () => Promise<void> }> {
  if (!dev) return { client: { dir: path.resolve('dist/client') } };
  const { createServer } = await import('vite');
  // Hot reload rides on Waymark's own HTTP server, so `npm run dev` needs one port only.
  const vite = await createServer({ server: { middlewareMode: true, ws: { server: httpServer } }, appType: 'custom' });
  return {
    client: { middleware: vite.middlewares, transformIndexHtml: (url, html) => vite.transformIndexHtml(url, html) },
    close: () => vite.close(),
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Waymark cannot start: invalid configuration\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.secretGenerated) {
    logger.warn(
      { file: path.join(config.dataDir, 'secret.key') },
      'KEY_ENCRYPTION_SECRET not set: using a secret generated for this data folder (set it in production)',
    );
  }

  let database;
  try {
    database = await openDatabase(config, logger);
  } catch (err) {
    if (err instanceof EmbeddedMongoError) {
      process.stderr.write(`\n${err.message}\n\n`);
      process.exit(1);
    }
    throw err;
  }

  const dev = process.argv.includes('--dev');
  const server: Server = createServer();
  const { client, close: closeClient } = await clientAssets(dev, server);
  const curriculum = loadCurriculum();
  await publishBuiltinModules(database.models, curriculum, logger);
  await getCatalog(database.models, logger); // careers: loads the dataset into MongoDB only when its version changed
  const lti = createLtiRuntime(config, database.models);
  await ensureToolKeys(database.models, lti, logger);
  const app = createApp({ config, logger, db: database.db, models: database.models, client, lti, curriculum });
  const background = startBackground({ config, models: database.models, runtime: lti, logger });
  startRetention({ models: database.models, config, logger }); // privacy: retention sweep every 6 h (leased, idempotent)
  const forwarding = startForwarding({ models: database.models, secret: config.keyEncryptionSecret, logger }); // xAPI to schools' LRSs
  const dashboardJobs = startDashboardJobs({ models: database.models, logger }); // summaries catch-up, year rollover
  server.on('request', app);
  // The demo sample is generated in the background after start; shutdown stops it between tasks and waits for it.
  const stopDemoSample = new AbortController();
  let demoSample: Promise<unknown> = Promise.resolve();
  server.listen(config.port, config.host, () => {
    logger.info(
      { url: config.publicUrl, port: config.port, demo: config.demo ? `${config.demoPublicUrl}/demo` : false },
      'Waymark is listening',
    );
    if (config.demo) {
      demoSample = bootstrapDemo({ config, logger, connection: database.db.connection, models: database.models })
        .then(() =>
          seedDemoActivity(
            {
              models: database.models,
              curriculum,
              config,
              readiness: readinessPort(database.models, curriculum),
            },
            { signal: stopDemoSample.signal },
          ),
        )
        .catch((err: unknown) => {
          logger.error({ err }, 'demo LMS bootstrap failed');
        });
    }
  });
  server.on('error', (err) => {
    logger.fatal({ err }, 'could not listen');
    process.exit(1);
  });
  installShutdown(server, logger, config.shutdownTimeoutMs, async () => {
    stopDemoSample.abort();
    await demoSample;
    await background.stop();
    await forwarding.stop();
    await dashboardJobs.stop();
    await closeClient?.();
    await database.close();
  });
}

/** Stops accepting, lets in-flight requests finish (bounded), then closes the database. */
function installShutdown(server: Server, logger: Logger, timeoutMs: number, closeRest: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    server.closeIdleConnections();
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time: closing their connections');
      server.closeAllConnections();
    }, timeoutMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      closeRest()
        .then(() => {
          logger.info('stopped');
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'error while closing');
          process.exit(1);
        });
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Waymark failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
