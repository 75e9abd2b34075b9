/**
 * Launch verification (LTI Core 1.3 §5, Security Framework 1.0 §5.1.3): the id_token form_post at
 * the tool's redirect_uri. {@link verifyLaunch} runs every check and returns a typed {@link Launch};
 * any refusal is an LtiError with a stable code.
 */
import { timingSafeEqual } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { z } from 'zod';
import {
  AgsEndpointClaim,
  Claim,
  ContextClaim,
  CustomClaim,
  DeepLinkingSettingsClaim,
  ForUserClaim,
  IdentityClaims,
  LaunchPresentationClaim,
  LisClaim,
  LTI_VERSION,
  MessageType,
  NrpsClaim,
  ResourceLinkClaim,
  RoleScopeMentorClaim,
  RolesClaim,
  ToolPlatformClaim,
} from './claims.js';
import { LtiError, type UnknownDeploymentData } from './errors.js';
import { isAllowedAlg, type JwksCache } from './jwks.js';
import { hashBindingSecret, stateCookieName, platformStorageKey, type ToolUrls } from './login.js';
import type {
  BrowserBindingKind,
  Clock,
  LoginState,
  LoginStateStore,
  NonceStore,
  PlatformRegistration,
  RegistrationStore,
} from './ports.js';
import { DEFAULT_ROLE_RULES, resolveRoles, type ResolvedRoles, type RoleRule } from './roles.js';

/** Default clock tolerance for exp/iat/nbf. Moodle's id_tokens live 60 s; 60 s of skew on top keeps
 * a slow platform-storage round trip working without accepting tokens minutes after expiry. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

/** Dependencies of {@link verifyLaunch}. */
export interface LaunchDeps {
  registrations: RegistrationStore;
  loginStates: LoginStateStore;
  nonces: NonceStore;
  jwks: JwksCache;
  clock: Clock;
  tool: ToolUrls;
  /** Skew allowed on exp/iat/nbf, 0–300 s. Default {@link DEFAULT_CLOCK_TOLERANCE_SECONDS}. */
  clockToleranceSeconds?: number;
  /** Role table (default DEFAULT_ROLE_RULES). */
  roleRules?: readonly RoleRule[];
}

/** The browser's proof that it started the login, matching the login's binding kind. */
export type BindingProof =
  | { kind: 'cookie'; /** value of the cookie named stateCookieName(state), if sent */ value: string | undefined }
  | { kind: 'platform_storage'; /** value read back with lti.get_data, if any */ value: string | undefined }
  | { kind: 'server_only' };

/** The launch form_post as received (untrusted). */
export interface LaunchRequest {
  idToken: unknown;
  state: unknown;
  binding: BindingProof;
}

/** How the adapter must collect the {@link BindingProof} for a pending launch. */
export type PendingBinding =
  | { kind: 'cookie'; cookieName: string }
  | { kind: 'platform_storage'; storageTarget: string; platformOrigin: string; key: string }
  | { kind: 'server_only' };

/** The tenant key: a school is identified by all three, never by the issuer alone. */
export interface TenantKey {
  issuer: string;
  clientId: string;
  deploymentId: string;
}

/** A verified, parsed launch. Personal data fields are present only when the platform sent them. */
export interface Launch {
  messageType: MessageType;
  tenant: TenantKey;
  registrationId: string;
  schoolId: string;
  user: {
    /** Platform user id; stable per platform registration. */
    sub: string;
    name?: string;
    givenName?: string;
    familyName?: string;
    email?: string;
    locale?: string;
  };
  roles: ResolvedRoles;
  /** User ids (subs) of the pupils a Mentor may see (role_scope_mentor). Empty otherwise. */
  mentorScope: string[];
  context?: { id: string; label?: string; title?: string; type: string[] };
  resourceLink?: { id: string; title?: string; description?: string };
  targetLinkUri: string;
  /** Custom parameters as strings. */
  custom: Record<string, string>;
  /** custom.year_group when the platform substituted it (a value still starting with `$` is dropped). */
  yearGroup?: string;
  ags?: { scope: string[]; lineItemsUrl?: string; lineItemUrl?: string };
  nrps?: { contextMembershipsUrl: string; serviceVersions: string[] };
  deepLinking?: DeepLinkingSettingsClaim;
  /** LtiSubmissionReviewRequest: the user whose submission is reviewed. */
  forUser?: ForUserClaim;
  platform?: ToolPlatformClaim;
  lis?: LisClaim;
  launchPresentation?: LaunchPresentationClaim;
  /** How the browser was bound; `server_only` means no binding: log it. */
  browserBinding: BrowserBindingKind;
  issuedAt: Date;
  expiresAt: Date;
}

