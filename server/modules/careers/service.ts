/**
 * Careers explorer services. Reference data comes from the in-memory catalog; per-school data (saved
 * occupations, opportunities, learning events) is always filtered by `ctx.schoolId`. Explorer use by pupils is
 * recorded as LearningEvents with the ESCO URI as the activity id (docs/careers.md).
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type {
  ClassSharedResponse,
  ClassSubjectResponse,
  ExplorationAggregateResponse,
  GroupResponse,
  GroupsResponse,
  IscoGroupNode,
  OccupationPage,
  OpportunitiesResponse,
  Opportunity,
  OpportunityInput,
  PeopleAtWorkResponse,
  RelatedOccupation,
  SavedOccupation,
  SavedOccupationsResponse,
  SaveOccupation,
  SearchQuery,
  SearchResponse,
  SkillRef,
  Suggestion,
  SuggestionsRequest,
  SuggestionsResponse,
  Theme,
  ThemeResponse,
  ThemesResponse,
} from '../../contract/careers.js';
import { CareersLimits } from '../../contract/careers.js';
import type { Models } from '../../db/models.js';
import { forbidden, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import type { Logger } from '../../log.js';
import type { Curriculum } from '../../../curriculum/index.js';
import type { AuthoredTheme } from '../../../curriculum/careers/authored.js';
import { ESCO_OCCUPATION } from '../../../curriculum/careers/dataset.js';
import { eventId, recordLearningEvent } from '../events/record.js';
import { ESCO_ONLY, WITH_LABOUR_MARKET } from './attribution.js';
import { getCatalog, type Catalog, type CatalogOccupation } from './catalog.js';
import {
  presentGroup,
  presentLabourMarket,
  presentOpportunity,
  presentRef,
  presentSaved,
  type OpportunityDoc,
} from './present.js';
import { explain } from './search.js';

export interface CareersDeps {
  models: Models;
  curriculum: Curriculum;
  logger?: Logger;
  /** Injected clock (tests, the synthetic-school generator); defaults to the real time. */
  now?: () => Date;
}

export const RANKING_RULES = 'docs/careers.md#ranking';
const SEARCH_ACTIVITY = 'urn:waymark:careers:search';

const catalogOf = (deps: CareersDeps) => getCatalog(deps.models, deps.logger);
const isPupil = (ctx: RequestContext) => ctx.actor.role === 'pupil';
const clock = (deps: CareersDeps) => (deps.now ? deps.now() : new Date());
const today = (deps: CareersDeps) => clock(deps).toISOString().slice(0, 10);

function assertRole(ctx: RequestContext, roles: readonly string[]): void {
  if (!roles.includes(ctx.actor.role)) throw forbidden('This part of the careers explorer is not for your role.');
}

function occupationOr404(catalog: Catalog, id: string): CatalogOccupation {
  const o = catalog.byId.get(id);
  if (!o) throw notFound('occupation');
  return o;
}

/** Records a pupil's explorer use; one event per pupil, kind, occupation and `unique` (retries do not repeat it). */
async function recordUse(
  deps: CareersDeps,
  ctx: RequestContext,
  kind: 'careers.searched' | 'careers.viewed' | 'careers.saved' | 'careers.unsaved',
  activityId: string,
  unique: string,
  data: Record<string, unknown>,
): Promise<void> {
  if (!isPupil(ctx)) return;
  const event = {
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind,
    subject: { activityId },
    ...(ctx.classId ? { classId: ctx.classId } : {}),
    ...(ctx.resourceLinkId ? { resourceLinkId: ctx.resourceLinkId } : {}),
    at: clock(deps),
    data,
  };
  await recordLearningEvent(deps.models, eventId(event, unique), event);
}

