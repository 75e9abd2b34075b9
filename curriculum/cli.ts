/**
 * `npm run curriculum -- check [--root <dir>]`: prints every problem as `file: path: problem` and exits 1, or
 * prints a one-line summary and exits 0.
 * `npm run curriculum -- stats [--json] [--root <dir>]`: coverage table, or one JSON object on the last line.
 */
import { checkCurriculum, formatProblem } from './check.js';
import { CURRICULUM_ROOT } from './index.js';
import { curriculumStats, formatStats } from './stats.js';

const USAGE = 'usage: npm run curriculum -- <check | stats [--json]> [--root <curriculum dir>]';

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const rootAt = rest.indexOf('--root');
  const root = rootAt >= 0 ? rest[rootAt + 1] : CURRICULUM_ROOT;
  if (!root) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const result = checkCurriculum(root);
  if (command === 'check') {
    for (const p of result.problems) process.stdout.write(`${formatProblem(p)}\n`);
    if (result.problems.length > 0) {
      process.stderr.write(`${result.problems.length} problem(s) in the curriculum\n`);
      return 1;
    }
    const stats = curriculumStats(result);
    process.stdout.write(
      `curriculum OK: ${stats.modules} modules, ${stats.indicators} indicators, ${stats.minutes_total} minutes, languages ${stats.languages.join('+')}\n`,
    );
    return 0;
  }
  if (command === 'stats') {
    const stats = curriculumStats(result);
    process.stdout.write(rest.includes('--json') ? `${JSON.stringify(stats)}\n` : `${formatStats(stats)}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
