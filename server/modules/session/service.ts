/** Who is signed in, their class and stage; token refresh; answering a Deep Linking request. */
import { buildDeepLinkingResponse, type Launch } from '../../../lti/index.js';
import { yearGroupToStage, type Curriculum } from '../../../curriculum/index.js';
import type { Config } from '../../config.js';
import type { Session } from '../../contract/session.js';
import type { Models } from '../../db/models.js';
import { AppError, forbidden, notFound, unauthorized } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { signLaunchToken } from '../../http/launch-token.js';
import type { LtiRuntime } from '../lti/deps.js';
import { getModule } from '../curriculum/service.js';

const stageOf = (yearGroup: string | null | undefined) => (yearGroup ? (yearGroupToStage(yearGroup) ?? null) : null);

export async function getSession(models: Models, ctx: RequestContext): Promise<Session> {
  const [user, school, cls, link] = await Promise.all([
    models.User.findOne({ schoolId: ctx.schoolId, _id: ctx.actor.id }).lean(),
    models.School.findById(ctx.schoolId).lean(),
    ctx.classId ? models.Class.findOne({ schoolId: ctx.schoolId, _id: ctx.classId }).lean() : null,
    ctx.resourceLinkId ? models.ResourceLink.findOne({ schoolId: ctx.schoolId, _id: ctx.resourceLinkId }).lean() : null,
  ]);
  if (!user) throw unauthorized('Your account is no longer known here. Open Waymark again from your learning platform.');
  const classStage = stageOf(cls?.yearGroup);
  return {
    user: { id: String(user._id), name: user.name ?? null, role: user.role },
    school: { id: ctx.schoolId, name: school?.name ?? ctx.schoolId },
    class: cls ? { id: String(cls._id), title: cls.title ?? null, yearGroup: cls.yearGroup ?? null, stage: classStage } : null,
    stage: stageOf(user.yearGroup) ?? classStage,
    lang: ctx.lang,
    moduleId: link?.moduleId ?? null,
    deepLinking: Boolean(ctx.deepLinkId),
    expiresAt: ctx.tokenExpiresAt.toISOString(),
  };
}

/** A fresh launch token with the same claims, for a client whose token is still valid. */
export async function refreshToken(key: Uint8Array, ctx: RequestContext): Promise<{ token: string; expiresAt: string }> {
  const { token, expiresAt } = await signLaunchToken(key, {
    sub: ctx.actor.id,
    sch: ctx.schoolId,
    role: ctx.actor.role,
    lang: ctx.lang,
    ...(ctx.classId ? { cls: ctx.classId } : {}),
    ...(ctx.resourceLinkId ? { rl: ctx.resourceLinkId } : {}),
    ...(ctx.deepLinkId ? { dl: ctx.deepLinkId } : {}),
  });
  return { token, expiresAt: expiresAt.toISOString() };
}

/**
 * Answers the teacher's Deep Linking request with one resource link per chosen module, each asking the LMS for a
 * gradebook column. The request can be answered once.
 * @throws AppError 403 without a deep-linking launch or for pupils; 404 for an unknown module; 409 when answered.
 */
export async function answerDeepLinking(
  deps: { models: Models; curriculum: Curriculum; runtime: LtiRuntime; config: Config },
  ctx: RequestContext,
  moduleIds: string[],
): Promise<{ returnUrl: string; jwt: string }> {
  if (!ctx.deepLinkId) throw forbidden('This page was not opened to add activities. Use "Add activity" in your course.');
  if (ctx.actor.role !== 'teacher' && ctx.actor.role !== 'planner')
    throw forbidden('Only teachers can add Waymark activities to a course.');
  const session = await deps.models.DeepLinkSession.findOne({
    _id: ctx.deepLinkId,
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
  }).lean();
  if (!session) throw notFound('deep-linking request');
  const modules = await Promise.all(moduleIds.map((id) => getModule(deps.models, deps.curriculum, ctx, id)));
  const lang = ctx.lang;
  const items = modules.map(({ module }) => ({
    title: module.title[lang],
    text: module.summary[lang],
    url: `${deps.config.publicUrl}/lti/launch`,
    custom: { module_id: module.id },
    lineItem: { scoreMaximum: 100, label: module.title[lang], resourceId: module.id, tag: 'waymark-module' },
  }));
  const claimed = await deps.models.DeepLinkSession.findOneAndUpdate(
    { _id: ctx.deepLinkId, schoolId: ctx.schoolId, answeredAt: null },
    { $set: { answeredAt: new Date() } },
  );
  if (!claimed)
    throw new AppError({
      status: 409,
      code: 'deep_linking_answered',
      message: 'These activities were already added. Start again from your course to add more.',
    });
  const launch = session.launch as unknown as Launch;
  const response = await buildDeepLinkingResponse({ signer: deps.runtime.signer, clock: deps.runtime.clock }, launch, items, {
    msg:
      lang === 'nl'
        ? `${items.length} Waymark-activiteit(en) toegevoegd`
        : `Added ${items.length} Waymark activit${items.length === 1 ? 'y' : 'ies'}`,
  });
  return { returnUrl: response.returnUrl, jwt: response.jwt };
}
