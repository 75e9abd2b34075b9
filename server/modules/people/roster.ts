/**
 * Class rosters from the platform (NRPS 2.0): who is in a class, with which role, before they ever open Waymark.
 *
 * Decisions:
 * - A member's Waymark role comes from `resolveRoles` with the school's role table, exactly like a launch. Members
 *   whose roles grant nothing (ContentDeveloper, unknown roles) get no record, as a launch would give them none.
 * - The *membership* (role in this class, active or not) follows the platform's roster: NRPS is the platform's own
 *   answer, fetched server to server, about this class. A later launch in the class sets it again.
 * - The *user's* role is never changed by a sync, only set when the sync first creates the person. `User.role` is
 *   what the person's own, signed launches said; a roster answers only for one class (a sixth-former can be a
 *   TeachingAssistant in one course and a Learner in all others), so it must not overwrite a launch's role.
 * - Display names are kept when the platform sends one (teachers need to recognise their pupils) and left alone
 *   when it does not. E-mail addresses are never stored.
 * - Members the roster no longer lists, or lists as Inactive or Deleted, become `inactive` memberships; nothing is
 *   deleted (their work stays). Absence counts only when the listing is complete: not when the page limit was
 *   reached, a member entry was malformed, or the roster came back empty (a platform hiccup must not empty a class).
 * - Idempotent: a second sync of an unchanged roster writes nothing but `nrps.syncedAt`.
 */
import {
  DEFAULT_ROLE_RULES,
  fetchMemberships,
  LtiServiceError,
  resolveRoles,
  type Member,
  type RoleRule,
} from '../../../lti/index.js';
import type { RosterMember, RosterSyncResult, RosterView } from '../../contract/roster.js';
import type { Models } from '../../db/models.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { Actor } from '../../http/authenticate.js';
import type { Logger } from '../../log.js';
import type { LtiRuntime } from '../lti/deps.js';
import type { Role } from './model.js';
import { erasedSubs } from '../privacy/erase.js';

export interface RosterDeps {
  models: Models;
  runtime: Pick<LtiRuntime, 'registrations' | 'tokens' | 'fetch' | 'clock' | 'secret'>;
  logger: Logger;
}

/** NRPS paging stops here; a class this large is treated as possibly partial (nobody deactivated for absence). */
export const ROSTER_MAX_PAGES = 100;
/** After a teacher's launch, a class synced more recently than this is not synced again. */
export const ROSTER_RESYNC_AFTER_MS = 15 * 60_000;

const OBJECT_ID = /^[a-f0-9]{24}$/;
const ROLE_ORDER: Record<Role, number> = { teacher: 0, planner: 1, adviser: 2, pupil: 3 };

function displayName(member: Member): string | undefined {
  const joined = [member.givenName, member.familyName].filter(Boolean).join(' ');
  const name = (member.name ?? joined).trim();
  return name ? name.slice(0, 200) : undefined;
}

/** Who may see and sync a class roster: planners of the school, and the class's active teachers. Pure. */
export function canManageRoster(actor: Actor, isTeacherOfClass: boolean): boolean {
  if (actor.role === 'planner') return true;
  return actor.role === 'teacher' && isTeacherOfClass;
}

interface ClassLean {
  _id: { toString(): string };
  schoolId: string;
  platformId: string;
  contextId: string;
  title?: string | null;
  label?: string | null;
  yearGroup?: string | null;
  nrps?: { url?: string | null; syncedAt?: Date | null; lastError?: string | null } | null;
}

async function findClass(models: Models, schoolId: string, classId: string): Promise<ClassLean> {
  if (!OBJECT_ID.test(classId)) throw notFound('class');
  const cls = await models.Class.findOne({ schoolId, _id: classId }).lean<ClassLean>();
  if (!cls) throw notFound('class');
  return cls;
}

/**
 * Throws unless the actor may see and sync this class's roster. Pupils and advisers are refused before any read;
 * a class of another school answers 404 like a missing one.
 * @throws AppError 403 forbidden, 404 not_found.
 */
