/**
 * Background work every server process runs: tool-key rotation (one process at a time, by lease) and the
 * grade-passback worker. Each loop is stoppable for a graceful shutdown and never crashes the process.
 */
import { rotateToolKeys } from '../lti/index.js';
import type { Config } from './config.js';
import { withLease } from './db/lease.js';
import type { Models } from './db/models.js';
import type { Logger } from './log.js';
import { processScoreJobs } from './modules/grades/service.js';
import { generateStatements } from './modules/xapi/generator.js';
import type { LtiRuntime } from './modules/lti/deps.js';

export interface Background {
  stop(): Promise<void>;
}

/** Ensures a current signing key exists and rotates keys on schedule. Safe to call from many processes. */
export async function ensureToolKeys(models: Models, runtime: LtiRuntime, logger: Logger): Promise<void> {
  const steps = await withLease(models, 'tool-key-rotation', 60_000, () =>
    rotateToolKeys({ keys: runtime.keys, clock: runtime.clock, secret: runtime.secret }),
  );
  if (steps?.length) logger.info({ steps: steps.map((s) => s.type) }, 'tool keys rotated');
}

export function startBackground(deps: {
  config: Config;
  models: Models;
  runtime: LtiRuntime;
  logger: Logger;
  intervalMs?: number;
}): Background {
  const { models, runtime, logger } = deps;
  let running = true;
  let current: Promise<unknown> = Promise.resolve();
  const every = deps.intervalMs ?? 5_000;
  let lastRotation = Date.now();

  const tick = async () => {
    try {
      await processScoreJobs({ models, runtime, logger });
      await generateStatements({ models, publicUrl: deps.config.publicUrl, logger }); // xAPI: outbox → statements
      if (Date.now() - lastRotation > 6 * 3600_000) {
        lastRotation = Date.now();
        await ensureToolKeys(models, runtime, logger);
      }
    } catch (err) {
      logger.warn({ err }, 'background tick failed');
    }
  };
  const timer = setInterval(() => {
    if (running) current = tick();
  }, every);
  timer.unref();
  return {
    async stop() {
      running = false;
      clearInterval(timer);
      await current;
    },
  };
}