/** Searches titles and alternative titles in both languages; ranked and explained (docs/careers.md). */
export async function search(deps: CareersDeps, ctx: RequestContext, query: SearchQuery): Promise<SearchResponse> {
  const catalog = await catalogOf(deps);
  const lang = query.lang ?? ctx.lang;
  const limit = query.limit ?? CareersLimits.searchDefaultLimit;
  const group = query.group;
  const filter = group ? (i: number) => (catalog.occupations[i]?.isco ?? '').startsWith(group) : undefined;
  const ranked = catalog.search.search(query.q, lang, filter);
  const results = ranked.slice(0, limit).flatMap((r, n) => {
    const o = catalog.occupations[r.index];
    return o
      ? [
          {
            ...presentRef(o),
            rank: n + 1,
            score: Math.round(r.score * 1000) / 1000,
            reasons: r.reasons,
            explanation: explain(r.reasons),
          },
        ]
      : [];
  });
  await recordUse(deps, ctx, 'careers.searched', SEARCH_ACTIVITY, `${today(deps)}:${query.q.trim().toLowerCase()}`, {
    query: query.q,
    lang,
    results: results.slice(0, 5).map((r) => r.uri),
  });
  return { query: query.q, total: ranked.length, results, rankingRules: RANKING_RULES, attribution: ESCO_ONLY };
}

function skillRefs(catalog: Catalog, ids: string[]): SkillRef[] {
  return ids
    .flatMap((id) => {
      const s = catalog.skills.get(id);
      return s
        ? [
            {
              uri: `http://data.europa.eu/esco/skill/${s.id}`,
              label: s.label,
              lang: 'en' as const,
              type: s.type,
              transversal: s.transversal,
            },
          ]
        : [];
    })
    .sort((a, b) => Number(b.transversal) - Number(a.transversal) || a.label.localeCompare(b.label));
}

/** Same unit group first (by title), then occupations sharing the most essential skills. */
function related(catalog: Catalog, o: CatalogOccupation): OccupationPage['related'] {
  const mine = new Set(o.essential);
  const sameGroup: RelatedOccupation[] = (catalog.inGroup.get(o.isco) ?? [])
    .filter((x) => x.id !== o.id)
    .slice(0, 12)
    .map((x) => ({ ...presentRef(x), sharedEssentialSkills: x.essential.filter((s) => mine.has(s)).length }));
  const shared = new Map<CatalogOccupation, number>();
  for (const s of o.essential)
    for (const x of catalog.bySkill.get(s) ?? []) if (x.id !== o.id) shared.set(x, (shared.get(x) ?? 0) + 1);
  const sharedSkills = [...shared.entries()]
    .filter(([x, n]) => n >= 2 && x.isco !== o.isco)
    .sort((a, b) => b[1] - a[1] || a[0].title.en.localeCompare(b[0].title.en))
    .slice(0, 12)
    .map(([x, n]) => ({ ...presentRef(x), sharedEssentialSkills: n }));
  return { sameGroup, sharedSkills };
}

function groupPath(catalog: Catalog, isco: string) {
  return [1, 2, 3, 4].map((n) => presentGroup(catalog, isco.slice(0, n)));
}