export async function authorizeRoster(
  models: Models,
  ctx: { schoolId: string; actor: Actor },
  classId: string,
): Promise<ClassLean> {
  const refusal = 'Only the class’s teachers and planners can see its roster.';
  if (ctx.actor.role !== 'teacher' && ctx.actor.role !== 'planner') throw forbidden(refusal);
  const cls = await findClass(models, ctx.schoolId, classId);
  if (ctx.actor.role === 'planner') return cls;
  const teaches = await models.Membership.exists({
    schoolId: ctx.schoolId,
    classId: String(cls._id),
    userId: ctx.actor.id,
    role: 'teacher',
    status: 'active',
  });
  if (!canManageRoster(ctx.actor, Boolean(teaches))) throw forbidden(refusal);
  return cls;
}

async function schoolRoleRules(models: Models, schoolId: string): Promise<readonly RoleRule[]> {
  const school = await models.School.findById(schoolId, { roleRules: 1 }).lean();
  return school?.roleRules.length ? [...DEFAULT_ROLE_RULES, ...school.roleRules] : DEFAULT_ROLE_RULES;
}

async function recordFailure(models: Models, cls: ClassLean, message: string): Promise<void> {
  await models.Class.updateOne({ schoolId: cls.schoolId, _id: cls._id }, { $set: { 'nrps.lastError': message.slice(0, 300) } });
}

const syncFailed = (message: string) => new AppError({ status: 502, code: 'roster_sync_failed', message });

/**
 * Fetches the class's membership from its platform (NRPS, every page) and brings Users and Memberships up to date
 * (see the decisions above). Records `nrps.syncedAt`, or `nrps.lastError` on failure.
 * @throws AppError 404 not_found (class not in this school); 409 nrps_unavailable (no NRPS endpoint known for the
 * class, or its platform registration is gone); 502 roster_sync_failed (the platform refused or failed; retryable
 * failures say so in the message).
 */
