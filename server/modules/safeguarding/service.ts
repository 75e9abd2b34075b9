/**
 * Safeguarding: a planner names the school's designated safeguarding contact; staff who read a pupil's
 * reflections, log entries or voice notes (their teachers and advisers) report concerns; only the contact and
 * planners read them, and every read is logged as data.
 */
import { Types } from 'mongoose';
import type { CreateConcern } from '../../contract/safeguarding.js';
import type { Models } from '../../db/models.js';
import { forbidden, invalid, notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { teachesPupil } from '../people/access.js';
import { adviserMaySee } from '../sharing/access.js';

export interface SafeguardingDeps {
  models: Models;
  now?: () => Date;
}

const clock = (deps: SafeguardingDeps) => (deps.now ? deps.now() : new Date());

export interface ContactInfo {
  contact: { userId: string; name: string | null; role: string; setAt: Date } | null;
  canViewConcerns: boolean;
}

async function contactOf(models: Models, schoolId: string) {
  return models.SafeguardingContact.findOne({ schoolId }).lean();
}

/** Who the contact is, and whether the caller may read concerns. @throws AppError 403 for pupils. */
export async function getContact(deps: SafeguardingDeps, ctx: RequestContext): Promise<ContactInfo> {
  if (ctx.actor.role === 'pupil') throw forbidden();
  const contact = await contactOf(deps.models, ctx.schoolId);
  const user = contact
    ? await deps.models.User.findOne({ schoolId: ctx.schoolId, _id: contact.userId }, { name: 1, role: 1 }).lean()
    : null;
  return {
    contact: contact && user ? { userId: contact.userId, name: user.name ?? null, role: user.role, setAt: contact.setAt } : null,
    canViewConcerns: ctx.actor.role === 'planner' || contact?.userId === ctx.actor.id,
  };
}

/**
 * Names the designated safeguarding contact: a teacher or planner of this school.
 * @throws AppError 403 for anyone but a planner; 404 for a user not in this school; 400 for a pupil or adviser.
 */
export async function setContact(deps: SafeguardingDeps, ctx: RequestContext, userId: string): Promise<ContactInfo> {
  if (ctx.actor.role !== 'planner') throw forbidden('Only the careers leader (planner) sets the safeguarding contact.');
  const user = await deps.models.User.findOne({ schoolId: ctx.schoolId, _id: userId }, { role: 1 }).lean();
  if (!user) throw notFound('user');
  if (user.role !== 'teacher' && user.role !== 'planner')
    throw invalid('The safeguarding contact must be a member of staff.', [
      { path: 'userId', message: 'must be a teacher or planner' },
    ]);
  await deps.models.SafeguardingContact.updateOne(
    { schoolId: ctx.schoolId },
    { $set: { userId, setBy: ctx.actor.id, setAt: clock(deps) } },
    { upsert: true },
  );
  return getContact(deps, ctx);
}

/** The same reach as the log's staff access: a teacher of the pupil's class, or an adviser the pupil is shared with. */
async function readsPupil(models: Models, ctx: RequestContext, pupil: { sub: string; id: string }): Promise<boolean> {
  if (ctx.actor.role === 'teacher') return teachesPupil(models, ctx, pupil.id);
  if (ctx.actor.role === 'adviser') return adviserMaySee(models, ctx, pupil.id);
  return false;
}

/** The source must be the pupil's own: a log entry, a voice note on one, or a reflection in a module or log entry. */
async function sourceExists(
  models: Models,
  schoolId: string,
  pupilId: string,
  source: CreateConcern['source'],
): Promise<boolean> {
  const isObjectId = /^[a-f0-9]{24}$/.test(source.id);
  if (source.kind === 'voice-note')
    return (
      isObjectId &&
      Boolean(
        await models.LogEntry.exists({
          schoolId,
          pupilId,
          evidence: { $elemMatch: { _id: new Types.ObjectId(source.id), kind: 'voice' } },
        }),
      )
    );
  // A log entry, or the Kolb reflection on one.
  if (isObjectId) return Boolean(await models.LogEntry.exists({ schoolId, _id: source.id, pupilId }));
  if (source.kind === 'log-entry') return false;
  // A module reflection: `<moduleId>/<activityId>` of the pupil's attempt.
  const [moduleId, activityId, ...rest] = source.id.split('/');
  if (!moduleId || !activityId || rest.length || !/^[a-z0-9-]+$/.test(activityId)) return false;
  return Boolean(
    await models.ModuleAttempt.exists({ schoolId, userId: pupilId, moduleId, [`activities.${activityId}.type`]: 'reflection' }),
  );
}

/** Staff who may be named the contact (teachers and planners of this school). @throws AppError 403 for non-planners. */
export async function listStaff(deps: SafeguardingDeps, ctx: RequestContext) {
  if (ctx.actor.role !== 'planner') throw forbidden('Only the careers leader (planner) sets the safeguarding contact.');
  return deps.models.User.find({ schoolId: ctx.schoolId, role: { $in: ['teacher', 'planner'] } }, { name: 1, role: 1 })
    .sort({ name: 1 })
    .limit(500)
    .lean();
}

/**
 * Records a concern about a pupil, timestamped, for the designated contact and planners.
 * @throws AppError 404 for a pupil not in this school; 403 for pupils, planners (they read concerns, they do not
 * read pupils' work) and staff who do not read this pupil's work; 400 for a source that is not the pupil's.
 */
export async function reportConcern(deps: SafeguardingDeps, ctx: RequestContext, input: CreateConcern) {
  const { models } = deps;
  if (ctx.actor.role !== 'teacher' && ctx.actor.role !== 'adviser')
    throw forbidden("Concerns are reported by staff who read pupils' work.");
  const pupil = await models.User.findOne({ schoolId: ctx.schoolId, _id: input.pupilId, role: 'pupil' }, { sub: 1 }).lean();
  if (!pupil) throw notFound('pupil');
  if (!(await readsPupil(models, ctx, { id: input.pupilId, sub: pupil.sub })))
    throw forbidden('This pupil is not in a class you teach or shared with you.');
  if (!(await sourceExists(models, ctx.schoolId, input.pupilId, input.source)))
    throw invalid('The concern is not valid.', [{ path: 'source.id', message: "no such item in this pupil's work" }]);
  const concern = await models.SafeguardingConcern.create({
    schoolId: ctx.schoolId,
    pupilId: input.pupilId,
    reporterId: ctx.actor.id,
    reporterRole: ctx.actor.role,
    source: input.source,
    text: input.text,
    reportedAt: clock(deps),
  });
  return { id: String(concern._id), reportedAt: concern.reportedAt };
}

/**
 * Every concern of the school, newest first, with pupil and reporter names; the read is logged.
 * @throws AppError 403 for anyone but the designated contact and planners.
 */
export async function listConcerns(deps: SafeguardingDeps, ctx: RequestContext) {
  const { models } = deps;
  const contact = await contactOf(models, ctx.schoolId);
  if (ctx.actor.role !== 'planner' && contact?.userId !== ctx.actor.id)
    throw forbidden('Only the designated safeguarding contact and planners read concerns.');
  const concerns = await models.SafeguardingConcern.find({ schoolId: ctx.schoolId }).sort({ reportedAt: -1 }).lean();
  // The audit trail is data: who read which concerns, and when (before answering, so no read goes unlogged).
  await models.SafeguardingAccessLog.create({
    schoolId: ctx.schoolId,
    viewerId: ctx.actor.id,
    viewerRole: ctx.actor.role,
    concernIds: concerns.map((c) => String(c._id)),
    at: clock(deps),
  });
  const ids = [...new Set(concerns.flatMap((c) => [c.pupilId, c.reporterId]))].filter((id) => Types.ObjectId.isValid(id));
  const users = ids.length ? await models.User.find({ schoolId: ctx.schoolId, _id: { $in: ids } }, { name: 1 }).lean() : [];
  const names = new Map(users.map((u) => [String(u._id), u.name ?? null]));
  return { concerns, names };
}
