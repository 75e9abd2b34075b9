/**
 * Loads the committed careers dataset into MongoDB when its version differs from the loaded one. Cheap when
 * unchanged (reads meta.json and one document); idempotent (bulk upserts keyed by ESCO id / ISCO code, then
 * removal of documents from older versions, then the meta document), so a crash midway is repaired by the next
 * start.
 */
import type { Models } from '../../db/models.js';
import type { Logger } from '../../log.js';
import { readDataset, readMeta, socOf, ESCO_OCCUPATION, DATASET_FILE, META_FILE } from '../../../curriculum/careers/dataset.js';

const META_ID = 'dataset';
const BATCH = 500;

export interface LoadResult {
  version: string;
  loaded: boolean;
}

/**
 * Ensures MongoDB holds the dataset version in `meta.json`.
 * @returns whether this call loaded it (false: already loaded).
 */
export async function ensureCareersLoaded(
  models: Models,
  logger?: Logger,
  files: { dataset: string; meta: string } = { dataset: DATASET_FILE, meta: META_FILE },
): Promise<LoadResult> {
  const meta = readMeta(files.meta);
  const current = await models.CareersMeta.findById(META_ID).lean();
  if (current?.version === meta.version) return { version: meta.version, loaded: false };

  const started = Date.now();
  const dataset = readDataset(files.dataset);
  const version = meta.version;
  const upserts = <T extends { _id: string }>(docs: T[]) =>
    docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }));
  const inBatches = async <T>(docs: T[], write: (batch: T[]) => Promise<unknown>) => {
    for (let i = 0; i < docs.length; i += BATCH) await write(docs.slice(i, i + BATCH));
  };

  const groups = dataset.groups.map(([code, en, nl]) => ({ _id: code, level: code.length, title: { en, nl }, version }));
  await inBatches(groups, (b) => models.CareerGroup.bulkWrite(upserts(b), { ordered: false }));

  const skills = dataset.skills.map(([id, label, type, transversal]) => ({ _id: id, label, type, transversal, version }));
  await inBatches(skills, (b) => models.CareerSkill.bulkWrite(upserts(b), { ordered: false }));

  const skillId = (i: number) => {
    const s = dataset.skills[i];
    if (!s) throw new Error(`dataset: skill index ${String(i)} out of range`);
    return s[0];
  };
  const occupations = dataset.occupations.map((o) => {
    const bls = o.onet ? dataset.bls[socOf(o.onet)] : undefined;
    return {
      _id: o.id,
      uri: ESCO_OCCUPATION + o.id,
      code: o.code,
      isco: o.isco,
      title: { en: o.title[0], nl: o.title[1] },
      description: { en: o.description[0], nl: o.description[1] },
      alt: { en: o.alt[0], nl: o.alt[1] },
      regulated: o.regulated,
      essential: o.essential.map(skillId),
      optional: o.optional.map(skillId),
      onet: o.onet ? { code: o.onet, title: dataset.onet[o.onet] ?? o.onet, via: o.via ?? 'crosswalk' } : {},
      ...(bls && o.onet ? { bls: { ...bls, soc: socOf(o.onet), ...dataset.blsMeta } } : {}),
      version,
    };
  });
  await inBatches(occupations, (b) => models.CareerOccupation.bulkWrite(upserts(b), { ordered: false }));

  // Entries an earlier version had and this one dropped.
  await Promise.all([
    models.CareerGroup.deleteMany({ version: { $ne: version } }),
    models.CareerSkill.deleteMany({ version: { $ne: version } }),
    models.CareerOccupation.deleteMany({ version: { $ne: version } }),
  ]);
  await models.CareersMeta.replaceOne(
    { _id: META_ID },
    { _id: META_ID, version, loadedAt: new Date(), counts: meta.counts },
    { upsert: true },
  );
  logger?.info({ version, previous: current?.version ?? null, ms: Date.now() - started }, 'careers dataset loaded');
  return { version, loaded: true };
}
