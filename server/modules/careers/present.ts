/** Allow-list presenters: catalog entries and stored documents → contract shapes. */
import type {
  IscoGroupRef,
  LabourFigure,
  LabourMarket,
  Opportunity,
  OccupationRef,
  SavedOccupation,
} from '../../contract/careers.js';
import type { Catalog, CatalogOccupation } from './catalog.js';

export const presentRef = (o: CatalogOccupation): OccupationRef => ({
  id: o.id,
  uri: o.uri,
  title: { en: o.title.en, nl: o.title.nl },
  iscoGroup: o.isco,
  skillLevel: o.skillLevel,
});

export function presentGroup(catalog: Catalog, code: string): IscoGroupRef {
  const g = catalog.groups.get(code);
  return { code, title: g ? { en: g.title.en, nl: g.title.nl } : { en: code, nl: code } };
}

/** US figures with country, source and year on every figure; null where the crosswalk reaches no BLS row. */
export function presentLabourMarket(o: CatalogOccupation): LabourMarket | null {
  const b = o.bls;
  if (!b || !o.onet) return null;
  const projections = `U.S. Bureau of Labor Statistics, Employment Projections ${String(b.baseYear)}–${String(b.projectionYear).slice(2)}`;
  const figures: LabourFigure[] = [];
  const add = (f: Omit<LabourFigure, 'country'>, value: number | null) => {
    if (value !== null) figures.push({ ...f, value, country: 'US' });
  };
  add(
    {
      id: 'employment_base',
      label: { en: `Jobs in the US, ${String(b.baseYear)}`, nl: `Banen in de VS, ${String(b.baseYear)}` },
      value: 0,
      unit: 'thousand_jobs',
      source: projections,
      year: String(b.baseYear),
    },
    b.employment2024,
  );
  add(
    {
      id: 'employment_projected',
      label: {
        en: `Projected jobs in the US, ${String(b.projectionYear)}`,
        nl: `Verwachte banen in de VS, ${String(b.projectionYear)}`,
      },
      value: 0,
      unit: 'thousand_jobs',
      source: projections,
      year: String(b.projectionYear),
    },
    b.employment2034,
  );
  add(
    {
      id: 'employment_change_pct',
      label: {
        en: `Projected change in US jobs, ${String(b.baseYear)}–${String(b.projectionYear)}`,
        nl: `Verwachte verandering in banen in de VS, ${String(b.baseYear)}–${String(b.projectionYear)}`,
      },
      value: 0,
      unit: 'percent',
      source: projections,
      year: `${String(b.baseYear)}–${String(b.projectionYear)}`,
    },
    b.changePct,
  );
  add(
    {
      id: 'annual_openings',
      label: { en: 'Openings per year in the US (average)', nl: 'Vacatures per jaar in de VS (gemiddeld)' },
      value: 0,
      unit: 'thousand_jobs',
      source: projections,
      year: `${String(b.baseYear)}–${String(b.projectionYear)}`,
    },
    b.annualOpenings,
  );
  if (b.medianWage !== null)
    figures.push({
      id: 'median_annual_wage',
      label: { en: 'Median yearly pay in the US', nl: 'Mediaan jaarloon in de VS' },
      value: b.medianWage,
      unit: 'usd_per_year',
      topCoded: b.medianWage >= b.topCode,
      country: 'US',
      source: `U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS) ${b.wageYear}`,
      year: b.wageYear,
    });
  return {
    country: 'US',
    source: projections,
    year: `${String(b.baseYear)}–${String(b.projectionYear)}`,
    soc: { code: b.soc, title: b.title },
    onet: { code: o.onet.code, title: o.onet.title },
    via: o.onet.via,
    figures,
    entry: {
      education: b.education,
      workExperience: b.experience,
      training: b.training,
      lang: 'en',
      source: projections,
      year: String(b.baseYear),
      country: 'US',
    },
    note: {
      en: `These are figures for the United States (“${b.title}”), not for the Netherlands or the United Kingdom. The ESCO occupation was linked to the US occupation through the Nesta crosswalk${o.onet.via === 'broader' ? ' of a broader occupation' : ''}.`,
      nl: `Dit zijn cijfers voor de Verenigde Staten (“${b.title}”), niet voor Nederland of het Verenigd Koninkrijk. Het ESCO-beroep is via de Nesta-koppeltabel${o.onet.via === 'broader' ? ' van een breder beroep' : ''} aan het Amerikaanse beroep gekoppeld.`,
    },
  };
}

export interface OpportunityDoc {
  _id: unknown;
  kind: string;
  title: string;
  employer: string;
  description: string;
  location: string | null;
  url: string | null;
  contact: string | null;
  startsOn: string | null;
  endsOn: string | null;
  occupationIds: string[];
  updatedAt: Date;
}

/** Encounter type for an experiential-log entry made from an opportunity (curriculum/encounter-types.json ids). */
const ENCOUNTER: Record<string, string> = {
  'work-experience': 'work-experience',
  'open-day': 'workplace-visit',
  apprenticeship: 'work-experience',
  course: 'virtual-encounter',
  'workplace-visit': 'workplace-visit',
  'employer-talk': 'employer-talk',
  other: 'employer-talk',
};

export function presentOpportunity(doc: OpportunityDoc, catalog: Catalog): Opportunity {
  return {
    id: String(doc._id),
    kind: doc.kind as Opportunity['kind'],
    title: doc.title,
    employer: doc.employer,
    description: doc.description,
    location: doc.location,
    url: doc.url,
    contact: doc.contact,
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    occupations: doc.occupationIds.flatMap((id) => {
      const o = catalog.byId.get(id);
      return o ? [presentRef(o)] : [];
    }),
    encounterType: ENCOUNTER[doc.kind] ?? 'employer-talk',
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export interface SavedDoc {
  occupationId: string;
  note: string;
  from?: { moduleId?: string | null; activityId?: string | null } | null;
  savedAt: Date;
  updatedAt: Date;
}

export function presentSaved(doc: SavedDoc, o: CatalogOccupation): SavedOccupation {
  return {
    uri: o.uri,
    occupation: presentRef(o),
    note: doc.note,
    from: doc.from?.moduleId && doc.from.activityId ? { moduleId: doc.from.moduleId, activityId: doc.from.activityId } : null,
    savedAt: doc.savedAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
