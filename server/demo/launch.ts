/**
 * The platform side of an LTI 1.3 launch: OIDC third-party-initiated login (LTI Core 1.3 §4.1), the
 * authentication request checks (Security Framework §5.1.1.2/§5.1.1.3) and the signed id_token.
 */
import { SignJWT } from 'jose';
import { z } from 'zod';
import { AppError, invalid } from '../errors.js';
import { AGS_SCOPES, Claim, COURSE_OFFERING, PLATFORM_VERSION, PRODUCT_FAMILY_CODE, Scope } from './claims.js';
import { currentRegistration, randomToken, type DemoContext } from './context.js';
import type { DemoCourseDoc, DemoLaunchHintDoc, DemoPersonDoc, DemoRegistrationDoc, DemoResourceLinkDoc } from './models.js';
import { fullName } from './roster.js';

const HINT_TTL_MS = 30 * 60_000;
const ID_TOKEN_TTL_S = 5 * 60;

export interface LaunchRequest {
  person: DemoPersonDoc;
  course: DemoCourseDoc;
  registration: DemoRegistrationDoc;
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  resourceLink?: DemoResourceLinkDoc;
  documentTarget: 'iframe' | 'window';
  /** BCP 47 language tag for launch_presentation.locale; default en-GB. */
  locale?: string;
}

/** The target_link_uri registered for a message type (falling back to the tool's default). */
export function targetLinkFor(registration: DemoRegistrationDoc, messageType: string, link?: DemoResourceLinkDoc | null): string {
  if (link?.url) return link.url;
  return registration.messages.find((m) => m.messageType === messageType)?.targetLinkUri ?? registration.targetLinkUri;
}

/**
 * Builds the tool's login initiation URL (LTI Core 1.3 §4.1.1) and stores what its `lti_message_hint` stands
 * for. With an `lti_storage_target` the tool can bind its state through our postMessage storage, not cookies.
 */
export async function loginInitiationUrl(ctx: DemoContext, launch: LaunchRequest, storageTarget?: string): Promise<string> {
  const hint = randomToken(18);
  await ctx.models.LaunchHint.create({
    _id: hint,
    personId: launch.person._id,
    courseId: launch.course._id,
    clientId: launch.registration._id,
    messageType: launch.messageType,
    resourceLinkId: launch.resourceLink?._id ?? null,
    documentTarget: launch.documentTarget,
    locale: launch.locale ?? 'en-GB',
    expiresAt: new Date(ctx.now().getTime() + HINT_TTL_MS),
  });
  const url = new URL(launch.registration.initiateLoginUri);
  url.searchParams.set('iss', ctx.urls.issuer);
  url.searchParams.set('login_hint', launch.person._id);
  url.searchParams.set('target_link_uri', targetLinkFor(launch.registration, launch.messageType, launch.resourceLink));
  url.searchParams.set('lti_message_hint', hint);
  url.searchParams.set('client_id', launch.registration._id);
  url.searchParams.set('lti_deployment_id', launch.registration.deploymentId);
  if (storageTarget) url.searchParams.set('lti_storage_target', storageTarget);
  return url.href;
}

/** The OIDC authentication request (Security Framework §5.1.1.2), from the query or the form body. */
export const AuthRequest = z.object({
  scope: z.literal('openid', { error: 'scope must be openid' }),
  response_type: z.literal('id_token', { error: 'response_type must be id_token' }),
  response_mode: z.literal('form_post', { error: 'response_mode must be form_post' }),
  prompt: z.literal('none', { error: 'prompt must be none' }),
  client_id: z.string().min(1, 'client_id is required'),
  redirect_uri: z.url({ error: 'redirect_uri must be a URL' }),
  login_hint: z.string().min(1, 'login_hint is required'),
  nonce: z.string().min(1, 'nonce is required').max(1024),
  state: z.string().max(4096).optional(),
  lti_message_hint: z.string().min(1, 'lti_message_hint is required'),
});
export type AuthRequest = z.infer<typeof AuthRequest>;

export interface AuthResponse {
  redirectUri: string;
  idToken: string;
  state: string | undefined;
}

const refuse = (status: number, code: string, message: string) => new AppError({ status, code, message });

/**
 * Validates the authentication request and signs the id_token.
 * `sessionPersonId` is the demo user signed in on this browser, when its cookie reached us (browsers may drop it
 * in the cross-site redirect chain of an iframe; then the unguessable, user-bound message hint alone vouches).
 * @throws AppError 400 invalid_request / unauthorized_client / invalid_redirect_uri, 403 login_hint_mismatch.
 */
