/**
 * The planner's side of sharing: partner organisations and adviser accounts (across schools, listed per school),
 * grants, the consent policy, per-pupil consent (staff record parents'; pupils their own) and the audit log.
 */
import { Types } from 'mongoose';
import type {
  AuditEntry,
  AuditQuery,
  ConsentQuery,
  CreateAdviser,
  CreateGrant,
  CreatePartner,
  MyConsentView,
  PolicyView,
  PupilConsentView,
  SetPolicy,
  SharedPupil,
  SharingOptions,
} from '../../contract/sharing.js';
import { SharingLimits } from '../../contract/sharing.js';
import type { Models } from '../../db/models.js';
import { forbidden, invalid, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { teachesPupil } from '../people/access.js';
import { consentPolicyOf, visibleCoverage } from './access.js';
import { DEFAULT_POLICY, requiredConsent, type ConsentPolicy } from './consent-age.js';
import type { ConsentKind } from './model.js';

export interface SharingDeps {
  models: Models;
  clock?: { now(): Date };
}

const now = (deps: SharingDeps) => deps.clock?.now() ?? new Date();
const DAY = 86_400_000;

/** @throws AppError 403 unless the actor is a planner. */
export function assertPlanner(ctx: RequestContext): void {
  if (ctx.actor.role !== 'planner') throw forbidden('Only the careers leader (planner) manages sharing.');
}

// ------------------------------------------------------------------------------------ partners, advisers

export async function listPartners({ models }: SharingDeps, ctx: RequestContext) {
  assertPlanner(ctx);
  return models.PartnerOrg.find({ schools: ctx.schoolId }).sort({ name: 1 }).lean();
}

/**
 * Adds a partner organisation for this school; an organisation already known by its code (it serves another
 * school too) is joined rather than duplicated.
 */
export async function addPartner({ models }: SharingDeps, ctx: RequestContext, input: CreatePartner) {
  assertPlanner(ctx);
  return models.PartnerOrg.findOneAndUpdate(
    { code: input.code },
    { $setOnInsert: { name: input.name }, $addToSet: { schools: ctx.schoolId } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
}

async function findPartner(models: Models, ctx: RequestContext, id: string) {
  const partner = Types.ObjectId.isValid(id) ? await models.PartnerOrg.findOne({ _id: id, schools: ctx.schoolId }).lean() : null;
  if (!partner) throw notFound('partner organisation');
  return partner;
}

export async function listAdvisers({ models }: SharingDeps, ctx: RequestContext) {
  assertPlanner(ctx);
  return models.AdviserAccount.find({ schools: ctx.schoolId }).sort({ name: 1 }).lean();
}

/**
 * Adds an adviser for this school. An e-mail address already known (the adviser serves another school) joins
 * the existing account; its name and sign-in stay the adviser's own.
 * @throws AppError 404 for a partner organisation this school does not work with.
 */
export async function addAdviser({ models }: SharingDeps, ctx: RequestContext, input: CreateAdviser) {
  assertPlanner(ctx);
  if (input.partnerId) await findPartner(models, ctx, input.partnerId);
  const fields = { name: input.name, ...(input.partnerId ? { partnerId: input.partnerId } : {}) };
  if (input.email) {
    return models.AdviserAccount.findOneAndUpdate(
      { email: input.email.toLowerCase() },
      { $setOnInsert: fields, $addToSet: { schools: ctx.schoolId } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
  }
  return (await models.AdviserAccount.create({ ...fields, schools: [ctx.schoolId] })).toObject();
}

/** @throws AppError 404 for an adviser this school does not work with (or another school's). */
export async function findAdviser(models: Models, ctx: RequestContext, id: string) {
  const adviser = Types.ObjectId.isValid(id)
    ? await models.AdviserAccount.findOne({ _id: id, schools: ctx.schoolId }).lean()
    : null;
  if (!adviser) throw notFound('adviser');
  return adviser;
}

/**
 * Ties the adviser account to this school's LMS adviser user (so grants reach their Mentor launches too), or
 * unties it. @throws AppError 404 for an unknown adviser or user; 400 when the user is not an adviser.
 */
export async function linkLmsUser({ models }: SharingDeps, ctx: RequestContext, adviserId: string, userId: string | null) {
  assertPlanner(ctx);
  const adviser = await findAdviser(models, ctx, adviserId);
  const keep = adviser.lmsLinks
    .filter((l) => l.schoolId !== ctx.schoolId || String(l.sub).startsWith('adviser:'))
    .map((l) => ({ schoolId: l.schoolId ?? '', sub: l.sub ?? '' }));
  if (userId) {
    const user = await models.User.findOne({ schoolId: ctx.schoolId, _id: userId }, { role: 1, sub: 1 }).lean();
    if (!user) throw notFound('user');
    if (user.role !== 'adviser')
      throw invalid('Only an adviser can be linked.', [{ path: 'userId', message: 'must be an adviser' }]);
    keep.push({ schoolId: ctx.schoolId, sub: user.sub });
  }
  return models.AdviserAccount.findOneAndUpdate(
    { _id: adviser._id },
    { $set: { lmsLinks: keep } },
    { returnDocument: 'after' },
  ).lean();
}

/** The school's LMS user tied to an account (not the invite sign-in's own record). */
export async function lmsUserIdOf(
  models: Models,
  schoolId: string,
  lmsLinks: { schoolId?: string | null; sub?: string | null }[],
) {
  const link = lmsLinks.find((l) => l.schoolId === schoolId && !String(l.sub).startsWith('adviser:'));
  if (!link?.sub) return null;
  const user = await models.User.findOne({ schoolId, sub: link.sub, role: 'adviser' }, { _id: 1 }).lean();
  return user ? String(user._id) : null;
}

// ---------------------------------------------------------------------------------------------- grants

async function assertValues(models: Models, ctx: RequestContext, kind: CreateGrant['kind'], values: string[]): Promise<void> {
  const bad = (message: string) =>
    invalid('Some of the chosen pupils, classes or year groups are not in this school.', [{ path: 'values', message }]);
  if (kind === 'yearGroup') return;
  if (!values.every((v) => /^[a-f0-9]{24}$/.test(v))) throw bad('must be ids');
  const found =
    kind === 'class'
      ? await models.Class.countDocuments({ schoolId: ctx.schoolId, _id: { $in: values } })
      : await models.User.countDocuments({ schoolId: ctx.schoolId, _id: { $in: values }, role: 'pupil' });
  if (found !== new Set(values).size) throw bad(kind === 'class' ? 'unknown class' : 'unknown pupil');
}

function assertExpiry(start: Date, expiresAt: string): Date {
  const at = new Date(expiresAt);
  if (at.getTime() <= start.getTime() || at.getTime() > start.getTime() + SharingLimits.maxGrantDays * DAY)
    throw invalid('The end date must be in the future and within two years.', [
      { path: 'expiresAt', message: 'must be after now and within two years' },
    ]);
  return at;
}

/**
 * Shares pupils (by class, year group or pupil) with an adviser or a partner organisation until `expiresAt`.
 * @throws AppError 403 for non-planners; 404 for an adviser or partner the school does not work with; 400 for
 * values outside the school or an expiry in the past or beyond two years.
 */
export async function createGrant(deps: SharingDeps, ctx: RequestContext, input: CreateGrant) {
  assertPlanner(ctx);
  const { models } = deps;
  if (input.adviserId) await findAdviser(models, ctx, input.adviserId);
  if (input.partnerId) await findPartner(models, ctx, input.partnerId);
  const start = now(deps);
  const expiresAt = assertExpiry(start, input.expiresAt);
  const values = [...new Set(input.kind === 'yearGroup' ? input.values.map((v) => v.trim().toUpperCase()) : input.values)];
  await assertValues(models, ctx, input.kind, values);
  return (
    await models.SharingGrant.create({
      schoolId: ctx.schoolId,
      ...(input.adviserId ? { adviserId: input.adviserId } : {}),
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      kind: input.kind,
      values,
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
      startsAt: start,
      expiresAt,
      createdBy: ctx.actor.id,
    })
  ).toObject();
}

export async function listGrants({ models }: SharingDeps, ctx: RequestContext) {
  assertPlanner(ctx);
  return models.SharingGrant.find({ schoolId: ctx.schoolId }).sort({ createdAt: -1 }).limit(500).lean();
}

async function findGrant(models: Models, ctx: RequestContext, id: string) {
  const grant = Types.ObjectId.isValid(id) ? await models.SharingGrant.findOne({ schoolId: ctx.schoolId, _id: id }).lean() : null;
  if (!grant) throw notFound('grant');
  return grant;
}

/**
 * Extends (or shortens) a grant to `expiresAt`; an expired grant comes back into force. A revoked grant stays
 * revoked. @throws AppError 404 unknown grant; 409-like 400 for a revoked one or a bad date.
 */
export async function renewGrant(deps: SharingDeps, ctx: RequestContext, id: string, expiresAt: string) {
  assertPlanner(ctx);
  const grant = await findGrant(deps.models, ctx, id);
  if (grant.revokedAt)
    throw invalid('A revoked grant cannot be renewed; share again instead.', [{ path: 'id', message: 'revoked' }]);
  const at = now(deps);
  const to = assertExpiry(at, expiresAt);
  return deps.models.SharingGrant.findOneAndUpdate(
    { schoolId: ctx.schoolId, _id: id },
    { $set: { expiresAt: to }, $push: { renewals: { at, by: ctx.actor.id, from: grant.expiresAt, to } } },
    { returnDocument: 'after' },
  ).lean();
}

/** Ends a grant at once (idempotent). @throws AppError 404 unknown grant. */
export async function revokeGrant(deps: SharingDeps, ctx: RequestContext, id: string) {
  assertPlanner(ctx);
  const grant = await findGrant(deps.models, ctx, id);
  if (grant.revokedAt) return grant;
  return deps.models.SharingGrant.findOneAndUpdate(
    { schoolId: ctx.schoolId, _id: id },
    { $set: { revokedAt: now(deps) } },
    { returnDocument: 'after' },
  ).lean();
}

/** How many pupils each grant covers now (before consent), for the planner's list. */
export async function grantPupilCounts(
  models: Models,
  schoolId: string,
  grants: { _id: unknown; kind: string; values: string[] }[],
) {
  const counts = new Map<string, number>();
  const classIds = grants.filter((g) => g.kind === 'class').flatMap((g) => g.values);
  const yearGroups = grants.filter((g) => g.kind === 'yearGroup').flatMap((g) => g.values);
  const [byClass, byYear] = await Promise.all([
    classIds.length
      ? models.Membership.aggregate<{ _id: string; n: number }>([
          { $match: { schoolId, classId: { $in: classIds }, role: 'pupil', status: 'active' } },
          { $group: { _id: '$classId', users: { $addToSet: '$userId' } } },
          { $project: { n: { $size: '$users' } } },
        ])
      : [],
    yearGroups.length
      ? models.User.aggregate<{ _id: string; n: number }>([
          { $match: { schoolId, role: 'pupil', yearGroup: { $in: yearGroups } } },
          { $group: { _id: '$yearGroup', n: { $sum: 1 } } },
        ])
      : [],
  ]);
  const classN = new Map(byClass.map((c) => [c._id, c.n]));
  const yearN = new Map(byYear.map((y) => [y._id, y.n]));
  for (const g of grants) {
    const n =
      g.kind === 'pupil'
        ? g.values.length
        : g.values.reduce((sum, v) => sum + ((g.kind === 'class' ? classN : yearN).get(v) ?? 0), 0);
    counts.set(String(g._id), n);
  }
  return counts;
}

// -------------------------------------------------------------------------------------------- consent

export async function getPolicy({ models }: SharingDeps, ctx: RequestContext): Promise<PolicyView> {
  assertPlanner(ctx);
  const stored = await models.SharingPolicy.findOne({ schoolId: ctx.schoolId }).lean();
  return stored
    ? { consent: stored.consent, pupilFromAge: stored.pupilFromAge, isDefault: false }
    : { ...DEFAULT_POLICY, isDefault: true };
}

export async function setPolicy(deps: SharingDeps, ctx: RequestContext, input: SetPolicy): Promise<PolicyView> {
  assertPlanner(ctx);
  await deps.models.SharingPolicy.updateOne(
    { schoolId: ctx.schoolId },
    { $set: { consent: input.consent, pupilFromAge: input.pupilFromAge, updatedBy: ctx.actor.id } },
    { upsert: true },
  );
  return { ...input, isDefault: false };
}

type ConsentDoc = { pupilId: string; kind: string; status: string; givenAt?: Date | null; withdrawnAt?: Date | null };
const stateOf = (c: ConsentDoc | undefined) => ({
  status: (c?.status ?? null) as 'given' | 'withdrawn' | null,
  at: (c ? (c.status === 'given' ? c.givenAt : c.withdrawnAt) : null)?.toISOString() ?? null,
});

/**
 * The consent picture per pupil (planner: the school, optionally a class or year group; teacher: a class they
 * teach). @throws AppError 403 for pupils and advisers, and for a teacher without a class they teach; 404 unknown class.
 */
export async function listConsents(
  { models }: SharingDeps,
  ctx: RequestContext,
  query: ConsentQuery,
): Promise<PupilConsentView[]> {
  const { role } = ctx.actor;
  if (role !== 'planner' && role !== 'teacher') throw forbidden('Only staff record consent.');
  const filter: Record<string, unknown> = { schoolId: ctx.schoolId, role: 'pupil' };
  if (query.classId) {
    const cls = await models.Class.findOne({ schoolId: ctx.schoolId, _id: query.classId }, { _id: 1 }).lean();
    if (!cls) throw notFound('class');
    if (role === 'teacher') {
      const teaches = await models.Membership.exists({
        schoolId: ctx.schoolId,
        classId: query.classId,
        userId: ctx.actor.id,
        role: 'teacher',
        status: 'active',
      });
      if (!teaches) throw forbidden('You can record consent for the classes you teach.');
    }
    const members = await models.Membership.find(
      { schoolId: ctx.schoolId, classId: query.classId, role: 'pupil', status: 'active' },
      { userId: 1 },
    ).lean();
    filter._id = { $in: members.map((m) => m.userId) };
  } else if (role === 'teacher') throw forbidden('Choose one of your classes.');
  if (query.yearGroup) filter.yearGroup = query.yearGroup.toUpperCase();
  const [policy, pupils] = await Promise.all([
    consentPolicyOf(models, ctx.schoolId),
    models.User.find(filter, { name: 1, yearGroup: 1 }).sort({ name: 1 }).limit(2000).lean(),
  ]);
  const consents = await models.SharingConsent.find({
    schoolId: ctx.schoolId,
    pupilId: { $in: pupils.map((p) => String(p._id)) },
  }).lean();
  return consentViews(policy, pupils, consents);
}

async function writeConsent(
  deps: SharingDeps,
  ctx: RequestContext,
  pupilId: string,
  kind: ConsentKind,
  status: 'given' | 'withdrawn',
) {
  const at = now(deps);
  await deps.models.SharingConsent.updateOne(
    { schoolId: ctx.schoolId, pupilId, kind },
    {
      $set: { status, ...(status === 'given' ? { givenAt: at } : { withdrawnAt: at }) },
      $push: { history: { status, at, by: ctx.actor.id, role: ctx.actor.role } },
    },
    { upsert: true },
  );
}

/**
 * Staff record a parent's consent or its withdrawal (a withdrawal removes access at once). A planner may also
 * record a pupil's own consent given on paper; teachers only for pupils of their classes.
 * @throws AppError 403 for pupils/advisers, a teacher not teaching the pupil, or a teacher recording pupil consent; 404 unknown pupil.
 */
export async function recordConsent(
  deps: SharingDeps,
  ctx: RequestContext,
  pupilId: string,
  input: { kind: ConsentKind; status: 'given' | 'withdrawn' },
): Promise<PupilConsentView> {
  const { role } = ctx.actor;
  if (role !== 'planner' && role !== 'teacher') throw forbidden('Only staff record consent.');
  const pupil = Types.ObjectId.isValid(pupilId)
    ? await deps.models.User.findOne({ schoolId: ctx.schoolId, _id: pupilId, role: 'pupil' }, { _id: 1 }).lean()
    : null;
  if (!pupil) throw notFound('pupil');
  if (role === 'teacher') {
    if (input.kind !== 'parent') throw forbidden("Teachers record parents' consent; pupils give their own.");
    if (!(await teachesPupil(deps.models, ctx, pupilId))) throw forbidden('This pupil is not in a class you teach.');
  }
  await writeConsent(deps, ctx, pupilId, input.kind, input.status);
  const [view] = await listConsentsFor(deps.models, ctx.schoolId, [pupilId]);
  if (!view) throw notFound('pupil');
  return view;
}

/** Each pupil's consent picture: what the school requires for their age, what is recorded, whether sharing may go ahead. */
function consentViews(
  policy: ConsentPolicy,
  pupils: { _id: unknown; name?: string | null; yearGroup?: string | null }[],
  consents: ConsentDoc[],
): PupilConsentView[] {
  const of = new Map(consents.map((c) => [`${c.pupilId}:${c.kind}`, c]));
  return pupils.map((p) => {
    const id = String(p._id);
    const required = requiredConsent(policy, p.yearGroup);
    const parent = stateOf(of.get(`${id}:parent`));
    const pupil = stateOf(of.get(`${id}:pupil`));
    return {
      pupilId: id,
      name: p.name ?? null,
      yearGroup: p.yearGroup ?? null,
      required,
      parent,
      pupil,
      satisfied: required === null || (required === 'parent' ? parent : pupil).status === 'given',
    };
  });
}

async function listConsentsFor(models: Models, schoolId: string, ids: string[]): Promise<PupilConsentView[]> {
  const [policy, pupils, consents] = await Promise.all([
    consentPolicyOf(models, schoolId),
    models.User.find({ schoolId, _id: { $in: ids } }, { name: 1, yearGroup: 1 }).lean(),
    models.SharingConsent.find({ schoolId, pupilId: { $in: ids } }).lean(),
  ]);
  return consentViews(policy, pupils, consents);
}

/** The pupil's own consent picture. @throws AppError 403 for anyone but a pupil. */
export async function getMyConsent({ models }: SharingDeps, ctx: RequestContext): Promise<MyConsentView> {
  if (ctx.actor.role !== 'pupil') throw forbidden('This page is for pupils.');
  const [view] = await listConsentsFor(models, ctx.schoolId, [ctx.actor.id]);
  if (!view) throw notFound('pupil');
  const own = view.required === 'parent' ? view.parent : view.pupil;
  return { required: view.required, status: own.status, at: own.at, canChange: view.required === 'pupil' };
}

/**
 * A pupil gives or withdraws their own consent, where the policy asks for the pupil's (from the school's age).
 * Withdrawal removes every adviser's access at once. @throws AppError 403 for non-pupils or when the policy asks
 * for a parent's consent instead.
 */
export async function setMyConsent(
  deps: SharingDeps,
  ctx: RequestContext,
  status: 'given' | 'withdrawn',
): Promise<MyConsentView> {
  const mine = await getMyConsent(deps, ctx);
  if (!mine.canChange) throw forbidden('Your school asks a parent or carer for this consent.');
  await writeConsent(deps, ctx, ctx.actor.id, 'pupil', status);
  return getMyConsent(deps, ctx);
}

// ------------------------------------------------------------------------------------------ audit log

/**
 * The audit log of adviser views, newest first (at most 5,000 rows), filtered by adviser (account or user id),
 * pupil and date range (inclusive days, UTC). @throws AppError 403 for non-planners; 400 for from > to.
 */
export async function readAudit({ models }: SharingDeps, ctx: RequestContext, query: AuditQuery): Promise<AuditEntry[]> {
  assertPlanner(ctx);
  const filter: Record<string, unknown> = { schoolId: ctx.schoolId };
  if (query.adviserId) filter.$or = [{ adviserAccountId: query.adviserId }, { adviserUserId: query.adviserId }];
  if (query.pupilId) filter.pupilId = query.pupilId;
  if (query.from && query.to && query.from > query.to)
    throw invalid('The start date is after the end date.', [{ path: 'from', message: 'must not be after to' }]);
  if (query.from || query.to)
    filter.at = {
      ...(query.from ? { $gte: new Date(`${query.from}T00:00:00Z`) } : {}),
      ...(query.to ? { $lt: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY) } : {}),
    };
  const rows = await models.AdviserView.find(filter).sort({ at: -1 }).limit(5000).lean();
  const userIds = [...new Set(rows.flatMap((r) => [r.adviserUserId, r.pupilId]))].filter((id) => Types.ObjectId.isValid(id));
  const accountIds = [...new Set(rows.map((r) => r.adviserAccountId).filter((id): id is string => Boolean(id)))];
  const [users, accounts] = await Promise.all([
    models.User.find({ schoolId: ctx.schoolId, _id: { $in: userIds } }, { name: 1 }).lean(),
    models.AdviserAccount.find({ _id: { $in: accountIds } }, { name: 1 }).lean(),
  ]);
  const nameOf = new Map([...users, ...accounts].map((u) => [String(u._id), u.name ?? null]));
  return rows.map((r) => ({
    at: r.at.toISOString(),
    adviser: {
      userId: r.adviserUserId,
      accountId: r.adviserAccountId ?? null,
      name: (r.adviserAccountId ? nameOf.get(r.adviserAccountId) : undefined) ?? nameOf.get(r.adviserUserId) ?? null,
    },
    pupil: { id: r.pupilId, name: nameOf.get(r.pupilId) ?? null },
    what: r.what,
    grantIds: r.grantIds,
    viaMentor: r.viaMentor,
  }));
}

// ------------------------------------------------------------------------------------ pickers, adviser

/** What a planner picks from when sharing: classes, year groups in use, pupils and the LMS's advisers. */
export async function sharingOptions({ models }: SharingDeps, ctx: RequestContext): Promise<SharingOptions> {
  assertPlanner(ctx);
  const [classes, pupils, advisers] = await Promise.all([
    models.Class.find({ schoolId: ctx.schoolId }, { title: 1, yearGroup: 1 }).sort({ title: 1 }).limit(1000).lean(),
    models.User.find({ schoolId: ctx.schoolId, role: 'pupil' }, { name: 1, yearGroup: 1 }).sort({ name: 1 }).limit(5000).lean(),
    models.User.find({ schoolId: ctx.schoolId, role: 'adviser', source: { $ne: 'invite' } }, { name: 1 })
      .sort({ name: 1 })
      .limit(500)
      .lean(),
  ]);
  const yearGroups = [
    ...new Set([...pupils.map((p) => p.yearGroup), ...classes.map((c) => c.yearGroup)].filter((y): y is string => Boolean(y))),
  ].sort();
  return {
    classes: classes.map((c) => ({ id: String(c._id), title: c.title ?? null, yearGroup: c.yearGroup ?? null })),
    yearGroups,
    pupils: pupils.map((p) => ({ id: String(p._id), name: p.name ?? null, yearGroup: p.yearGroup ?? null })),
    lmsAdvisers: advisers.map((a) => ({ id: String(a._id), name: a.name ?? null })),
  };
}

/** The pupils shared with the signed-in adviser in this school, and until when. @throws AppError 403 for non-advisers. */
export async function sharedWithMe(deps: SharingDeps, ctx: RequestContext): Promise<SharedPupil[]> {
  if (ctx.actor.role !== 'adviser') throw forbidden('This list is for advisers.');
  const coverage = await visibleCoverage(deps.models, ctx, now(deps));
  const ids = [...coverage.keys()];
  const grantIds = [...new Set([...coverage.values()].flatMap((c) => c.grantIds))];
  const [pupils, grants] = await Promise.all([
    deps.models.User.find({ schoolId: ctx.schoolId, _id: { $in: ids } }, { name: 1, yearGroup: 1 })
      .sort({ name: 1 })
      .lean(),
    deps.models.SharingGrant.find({ schoolId: ctx.schoolId, _id: { $in: grantIds } }, { expiresAt: 1 }).lean(),
  ]);
  const expiry = new Map(grants.map((g) => [String(g._id), g.expiresAt.getTime()]));
  return pupils.map((p) => {
    const until = Math.max(0, ...(coverage.get(String(p._id))?.grantIds ?? []).map((g) => expiry.get(g) ?? 0));
    return {
      id: String(p._id),
      name: p.name ?? null,
      yearGroup: p.yearGroup ?? null,
      until: until ? new Date(until).toISOString() : null,
    };
  });
}