export async function syncRoster(deps: RosterDeps, schoolId: string, classId: string): Promise<RosterSyncResult> {
  const { models, runtime, logger } = deps;
  const cls = await findClass(models, schoolId, classId);
  const url = cls.nrps?.url;
  if (!url)
    throw new AppError({
      status: 409,
      code: 'nrps_unavailable',
      message: 'The learning platform has not offered a roster for this class. Open Waymark from the class in the LMS first.',
    });
  const registration = await runtime.registrations.findById(cls.platformId);
  // The registration must still be this school's: a class never reads a roster through another school's client.
  if (registration?.schoolId !== schoolId) {
    await recordFailure(models, cls, 'platform registration no longer exists');
    throw new AppError({
      status: 409,
      code: 'nrps_unavailable',
      message: 'The platform registration of this class no longer exists.',
    });
  }
  const rules = await schoolRoleRules(models, schoolId);

  let listing: Awaited<ReturnType<typeof fetchMemberships>>;
  try {
    listing = await fetchMemberships({ fetch: runtime.fetch, clock: runtime.clock, tokens: runtime.tokens }, registration, url, {
      maxPages: ROSTER_MAX_PAGES,
      roleRules: rules,
    });
  } catch (err) {
    if (!(err instanceof LtiServiceError)) throw err;
    await recordFailure(models, cls, `${err.code}${err.status ? ` (${err.status})` : ''}: ${err.message}`);
    const log = err.retryable ? logger.warn.bind(logger) : logger.error.bind(logger);
    log({ schoolId, classId, code: err.code, status: err.status, retryable: err.retryable }, 'roster sync failed');
    throw syncFailed(
      err.retryable
        ? 'The learning platform did not answer. Try again in a few minutes.'
        : `The learning platform refused the roster request (${err.code}).`,
    );
  }
  // NRPS 2.0 §2.2: the container names its context; a roster of another course must never fill this class.
  if (listing.context && listing.context.id !== cls.contextId) {
    await recordFailure(models, cls, 'context_mismatch: the roster belongs to another course');
    logger.error({ schoolId, classId }, 'roster sync: NRPS answered for another context');
    throw syncFailed('The learning platform answered with the roster of another course.');
  }

  const now = runtime.clock.now();
  const platformId = cls.platformId;
  const cid = String(cls._id);

  // Last entry wins when a platform lists someone twice.
  const wanted = new Map<string, { member: Member; role: Role; active: boolean; lisRoles: string[] }>();
  let ignored = 0;
  for (const member of listing.members) {
    const resolved = resolveRoles(member.roles, rules);
    if (!resolved.role) {
      ignored += 1;
      continue;
    }
    wanted.set(member.userId, { member, role: resolved.role, active: member.status === 'Active', lisRoles: resolved.lisRoles });
  }

  const subs = [...wanted.keys()];
  const existingUsers = await models.User.find({ schoolId, platformId, sub: { $in: subs } }, { sub: 1, name: 1 }).lean();
  const userBySub = new Map(existingUsers.map((u) => [u.sub, u]));
  // Pupils a planner erased stay erased: a roster listing never brings their record back (their own next launch
  // starts a new, empty record — that is the person choosing to use Waymark again).
  const erased = await erasedSubs(
    deps.models,
    deps.runtime.secret,
    { schoolId, platformId },
    subs.filter((sub) => !userBySub.has(sub)),
  );

  // Users: create active members we do not know yet; rename known ones when the platform sends a new name.
  // Inactive/Deleted members we have never seen are not created: there is nothing to deactivate.
  let usersCreated = 0;
  let usersRenamed = 0;
  const userOps = [];
  for (const [sub, w] of wanted) {
    const name = displayName(w.member);
    const known = userBySub.get(sub);
    if (!known) {
      if (!w.active || erased.has(sub)) continue;
      usersCreated += 1;
      userOps.push({
        updateOne: {
          filter: { schoolId, platformId, sub },
          update: {
            $setOnInsert: { role: w.role, ltiRoles: w.lisRoles, source: 'nrps' as const },
            ...(name ? { $set: { name } } : {}),
          },
          upsert: true,
        },
      });
    } else if (name && known.name !== name) {
      usersRenamed += 1;
      userOps.push({ updateOne: { filter: { schoolId, platformId, sub }, update: { $set: { name } } } });
    }
  }
  if (userOps.length) await models.User.bulkWrite(userOps, { ordered: false });

  const users = usersCreated
    ? await models.User.find({ schoolId, platformId, sub: { $in: subs } }, { sub: 1 }).lean()
    : existingUsers;
  const idBySub = new Map(users.map((u) => [u.sub, String(u._id)]));
  const memberships = await models.Membership.find({ schoolId, classId: cid }, { userId: 1, role: 1, status: 1 }).lean();
  const membershipByUser = new Map(memberships.map((m) => [m.userId, m]));

  const counts = { membershipsAdded: 0, membershipsUpdated: 0, membershipsDeactivated: 0, unchanged: 0 };
  const listedUserIds = new Set<string>();
  const touched = new Set<string>();
  const membershipOps = [];
  for (const [sub, w] of wanted) {
    const userId = idBySub.get(sub);
    if (!userId) continue; // an Inactive/Deleted member we never knew
    const status = w.active ? 'active' : 'inactive';
    if (w.active) listedUserIds.add(userId);
    const current = membershipByUser.get(userId);
    if (!current) {
      if (!w.active) continue;
      counts.membershipsAdded += 1;
    } else if (current.role === w.role && current.status === status) {
      counts.unchanged += 1;
      continue;
    } else if (current.status === 'active' && status === 'inactive') {
      counts.membershipsDeactivated += 1;
    } else {
      counts.membershipsUpdated += 1;
    }
    touched.add(userId);
    membershipOps.push({
      updateOne: {
        filter: { schoolId, classId: cid, userId },
        update: { $set: { role: w.role, status }, $setOnInsert: { source: 'nrps' as const } },
        upsert: true,
      },
    });
  }

  // Absent members leave the class, but only when we know the listing is whole.
  const complete = listing.pages < ROSTER_MAX_PAGES && listing.skipped === 0 && listing.members.length > 0;
  if (complete) {
    for (const m of memberships) {
      if (m.status !== 'active' || listedUserIds.has(m.userId) || touched.has(m.userId)) continue;
      counts.membershipsDeactivated += 1;
      membershipOps.push({
        updateOne: {
          filter: { schoolId, classId: cid, userId: m.userId },
          update: { $set: { role: m.role, status: 'inactive' as const }, $setOnInsert: { source: 'nrps' as const } },
          upsert: false,
        },
      });
    }
  } else {
    logger.warn(
      { schoolId, classId, pages: listing.pages, skipped: listing.skipped, listed: listing.members.length },
      'roster sync: listing may be partial, nobody deactivated for absence',
    );
  }
  if (membershipOps.length) await models.Membership.bulkWrite(membershipOps, { ordered: false });

  await models.Class.updateOne({ schoolId, _id: cls._id }, { $set: { 'nrps.syncedAt': now }, $unset: { 'nrps.lastError': 1 } });
  const result: RosterSyncResult = {
    listed: listing.members.length,
    pages: listing.pages,
    skipped: listing.skipped,
    ignored,
    usersCreated,
    usersRenamed,
    ...counts,
    complete,
    syncedAt: now.toISOString(),
  };
  logger.info({ schoolId, classId, ...result }, 'roster synced');
  return result;
}

