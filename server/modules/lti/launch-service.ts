/**
 * What happens after the LTI core has verified a launch: record who came from which class and placement,
 * then hand the browser a short-lived launch token. Nothing here weakens or repeats the protocol checks.
 */
import { DEFAULT_ROLE_RULES, resolveRoles, type Launch } from '../../../lti/index.js';
import { yearGroupToStage } from '../../../curriculum/index.js';
import type { Models } from '../../db/models.js';
import { signLaunchToken, type LaunchClaims } from '../../http/launch-token.js';
import type { Role } from '../people/model.js';

export type LaunchOutcome =
  | {
      token: string;
      expiresAt: Date;
      claims: LaunchClaims;
      /** Where the client starts. */
      route: string;
    }
  | {
      /** The launch was valid but its roles grant no Waymark role: least privilege, no session, no record. */
      token: null;
      route: '/no-access';
      lang: 'en' | 'nl';
    };

const DEEP_LINK_TTL_MS = 3600_000;

function languageOf(launch: Launch): 'en' | 'nl' {
  const locale = launch.launchPresentation?.locale ?? launch.user.locale ?? '';
  return locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

function displayName(launch: Launch): string | undefined {
  const { name, givenName, familyName } = launch.user;
  const joined = [givenName, familyName].filter(Boolean).join(' ');
  return (name ?? joined) || undefined;
}

/** A year-group code Waymark knows (e.g. EN-Y8); anything else is ignored rather than trusted. */
export function knownYearGroup(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const code = value.trim().toUpperCase();
  return yearGroupToStage(code) === undefined ? undefined : code;
}

/**
 * Records the launch and issues the launch token. A launch whose roles grant no Waymark role (none, or only
 * unknown ones) gets least privilege: no token and no record, and the client explains who to ask.
 */
export async function completeLaunch(
  deps: { models: Models; launchKey: Uint8Array; now?: Date },
  launch: Launch,
): Promise<LaunchOutcome> {
  const { models } = deps;
  const now = deps.now ?? new Date();
  const school = await models.School.findById(launch.schoolId, { roleRules: 1 }).lean();
  // A school may adjust the role table; the launch was verified with the defaults, so resolve again with its rules.
  const roles = school?.roleRules.length
    ? resolveRoles(launch.roles.lisRoles, [...DEFAULT_ROLE_RULES, ...school.roleRules])
    : launch.roles;
  const role: Role | null = roles.role;
  const lang = languageOf(launch);
  if (!role) return { token: null, route: '/no-access', lang };
  const schoolId = launch.schoolId;
  const platformId = launch.registrationId;
  const name = displayName(launch);
  const yearGroup = knownYearGroup(launch.yearGroup);

  const user = await models.User.findOneAndUpdate(
    { schoolId, platformId, sub: launch.user.sub },
    {
      $set: {
        role,
        ltiRoles: roles.lisRoles,
        locale: lang,
        lastLaunchAt: now,
        ...(name ? { name } : {}),
        ...(yearGroup ? { yearGroup } : {}),
        ...(role === 'adviser' ? { mentees: launch.mentorScope } : {}),
      },
      $setOnInsert: { source: 'launch' },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const userId = String(user._id);

  let classId: string | undefined;
  if (launch.context) {
    const cls = await models.Class.findOneAndUpdate(
      { schoolId, platformId, contextId: launch.context.id },
      {
        $set: {
          ...(launch.context.title ? { title: launch.context.title } : {}),
          ...(launch.context.label ? { label: launch.context.label } : {}),
          ...(launch.nrps ? { 'nrps.url': launch.nrps.contextMembershipsUrl } : {}),
          // The placement's year_group describes the class, whoever launches.
          ...(yearGroup ? { yearGroup } : {}),
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    classId = String(cls._id);
    await models.Membership.updateOne(
      { schoolId, classId, userId },
      { $set: { role, status: 'active', source: 'launch' } },
      { upsert: true },
    );
  }

  let resourceLinkId: string | undefined;
  if (launch.resourceLink) {
    const moduleId = launch.custom.module_id;
    const link = await models.ResourceLink.findOneAndUpdate(
      { schoolId, platformId, resourceLinkId: launch.resourceLink.id },
      {
        $set: {
          ...(classId ? { classId } : {}),
          ...(launch.resourceLink.title ? { title: launch.resourceLink.title } : {}),
          ...(moduleId ? { moduleId } : {}),
          ...(launch.ags
            ? { ags: { scope: launch.ags.scope, lineItemsUrl: launch.ags.lineItemsUrl, lineItemUrl: launch.ags.lineItemUrl } }
            : {}),
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    resourceLinkId = String(link._id);
  }

  let deepLinkId: string | undefined;
  if (launch.messageType === 'LtiDeepLinkingRequest') {
    // Keep what the response needs, not the person: no names or e-mail in the stored launch.
    const { user: _user, lis: _lis, ...rest } = launch;
    const session = await models.DeepLinkSession.create({
      schoolId,
      userId,
      launch: { ...rest, user: { sub: launch.user.sub } },
      createdAt: now,
      expiresAt: new Date(now.getTime() + DEEP_LINK_TTL_MS),
    });
    deepLinkId = String(session._id);
  }

  const claims: LaunchClaims = {
    sub: userId,
    sch: schoolId,
    role,
    lang,
    ...(classId ? { cls: classId } : {}),
    ...(resourceLinkId ? { rl: resourceLinkId } : {}),
    ...(deepLinkId ? { dl: deepLinkId } : {}),
  };
  const { token, expiresAt } = await signLaunchToken(deps.launchKey, claims, now);
  return { token, expiresAt, claims, route: startRoute(role, launch, deepLinkId) };
}

function startRoute(role: Role, launch: Launch, deepLinkId: string | undefined): string {
  if (deepLinkId) return '/teacher/select-modules';
  const moduleId = launch.custom.module_id;
  if (role === 'pupil') return moduleId ? `/pupil/modules/${encodeURIComponent(moduleId)}` : '/pupil';
  return `/${role}`;
}

/** Records an unknown deployment of a known client as pending, for an admin to claim. Never accepts it. */
export async function recordPendingDeployment(
  models: Models,
  data: {
    knownRegistrations: { registrationId: string; schoolId: string }[];
    issuer: string;
    clientId: string;
    deploymentId: string;
  },
  now = new Date(),
): Promise<void> {
  await models.PendingDeployment.updateOne(
    { issuer: data.issuer, clientId: data.clientId, deploymentId: data.deploymentId },
    { $set: { lastSeenAt: now, candidates: data.knownRegistrations }, $setOnInsert: { firstSeenAt: now }, $inc: { attempts: 1 } },
    { upsert: true },
  );
}