function reject(
  code: ConstructorParameters<typeof LtiError>[0]['code'],
  reason: string,
  claim?: string,
  data?: UnknownDeploymentData,
): never {
  throw new LtiError({ code, reason, ...(claim ? { claim } : {}), ...(data ? { data } : {}) });
}

/**
 * Tells the adapter how to collect the binding proof for `state` without consuming it. Throws
 * LtiError `missing_state` or `unknown_state` (unknown, expired or already used).
 */
export async function describeLaunchBinding(deps: { loginStates: LoginStateStore }, state: unknown): Promise<PendingBinding> {
  if (typeof state !== 'string' || state.length === 0) reject('missing_state', 'The launch carries no state.', 'state');
  const record = await deps.loginStates.peek(state);
  if (!record) reject('unknown_state', 'This launch was not started here, has expired or was already used.', 'state');
  if (record.browserBindingKind === 'cookie') return { kind: 'cookie', cookieName: stateCookieName(state) };
  if (record.browserBindingKind === 'platform_storage') {
    return {
      kind: 'platform_storage',
      storageTarget: record.storageTarget ?? '_parent',
      platformOrigin: record.platformOrigin ?? '',
      key: platformStorageKey(state),
    };
  }
  return { kind: 'server_only' };
}

function sameSecret(value: string, expectedHash: string): boolean {
  const a = Buffer.from(hashBindingSecret(value));
  const b = Buffer.from(expectedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

function assertBinding(record: LoginState, proof: BindingProof): void {
  // Security Framework §5.1.1.5 / §7.3.1: state must be bound to the user agent that started login.
  if (proof.kind !== record.browserBindingKind)
    reject('state_mismatch', 'The launch did not come back through the browser that started it.', 'state');
  if (proof.kind === 'server_only') return;
  if (!proof.value || !record.bindingHash || !sameSecret(proof.value, record.bindingHash)) {
    reject('state_mismatch', 'The launch did not come back through the browser that started it.', 'state');
  }
}

function parseOptional<S extends z.ZodType>(
  schema: S,
  payload: Record<string, unknown>,
  claim: string,
  strict: boolean,
): z.output<S> | undefined {
  if (payload[claim] === undefined || payload[claim] === null) return undefined;
  const parsed = schema.safeParse(payload[claim]);
  if (parsed.success) return parsed.data;
  if (strict) reject('invalid_claim', `Claim ${claim} is malformed.`, claim);
  return undefined;
}

function parseRequired<S extends z.ZodType>(schema: S, payload: Record<string, unknown>, claim: string): z.output<S> {
  if (payload[claim] === undefined || payload[claim] === null)
    reject('missing_claim', `Required claim ${claim} is missing.`, claim);
  const parsed = schema.safeParse(payload[claim]);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') ?? '';
    const sub = path ? `${claim}.${path}` : claim;
    const missing = parsed.error.issues.some((i) => i.code === 'invalid_type' && i.message.includes('undefined'));
    reject(missing ? 'missing_claim' : 'invalid_claim', `Claim ${sub} is ${missing ? 'missing' : 'malformed'}.`, sub);
  }
  return parsed.data;
}

function strip<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/**
 * Verifies a launch form_post and returns the parsed {@link Launch}. In order:
 * state (present, known, single use, bound to the browser) → JOSE header (alg allow-list) →
 * platform key (JWKS by kid) and signature → iss, aud, azp → exp, iat, nbf → nonce (matches the
 * login, single use) → deployment id (known for this registration) → message type, version,
 * target_link_uri, required claims per message type.
 *
 * Throws LtiError with codes: missing_state, unknown_state, state_mismatch, malformed_token,
 * unsupported_alg, unknown_kid, jwks_unavailable, invalid_signature, unknown_registration,
 * invalid_issuer, invalid_audience, missing_azp, invalid_azp, missing_claim, token_expired,
 * iat_in_future, token_not_yet_valid, missing_nonce, nonce_mismatch, nonce_replayed,
 * missing_deployment_id, unknown_deployment (with {@link UnknownDeploymentData}),
 * invalid_message_type, invalid_version, invalid_claim.
 */
export async function verifyLaunch(deps: LaunchDeps, req: LaunchRequest): Promise<Launch> {
  const tolerance = Math.min(300, Math.max(0, deps.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS));
  if (typeof req.state !== 'string' || req.state.length === 0) reject('missing_state', 'The launch carries no state.', 'state');
  if (typeof req.idToken !== 'string' || req.idToken.length === 0)
    reject('malformed_token', 'The launch carries no id_token.', 'id_token');

  // Security Framework §5.1.1.5: state is single use; consume it before anything can fail later.
  const login = await deps.loginStates.consume(req.state);
  if (!login) reject('unknown_state', 'This launch was not started here, has expired or was already used.', 'state');
  assertBinding(login, req.binding);

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(req.idToken);
  } catch {
    reject('malformed_token', 'The id_token is not a compact JWS.', 'id_token');
  }
  // Security Framework §5.1.3 step 6: only the asymmetric algs the platform keys allow; never none/HS*.
  if (!isAllowedAlg(header.alg)) reject('unsupported_alg', `Signature algorithm ${String(header.alg)} is not accepted.`, 'alg');
  if (req.idToken.split('.').length !== 3) reject('malformed_token', 'The id_token is not a compact JWS.', 'id_token');

  const registration = await deps.registrations.findById(login.registrationId);
  if (!registration) reject('unknown_registration', 'The registration that started this launch no longer exists.', 'iss');
  // All schools sharing this client (usually one, several on Blackboard): the deployment decides below.
  const candidates = await deps.registrations.findByIssuerAndClientId(registration.issuer, registration.clientId);

  const key = await deps.jwks.getKey(registration.jwksUrl, {
    alg: header.alg,
    ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
  });
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(req.idToken, key, { algorithms: [header.alg] }));
  } catch {
    reject('invalid_signature', 'The id_token signature does not verify with the platform key.', 'id_token');
  }
  let payload: Record<string, unknown>;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(payloadBytes));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
    payload = json as Record<string, unknown>;
  } catch {
    reject('malformed_token', 'The id_token payload is not a JSON object.', 'id_token');
  }

  assertIdentity(payload, registration);
  const { iat, exp } = assertTimes(payload, deps.clock.now(), tolerance);
  await assertNonce(payload, login, deps.nonces, exp, tolerance);
  const { deploymentId, tenant } = assertDeployment(payload, registration, candidates);
  return buildLaunch({ payload, registration: tenant, deploymentId, login, deps, iat, exp });
}

