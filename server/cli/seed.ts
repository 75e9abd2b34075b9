/**
 * `npm run seed -- --pupils 1500 [--school bench] [--seed 42] [--academic-year 2025-26] [--reset]`: generates a
 * synthetic school with a year of activity written through the real services (server/seed), in the database
 * `npm start` uses (MONGODB_URI, else the embedded one in the data folder). Prints progress, a summary and, on
 * the last line, one JSON object: {"seed","pupils","events",...}. A failure exits non-zero with
 * {"error":{"code","message"}} on the last line of stderr.
 */
import { parseArgs } from 'node:util';
import { loadCurriculum } from '../../curriculum/index.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { AppError } from '../errors.js';
import { createLogger } from '../log.js';
import { publishBuiltinModules } from '../modules/curriculum/service.js';
import { seedSchool, type SeedResult } from '../seed/index.js';
import { readinessPort } from '../seed/readiness.js';

const USAGE = `Usage: npm run seed -- --pupils <n> [options]

Generates a synthetic school (pseudonymous people, classes Year 1 to Year 13) with a full academic year of
activity written through Waymark's services, for demos and benchmarks.

Options:
  --pupils <n>            number of pupils (1-20000), e.g. 1500
  --school <id>           school id (default: bench)
  --seed <n>              random seed; the same seed gives the same school (default: 42)
  --academic-year <id>    e.g. 2025-26 (default: the last academic year that has ended)
  --concurrency <n>       pupils worked on at once, over all workers (default: 24)
  --workers <n>           worker threads for the pupils (default: 3; 1 runs everything in this process)
  --reset                 delete the school first if the generator made it before
  --help                  show this help`;

function fail(code: string, message: string): never {
  process.stderr.write(`${message}\n${JSON.stringify({ error: { code, message } })}\n`);
  process.exit(code === 'invalid_request' ? 2 : 1);
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) fail('invalid_request', `--${name} must be a whole number, not "${value}".`);
  return n;
}

function summary(r: SeedResult): string {
  const kinds = Object.entries(r.eventsByKind)
    .map(([k, n]) => `    ${k.padEnd(32)} ${String(n).padStart(9)}`)
    .join('\n');
  return [
    `School "${r.schoolId}" (${r.academicYear}, seed ${String(r.seed)}):`,
    `  ${String(r.pupils)} pupils, ${String(r.roster.classes)} classes, ${String(r.roster.teachers)} teachers, ` +
      `${String(r.roster.advisers)} advisers, ${String(r.roster.planners)} planner`,
    `  ${String(r.events)} learning events:`,
    kinds,
    `  module sessions ${String(r.stats.moduleSessions)}, completed ${String(r.stats.modulesCompleted)}, ratings ${String(r.stats.ratings)}, ` +
      `log entries ${String(r.stats.logEntries)}, group encounters ${String(r.stats.groupEncounters)}, readiness checks ${String(r.stats.readinessChecks)}`,
    ...(r.stats.failures ? [`  ${String(r.stats.failures)} service calls FAILED (see the messages above)`] : []),
    `  time: ${String(r.seconds.total)} s in all (roster ${String(r.seconds.roster)} s, activity ${String(r.seconds.activity)} s, ` +
      `summaries ${String(r.seconds.summaries)} s); ${String(r.eventsPerSecond)} events/s`,
  ].join('\n');
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        pupils: { type: 'string' },
        school: { type: 'string' },
        seed: { type: 'string' },
        'academic-year': { type: 'string' },
        concurrency: { type: 'string' },
        workers: { type: 'string' },
        reset: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    fail('invalid_request', `${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.pupils === undefined) fail('invalid_request', `--pupils is required.\n\n${USAGE}`);
  const schoolId = values.school ?? 'bench';
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(schoolId))
    fail('invalid_request', '--school must be 2-40 lowercase letters, digits or hyphens.');

  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openDatabase(config, logger);
  try {
    const curriculum = loadCurriculum();
    await publishBuiltinModules(database.models, curriculum, logger);
    const result = await seedSchool(
      {
        models: database.models,
        curriculum,
        config,
        readiness: readinessPort(database.models, curriculum),
        workers: {
          count: wholeNumber(values.workers, 'workers', 3),
          uri: database.embedded?.uri ?? config.mongodbUri ?? '',
          dbName: database.db.connection.name,
        },
      },
      {
        schoolId,
        pupils: wholeNumber(values.pupils, 'pupils', 0),
        seed: wholeNumber(values.seed, 'seed', 42),
        ...(values['academic-year'] ? { academicYear: values['academic-year'] } : {}),
        concurrency: wholeNumber(values.concurrency, 'concurrency', 24),
        reset: values.reset === true,
        onProgress: (line) => process.stdout.write(`${line}\n`),
      },
    );
    process.stdout.write(`${summary(result)}\n`);
    process.stdout.write(
      `${JSON.stringify({
        seed: result.seed,
        pupils: result.pupils,
        events: result.events,
        school: result.schoolId,
        academic_year: result.academicYear,
        seconds: result.seconds.total,
        events_per_s: result.eventsPerSecond,
        failures: result.stats.failures,
      })}\n`,
    );
    if (result.stats.failures) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof AppError) fail(err.code, err.message);
  fail('internal_error', err instanceof Error ? (err.stack ?? err.message) : String(err));
});
