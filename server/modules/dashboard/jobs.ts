/**
 * Background work for the dashboard and calendar, run by every server process: the summaries' catch-up (events
 * not yet applied) and, once an hour, the year-group rollover (one process at a time, by lease). Never throws.
 */
import { withLease } from '../../db/lease.js';
import type { Models } from '../../db/models.js';
import type { Logger } from '../../log.js';
import { runScheduledRollovers } from '../calendar/service.js';
import { applyPendingSummaries, ensureSummaryIndexes } from './summaries.js';

export function startDashboardJobs(deps: { models: Models; logger: Logger; intervalMs?: number; rolloverEveryMs?: number }): {
  stop(): Promise<void>;
} {
  const { models, logger } = deps;
  let running = true;
  let current: Promise<unknown> = ensureSummaryIndexes(models).catch((err: unknown) => {
    logger.warn({ err }, 'summary index not created');
  });
  let lastRollover = 0;
  const tick = async () => {
    try {
      // Drain the backlog in slices so a stop request is honoured between them.
      while (running && (await applyPendingSummaries(models)) === 2000);
      if (Date.now() - lastRollover > (deps.rolloverEveryMs ?? 3600_000)) {
        lastRollover = Date.now();
        const results = await withLease(models, 'year-rollover', 10 * 60_000, () => runScheduledRollovers(models));
        for (const r of results ?? [])
          if (r.ran)
            logger.info({ yearId: r.yearId, status: r.status, moved: r.moved, leavers: r.leavers }, 'year-group rollover');
      }
    } catch (err) {
      logger.warn({ err }, 'dashboard background tick failed');
    }
  };
  const timer = setInterval(() => {
    if (running) current = current.then(tick);
  }, deps.intervalMs ?? 5_000);
  timer.unref();
  return {
    async stop() {
      running = false;
      clearInterval(timer);
      await current;
    },
  };
}