function assertIdentity(payload: Record<string, unknown>, registration: PlatformRegistration): void {
  // Security Framework §5.1.3 steps 2–5.
  if (payload.iss !== registration.issuer) reject('invalid_issuer', 'The token issuer is not the registered platform.', 'iss');
  const aud = payload.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? aud : [];
  if (!audiences.includes(registration.clientId)) reject('invalid_audience', 'The token is not addressed to this tool.', 'aud');
  if (audiences.length > 1 && payload.azp === undefined)
    reject('missing_azp', 'A token with several audiences must name the authorized party.', 'azp');
  if (payload.azp !== undefined && payload.azp !== registration.clientId)
    reject('invalid_azp', 'The authorized party is not this tool.', 'azp');
}

function assertTimes(payload: Record<string, unknown>, now: Date, tolerance: number): { iat: number; exp: number } {
  const t = Math.floor(now.getTime() / 1000);
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number') reject('missing_claim', 'The token has no expiry.', 'exp');
  if (typeof iat !== 'number') reject('missing_claim', 'The token has no issue time.', 'iat');
  if (t > exp + tolerance) reject('token_expired', 'The launch token has expired.', 'exp');
  if (iat > t + tolerance) reject('iat_in_future', 'The launch token was issued in the future; check the platform clock.', 'iat');
  if (typeof nbf === 'number' && nbf > t + tolerance) reject('token_not_yet_valid', 'The launch token is not valid yet.', 'nbf');
  return { iat, exp };
}