export async function authenticate(ctx: DemoContext, raw: unknown, sessionPersonId: string | null): Promise<AuthResponse> {
  const parsed = AuthRequest.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      'The authentication request is not valid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const req = parsed.data;
  const registration = await ctx.models.Registration.findById(req.client_id).lean<DemoRegistrationDoc>();
  if (!registration) throw refuse(400, 'unauthorized_client', 'No tool is registered with this client_id.');
  // Security Framework §5.1.1.2: redirect_uri must be one the tool registered, compared exactly.
  if (!registration.redirectUris.includes(req.redirect_uri))
    throw refuse(400, 'invalid_redirect_uri', 'redirect_uri is not registered for this client.');
  const hint = await ctx.models.LaunchHint.findById(req.lti_message_hint).lean<DemoLaunchHintDoc>();
  if (!hint || hint.expiresAt <= ctx.now() || hint.clientId !== registration._id) {
    throw refuse(400, 'invalid_message_hint', 'lti_message_hint is unknown or expired: reload the course page.');
  }
  if (req.login_hint !== hint.personId)
    throw refuse(403, 'login_hint_mismatch', 'login_hint does not name the user this launch was made for.');
  if (sessionPersonId !== null && sessionPersonId !== req.login_hint) {
    throw refuse(403, 'login_hint_mismatch', 'login_hint is not the user signed in to the demo LMS.');
  }
  const [person, course, link] = await Promise.all([
    ctx.models.Person.findById(hint.personId).lean<DemoPersonDoc>(),
    ctx.models.Course.findById(hint.courseId).lean<DemoCourseDoc>(),
    hint.resourceLinkId ? ctx.models.ResourceLink.findById(hint.resourceLinkId).lean<DemoResourceLinkDoc>() : null,
  ]);
  if (!person || !course || (hint.resourceLinkId && !link))
    throw refuse(400, 'invalid_message_hint', 'The launch refers to data that no longer exists.');
  const claims = await launchClaims(
    ctx,
    {
      person,
      course,
      registration,
      messageType: hint.messageType,
      ...(link ? { resourceLink: link } : {}),
      documentTarget: hint.documentTarget,
      locale: hint.locale ?? 'en-GB',
    },
    hint._id,
  );
  const idToken = await signIdToken(ctx, { ...claims, nonce: req.nonce }, registration._id, person._id);
  return { redirectUri: req.redirect_uri, idToken, state: req.state };
}

/** Signs an id_token: RS256 with our kid, aud = azp = client_id, 5-minute lifetime. */
export async function signIdToken(
  ctx: DemoContext,
  claims: Record<string, unknown>,
  clientId: string,
  sub: string,
): Promise<string> {
  const key = await ctx.platformKey();
  const iat = Math.floor(ctx.now().getTime() / 1000);
  return new SignJWT({ ...claims, azp: clientId })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(ctx.urls.issuer)
    .setAudience(clientId)
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ID_TOKEN_TTL_S)
    .sign(key.privateKey);
}

/** Context roles of `person` in `course` plus their institution roles (full URIs). */
export function rolesOf(person: DemoPersonDoc, course: DemoCourseDoc): string[] {
  const membership = course.members.find((m) => m.personId === person._id)?.roles ?? [];
  return [...new Set([...membership, ...person.institutionRoles])];
}

