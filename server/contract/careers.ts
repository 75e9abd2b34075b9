/**
 * The careers explorer: request and response shapes shared by the API and the client.
 *
 * Occupations are ESCO v1.1.1 occupations; in URLs they are addressed by the last segment of their ESCO URI
 * (`OccupationId`, a UUID), in stored data and learning events by the full URI. Occupation text comes in English
 * and Dutch; skill names exist only in English (`lang: 'en'`, render with the `lang` attribute). Labour-market
 * figures are US figures only (BLS via O*NET and the Nesta crosswalk): every figure carries country, source and
 * year. Every response that shows third-party data carries `attribution`.
 */
import { z } from 'zod';

export const CareersLimits = {
  queryMaxLength: 100,
  searchMaxLimit: 50,
  searchDefaultLimit: 20,
  noteMaxLength: 2000,
  savedMax: 200,
  opportunityTitle: 200,
  opportunityText: 2000,
  opportunityOccupations: 20,
  /** Planner aggregates never show a group with fewer pupils than this. */
  minAggregateGroup: 5,
} as const;

export const CareersLang = z.enum(['en', 'nl']);
export type CareersLang = z.infer<typeof CareersLang>;

export const Localized = z.object({ en: z.string(), nl: z.string() });
export type Localized = z.infer<typeof Localized>;

export const OccupationId = z.string().regex(/^[0-9a-f-]{36}$/, 'must be an ESCO occupation id');
export const OccupationUri = z
  .string()
  .regex(/^http:\/\/data\.europa\.eu\/esco\/occupation\/[0-9a-f-]{36}$/, 'must be an ESCO occupation URI');
/** ISCO-08 group code: 1 digit (major), 2 (sub-major), 3 (minor) or 4 (unit group). */
export const IscoCode = z.string().regex(/^\d{1,4}$/, 'must be an ISCO-08 group code');
export const ObjectIdString = z.string().regex(/^[0-9a-f]{24}$/, 'must be an id');

// ---- attribution ----------------------------------------------------------------------------------------------

export const AttributionSource = z.enum(['esco', 'onet', 'bls', 'nesta', 'waymark']);
export const Attribution = z.object({
  source: AttributionSource,
  /** The exact credit line to show. */
  text: z.string(),
  url: z.string().optional(),
});
export type Attribution = z.infer<typeof Attribution>;

// ---- shared pieces --------------------------------------------------------------------------------------------

export const IscoGroupRef = z.object({ code: IscoCode, title: Localized });
export type IscoGroupRef = z.infer<typeof IscoGroupRef>;

/** A compact occupation reference for lists and cards. */
export const OccupationRef = z.object({
  id: OccupationId,
  uri: OccupationUri,
  title: Localized,
  /** ISCO-08 unit group (4 digits). */
  iscoGroup: IscoCode,
  /** ISCO-08 skill level 1-4 of the occupation's major group (indicative). */
  skillLevel: z.number().int().min(1).max(4),
});
export type OccupationRef = z.infer<typeof OccupationRef>;

// ---- search ---------------------------------------------------------------------------------------------------

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(CareersLimits.queryMaxLength),
  /** Language to explain matches in and to prefer on ties; defaults to the session language. */
  lang: CareersLang.optional(),
  limit: z.coerce.number().int().min(1).max(CareersLimits.searchMaxLimit).optional(),
  /** Restrict to an ISCO group (any level). */
  group: IscoCode.optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** Why a result matched: which field, which language, how (exact word, prefix, typo-tolerant). */
export const MatchKind = z.enum(['title', 'alternative_title', 'prefix', 'fuzzy']);
export type MatchKind = z.infer<typeof MatchKind>;

export const MatchReason = z.object({
  kind: MatchKind,
  /** Field the match was found in. */
  field: z.enum(['title', 'alternative_title']),
  lang: CareersLang,
  /** The query term and the indexed term it matched. */
  queryTerm: z.string(),
  matchedTerm: z.string(),
  /** The full title or alternative title that matched, in its language. */
  matchedText: z.string(),
});
export type MatchReason = z.infer<typeof MatchReason>;

