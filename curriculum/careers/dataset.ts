/**
 * The compact careers dataset Waymark ships (`dataset.json.gz` + `meta.json`), built by `npm run careers -- import`
 * from the open data in shared/careers-data and loaded into MongoDB by the server when its version changes.
 *
 * Compact on purpose: skills are kept only if an occupation links to them, occupation–skill links are index arrays
 * into `skills`, BLS rows are keyed by 6-digit SOC and shared by the occupations that reach them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

export const CAREERS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DATASET_FILE = path.join(CAREERS_DIR, 'dataset.json.gz');
export const META_FILE = path.join(CAREERS_DIR, 'meta.json');
export const DATASET_FORMAT = 1;

const Pair = z.tuple([z.string(), z.string()]);

export const DatasetOccupation = z.strictObject({
  /** Last segment of the ESCO URI. */
  id: z.string().regex(/^[0-9a-f-]{36}$/),
  /** ESCO code, e.g. `2221.2`. */
  code: z.string(),
  /** ISCO-08 unit group, 4 digits. */
  isco: z.string().regex(/^\d{4}$/),
  /** [en, nl] */
  title: Pair,
  description: Pair,
  alt: z.tuple([z.array(z.string()), z.array(z.string())]),
  regulated: z.boolean(),
  /** Indexes into `skills`. */
  essential: z.array(z.number().int().min(0)),
  optional: z.array(z.number().int().min(0)),
  /** O*NET-SOC code reached through the Nesta crosswalk, directly or from a broader occupation. */
  onet: z.string().nullable(),
  via: z.enum(['crosswalk', 'broader']).nullable(),
  broader: z.string().nullable(),
});
export type DatasetOccupation = z.infer<typeof DatasetOccupation>;

/** [id, English label, 'skill' | 'knowledge', transversal] */
export const DatasetSkill = z.tuple([z.string(), z.string(), z.enum(['skill', 'knowledge']), z.boolean()]);
export type DatasetSkill = z.infer<typeof DatasetSkill>;

export const DatasetBls = z.strictObject({
  title: z.string(),
  employment2024: z.number().nullable(),
  employment2034: z.number().nullable(),
  changePct: z.number().nullable(),
  annualOpenings: z.number().nullable(),
  medianWage: z.number().nullable(),
  education: z.string().nullable(),
  experience: z.string().nullable(),
  training: z.string().nullable(),
});
export type DatasetBls = z.infer<typeof DatasetBls>;

export const Dataset = z.strictObject({
  format: z.literal(DATASET_FORMAT),
  sources: z.record(z.string(), z.string()),
  /** [code, en, nl] for every ISCO-08 group (levels 1-4). */
  groups: z.array(z.tuple([z.string(), z.string(), z.string()])),
  skills: z.array(DatasetSkill),
  occupations: z.array(DatasetOccupation),
  /** O*NET-SOC code → O*NET title. */
  onet: z.record(z.string(), z.string()),
  /** 6-digit SOC → BLS Employment Projections row. */
  bls: z.record(z.string(), DatasetBls),
  blsMeta: z.strictObject({ baseYear: z.number(), projectionYear: z.number(), wageYear: z.string(), topCode: z.number() }),
});
export type Dataset = z.infer<typeof Dataset>;

export const DatasetMeta = z.strictObject({
  /** sha256 (first 16 hex digits) of the uncompressed dataset JSON. */
  version: z.string(),
  format: z.number(),
  languages: z.array(z.enum(['en', 'nl'])),
  counts: z.strictObject({
    occupations: z.number(),
    skills: z.number(),
    links: z.number(),
    groups: z.number(),
    with_onet: z.number(),
    with_labour_market: z.number(),
  }),
  sources: z.record(z.string(), z.string()),
});
export type DatasetMeta = z.infer<typeof DatasetMeta>;

export function readMeta(file = META_FILE): DatasetMeta {
  return DatasetMeta.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export function readDataset(file = DATASET_FILE): Dataset {
  return Dataset.parse(JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')));
}

/** 6-digit SOC of an O*NET-SOC code (`47-2111.00` → `47-2111`). */
export const socOf = (onet: string): string => onet.slice(0, 7);

export const ESCO_OCCUPATION = 'http://data.europa.eu/esco/occupation/';
export const ESCO_SKILL = 'http://data.europa.eu/esco/skill/';