/** The occupation page: ESCO text in both languages, skills, related occupations, routes in, US figures, local opportunities. */
export async function occupationPage(deps: CareersDeps, ctx: RequestContext, id: string): Promise<OccupationPage> {
  const catalog = await catalogOf(deps);
  const o = occupationOr404(catalog, id);
  const { routes } = catalog.authored;
  const level = routes.levels[String(o.skillLevel) as '1' | '2' | '3' | '4'];
  const [opportunities, saved] = await Promise.all([
    deps.models.Opportunity.find({ schoolId: ctx.schoolId, occupationIds: o.id })
      .sort({ startsOn: 1, title: 1 })
      .lean<OpportunityDoc[]>(),
    isPupil(ctx)
      ? deps.models.SavedOccupation.findOne({ schoolId: ctx.schoolId, userId: ctx.actor.id, occupationId: o.id }).lean()
      : null,
  ]);
  const labourMarket = presentLabourMarket(o);
  await recordUse(deps, ctx, 'careers.viewed', o.uri, today(deps), { isco: o.isco, title: o.title.en });
  return {
    id: o.id,
    uri: o.uri,
    code: o.code,
    title: o.title,
    description: o.description,
    alternativeTitles: o.alt,
    groupPath: groupPath(catalog, o.isco),
    skillLevel: o.skillLevel,
    skills: { essential: skillRefs(catalog, o.essential), optional: skillRefs(catalog, o.optional) },
    related: related(catalog, o),
    regulated: {
      isRegulated: o.regulated,
      note: o.regulated
        ? {
            en: 'ESCO marks this as a regulated profession: in at least one European country you need a recognised qualification or registration to work in it.',
            nl: 'ESCO noemt dit een gereglementeerd beroep: in minstens één Europees land heb je een erkend diploma of een registratie nodig om het te mogen doen.',
          }
        : null,
    },
    routes: {
      skillLevel: o.skillLevel,
      skillLevelLabel: level.label,
      indicative: true,
      note: routes.note,
      countries: level.countries,
    },
    labourMarket,
    opportunities: opportunities.map((d) => presentOpportunity(d, catalog)),
    saved: { isSaved: Boolean(saved), note: saved?.note ?? null },
    attribution: labourMarket ? WITH_LABOUR_MARKET : ESCO_ONLY,
  };
}