export const SearchHit = OccupationRef.extend({
  rank: z.number().int().min(1),
  score: z.number(),
  /** The strongest reason first. */
  reasons: z.array(MatchReason).min(1),
  /** One plain sentence per language built from `reasons`, e.g. "Matches the Dutch title 'verpleegkundige'". */
  explanation: Localized,
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z.object({
  query: z.string(),
  total: z.number().int(),
  results: z.array(SearchHit),
  /** Where the ranking rules are documented (docs/careers.md); there is no sponsored ranking. */
  rankingRules: z.string(),
  attribution: z.array(Attribution),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

// ---- occupation page ------------------------------------------------------------------------------------------

export const SkillRef = z.object({
  uri: z.string(),
  label: z.string(),
  /** Skill names exist only in English. */
  lang: z.literal('en'),
  type: z.enum(['skill', 'knowledge']),
  /** In ESCO's transversal skills collection: highlight these for school-age learners. */
  transversal: z.boolean(),
});
export type SkillRef = z.infer<typeof SkillRef>;

export const RelatedOccupation = OccupationRef.extend({
  /** Number of essential skills shared with the occupation on the page (0 for same-group entries). */
  sharedEssentialSkills: z.number().int().min(0),
});
export type RelatedOccupation = z.infer<typeof RelatedOccupation>;

export const RouteCountry = z.enum(['NL', 'England', 'US-Canada']);
export type RouteCountry = z.infer<typeof RouteCountry>;

export const RouteStep = z.object({
  /** Short name of a qualification or stage, e.g. "mbo 4", "T level", "associate degree". */
  label: Localized,
  detail: Localized,
});
export const RouteIn = z.object({
  country: RouteCountry,
  title: Localized,
  /** Alternatives, each a sequence of steps. */
  paths: z.array(z.object({ steps: z.array(RouteStep).min(1) })).min(1),
});
export type RouteIn = z.infer<typeof RouteIn>;

export const Routes = z.object({
  skillLevel: z.number().int().min(1).max(4),
  skillLevelLabel: Localized,
  /** Skill level → education is an ILO/ISCED rule of thumb, not an entry requirement. */
  indicative: z.literal(true),
  note: Localized,
  countries: z.array(RouteIn),
});
export type Routes = z.infer<typeof Routes>;

export const LabourFigureId = z.enum([
  'employment_base',
  'employment_projected',
  'employment_change_pct',
  'annual_openings',
  'median_annual_wage',
]);
/** One figure, always with its own country, source and year. */
export const LabourFigure = z.object({
  id: LabourFigureId,
  label: Localized,
  value: z.number(),
  unit: z.enum(['thousand_jobs', 'percent', 'usd_per_year']),
  /** Median wage at the OEWS top code: the real value is at least `value`. */
  topCoded: z.boolean().optional(),
  country: z.literal('US'),
  source: z.string(),
  year: z.string(),
});
export type LabourFigure = z.infer<typeof LabourFigure>;

export const LabourMarket = z.object({
  country: z.literal('US'),
  source: z.string(),
  year: z.string(),
  /** The US occupation the figures describe (6-digit SOC) and how the ESCO occupation reached it. */
  soc: z.object({ code: z.string(), title: z.string() }),
  onet: z.object({ code: z.string(), title: z.string() }),
  /** `broader`: this occupation is not in the crosswalk and borrows its broader occupation's O*NET code. */
  via: z.enum(['crosswalk', 'broader']),
  figures: z.array(LabourFigure),
  /** Typical US entry requirements (BLS), as published, in English. */
  entry: z.object({
    education: z.string().nullable(),
    workExperience: z.string().nullable(),
    training: z.string().nullable(),
    lang: z.literal('en'),
    source: z.string(),
    year: z.string(),
    country: z.literal('US'),
  }),
  /** Plain statement that these are US figures, not Dutch or British ones. */
  note: Localized,
});
export type LabourMarket = z.infer<typeof LabourMarket>;

export const OpportunityKind = z.enum([
  'work-experience',
  'open-day',
  'apprenticeship',
  'course',
  'workplace-visit',
  'employer-talk',
  'other',
]);
export type OpportunityKind = z.infer<typeof OpportunityKind>;

export const Opportunity = z.object({
  id: ObjectIdString,
  kind: OpportunityKind,
  title: z.string(),
  employer: z.string(),
  description: z.string(),
  location: z.string().nullable(),
  url: z.string().nullable(),
  contact: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  occupations: z.array(OccupationRef),
  /** Encounter type for an experiential-log entry made from this opportunity. */
  encounterType: z.string(),
  updatedAt: z.string(),
});
export type Opportunity = z.infer<typeof Opportunity>;

export const OccupationPage = z.object({
  id: OccupationId,
  uri: OccupationUri,
  code: z.string(),
  title: Localized,
  description: Localized,
  alternativeTitles: z.object({ en: z.array(z.string()), nl: z.array(z.string()) }),
  /** Major → sub-major → minor → unit group. */
  groupPath: z.array(IscoGroupRef),
  skillLevel: z.number().int().min(1).max(4),
  skills: z.object({ essential: z.array(SkillRef), optional: z.array(SkillRef) }),
  related: z.object({ sameGroup: z.array(RelatedOccupation), sharedSkills: z.array(RelatedOccupation) }),
  regulated: z.object({ isRegulated: z.boolean(), note: Localized.nullable() }),
  routes: Routes,
  /** US figures or null where the crosswalk does not reach BLS data. */
  labourMarket: LabourMarket.nullable(),
  /** The pupil's school's local opportunities linked to this occupation. */
  opportunities: z.array(Opportunity),
  saved: z.object({ isSaved: z.boolean(), note: z.string().nullable() }),
  attribution: z.array(Attribution),
});
export type OccupationPage = z.infer<typeof OccupationPage>;

// ---- browse ---------------------------------------------------------------------------------------------------

export const IscoGroupNode = IscoGroupRef.extend({
  level: z.number().int().min(1).max(4),
  description: Localized.optional(),
  occupationCount: z.number().int(),
  children: z.array(IscoGroupRef.extend({ level: z.number().int(), occupationCount: z.number().int() })),
});
export type IscoGroupNode = z.infer<typeof IscoGroupNode>;

/** GET /careers/groups: the 10 major groups, each with its sub-major groups. */
export const GroupsResponse = z.object({ groups: z.array(IscoGroupNode), attribution: z.array(Attribution) });
export type GroupsResponse = z.infer<typeof GroupsResponse>;

export const GroupParams = z.strictObject({ code: IscoCode });
/** GET /careers/groups/:code: a group, its path, child groups and occupations in it (any depth). */
export const GroupResponse = z.object({
  group: IscoGroupNode,
  path: z.array(IscoGroupRef),
  occupations: z.array(OccupationRef),
  attribution: z.array(Attribution),
});
export type GroupResponse = z.infer<typeof GroupResponse>;

export const SubjectId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a subject id');
export const InterestId = z.string().regex(/^[a-z-]{1,40}$/, 'must be an interest id');

/** Authored by Waymark: a school subject or a thing a pupil likes doing, pointing at ISCO sub-major groups. */
export const Theme = z.object({
  id: z.string(),
  title: Localized,
  /** "Where can maths take me?" / "If you like working with your hands…" */
  blurb: Localized,
  icon: z.string(),
  groups: z.array(IscoGroupRef),
});
export type Theme = z.infer<typeof Theme>;

export const ThemesResponse = z.object({ themes: z.array(Theme), attribution: z.array(Attribution) });
export type ThemesResponse = z.infer<typeof ThemesResponse>;

/** GET /careers/subjects/:id, /careers/interests/:id: the theme with example occupations per group. */
export const ThemeResponse = z.object({
  theme: Theme,
  groups: z.array(z.object({ group: IscoGroupRef, why: Localized, occupations: z.array(OccupationRef) })),
  attribution: z.array(Attribution),
});
export type ThemeResponse = z.infer<typeof ThemeResponse>;

// ---- people at work (ages 5-11) --------------------------------------------------------------------------------

export const PeopleAtWorkCard = z.object({
  id: OccupationId,
  uri: OccupationUri,
  title: Localized,
  /** One or two short sentences for young readers. */
  sentence: Localized,
  /** An emoji, shown with `alt` as its accessible name. */
  emoji: z.string(),
  alt: Localized,
});
export type PeopleAtWorkCard = z.infer<typeof PeopleAtWorkCard>;

export const PeopleAtWorkResponse = z.object({
  cards: z.array(PeopleAtWorkCard),
  attribution: z.array(Attribution),
});
export type PeopleAtWorkResponse = z.infer<typeof PeopleAtWorkResponse>;

// ---- saved occupations (pupil only, own data) ------------------------------------------------------------------

export const SaveOccupation = z.strictObject({
  uri: OccupationUri,
  note: z.string().max(CareersLimits.noteMaxLength).default(''),
  /** The research activity the pupil saved from, when opened from a module. */
  from: z
    .strictObject({
      moduleId: z.string().regex(/^[a-z0-9-]{1,80}$/),
      activityId: z.string().regex(/^[a-z0-9-]{1,80}$/),
    })
    .optional(),
});
export type SaveOccupation = z.input<typeof SaveOccupation>;

export const SavedOccupation = z.object({
  uri: OccupationUri,
  occupation: OccupationRef,
  note: z.string(),
  from: z.object({ moduleId: z.string(), activityId: z.string() }).nullable(),
  savedAt: z.string(),
  updatedAt: z.string(),
});
export type SavedOccupation = z.infer<typeof SavedOccupation>;

export const SavedOccupationsResponse = z.object({
  saved: z.array(SavedOccupation),
  attribution: z.array(Attribution),
});
export type SavedOccupationsResponse = z.infer<typeof SavedOccupationsResponse>;

export const OccupationParams = z.strictObject({ id: OccupationId });

// ---- suggestions from self-ratings -----------------------------------------------------------------------------

/** Ratings may come from the pupil's stored `scale` answers or, if none are stored, from the request. */
export const SuggestionsRequest = z.strictObject({
  ratings: z
    .array(
      z.strictObject({
        interest: InterestId,
        /** 1-5 (`numbers` scales) or 1-3 (`faces` scales, send `max: 3`). */
        value: z.number().int().min(1).max(5),
        max: z.union([z.literal(3), z.literal(5)]).default(5),
      }),
    )
    .max(40)
    .optional(),
});
export type SuggestionsRequest = z.input<typeof SuggestionsRequest>;

export const Suggestion = z.object({
  interest: z.object({ id: z.string(), title: Localized }),
  /** Normalised rating 0-1 that led to the suggestion. */
  rating: z.number(),
  /** Always said: "You rated working with your hands highly; these jobs rely on it." */
  reason: Localized,
  groups: z.array(IscoGroupRef),
  occupations: z.array(OccupationRef),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionsResponse = z.object({
  /** Where the ratings came from. */
  ratingsFrom: z.enum(['attempts', 'request', 'none']),
  suggestions: z.array(Suggestion),
  attribution: z.array(Attribution),
});
export type SuggestionsResponse = z.infer<typeof SuggestionsResponse>;

// ---- teachers: occupations for their subject, for their class ---------------------------------------------------

export const ClassSubjectQuery = z.strictObject({ subject: SubjectId });
export const ClassParams = z.strictObject({ classId: ObjectIdString });

export const ClassSubjectResponse = z.object({
  classId: z.string(),
  subject: Theme,
  groups: z.array(z.object({ group: IscoGroupRef, occupations: z.array(OccupationRef) })),
  attribution: z.array(Attribution),
});
export type ClassSubjectResponse = z.infer<typeof ClassSubjectResponse>;

/** A teacher shares the occupations linked to a subject with their class ("share these with my class"). */
export const ShareClassSubject = z.strictObject({ subject: SubjectId });
export type ShareClassSubject = z.infer<typeof ShareClassSubject>;

/** What a class's pupils see on the careers home: the subject their teacher shared, or null. */
export const ClassSharedResponse = z.object({
  classId: z.string(),
  shared: z
    .object({
      subject: Theme,
      sharedAt: z.string(),
      groups: z.array(z.object({ group: IscoGroupRef, occupations: z.array(OccupationRef) })),
    })
    .nullable(),
  attribution: z.array(Attribution),
});
export type ClassSharedResponse = z.infer<typeof ClassSharedResponse>;

// ---- planners: aggregate exploration ---------------------------------------------------------------------------

export const ExplorationAggregateResponse = z.object({
  minGroupSize: z.literal(CareersLimits.minAggregateGroup),
  /** ISCO sub-major groups pupils explored, each with the number of distinct pupils (never under minGroupSize). */
  groups: z.array(IscoGroupRef.extend({ pupils: z.number().int() })),
  /** Number of groups left out because fewer than minGroupSize pupils explored them. */
  suppressedGroups: z.number().int(),
  attribution: z.array(Attribution),
});
export type ExplorationAggregateResponse = z.infer<typeof ExplorationAggregateResponse>;

// ---- local opportunities (planner/teacher CRUD; pupils read on occupation pages) --------------------------------

export const OpportunityInput = z.strictObject({
  kind: OpportunityKind,
  title: z.string().trim().min(1).max(CareersLimits.opportunityTitle),
  employer: z.string().trim().min(1).max(CareersLimits.opportunityTitle),
  description: z.string().trim().max(CareersLimits.opportunityText).default(''),
  location: z.string().trim().max(CareersLimits.opportunityTitle).nullable().default(null),
  url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .default(null),
  contact: z.string().trim().max(CareersLimits.opportunityTitle).nullable().default(null),
  startsOn: z.iso.date().nullable().default(null),
  endsOn: z.iso.date().nullable().default(null),
  occupationUris: z.array(OccupationUri).min(1).max(CareersLimits.opportunityOccupations),
});
export type OpportunityInput = z.input<typeof OpportunityInput>;

export const OpportunityParams = z.strictObject({ id: ObjectIdString });

export const OpportunitiesResponse = z.object({ opportunities: z.array(Opportunity) });
export type OpportunitiesResponse = z.infer<typeof OpportunitiesResponse>;

// ---- dataset meta ------------------------------------------------------------------------------------------------

export const CareersMetaResponse = z.object({
  version: z.string(),
  occupations: z.number().int(),
  skills: z.number().int(),
  withLabourMarket: z.number().int(),
  languages: z.array(CareersLang),
  sources: z.record(z.string(), z.string()),
  attribution: z.array(Attribution),
});
export type CareersMetaResponse = z.infer<typeof CareersMetaResponse>;

/*
 * Routes (all under the authenticated /api router):
 *   GET    /careers/meta                          CareersMetaResponse
 *   GET    /careers/search?q=&lang=&limit=&group=  SearchResponse            (logs a `searched` event for pupils)
 *   GET    /careers/occupations/:id               OccupationPage            (logs `viewed` for pupils)
 *   GET    /careers/groups                        GroupsResponse
 *   GET    /careers/groups/:code                  GroupResponse
 *   GET    /careers/subjects                      ThemesResponse
 *   GET    /careers/subjects/:id                  ThemeResponse
 *   GET    /careers/interests                     ThemesResponse
 *   GET    /careers/interests/:id                 ThemeResponse
 *   GET    /careers/people-at-work                PeopleAtWorkResponse
 *   GET    /careers/saved                         SavedOccupationsResponse  (pupil)
 *   POST   /careers/saved                         SaveOccupation → 201 SavedOccupation (pupil; upsert; logs `saved`)
 *   DELETE /careers/saved/:id                     204 (pupil)
 *   POST   /careers/suggestions                   SuggestionsRequest → SuggestionsResponse (pupil)
 *   GET    /careers/classes/:classId/subject?subject=  ClassSubjectResponse (teacher of that class)
 *   POST   /careers/classes/:classId/shared       ShareClassSubject → ClassSharedResponse (teacher of that class)
 *   GET    /careers/classes/:classId/shared       ClassSharedResponse (teacher or pupil of that class)
 *   GET    /careers/insights                      ExplorationAggregateResponse (planner)
 *   GET    /careers/opportunities                 OpportunitiesResponse (planner/teacher)
 *   GET    /careers/opportunities/:id             Opportunity (anyone in the school: a pupil's log entry starts from it)
 *   POST   /careers/opportunities                 OpportunityInput → 201 Opportunity
 *   PUT    /careers/opportunities/:id             OpportunityInput → Opportunity
 *   DELETE /careers/opportunities/:id             204
 */