/** Every claim of the launch except nonce and the registered JWT claims. */
export async function launchClaims(ctx: DemoContext, launch: LaunchRequest, dlData: string): Promise<Record<string, unknown>> {
  const { person, course, registration, resourceLink } = launch;
  const roles = rolesOf(person, course);
  const wantsClaim = (c: string) => registration.claims.length === 0 || registration.claims.includes(c);
  const courseCustom = course.custom ?? {};
  const linkCustom = resourceLink?.custom ?? {};
  const custom = substitute({ ...registration.customParameters, ...courseCustom, ...linkCustom }, ctx, launch, roles);
  const claims: Record<string, unknown> = {
    [Claim.messageType]: launch.messageType,
    [Claim.version]: '1.3.0',
    [Claim.deploymentId]: registration.deploymentId,
    [Claim.targetLinkUri]: targetLinkFor(registration, launch.messageType, resourceLink),
    [Claim.roles]: roles,
    [Claim.context]: { id: course._id, label: course.label, title: course.title, type: [COURSE_OFFERING] },
    [Claim.custom]: custom,
    [Claim.lis]: {
      person_sourcedid: `sis-${person._id}`,
      course_offering_sourcedid: `sis-${course._id}`,
      course_section_sourcedid: `sis-${course._id}-1`,
    },
    [Claim.launchPresentation]: {
      document_target: launch.documentTarget,
      locale: launch.locale ?? 'en-GB',
      return_url: ctx.urls.course(course._id),
    },
    [Claim.toolPlatform]: {
      guid: `${ctx.urls.origin}/demo`,
      name: 'Waymark demo LMS',
      product_family_code: PRODUCT_FAMILY_CODE,
      version: PLATFORM_VERSION,
      url: ctx.urls.issuer,
    },
  };
  if (wantsClaim('name')) claims.name = fullName(person);
  if (wantsClaim('given_name')) claims.given_name = person.givenName;
  if (wantsClaim('family_name')) claims.family_name = person.familyName;
  if (person.email && wantsClaim('email')) claims.email = person.email;
  if (person.mentees.length > 0 && roles.some((r) => r.endsWith('#Mentor'))) claims[Claim.roleScopeMentor] = person.mentees;

  if (launch.messageType === 'LtiResourceLinkRequest') {
    if (!resourceLink) throw new Error('a resource link launch needs a resource link');
    claims[Claim.resourceLink] = {
      id: resourceLink._id,
      title: resourceLink.title,
      ...(resourceLink.text ? { description: resourceLink.text } : {}),
    };
  } else {
    claims[Claim.deepLinkingSettings] = {
      deep_link_return_url: ctx.urls.deepLinkReturn,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      accept_lineitem: true,
      auto_create: true,
      title: 'Waymark activity',
      text: `Add to ${course.title}`,
      // Our own correlation value: the message hint names the user, course and registration of this request.
      data: dlData,
    };
  }

  const agsScopes = registration.scopes.filter((s) => AGS_SCOPES.includes(s));
  if (agsScopes.length > 0) {
    const lineItem = resourceLink
      ? await ctx.models.LineItem.findOne({ courseId: course._id, resourceLinkId: resourceLink._id })
          .sort({ createdAt: 1 })
          .lean()
      : null;
    claims[Claim.ags] = {
      scope: agsScopes,
      lineitems: ctx.urls.lineItems(course._id),
      ...(lineItem ? { lineitem: ctx.urls.lineItem(course._id, lineItem._id) } : {}),
    };
  }
  if (registration.scopes.includes(Scope.membershipReadonly)) {
    claims[Claim.nrps] = { context_memberships_url: ctx.urls.memberships(course._id), service_versions: ['2.0'] };
  }
  return claims;
}

/** Resolves `$Variable` custom parameter values we know; unknown ones pass through unchanged (LTI Core 1.3 §5.4.1). */
function substitute(
  custom: Record<string, string>,
  ctx: DemoContext,
  launch: LaunchRequest,
  roles: string[],
): Record<string, string> {
  const { person, course, resourceLink } = launch;
  const values: Record<string, string | undefined> = {
    'User.id': person._id,
    'User.username': person._id,
    'Person.name.full': fullName(person),
    'Person.name.given': person.givenName,
    'Person.name.family': person.familyName,
    'Person.email.primary': person.email ?? undefined,
    'Person.sourcedId': `sis-${person._id}`,
    'Context.id': course._id,
    'Context.title': course.title,
    'Context.label': course.label,
    'CourseOffering.sourcedId': `sis-${course._id}`,
    'CourseSection.sourcedId': `sis-${course._id}-1`,
    'ResourceLink.id': resourceLink?._id,
    'ResourceLink.title': resourceLink?.title,
    'ResourceLink.description': resourceLink?.text ?? undefined,
    'Membership.role': roles.join(','),
    'ToolPlatformInstance.guid': `${ctx.urls.origin}/demo`,
  };
  return Object.fromEntries(
    Object.entries(custom).map(([k, v]) => {
      if (!v.startsWith('$')) return [k, v];
      return [k, values[v.slice(1)] ?? v];
    }),
  );
}

/** The launchable resource links of a course for the current registration, creating the course placement link. */
export async function courseLinks(
  ctx: DemoContext,
  course: DemoCourseDoc,
): Promise<{ registration: DemoRegistrationDoc | null; links: DemoResourceLinkDoc[] }> {
  const registration = await currentRegistration(ctx);
  if (!registration) return { registration, links: [] };
  // One placement link per course and registration: a stable id makes concurrent renders agree.
  const placementId = `rl-${course._id}-${registration._id}`;
  await ctx.models.ResourceLink.updateOne(
    { _id: placementId },
    {
      $setOnInsert: {
        courseId: course._id,
        clientId: registration._id,
        title: 'Waymark',
        text: 'Careers programme',
        isPlacement: true,
        createdAt: ctx.now(),
      },
    },
    { upsert: true },
  );
  const links = await ctx.models.ResourceLink.find({ courseId: course._id, clientId: registration._id })
    .sort({ isPlacement: -1, createdAt: 1 })
    .lean<DemoResourceLinkDoc[]>();
  return { registration, links };
}