function groupNode(catalog: Catalog, code: string): IscoGroupNode {
  const g = presentGroup(catalog, code);
  const children = [...catalog.groups.values()]
    .filter((c) => c.code.length === code.length + 1 && c.code.startsWith(code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => ({
      ...presentGroup(catalog, c.code),
      level: c.level,
      occupationCount: catalog.inGroup.get(c.code)?.length ?? 0,
    }));
  return { ...g, level: code.length, occupationCount: catalog.inGroup.get(code)?.length ?? 0, children };
}

export async function groups(deps: CareersDeps): Promise<GroupsResponse> {
  const catalog = await catalogOf(deps);
  const majors = [...catalog.groups.values()].filter((g) => g.level === 1).sort((a, b) => a.code.localeCompare(b.code));
  return { groups: majors.map((g) => groupNode(catalog, g.code)), attribution: ESCO_ONLY };
}

export async function group(deps: CareersDeps, code: string): Promise<GroupResponse> {
  const catalog = await catalogOf(deps);
  if (!catalog.groups.has(code)) throw notFound('group');
  return {
    group: groupNode(catalog, code),
    path: groupPath(catalog, code).slice(0, code.length - 1),
    occupations: (catalog.inGroup.get(code) ?? []).map(presentRef),
    attribution: ESCO_ONLY,
  };
}

function presentTheme(catalog: Catalog, t: AuthoredTheme): Theme {
  return { id: t.id, title: t.title, blurb: t.blurb, icon: t.icon, groups: t.groups.map((g) => presentGroup(catalog, g)) };
}

export async function themes(deps: CareersDeps, kind: 'subjects' | 'interests'): Promise<ThemesResponse> {
  const catalog = await catalogOf(deps);
  return { themes: catalog.authored[kind].map((t) => presentTheme(catalog, t)), attribution: ESCO_ONLY };
}

/** A few example occupations per group: spread over its unit groups, by title. */
function examples(catalog: Catalog, code: string, n: number): CatalogOccupation[] {
  const all = catalog.inGroup.get(code) ?? [];
  const byUnit = new Map<string, CatalogOccupation[]>();
  for (const o of all) byUnit.set(o.isco, [...(byUnit.get(o.isco) ?? []), o]);
  const picked: CatalogOccupation[] = [];
  for (let round = 0; picked.length < n && picked.length < all.length; round++)
    for (const list of byUnit.values()) {
      const o = list[round];
      if (o && picked.length < n) picked.push(o);
    }
  return picked;
}

export async function theme(deps: CareersDeps, kind: 'subjects' | 'interests', id: string): Promise<ThemeResponse> {
  const catalog = await catalogOf(deps);
  const t = catalog.authored[kind].find((x) => x.id === id);
  if (!t) throw notFound(kind === 'subjects' ? 'subject' : 'interest');
  return {
    theme: presentTheme(catalog, t),
    groups: t.groups.map((code) => {
      const g = presentGroup(catalog, code);
      return {
        group: g,
        why: { en: `${t.title.en} links to work as “${g.title.en}”.`, nl: `${t.title.nl} past bij werk als “${g.title.nl}”.` },
        occupations: examples(catalog, code, 8).map(presentRef),
      };
    }),
    attribution: ESCO_ONLY,
  };
}

export async function peopleAtWork(deps: CareersDeps): Promise<PeopleAtWorkResponse> {
  const catalog = await catalogOf(deps);
  return {
    cards: catalog.authored.peopleAtWork.flatMap((c) => {
      const o = catalog.byId.get(c.id);
      return o ? [{ id: o.id, uri: o.uri, title: c.title, sentence: c.sentence, emoji: c.emoji, alt: c.alt }] : [];
    }),
    attribution: ESCO_ONLY,
  };
}

// ---- saved occupations: the pupil's own ----------------------------------------------------------------------

export async function listSaved(deps: CareersDeps, ctx: RequestContext): Promise<SavedOccupationsResponse> {
  assertRole(ctx, ['pupil']);
  const catalog = await catalogOf(deps);
  const docs = await deps.models.SavedOccupation.find({ schoolId: ctx.schoolId, userId: ctx.actor.id })
    .sort({ savedAt: -1 })
    .lean();
  return {
    saved: docs.flatMap((d) => {
      const o = catalog.byId.get(d.occupationId);
      return o ? [presentSaved(d, o)] : [];
    }),
    attribution: ESCO_ONLY,
  };
}

/** Saves (or updates the note of) an occupation in the pupil's career journey. Throws 404 for an unknown occupation. */
export async function save(
  deps: CareersDeps,
  ctx: RequestContext,
  input: { uri: string; note: string; from?: { moduleId: string; activityId: string } | undefined },
): Promise<SavedOccupation> {
  assertRole(ctx, ['pupil']);
  const catalog = await catalogOf(deps);
  const o = occupationOr404(catalog, input.uri.slice(ESCO_OCCUPATION.length));
  const filter = { schoolId: ctx.schoolId, userId: ctx.actor.id, occupationId: o.id };
  const count = await deps.models.SavedOccupation.countDocuments({ schoolId: ctx.schoolId, userId: ctx.actor.id });
  const existing = await deps.models.SavedOccupation.findOne(filter).lean();
  if (!existing && count >= CareersLimits.savedMax)
    throw forbidden(`You can keep up to ${String(CareersLimits.savedMax)} occupations.`);
  const noteHash = createHash('sha256').update(input.note).digest('base64url').slice(0, 16);
  await recordUse(deps, ctx, 'careers.saved', o.uri, noteHash, {
    isco: o.isco,
    note: input.note,
    ...(input.from ? { from: input.from } : {}),
  });
  const doc = await deps.models.SavedOccupation.findOneAndUpdate(
    filter,
    { $set: { note: input.note, ...(input.from ? { from: input.from } : {}) }, $setOnInsert: { savedAt: clock(deps) } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  if (!doc) throw notFound('saved occupation');
  return presentSaved(doc, o);
}

export async function unsave(deps: CareersDeps, ctx: RequestContext, id: string): Promise<void> {
  assertRole(ctx, ['pupil']);
  const catalog = await catalogOf(deps);
  const o = occupationOr404(catalog, id);
  const gone = await deps.models.SavedOccupation.findOneAndDelete({
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
    occupationId: o.id,
  }).lean();
  if (!gone) throw notFound('saved occupation');
  await recordUse(deps, ctx, 'careers.unsaved', o.uri, gone.savedAt.toISOString(), { isco: o.isco });
}

// ---- suggestions from self-ratings ---------------------------------------------------------------------------

interface Rating {
  interest: string;
  value: number;
}

/** Latest `scale` ratings with interest tags from the pupil's module attempts (progress engineer's collection). */
async function storedRatings(deps: CareersDeps, ctx: RequestContext): Promise<Rating[]> {
  const attempts = await deps.models.ModuleAttempt.find({ schoolId: ctx.schoolId, userId: ctx.actor.id }).lean<
    { moduleId: string; activities: Record<string, { type?: string; answer?: { ratings?: Record<string, number> } }> }[]
  >();
  const byInterest = new Map<string, number[]>();
  for (const a of attempts) {
    const module = deps.curriculum.modules.get(a.moduleId);
    if (!module) continue;
    for (const [activityId, state] of Object.entries(a.activities)) {
      if (state.type !== 'scale' || !state.answer?.ratings) continue;
      const activity = module.activities.find((x) => x.id === activityId);
      if (activity?.type !== 'scale') continue;
      const max = activity.style === 'faces' ? 3 : 5;
      for (const s of activity.statements) {
        const v = state.answer.ratings[s.id];
        if (s.interest && typeof v === 'number')
          byInterest.set(s.interest, [...(byInterest.get(s.interest) ?? []), (v - 1) / (max - 1)]);
      }
    }
  }
  return [...byInterest.entries()].map(([interest, vs]) => ({ interest, value: vs.reduce((x, y) => x + y, 0) / vs.length }));
}

/**
 * Suggests occupations from the pupil's high self-ratings, always saying why. Ratings come from stored `scale`
 * answers; when none are stored, from the request (normalised to 0-1).
 */
export async function suggestions(
  deps: CareersDeps,
  ctx: RequestContext,
  input: SuggestionsRequest,
): Promise<SuggestionsResponse> {
  assertRole(ctx, ['pupil']);
  const catalog = await catalogOf(deps);
  let ratings = await storedRatings(deps, ctx);
  let ratingsFrom: SuggestionsResponse['ratingsFrom'] = 'attempts';
  if (ratings.length === 0 && input.ratings?.length) {
    ratingsFrom = 'request';
    ratings = input.ratings.map((r) => ({ interest: r.interest, value: (r.value - 1) / ((r.max ?? 5) - 1) }));
  } else if (ratings.length === 0) ratingsFrom = 'none';
  // Rule: only interests rated in the top half count, strongest first; at most three.
  const high = ratings
    .filter((r) => r.value >= 0.5)
    .sort((a, b) => b.value - a.value || a.interest.localeCompare(b.interest))
    .slice(0, 3);
  const out: Suggestion[] = high.flatMap((r) => {
    const t = catalog.authored.interests.find((i) => i.id === r.interest);
    if (!t) return [];
    return [
      {
        interest: { id: t.id, title: t.title },
        rating: Math.round(r.value * 100) / 100,
        reason: {
          en: `You rated “${t.title.en}” highly; these kinds of work rely on it.`,
          nl: `Je gaf “${t.title.nl}” een hoge score; bij dit soort werk draait het daarom.`,
        },
        groups: t.groups.map((g) => presentGroup(catalog, g)),
        occupations: t.groups
          .flatMap((g) => examples(catalog, g, 1))
          .slice(0, 8)
          .map(presentRef),
      },
    ];
  });
  return { ratingsFrom, suggestions: out, attribution: ESCO_ONLY };
}

// ---- teachers ---------------------------------------------------------------------------------------------------

/** Occupations linked to a school subject, for a class the teacher teaches. */
export async function classSubject(
  deps: CareersDeps,
  ctx: RequestContext,
  classId: string,
  subjectId: string,
): Promise<ClassSubjectResponse> {
  assertRole(ctx, ['teacher']);
  await assertMember(deps, ctx, classId, ['teacher']);
  const catalog = await catalogOf(deps);
  const t = subjectOr404(catalog, subjectId);
  return { classId, subject: presentTheme(catalog, t), groups: subjectGroups(catalog, t), attribution: ESCO_ONLY };
}

/** 404 for a class missing or in another school; 403 unless the actor has one of `roles` in that class. */
type Role = RequestContext['actor']['role'];

async function assertMember(deps: CareersDeps, ctx: RequestContext, classId: string, roles: Role[]): Promise<void> {
  const cls = await deps.models.Class.findOne({ _id: classId, schoolId: ctx.schoolId }).lean();
  if (!cls) throw notFound('class');
  const member = await deps.models.Membership.exists({
    schoolId: ctx.schoolId,
    classId,
    userId: ctx.actor.id,
    role: { $in: roles },
  });
  if (!member) throw forbidden(roles.includes('pupil') ? 'You are not in this class.' : 'You do not teach this class.');
}

function subjectOr404(catalog: Catalog, subjectId: string): AuthoredTheme {
  const t = catalog.authored.subjects.find((s) => s.id === subjectId);
  if (!t) throw notFound('subject');
  return t;
}

const subjectGroups = (catalog: Catalog, t: AuthoredTheme) =>
  t.groups.map((code) => ({ group: presentGroup(catalog, code), occupations: examples(catalog, code, 12).map(presentRef) }));

interface ClassShareDoc {
  classId: string;
  subjectId: string;
  sharedAt: Date;
}

function presentShared(catalog: Catalog, classId: string, doc: ClassShareDoc | null): ClassSharedResponse {
  const t = doc ? catalog.authored.subjects.find((s) => s.id === doc.subjectId) : undefined;
  return {
    classId,
    shared:
      doc && t
        ? { subject: presentTheme(catalog, t), sharedAt: doc.sharedAt.toISOString(), groups: subjectGroups(catalog, t) }
        : null,
    attribution: ESCO_ONLY,
  };
}

/** A teacher shares the occupations linked to their subject with a class they teach (one choice per class). */
export async function shareClassSubject(
  deps: CareersDeps,
  ctx: RequestContext,
  classId: string,
  subjectId: string,
): Promise<ClassSharedResponse> {
  assertRole(ctx, ['teacher']);
  await assertMember(deps, ctx, classId, ['teacher']);
  const catalog = await catalogOf(deps);
  subjectOr404(catalog, subjectId);
  const doc = await deps.models.ClassShare.findOneAndUpdate(
    { schoolId: ctx.schoolId, classId },
    { $set: { subjectId, sharedBy: ctx.actor.id, sharedAt: clock(deps) } },
    { upsert: true, returnDocument: 'after' },
  ).lean<ClassShareDoc>();
  return presentShared(catalog, classId, doc);
}

/** The subject shared with a class, for its teachers and its pupils. */
export async function classShared(deps: CareersDeps, ctx: RequestContext, classId: string): Promise<ClassSharedResponse> {
  assertRole(ctx, ['teacher', 'pupil']);
  await assertMember(deps, ctx, classId, [ctx.actor.role]);
  const catalog = await catalogOf(deps);
  const doc = await deps.models.ClassShare.findOne({ schoolId: ctx.schoolId, classId }).lean<ClassShareDoc>();
  return presentShared(catalog, classId, doc);
}

// ---- planners: aggregate only ---------------------------------------------------------------------------------

/** ISCO sub-major groups explored by pupils (views and saves), counting distinct pupils; groups under 5 are left out. */
export async function insights(deps: CareersDeps, ctx: RequestContext): Promise<ExplorationAggregateResponse> {
  assertRole(ctx, ['planner']);
  const catalog = await catalogOf(deps);
  const rows = await deps.models.LearningEvent.aggregate<{ _id: string; pupils: number }>([
    { $match: { schoolId: ctx.schoolId, kind: { $in: ['careers.viewed', 'careers.saved'] } } },
    { $group: { _id: { group: { $substrCP: ['$data.isco', 0, 2] }, user: '$userId' } } },
    { $group: { _id: '$_id.group', pupils: { $sum: 1 } } },
  ]);
  const min = CareersLimits.minAggregateGroup;
  const shown = rows.filter((r) => r.pupils >= min && catalog.groups.has(r._id));
  return {
    minGroupSize: min,
    groups: shown
      .sort((a, b) => b.pupils - a.pupils || a._id.localeCompare(b._id))
      .map((r) => ({ ...presentGroup(catalog, r._id), pupils: r.pupils })),
    suppressedGroups: rows.length - shown.length,
    attribution: ESCO_ONLY,
  };
}

// ---- local opportunities ------------------------------------------------------------------------------------------

const STAFF = ['planner', 'teacher'] as const;

function occupationIdsOf(catalog: Catalog, uris: string[]): string[] {
  const ids = [...new Set(uris.map((u) => u.slice(ESCO_OCCUPATION.length)))];
  for (const id of ids) occupationOr404(catalog, id);
  return ids;
}

const asObjectId = (id: string) => (Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : null);

export async function listOpportunities(deps: CareersDeps, ctx: RequestContext): Promise<OpportunitiesResponse> {
  assertRole(ctx, STAFF);
  const catalog = await catalogOf(deps);
  const docs = await deps.models.Opportunity.find({ schoolId: ctx.schoolId }).sort({ updatedAt: -1 }).lean<OpportunityDoc[]>();
  return { opportunities: docs.map((d) => presentOpportunity(d, catalog)) };
}

/** One opportunity, for anyone in the school: a pupil's log entry is prefilled from it. */
export async function getOpportunity(deps: CareersDeps, ctx: RequestContext, id: string): Promise<Opportunity> {
  const _id = asObjectId(id);
  const doc = _id ? await deps.models.Opportunity.findOne({ _id, schoolId: ctx.schoolId }).lean<OpportunityDoc>() : null;
  if (!doc) throw notFound('opportunity');
  return presentOpportunity(doc, await catalogOf(deps));
}

type ParsedOpportunity = Required<Omit<OpportunityInput, 'occupationUris'>> & { occupationUris: string[] };

export async function createOpportunity(deps: CareersDeps, ctx: RequestContext, input: ParsedOpportunity): Promise<Opportunity> {
  assertRole(ctx, STAFF);
  const catalog = await catalogOf(deps);
  const { occupationUris, ...fields } = input;
  const doc = await deps.models.Opportunity.create({
    ...fields,
    occupationIds: occupationIdsOf(catalog, occupationUris),
    schoolId: ctx.schoolId,
    createdBy: ctx.actor.id,
  });
  return presentOpportunity(doc.toObject<OpportunityDoc>(), catalog);
}

export async function updateOpportunity(
  deps: CareersDeps,
  ctx: RequestContext,
  id: string,
  input: ParsedOpportunity,
): Promise<Opportunity> {
  assertRole(ctx, STAFF);
  const catalog = await catalogOf(deps);
  const _id = asObjectId(id);
  if (!_id) throw notFound('opportunity');
  const { occupationUris, ...fields } = input;
  const doc = await deps.models.Opportunity.findOneAndUpdate(
    { _id, schoolId: ctx.schoolId },
    { $set: { ...fields, occupationIds: occupationIdsOf(catalog, occupationUris) } },
    { returnDocument: 'after' },
  ).lean<OpportunityDoc>();
  if (!doc) throw notFound('opportunity');
  return presentOpportunity(doc, catalog);
}

export async function deleteOpportunity(deps: CareersDeps, ctx: RequestContext, id: string): Promise<void> {
  assertRole(ctx, STAFF);
  const _id = asObjectId(id);
  const gone = _id ? await deps.models.Opportunity.findOneAndDelete({ _id, schoolId: ctx.schoolId }).lean() : null;
  if (!gone) throw notFound('opportunity');
}

export type { SaveOccupation };