async function assertNonce(
  payload: Record<string, unknown>,
  login: LoginState,
  nonces: NonceStore,
  exp: number,
  tolerance: number,
): Promise<void> {
  const nonce = payload.nonce;
  if (typeof nonce !== 'string' || nonce.length === 0) reject('missing_nonce', 'The token carries no nonce.', 'nonce');
  // Security Framework §5.1.3 step 9: the nonce is the one sent in the auth request, and used once.
  if (nonce !== login.nonce) reject('nonce_mismatch', 'The token nonce does not match this login.', 'nonce');
  if (!(await nonces.consume(nonce, new Date((exp + tolerance) * 1000))))
    reject('nonce_replayed', 'This launch token was already used.', 'nonce');
}

function assertDeployment(
  payload: Record<string, unknown>,
  registration: PlatformRegistration,
  candidates: readonly PlatformRegistration[],
): { deploymentId: string; tenant: PlatformRegistration } {
  const deploymentId = payload[Claim.deploymentId];
  if (typeof deploymentId !== 'string' || deploymentId.length === 0 || deploymentId.length > 255) {
    reject('missing_deployment_id', 'The token has no deployment id.', Claim.deploymentId);
  }
  // The tenant key is (issuer, client_id, deployment_id): the deployment decides the school.
  const owners = candidates.filter((r) => r.deploymentIds.includes(deploymentId));
  if (owners.length > 1)
    reject('ambiguous_registration', 'Several schools claim this deployment; an admin must resolve it.', Claim.deploymentId);
  const owner = owners[0];
  if (!owner) {
    const platform = ToolPlatformClaim.safeParse(payload[Claim.toolPlatform]);
    reject('unknown_deployment', 'This deployment of Waymark has not been claimed by a school yet.', Claim.deploymentId, {
      registrationId: registration.id,
      knownRegistrations: candidates.map((r) => ({ registrationId: r.id, schoolId: r.schoolId })),
      issuer: registration.issuer,
      clientId: registration.clientId,
      deploymentId,
      ...(platform.success
        ? {
            platformInstance: strip({
              guid: platform.data.guid,
              name: platform.data.name,
              productFamilyCode: platform.data.product_family_code,
            }),
          }
        : {}),
    });
  }
  return { deploymentId, tenant: owner };
}

