/**
 * `npm run careers -- import --from <folder>`: builds curriculum/careers/dataset.json.gz and meta.json from the
 * open data (shared/careers-data layout).
 * `npm run careers -- stats [--json]`: counts of the committed dataset; with --json one JSON object.
 */
import { readDataset, readMeta } from './dataset.js';
import { buildDataset, ImportError, writeDataset } from './import.js';
import { checkAuthored, loadAuthored } from './authored.js';

const USAGE = 'usage: npm run careers -- <import --from <folder> | stats [--json]>';

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === 'import') {
    const at = rest.indexOf('--from');
    const from = at >= 0 ? rest[at + 1] : undefined;
    if (!from) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    try {
      const meta = writeDataset(buildDataset(from));
      process.stdout.write(
        `careers dataset ${meta.version}: ${meta.counts.occupations} occupations, ${meta.counts.skills} skills, ${meta.counts.links} links, ${meta.counts.with_labour_market} with US labour-market figures\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof ImportError) {
        process.stderr.write(`import failed: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  }
  if (command === 'stats') {
    const meta = readMeta();
    const dataset = readDataset();
    const authored = loadAuthored();
    const problems = checkAuthored(authored, dataset);
    const stats = {
      version: meta.version,
      occupations: meta.counts.occupations,
      languages: meta.languages,
      with_labour_market: meta.counts.with_labour_market,
      with_onet: meta.counts.with_onet,
      skills: meta.counts.skills,
      links: meta.counts.links,
      isco_groups: meta.counts.groups,
      subjects: authored.subjects.length,
      interests: authored.interests.length,
      people_at_work: authored.peopleAtWork.length,
      authored_problems: problems.length,
    };
    if (rest.includes('--json')) process.stdout.write(`${JSON.stringify(stats)}\n`);
    else {
      for (const [k, v] of Object.entries(stats))
        process.stdout.write(`${k.padEnd(20)} ${Array.isArray(v) ? v.join('+') : String(v)}\n`);
      for (const p of problems) process.stdout.write(`problem: ${p}\n`);
    }
    return problems.length > 0 ? 1 : 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
