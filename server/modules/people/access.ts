/** Who may see a pupil: shared checks used by the feature services. */
import type { Models } from '../../db/models.js';
import type { RequestContext } from '../../http/authenticate.js';

/** True when the actor teaches (active teacher membership) a class in which the pupil is an active pupil. */
export async function teachesPupil(models: Models, ctx: RequestContext, pupilId: string): Promise<boolean> {
  const classIds = await models.Membership.distinct('classId', {
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
    role: 'teacher',
    status: 'active',
  });
  if (!classIds.length) return false;
  return Boolean(
    await models.Membership.exists({
      schoolId: ctx.schoolId,
      userId: pupilId,
      classId: { $in: classIds },
      role: 'pupil',
      status: 'active',
    }),
  );
}
