/**
 * The careers catalog in memory: occupations, skills and ISCO groups read from MongoDB once per process (after
 * `ensureCareersLoaded`), with the search index and lookups the explorer needs. Reference data only: nothing
 * here is per school or per pupil.
 */
import type { Models } from '../../db/models.js';
import type { Logger } from '../../log.js';
import { loadAuthored, skillLevelOf, type Authored } from '../../../curriculum/careers/authored.js';
import { ensureCareersLoaded } from './load.js';
import { OccupationSearch } from './search.js';

export interface BlsRow {
  soc: string;
  title: string;
  employment2024: number | null;
  employment2034: number | null;
  changePct: number | null;
  annualOpenings: number | null;
  medianWage: number | null;
  education: string | null;
  experience: string | null;
  training: string | null;
  baseYear: number;
  projectionYear: number;
  wageYear: string;
  topCode: number;
}

export interface CatalogOccupation {
  id: string;
  uri: string;
  code: string;
  isco: string;
  skillLevel: 1 | 2 | 3 | 4;
  title: { en: string; nl: string };
  description: { en: string; nl: string };
  alt: { en: string[]; nl: string[] };
  regulated: boolean;
  essential: string[];
  optional: string[];
  onet: { code: string; title: string; via: 'crosswalk' | 'broader' } | null;
  bls: BlsRow | null;
}

export interface CatalogSkill {
  id: string;
  label: string;
  type: 'skill' | 'knowledge';
  transversal: boolean;
}

export interface Catalog {
  version: string;
  occupations: CatalogOccupation[];
  byId: Map<string, CatalogOccupation>;
  skills: Map<string, CatalogSkill>;
  groups: Map<string, { code: string; level: number; title: { en: string; nl: string } }>;
  /** ISCO code (any level) → occupations in it, by title. */
  inGroup: Map<string, CatalogOccupation[]>;
  /** Essential skill id → occupations needing it. */
  bySkill: Map<string, CatalogOccupation[]>;
  search: OccupationSearch;
  authored: Authored;
}

/** The stored shape (see model.ts), as `lean()` returns it. */
interface OccupationDoc {
  _id: string;
  uri: string;
  code: string;
  isco: string;
  title: { en: string; nl: string };
  description: { en: string; nl: string };
  alt: { en: string[]; nl: string[] };
  regulated: boolean;
  essential: string[];
  optional: string[];
  onet?: { code?: string; title?: string; via?: string };
  bls?: BlsRow;
}
interface GroupDoc {
  _id: string;
  level: number;
  title: { en: string; nl: string };
}

const cache = new WeakMap<Models, Promise<Catalog>>();

/** The catalog for this database, loading the dataset first if its version changed. Built once per process. */
export function getCatalog(models: Models, logger?: Logger): Promise<Catalog> {
  let pending = cache.get(models);
  if (!pending) {
    pending = buildCatalog(models, logger);
    cache.set(models, pending);
    pending.catch(() => cache.delete(models));
  }
  return pending;
}

async function buildCatalog(models: Models, logger?: Logger): Promise<Catalog> {
  const { version } = await ensureCareersLoaded(models, logger);
  const authored = loadAuthored();
  const [occupationDocs, skillDocs, groupDocs] = await Promise.all([
    models.CareerOccupation.find({ version }).lean<OccupationDoc[]>(),
    models.CareerSkill.find({ version }).lean(),
    models.CareerGroup.find({ version }).lean<GroupDoc[]>(),
  ]);
  const occupations: CatalogOccupation[] = occupationDocs
    .map((o): CatalogOccupation => ({
      id: o._id,
      uri: o.uri,
      code: o.code,
      isco: o.isco,
      skillLevel: skillLevelOf(authored.routes, o.isco),
      title: { en: o.title.en, nl: o.title.nl },
      description: { en: o.description.en, nl: o.description.nl },
      alt: { en: o.alt.en, nl: o.alt.nl },
      regulated: o.regulated,
      essential: o.essential,
      optional: o.optional,
      onet: o.onet?.code
        ? { code: o.onet.code, title: o.onet.title ?? o.onet.code, via: o.onet.via === 'broader' ? 'broader' : 'crosswalk' }
        : null,
      bls: o.bls ?? null,
    }))
    .sort((a, b) => a.title.en.localeCompare(b.title.en));
  const byId = new Map(occupations.map((o) => [o.id, o]));
  const inGroup = new Map<string, CatalogOccupation[]>();
  const bySkill = new Map<string, CatalogOccupation[]>();
  for (const o of occupations) {
    for (const len of [1, 2, 3, 4]) {
      const code = o.isco.slice(0, len);
      const list = inGroup.get(code) ?? [];
      list.push(o);
      inGroup.set(code, list);
    }
    for (const s of o.essential) {
      const list = bySkill.get(s) ?? [];
      list.push(o);
      bySkill.set(s, list);
    }
  }
  const started = Date.now();
  const search = new OccupationSearch(occupations);
  logger?.info({ version, occupations: occupations.length, ms: Date.now() - started }, 'careers search index built');
  return {
    version,
    occupations,
    byId,
    skills: new Map(
      skillDocs.map((s) => [
        s._id,
        { id: s._id, label: s.label, type: s.type === 'knowledge' ? 'knowledge' : 'skill', transversal: s.transversal },
      ]),
    ),
    groups: new Map(groupDocs.map((g) => [g._id, { code: g._id, level: g.level, title: { en: g.title.en, nl: g.title.nl } }])),
    inGroup,
    bySkill,
    search,
    authored,
  };
}
