/**
 * Which pupils an adviser (external careers adviser or partner organisation) may see: the one place every feature
 * asks. Everything an adviser reads about a pupil goes through `assertAdviserMaySee` (404 when not shared, so an
 * id outside the grant cannot be told from a missing one) and is recorded with `logAdviserView`.
 *
 * Visible = (pupils covered by an active, unexpired, unrevoked grant of ctx.schoolId to this adviser's account or
 * its partner organisation) ∪ (pupils the adviser's LTI Mentor launch named, role_scope_mentor), minus pupils whose
 * consent the school's policy requires and who have none (missing or withdrawn). Every query is indexed and scoped
 * to ctx.schoolId; nothing is cached across requests, so a revocation or withdrawal takes effect at once.
 */
import { Types } from 'mongoose';
import type { Models } from '../../db/models.js';
import { notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { DEFAULT_POLICY, requiredConsent, type ConsentPolicy } from './consent-age.js';

/** Why a pupil is visible: the grants that cover them and whether the Mentor launch named them. */
export interface Coverage {
  yearGroup: string | null;
  grantIds: string[];
  viaMentor: boolean;
}

interface Grantee {
  adviserId?: string;
  partnerId?: string;
}

interface GrantLite {
  _id: unknown;
  kind: string;
  values: string[];
}

const isObjectId = (id: string) => Types.ObjectId.isValid(id) && /^[a-f0-9]{24}$/i.test(id);

/** The school's consent policy (the default when it has set none). */
export async function consentPolicyOf(models: Models, schoolId: string): Promise<ConsentPolicy> {
  const policy = await models.SharingPolicy.findOne({ schoolId }, { consent: 1, pupilFromAge: 1 }).lean();
  return policy ? { consent: policy.consent, pupilFromAge: policy.pupilFromAge } : DEFAULT_POLICY;
}

/** The adviser behind ctx: their mentees (LTI) and the account/partner grants name. */
async function adviserOf(models: Models, ctx: RequestContext): Promise<{ mentees: string[]; grantee: Grantee }> {
  const user = await models.User.findOne({ schoolId: ctx.schoolId, _id: ctx.actor.id }, { sub: 1, mentees: 1 }).lean();
  if (!user) return { mentees: [], grantee: {} };
  const account = await models.AdviserAccount.findOne(
    { lmsLinks: { $elemMatch: { schoolId: ctx.schoolId, sub: user.sub } } },
    { _id: 1, partnerId: 1 },
  ).lean();
  return {
    mentees: user.mentees ?? [],
    grantee: account ? { adviserId: String(account._id), ...(account.partnerId ? { partnerId: account.partnerId } : {}) } : {},
  };
}

/** Active grants of the school to the adviser account or the partner organisation. */
async function activeGrants(
  models: Models,
  schoolId: string,
  grantee: Grantee,
  now: Date,
  extra: object = {},
): Promise<GrantLite[]> {
  const to = [
    ...(grantee.adviserId ? [{ adviserId: grantee.adviserId }] : []),
    ...(grantee.partnerId ? [{ partnerId: grantee.partnerId }] : []),
  ];
  if (to.length === 0) return [];
  return models.SharingGrant.find(
    { schoolId, $or: to, revokedAt: null, startsAt: { $lte: now }, expiresAt: { $gt: now }, ...extra },
    { kind: 1, values: 1 },
  ).lean();
}

/** Pupils of the school the grants (and mentees) cover, before consent. */
async function cover(models: Models, schoolId: string, grants: GrantLite[], mentees: string[]): Promise<Map<string, Coverage>> {
  const pupilIds = new Set<string>();
  const yearGroups = new Set<string>();
  const classIds = new Set<string>();
  for (const g of grants) {
    const target = g.kind === 'pupil' ? pupilIds : g.kind === 'yearGroup' ? yearGroups : classIds;
    for (const v of g.values) target.add(v);
  }
  const classOf = new Map<string, string[]>();
  if (classIds.size > 0) {
    const memberships = await models.Membership.find(
      { schoolId, classId: { $in: [...classIds] }, role: 'pupil', status: 'active' },
      { classId: 1, userId: 1 },
    ).lean();
    for (const m of memberships) {
      pupilIds.add(m.userId);
      classOf.set(m.userId, [...(classOf.get(m.userId) ?? []), m.classId]);
    }
  }
  const or: object[] = [];
  const ids = [...pupilIds].filter(isObjectId);
  if (ids.length) or.push({ _id: { $in: ids } });
  if (yearGroups.size) or.push({ yearGroup: { $in: [...yearGroups] } });
  if (mentees.length) or.push({ sub: { $in: mentees } });
  if (or.length === 0) return new Map();
  const pupils = await models.User.find({ schoolId, role: 'pupil', $or: or }, { _id: 1, sub: 1, yearGroup: 1 }).lean();
  const menteeSet = new Set(mentees);
  const out = new Map<string, Coverage>();
  for (const p of pupils) {
    const id = String(p._id);
    const classes = classOf.get(id) ?? [];
    const grantIds = grants
      .filter((g) =>
        g.kind === 'pupil'
          ? g.values.includes(id)
          : g.kind === 'yearGroup'
            ? p.yearGroup !== undefined && p.yearGroup !== null && g.values.includes(p.yearGroup)
            : g.values.some((c) => classes.includes(c)),
      )
      .map((g) => String(g._id));
    const viaMentor = menteeSet.has(p.sub);
    if (grantIds.length || viaMentor) out.set(id, { yearGroup: p.yearGroup ?? null, grantIds, viaMentor });
  }
  return out;
}

/** Removes the pupils whose consent the school requires and who have not given it (or withdrew it). */
async function withConsent(
  models: Models,
  schoolId: string,
  covered: Map<string, Coverage>,
  policyPromise: Promise<ConsentPolicy> = consentPolicyOf(models, schoolId),
): Promise<Map<string, Coverage>> {
  const policy = await policyPromise;
  if (covered.size === 0) return covered;
  if (policy.consent === 'none') return covered;
  const given = await models.SharingConsent.find(
    { schoolId, pupilId: { $in: [...covered.keys()] }, status: 'given' },
    { pupilId: 1, kind: 1 },
  ).lean();
  const has = new Set(given.map((c) => `${c.pupilId}:${c.kind}`));
  for (const [id, c] of covered) if (!has.has(`${id}:${requiredConsent(policy, c.yearGroup) ?? ''}`)) covered.delete(id);
  return covered;
}

/** Every pupil the adviser may see now, with the grants that cover each. */
export async function visibleCoverage(
  models: Models,
  ctx: RequestContext,
  now: Date = new Date(),
): Promise<Map<string, Coverage>> {
  if (ctx.actor.role !== 'adviser') return new Map();
  // The policy is read alongside the adviser's grants rather than after them: one round trip less.
  const policy = consentPolicyOf(models, ctx.schoolId);
  const { mentees, grantee } = await adviserOf(models, ctx);
  const grants = await activeGrants(models, ctx.schoolId, grantee, now);
  return withConsent(models, ctx.schoolId, await cover(models, ctx.schoolId, grants, mentees), policy);
}

/** Ids (User._id) of the pupils of ctx.schoolId the adviser may see now. */
export async function visiblePupilIds(models: Models, ctx: RequestContext, now: Date = new Date()): Promise<string[]> {
  return [...(await visibleCoverage(models, ctx, now)).keys()];
}

/** How the adviser may see this one pupil now (null when they may not): only that pupil's grants and consent. */
export async function coverageOf(
  models: Models,
  ctx: RequestContext,
  pupilId: string,
  now: Date = new Date(),
): Promise<Coverage | null> {
  if (ctx.actor.role !== 'adviser' || !isObjectId(pupilId)) return null;
  const schoolId = ctx.schoolId;
  const [{ mentees, grantee }, pupil, memberships] = await Promise.all([
    adviserOf(models, ctx),
    models.User.findOne({ schoolId, _id: pupilId, role: 'pupil' }, { sub: 1, yearGroup: 1 }).lean(),
    models.Membership.find({ schoolId, userId: pupilId, role: 'pupil', status: 'active' }, { classId: 1 }).lean(),
  ]);
  if (!pupil) return null;
  const matching = [
    { kind: 'pupil', values: pupilId },
    { kind: 'class', values: { $in: memberships.map((m) => m.classId) } },
    ...(pupil.yearGroup ? [{ kind: 'yearGroup', values: pupil.yearGroup }] : []),
  ];
  const grants = await activeGrants(models, schoolId, grantee, now, { $and: [{ $or: matching }] });
  const viaMentor = mentees.includes(pupil.sub);
  if (!grants.length && !viaMentor) return null;
  const covered = new Map([
    [pupilId, { yearGroup: pupil.yearGroup ?? null, grantIds: grants.map((g) => String(g._id)), viaMentor }],
  ]);
  return (await withConsent(models, schoolId, covered)).get(pupilId) ?? null;
}

/** True when the adviser may see this pupil now. */
export async function adviserMaySee(
  models: Models,
  ctx: RequestContext,
  pupilId: string,
  now: Date = new Date(),
): Promise<boolean> {
  return (await coverageOf(models, ctx, pupilId, now)) !== null;
}

/** @throws AppError 404 ('pupil') unless the adviser may see this pupil now. */
export async function assertAdviserMaySee(
  models: Models,
  ctx: RequestContext,
  pupilId: string,
  now: Date = new Date(),
): Promise<void> {
  if (!(await adviserMaySee(models, ctx, pupilId, now))) throw notFound('pupil');
}

/**
 * Records that the adviser viewed part of a pupil's data (`what`: e.g. 'readiness-review', 'log', 'journey') in
 * the audit log planners read (GET /api/planner/sharing/audit): who, which pupil, what, when, via which grants.
 */
export async function logAdviserView(
  models: Models,
  ctx: RequestContext,
  pupilId: string,
  what: string,
  now: Date = new Date(),
): Promise<void> {
  const [coverage, account] = await Promise.all([coverageOf(models, ctx, pupilId, now), accountIdOf(models, ctx)]);
  await models.AdviserView.create({
    schoolId: ctx.schoolId,
    adviserUserId: ctx.actor.id,
    ...(account ? { adviserAccountId: account } : {}),
    pupilId,
    what: what.slice(0, 80),
    at: now,
    grantIds: coverage?.grantIds ?? [],
    viaMentor: coverage?.viaMentor ?? false,
  });
}

/**
 * Records in one write that the adviser saw a list of pupils (`what`: e.g. 'caseload'), with the grants that cover
 * each — the coverage `visibleCoverage` already computed, so a caseload of hundreds costs one insert, not one per pupil.
 */
export async function logAdviserViews(
  models: Models,
  ctx: RequestContext,
  coverage: ReadonlyMap<string, Coverage>,
  pupilIds: readonly string[],
  what: string,
  now: Date = new Date(),
): Promise<void> {
  const listed = pupilIds.filter((id) => coverage.has(id));
  if (!listed.length) return;
  const account = await accountIdOf(models, ctx);
  await models.AdviserView.insertMany(
    listed.map((pupilId) => ({
      schoolId: ctx.schoolId,
      adviserUserId: ctx.actor.id,
      ...(account ? { adviserAccountId: account } : {}),
      pupilId,
      what: what.slice(0, 80),
      at: now,
      grantIds: coverage.get(pupilId)?.grantIds ?? [],
      viaMentor: coverage.get(pupilId)?.viaMentor ?? false,
    })),
    { ordered: false, lean: true },
  );
}

async function accountIdOf(models: Models, ctx: RequestContext): Promise<string | undefined> {
  return (await adviserOf(models, ctx)).grantee.adviserId;
}

/**
 * The subs (LMS user ids) of the pupils a partner organisation's `shared` LRS credential may see: pupils covered by
 * the school's active grants to the organisation (by its code) with the consent the school requires.
 */
export async function partnerPupilSubs(
  models: Models,
  schoolId: string,
  partnerCode: string,
  now: Date = new Date(),
): Promise<string[]> {
  const partner = await models.PartnerOrg.findOne({ code: partnerCode }, { _id: 1 }).lean();
  if (!partner) return [];
  const grants = await activeGrants(models, schoolId, { partnerId: String(partner._id) }, now);
  const covered = await withConsent(models, schoolId, await cover(models, schoolId, grants, []));
  if (covered.size === 0) return [];
  const pupils = await models.User.find({ schoolId, _id: { $in: [...covered.keys()] } }, { sub: 1 }).lean();
  return pupils.map((p) => p.sub);
}

/**
 * Adviser capacity against demand, for the planner dashboard: per active grant to an adviser, how many pupils the
 * adviser will case-manage for this school (`capacity`, when recorded) and how many pupils the grant covers now.
 */
export async function adviserCapacity(
  models: Models,
  schoolId: string,
  now: Date = new Date(),
): Promise<{ totalCapacity: number; advisers: { adviserId: string; name: string; capacity: number; pupilsShared: number }[] }> {
  const grants = await models.SharingGrant.find(
    { schoolId, revokedAt: null, startsAt: { $lte: now }, expiresAt: { $gt: now }, adviserId: { $exists: true } },
    { adviserId: 1, kind: 1, values: 1, capacity: 1 },
  ).lean();
  const byAdviser = new Map<string, { capacity: number; grants: GrantLite[] }>();
  for (const g of grants) {
    const id = g.adviserId ?? '';
    const entry = byAdviser.get(id) ?? { capacity: 0, grants: [] };
    entry.capacity += g.capacity ?? 0;
    entry.grants.push(g);
    byAdviser.set(id, entry);
  }
  const accounts = await models.AdviserAccount.find(
    { _id: { $in: [...byAdviser.keys()].filter(isObjectId) } },
    { name: 1 },
  ).lean();
  const nameOf = new Map(accounts.map((a) => [String(a._id), a.name]));
  const advisers = await Promise.all(
    [...byAdviser].map(async ([adviserId, e]) => ({
      adviserId,
      name: nameOf.get(adviserId) ?? '',
      capacity: e.capacity,
      pupilsShared: (await cover(models, schoolId, e.grants, [])).size,
    })),
  );
  return { totalCapacity: advisers.reduce((n, a) => n + a.capacity, 0), advisers };
}
