/**
 * Builds the compact careers dataset from the open source files (see shared/careers-data/README.md for their
 * layout and licences). Pure apart from reading the source folder; `writeDataset` writes the two output files.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCsv } from './csv.js';
import {
  DATASET_FILE,
  DATASET_FORMAT,
  ESCO_OCCUPATION,
  ESCO_SKILL,
  META_FILE,
  socOf,
  type Dataset,
  type DatasetBls,
  type DatasetMeta,
  type DatasetOccupation,
  type DatasetSkill,
} from './dataset.js';

export class ImportError extends Error {}

const read = (from: string, rel: string) => {
  const file = path.join(from, rel);
  if (!fs.existsSync(file)) throw new ImportError(`missing source file: ${rel}`);
  return fs.readFileSync(file, 'utf8');
};
const csv = <K extends string>(from: string, rel: string, columns: readonly K[]) => {
  try {
    return parseCsv(read(from, rel), columns);
  } catch (err) {
    throw new ImportError(`${rel}: ${err instanceof Error ? err.message : String(err)}`);
  }
};
const OCC = ['conceptUri', 'iscoGroup', 'code', 'preferredLabel', 'altLabels', 'description', 'regulatedProfessionNote'] as const;
const idOf = (uri: string, prefix: string) => {
  if (!uri.startsWith(prefix)) throw new ImportError(`unexpected URI ${uri}`);
  return uri.slice(prefix.length);
};
const labels = (cell: string) => {
  const seen = new Set<string>();
  for (const raw of cell.split('\n')) {
    const l = raw.replace(/\s+/g, ' ').trim();
    if (l) seen.add(l);
  }
  return [...seen];
};
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface BlsFile {
  metadata: { base_year: number; projection_year: number; wage_note: string };
  projections: Record<string, Record<string, unknown>>;
}
interface OnetFile {
  release: string;
  occupations: { code: string; title: string }[];
}

/** Reads every source file and returns the dataset; throws ImportError on missing or inconsistent input. */
export function buildDataset(from: string): Dataset {
  const en = csv(from, 'esco-1.1.1/en/occupations_en.csv', OCC);
  const nlByUri = new Map(csv(from, 'esco-1.1.1/nl/occupations_nl.csv', OCC).map((r) => [r.conceptUri, r]));
  const groupsEn = csv(from, 'esco-1.1.1/en/ISCOGroups_en.csv', ['code', 'preferredLabel']);
  const groupsNl = new Map(
    csv(from, 'esco-1.1.1/nl/ISCOGroups_nl_from_esco_1.2.0.csv', ['code', 'preferredLabel']).map((r) => [
      r.code,
      r.preferredLabel,
    ]),
  );
  const skillRows = new Map(
    csv(from, 'esco-1.1.1/en/skills_en.csv', ['conceptUri', 'preferredLabel', 'skillType', 'reuseLevel']).map((r) => [
      r.conceptUri,
      r,
    ]),
  );
  const transversal = new Set(
    csv(from, 'esco-1.1.1/en/transversalSkillsCollection_en.csv', ['conceptUri']).map((r) => r.conceptUri),
  );
  const relations = csv(from, 'esco-1.1.1/relations/occupationSkillRelations.csv', ['occupationUri', 'relationType', 'skillUri']);
  const broaderRows = csv(from, 'esco-1.1.1/relations/broaderRelationsOccPillar.csv', [
    'conceptType',
    'conceptUri',
    'broaderType',
    'broaderUri',
  ]);
  const crosswalk = csv(from, 'crosswalks/esco_onet_crosswalk_nesta_2020.csv', ['concept_uri', 'onet_code', 'onet_occupation']);
  const onetFile = JSON.parse(read(from, 'onet/onet_29_1_occupation_profiles.json')) as OnetFile;
  const blsFile = JSON.parse(read(from, 'us-bls/bls_employment_projections_2024_34.json')) as BlsFile;

  const groups: Dataset['groups'] = groupsEn
    .map((g): [string, string, string] => {
      const nl = groupsNl.get(g.code);
      if (!nl) throw new ImportError(`ISCO group ${g.code} has no Dutch name`);
      return [g.code, g.preferredLabel.trim(), nl.trim()];
    })
    .sort((a, b) => a[0].localeCompare(b[0]));

  // Skills: only those an occupation links to, in first-seen order of the sorted links.
  const skills: DatasetSkill[] = [];
  const skillIndex = new Map<string, number>();
  const links = new Map<string, { essential: number[]; optional: number[] }>();
  const occupationUris = new Set(en.map((r) => r.conceptUri));
  for (const r of relations) {
    // A few links point at occupations outside the released set: they have nothing to attach to.
    if (!occupationUris.has(r.occupationUri)) continue;
    let idx = skillIndex.get(r.skillUri);
    if (idx === undefined) {
      const s = skillRows.get(r.skillUri);
      if (!s) throw new ImportError(`relation to unknown skill ${r.skillUri}`);
      idx = skills.length;
      skillIndex.set(r.skillUri, idx);
      skills.push([
        idOf(r.skillUri, ESCO_SKILL),
        s.preferredLabel.trim(),
        s.skillType === 'knowledge' ? 'knowledge' : 'skill',
        s.reuseLevel === 'transversal' || transversal.has(r.skillUri),
      ]);
    }
    const entry = links.get(r.occupationUri) ?? { essential: [], optional: [] };
    (r.relationType === 'essential' ? entry.essential : entry.optional).push(idx);
    links.set(r.occupationUri, entry);
  }

  // O*NET code per occupation: the crosswalk, else the nearest broader occupation's code.
  const onetByUri = new Map(crosswalk.map((r) => [r.concept_uri, r.onet_code]));
  const broaderOf = new Map(
    broaderRows
      .filter((r) => r.conceptType === 'Occupation' && r.broaderType === 'Occupation')
      .map((r) => [r.conceptUri, r.broaderUri]),
  );
  const resolveOnet = (uri: string): { onet: string; via: 'crosswalk' | 'broader' } | null => {
    const direct = onetByUri.get(uri);
    if (direct) return { onet: direct, via: 'crosswalk' };
    const seen = new Set([uri]);
    for (let up = broaderOf.get(uri); up && !seen.has(up); up = broaderOf.get(up)) {
      seen.add(up);
      const code = onetByUri.get(up);
      if (code) return { onet: code, via: 'broader' };
    }
    return null;
  };

  const onetTitles = new Map(onetFile.occupations.map((o) => [o.code, o.title]));
  const crosswalkTitles = new Map(crosswalk.map((r) => [r.onet_code, r.onet_occupation]));
  const onet: Record<string, string> = {};
  const bls: Record<string, DatasetBls> = {};
  const occupations: DatasetOccupation[] = en
    .map((r): DatasetOccupation => {
      const nl = nlByUri.get(r.conceptUri);
      if (!nl) throw new ImportError(`occupation ${r.conceptUri} has no Dutch row`);
      const link = links.get(r.conceptUri) ?? { essential: [], optional: [] };
      const reached = resolveOnet(r.conceptUri);
      if (reached) {
        onet[reached.onet] = onetTitles.get(reached.onet) ?? crosswalkTitles.get(reached.onet) ?? reached.onet;
        const soc = socOf(reached.onet);
        const row = blsFile.projections[soc];
        if (row && !bls[soc]) {
          bls[soc] = {
            title: str(row.title) ?? soc,
            employment2024: num(row.employment_2024),
            employment2034: num(row.employment_2034),
            changePct: num(row.employment_change_pct),
            annualOpenings: num(row.annual_openings),
            medianWage: num(row.median_annual_wage),
            education: str(row.typical_education),
            experience: str(row.work_experience),
            training: str(row.typical_training),
          };
        }
      }
      const broader = broaderOf.get(r.conceptUri);
      return {
        id: idOf(r.conceptUri, ESCO_OCCUPATION),
        code: r.code.trim(),
        isco: r.iscoGroup.trim(),
        title: [r.preferredLabel.trim(), nl.preferredLabel.trim()],
        description: [r.description.trim(), nl.description.trim()],
        alt: [
          labels(r.altLabels).filter((l) => l !== r.preferredLabel.trim()),
          labels(nl.altLabels).filter((l) => l !== nl.preferredLabel.trim()),
        ],
        regulated: r.regulatedProfessionNote.endsWith('/regulated'),
        essential: link.essential,
        optional: link.optional,
        onet: reached?.onet ?? null,
        via: reached?.via ?? null,
        broader: broader?.startsWith(ESCO_OCCUPATION) ? idOf(broader, ESCO_OCCUPATION) : null,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));

  return {
    format: DATASET_FORMAT,
    sources: {
      esco: 'ESCO v1.1.1 (Dutch ISCO-08 group names from ESCO v1.2.0)',
      onet: `O*NET 29.1 Database (${onetFile.release})`,
      bls: 'U.S. Bureau of Labor Statistics, Employment Projections 2024–34 and OEWS May 2024',
      nesta: 'Nesta ESCO–O*NET crosswalk (Kanders et al. 2020, Mapping Career Causeways)',
    },
    groups,
    skills,
    occupations,
    onet: Object.fromEntries(Object.entries(onet).sort()),
    bls: Object.fromEntries(Object.entries(bls).sort()),
    blsMeta: {
      baseYear: blsFile.metadata.base_year,
      projectionYear: blsFile.metadata.projection_year,
      wageYear: 'May 2024',
      topCode: 239200,
    },
  };
}

/** Counts for `stats` and meta.json. */
export function datasetMeta(dataset: Dataset, json = JSON.stringify(dataset)): DatasetMeta {
  const occs = dataset.occupations;
  return {
    version: createHash('sha256').update(json).digest('hex').slice(0, 16),
    format: dataset.format,
    languages: ['en', 'nl'],
    counts: {
      occupations: occs.length,
      skills: dataset.skills.length,
      links: occs.reduce((n, o) => n + o.essential.length + o.optional.length, 0),
      groups: dataset.groups.length,
      with_onet: occs.filter((o) => o.onet !== null).length,
      with_labour_market: occs.filter((o) => o.onet !== null && dataset.bls[socOf(o.onet)] !== undefined).length,
    },
    sources: dataset.sources,
  };
}

/** Writes dataset.json.gz and meta.json; the version is the content hash, so an unchanged import changes nothing. */
export function writeDataset(dataset: Dataset, files = { dataset: DATASET_FILE, meta: META_FILE }): DatasetMeta {
  const json = JSON.stringify(dataset);
  const meta = datasetMeta(dataset, json);
  fs.writeFileSync(files.dataset, gzipSync(json, { level: 9 }));
  fs.writeFileSync(files.meta, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