const inFlight = new Set<string>();

/**
 * Fire-and-forget roster sync after a launch: for a teacher's launch into a class with NRPS, when the class was not
 * synced in the last {@link ROSTER_RESYNC_AFTER_MS}. Never rejects (failures are logged and kept on the class);
 * call it without awaiting: `void syncRosterAfterLaunch(deps, outcome.claims)`. The returned promise settles when
 * the sync is done (tests await it). One sync per class at a time in this process.
 */
export async function syncRosterAfterLaunch(
  deps: RosterDeps,
  claims: { sch: string; role: Role; cls?: string },
): Promise<RosterSyncResult | null> {
  if (claims.role !== 'teacher' || !claims.cls) return null;
  const key = `${claims.sch}:${claims.cls}`;
  if (inFlight.has(key)) return null;
  inFlight.add(key);
  try {
    const cls = await deps.models.Class.findOne({ schoolId: claims.sch, _id: claims.cls }, { nrps: 1 }).lean();
    if (!cls?.nrps?.url) return null;
    const last = cls.nrps.syncedAt?.getTime();
    if (last !== undefined && deps.runtime.clock.now().getTime() - last < ROSTER_RESYNC_AFTER_MS) return null;
    return await syncRoster(deps, claims.sch, claims.cls);
  } catch (err) {
    // syncRoster already logged platform failures and kept them on the class; anything else is ours.
    if (!(err instanceof AppError))
      deps.logger.error({ err, schoolId: claims.sch, classId: claims.cls }, 'roster sync after launch failed');
    return null;
  } finally {
    inFlight.delete(key);
  }
}

/**
 * The class's people as its teachers and planners see them: active members first by role, then by name.
 * Call {@link authorizeRoster} first.
 */
export async function listRoster(models: Models, cls: ClassLean): Promise<RosterView> {
  const schoolId = cls.schoolId;
  const memberships = await models.Membership.find(
    { schoolId, classId: String(cls._id) },
    { userId: 1, role: 1, status: 1 },
  ).lean();
  const users = await models.User.find(
    { schoolId, _id: { $in: memberships.map((m) => m.userId) } },
    { name: 1, yearGroup: 1, lastLaunchAt: 1 },
  ).lean();
  const byId = new Map(users.map((u) => [String(u._id), u]));
  const members: RosterMember[] = [];
  for (const m of memberships) {
    const user = byId.get(m.userId);
    if (!user) continue;
    members.push({
      id: m.userId,
      name: user.name ?? null,
      role: m.role,
      status: m.status,
      launched: Boolean(user.lastLaunchAt),
      yearGroup: user.yearGroup ?? (m.role === 'pupil' ? (cls.yearGroup ?? null) : null),
    });
  }
  members.sort(
    (a, b) =>
      Number(a.status === 'inactive') - Number(b.status === 'inactive') ||
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') ||
      a.id.localeCompare(b.id),
  );
  return {
    class: {
      id: String(cls._id),
      title: cls.title ?? null,
      label: cls.label ?? null,
      yearGroup: cls.yearGroup ?? null,
      nrps: {
        available: Boolean(cls.nrps?.url),
        syncedAt: cls.nrps?.syncedAt ? cls.nrps.syncedAt.toISOString() : null,
        lastError: cls.nrps?.lastError ?? null,
      },
    },
    members,
  };
}