function buildLaunch(input: {
  payload: Record<string, unknown>;
  registration: PlatformRegistration;
  deploymentId: string;
  login: LoginState;
  deps: LaunchDeps;
  iat: number;
  exp: number;
}): Launch {
  const { payload, registration, deploymentId, login, deps } = input;
  const rawType = payload[Claim.messageType];
  if (rawType === undefined) reject('missing_claim', 'The token has no message type.', Claim.messageType);
  const messageType = MessageType.safeParse(rawType);
  if (!messageType.success)
    reject(
      'invalid_message_type',
      `Message type ${typeof rawType === 'string' ? rawType : typeof rawType} is not supported here.`,
      Claim.messageType,
    );
  if (payload[Claim.version] !== LTI_VERSION) reject('invalid_version', 'Only LTI 1.3.0 launches are supported.', Claim.version);

  const targetLinkUri = payload[Claim.targetLinkUri];
  if (typeof targetLinkUri !== 'string') reject('missing_claim', 'The token has no target_link_uri.', Claim.targetLinkUri);
  let target: URL;
  try {
    target = new URL(targetLinkUri);
  } catch {
    reject('invalid_claim', 'target_link_uri is not a URL.', Claim.targetLinkUri);
  }
  // LTI Core §5.3.3 (via §4.1.1): same value as in the login initiation, so on this tool.
  if (target.origin !== new URL(deps.tool.origin).origin || target.href !== login.targetLinkUri) {
    reject('invalid_claim', 'target_link_uri differs from the login initiation.', Claim.targetLinkUri);
  }

  const identity = IdentityClaims.safeParse(payload);
  if (!identity.success)
    reject('invalid_claim', 'Identity claims are malformed.', identity.error.issues[0]?.path.join('.') ?? 'sub');
  const sub = identity.data.sub;
  if (!sub) reject('missing_claim', 'The token identifies no user (sub).', 'sub');
  const roles = parseRequired(RolesClaim, payload, Claim.roles);

  const type = messageType.data;
  const resourceLink =
    type === 'LtiDeepLinkingRequest'
      ? parseOptional(ResourceLinkClaim, payload, Claim.resourceLink, false)
      : parseRequired(ResourceLinkClaim, payload, Claim.resourceLink);
  const deepLinking =
    type === 'LtiDeepLinkingRequest' ? parseRequired(DeepLinkingSettingsClaim, payload, Claim.deepLinkingSettings) : undefined;
  const forUser = type === 'LtiSubmissionReviewRequest' ? parseRequired(ForUserClaim, payload, Claim.forUser) : undefined;

  const context = parseOptional(ContextClaim, payload, Claim.context, true);
  const custom = parseOptional(CustomClaim, payload, Claim.custom, true) ?? {};
  const ags = parseOptional(AgsEndpointClaim, payload, Claim.agsEndpoint, true);
  const nrps = parseOptional(NrpsClaim, payload, Claim.nrps, true);
  const mentorScope = parseOptional(RoleScopeMentorClaim, payload, Claim.roleScopeMentor, true) ?? [];
  const platform = parseOptional(ToolPlatformClaim, payload, Claim.toolPlatform, false);
  const lis = parseOptional(LisClaim, payload, Claim.lis, false);
  const launchPresentation = parseOptional(LaunchPresentationClaim, payload, Claim.launchPresentation, false);
  const yearGroup = custom.year_group?.trim();

  const user = strip({
    sub,
    name: identity.data.name,
    givenName: identity.data.given_name,
    familyName: identity.data.family_name,
    email: identity.data.email,
    locale: identity.data.locale ?? launchPresentation?.locale,
  });

  return {
    messageType: type,
    tenant: { issuer: registration.issuer, clientId: registration.clientId, deploymentId },
    registrationId: registration.id,
    schoolId: registration.schoolId,
    user,
    roles: resolveRoles(roles, deps.roleRules ?? DEFAULT_ROLE_RULES),
    mentorScope,
    ...(context
      ? { context: { ...strip({ id: context.id, label: context.label, title: context.title }), type: context.type ?? [] } }
      : {}),
    ...(resourceLink ? { resourceLink: strip({ ...resourceLink }) } : {}),
    targetLinkUri: target.href,
    custom,
    // Unsubstituted variables come through literally (e.g. "$Person.grade"): not a year group.
    ...(yearGroup && !yearGroup.startsWith('$') ? { yearGroup } : {}),
    ...(ags ? { ags: strip({ scope: ags.scope, lineItemsUrl: ags.lineitems, lineItemUrl: ags.lineitem }) } : {}),
    ...(nrps
      ? { nrps: { contextMembershipsUrl: nrps.context_memberships_url, serviceVersions: nrps.service_versions ?? [] } }
      : {}),
    ...(deepLinking ? { deepLinking } : {}),
    ...(forUser ? { forUser } : {}),
    ...(platform ? { platform } : {}),
    ...(lis ? { lis } : {}),
    ...(launchPresentation ? { launchPresentation } : {}),
    browserBinding: login.browserBindingKind,
    issuedAt: new Date(input.iat * 1000),
    expiresAt: new Date(input.exp * 1000),
  };
}
