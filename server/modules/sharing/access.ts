/**
 * Which pupils an adviser (external careers adviser or partner organisation) may see: the one place every feature
 * asks. Everything an adviser reads about a pupil goes through `assertAdviserMaySee` (404 when not shared, so an
 * id outside the grant cannot be told from a missing one) and is recorded with `logAdviserView`.
 *
 * First implementation: the pupils the adviser's LTI Mentor launch named (role_scope_mentor). The sharing model
 * (grants by class, year group or pupil; consent; expiry) replaces the body of these functions, not their shape.
 */
import type { Models } from '../../db/models.js';
import { notFound } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';

/** Ids (User._id) of the pupils of ctx.schoolId the adviser may see now. */
export async function visiblePupilIds(models: Models, ctx: RequestContext): Promise<string[]> {
  if (ctx.actor.role !== 'adviser') return [];
  const adviser = await models.User.findOne({ schoolId: ctx.schoolId, _id: ctx.actor.id }, { mentees: 1 }).lean();
  if (!adviser?.mentees?.length) return [];
  const pupils = await models.User.find(
    { schoolId: ctx.schoolId, role: 'pupil', sub: { $in: adviser.mentees } },
    { _id: 1 },
  ).lean();
  return pupils.map((p) => String(p._id));
}

/** True when the adviser may see this pupil now. */
export async function adviserMaySee(models: Models, ctx: RequestContext, pupilId: string): Promise<boolean> {
  return (await visiblePupilIds(models, ctx)).includes(pupilId);
}

/** @throws AppError 404 ('pupil') unless the adviser may see this pupil now. */
export async function assertAdviserMaySee(models: Models, ctx: RequestContext, pupilId: string): Promise<void> {
  if (!(await adviserMaySee(models, ctx, pupilId))) throw notFound('pupil');
}

/**
 * Records that the adviser viewed part of a pupil's data (`what`: e.g. 'readiness-review', 'log', 'journey').
 * The sharing model stores these in the audit log planners read; until then this is a no-op placeholder that the
 * sharing work must implement (it is listed in its brief).
 */
export async function logAdviserView(
  _models: Models,
  _ctx: RequestContext,
  _pupilId: string,
  _what: string,
): Promise<void> {}
