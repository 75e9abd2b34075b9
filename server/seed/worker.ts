/**
 * A worker thread of the generator: pupils' years (phases 2 and 3 of ./activity.ts) for its share of the pupils,
 * on its own database connection. The services cost most of their time in the MongoDB driver on the client
 * side, so several workers keep both cores busy where one process would wait on itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCurriculum } from '../../curriculum/index.js';
import { connectDatabase } from '../db/connect.js';
import { createModels } from '../db/models.js';
import { prepareRun, runPupils, usePlan, type ActivityOptions, type SharedPlan } from './activity.js';
import { seedYear } from './calendar.js';
import { readinessPort } from './readiness.js';
import type { SeedRoster } from './school.js';

export interface WorkerInput {
  uri: string;
  dbName: string;
  publicUrl: string;
  roster: SeedRoster;
  pupilIds: string[];
  plan: SharedPlan;
  options: Omit<ActivityOptions, 'year' | 'onProgress'> & { academicYear: string };
  readiness: boolean;
}

export type WorkerMessage = { type: 'pupil' } | { type: 'done'; stats: import('./activity.js').ActivityStats };

async function main(input: WorkerInput): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('seed/worker.ts runs as a worker thread');
  const db = await connectDatabase(input.uri, { dbName: input.dbName });
  try {
    const models = createModels(db.connection);
    const curriculum = loadCurriculum();
    const run = await prepareRun(
      { models, curriculum, config: { publicUrl: input.publicUrl } },
      input.roster,
      { ...input.options, year: seedYear(input.options.academicYear) },
      input.readiness ? readinessPort(models, curriculum) : undefined,
    );
    usePlan(run, input.plan);
    const ids = new Set(input.pupilIds);
    const stats = await runPupils(
      run,
      input.roster.pupils.filter((p) => ids.has(p.id)),
      () => port.postMessage({ type: 'pupil' } satisfies WorkerMessage),
    );
    port.postMessage({ type: 'done', stats } satisfies WorkerMessage);
  } finally {
    await db.close();
  }
}

await main(workerData as WorkerInput);
