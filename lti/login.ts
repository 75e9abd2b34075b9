/**
 * OIDC third-party-initiated login (LTI Core 1.3 §4.1, Security Framework §5.1.1).
 *
 * The platform calls the tool's login URL (GET query or POST form) with iss, login_hint,
 * target_link_uri and optionally client_id, lti_deployment_id, lti_message_hint and
 * lti_storage_target. {@link initiateLogin} validates them, resolves the registration, saves a
 * single-use login state and answers with the platform authorization URL plus the browser binding
 * the adapter must establish before redirecting.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LtiError } from './errors.js';
import type { BrowserBindingKind, Clock, LoginState, LoginStateStore, PlatformRegistration, RegistrationStore } from './ports.js';

/** Where the tool lives. `launchUrl` is the redirect_uri registered with every platform. */
export interface ToolUrls {
  /** The tool's own origin, e.g. `https://waymark.example`. target_link_uri must be on it. */
  origin: string;
  /** The launch endpoint (redirect_uri), e.g. `https://waymark.example/lti/launch`. */
  launchUrl: string;
}

/** Dependencies of {@link initiateLogin}. */
export interface LoginDeps {
  registrations: RegistrationStore;
  loginStates: LoginStateStore;
  clock: Clock;
  tool: ToolUrls;
  /** Lifetime of a login state. Default 10 minutes. */
  loginStateTtlMs?: number;
}

/** Client-side postMessage message subjects (1EdTech LTI Client Side postMessages, platform storage). */
export const PostMessageSubject = {
  putData: 'lti.put_data',
  putDataResponse: 'lti.put_data.response',
  getData: 'lti.get_data',
  getDataResponse: 'lti.get_data.response',
  capabilities: 'lti.capabilities',
  capabilitiesResponse: 'lti.capabilities.response',
} as const;

/** The message a tool posts to `window.parent` (target origin '*') to ask the platform to close it. */
export const LTI_CLOSE_MESSAGE = { subject: 'org.imsglobal.lti.close' } as const;

/** Login initiation parameters, as received in the query string or the form body. */
export const LoginParams = z.object({
  iss: z.string().min(1).max(1024),
  login_hint: z.string().min(1).max(2048),
  target_link_uri: z.url({ protocol: /^https?$/ }),
  client_id: z.string().min(1).max(255).optional(),
  lti_deployment_id: z.string().min(1).max(255).optional(),
  lti_message_hint: z.string().min(1).max(4096).optional(),
  // A frame name (`_parent`, Canvas's `post_message_forwarding`); anything else is refused.
  lti_storage_target: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
/** The parsed value of the `LoginParams` schema. */
export type LoginParams = z.infer<typeof LoginParams>;

/** How the adapter binds the browser before redirecting to the platform. */
export type LoginBinding =
  | {
      kind: 'platform_storage';
      /** Frame name from lti_storage_target: `_parent` → window.parent, else window.parent.frames[name]. */
      storageTarget: string;
      /** postMessage targetOrigin: the origin of the platform's OIDC auth endpoint. */
      platformOrigin: string;
      /** Store `{ key, value }` with `lti.put_data`, wait for `lti.put_data.response`, then navigate. */
      key: string;
      value: string;
    }
  | {
      kind: 'cookie';
      cookie: { name: string; value: string; maxAgeSeconds: number; attributes: CookieAttributes; setCookieHeader: string };
    }
  | {
      kind: 'server_only';
      /** The adapter must log this and offer "open in a new window". */
      warning: 'no_browser_binding';
    };

/** Attributes of the state cookie: partitioned (CHIPS) so it survives third-party cookie blocking in the LMS iframe. */
export interface CookieAttributes {
  path: '/';
  httpOnly: true;
  secure: true;
  sameSite: 'none';
  partitioned: true;
}

/** Result of {@link initiateLogin}. */
export interface LoginInitiation {
  /** The platform authorization request URL (redirect or auto-navigate here). */
  redirectUrl: string;
  state: string;
  /** The registration whose endpoints were used. Not yet the school: that is decided at launch by the deployment id. */
  registration: PlatformRegistration;
  binding: LoginBinding;
  /** The unverified lti_deployment_id hint, for logging only. */
  deploymentIdHint?: string;
}

/** Options of {@link initiateLogin}. */
export interface LoginOptions {
  /**
   * `blocked` when the adapter has positively detected that this browser cannot keep the state
   * cookie (its cookie probe failed) and the platform offers no platform storage. Only then is the
   * `server_only` binding used. Default `available`.
   */
  cookies?: 'available' | 'blocked';
}

/** Name of the cookie carrying the browser-binding secret for `state`. */
export function stateCookieName(state: string): string {
  return `lti_state_${state}`;
}

/** Key under which the browser-binding secret is kept in platform storage. */
export function platformStorageKey(state: string): string {
  return `lti_state_${state}`;
}

/** SHA-256 (base64url) of a binding secret, as kept in {@link LoginState.bindingHash}. */
export function hashBindingSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function firstIssue(error: z.ZodError): { claim: string; message: string } {
  const issue = error.issues[0];
  return { claim: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid' };
}

/**
 * Resolves the registration whose endpoints a login initiation uses: by (iss, client_id) when
 * client_id is present, else by iss alone only when every registration with that issuer has the same
 * client id (Canvas cloud shares one issuer across schools, so the issuer alone never decides).
 * When several schools share the client (Blackboard), the one that claimed the `lti_deployment_id`
 * hint is preferred; the school is decided at launch from the signed deployment id anyway.
 * Throws LtiError `unknown_registration` or `ambiguous_registration`.
 */
export async function findLoginRegistration(
  registrations: RegistrationStore,
  iss: string,
  clientId: string | undefined,
  deploymentIdHint?: string,
): Promise<PlatformRegistration> {
  let candidates: PlatformRegistration[];
  if (clientId !== undefined) {
    candidates = await registrations.findByIssuerAndClientId(iss, clientId);
    if (candidates.length === 0) {
      throw new LtiError({
        code: 'unknown_registration',
        reason: 'This platform and client id are not registered with Waymark.',
        claim: 'client_id',
      });
    }
  } else {
    candidates = await registrations.findByIssuer(iss);
    if (candidates.length === 0)
      throw new LtiError({ code: 'unknown_registration', reason: 'This platform is not registered with Waymark.', claim: 'iss' });
    if (new Set(candidates.map((r) => r.clientId)).size > 1) {
      throw new LtiError({
        code: 'ambiguous_registration',
        reason: 'Several clients share this issuer; the platform must send client_id.',
        claim: 'client_id',
      });
    }
  }
  const hinted = deploymentIdHint ? candidates.find((r) => r.deploymentIds.includes(deploymentIdHint)) : undefined;
  return hinted ?? (candidates[0] as PlatformRegistration);
}

/**
 * Handles a login initiation. `raw` is the merged query/form parameters (strings).
 * Saves the login state (single use, TTL) through `deps.loginStates` and returns the auth URL and
 * binding. Throws LtiError `invalid_login_request` (bad or missing parameter, claim = its name),
 * `invalid_target_link_uri` (not on the tool's origin), `unknown_registration`,
 * `ambiguous_registration`.
 */
export async function initiateLogin(
  deps: LoginDeps,
  raw: Record<string, unknown>,
  options: LoginOptions = {},
): Promise<LoginInitiation> {
  const parsed = LoginParams.safeParse(raw);
  if (!parsed.success) {
    const { claim, message } = firstIssue(parsed.error);
    throw new LtiError({
      code: 'invalid_login_request',
      reason: `Login parameter ${claim} is missing or invalid (${message}).`,
      claim,
    });
  }
  const params = parsed.data;
  const target = new URL(params.target_link_uri);
  // Open-redirect guard: the launch may only land on the tool itself.
  if (target.origin !== new URL(deps.tool.origin).origin) {
    throw new LtiError({
      code: 'invalid_target_link_uri',
      reason: 'target_link_uri is not on this tool.',
      claim: 'target_link_uri',
    });
  }
  const registration = await findLoginRegistration(deps.registrations, params.iss, params.client_id, params.lti_deployment_id);

  const now = deps.clock.now();
  const state = randomToken();
  const nonce = randomToken();
  const platformOrigin = new URL(registration.authLoginUrl).origin;
  const kind: BrowserBindingKind = params.lti_storage_target
    ? 'platform_storage'
    : options.cookies === 'blocked'
      ? 'server_only'
      : 'cookie';
  const secret = kind === 'server_only' ? undefined : randomToken();
  const ttlMs = deps.loginStateTtlMs ?? 600_000;

  const record: LoginState = {
    nonce,
    registrationId: registration.id,
    targetLinkUri: target.href,
    browserBindingKind: kind,
    createdAt: now,
    ...(secret ? { bindingHash: hashBindingSecret(secret) } : {}),
    ...(kind === 'platform_storage' ? { storageTarget: params.lti_storage_target, platformOrigin } : {}),
    ...(params.lti_deployment_id ? { deploymentIdHint: params.lti_deployment_id } : {}),
  };
  await deps.loginStates.save(state, record, new Date(now.getTime() + ttlMs));

  // Security Framework §5.1.1.2 / LTI Core §4.1.2: the authentication request.
  const url = new URL(registration.authLoginUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: registration.clientId,
    redirect_uri: deps.tool.launchUrl,
    login_hint: params.login_hint,
    state,
    nonce,
    ...(params.lti_message_hint ? { lti_message_hint: params.lti_message_hint } : {}),
  };
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);

  let binding: LoginBinding;
  if (kind === 'platform_storage' && secret) {
    binding = {
      kind,
      storageTarget: params.lti_storage_target ?? '_parent',
      platformOrigin,
      key: platformStorageKey(state),
      value: secret,
    };
  } else if (kind === 'cookie' && secret) {
    const maxAgeSeconds = Math.ceil(ttlMs / 1000);
    const name = stateCookieName(state);
    binding = {
      kind,
      cookie: {
        name,
        value: secret,
        maxAgeSeconds,
        attributes: { path: '/', httpOnly: true, secure: true, sameSite: 'none', partitioned: true },
        setCookieHeader: `${name}=${secret}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=None; Partitioned`,
      },
    };
  } else {
    binding = { kind: 'server_only', warning: 'no_browser_binding' };
  }
  return {
    redirectUrl: url.href,
    state,
    registration,
    binding,
    ...(params.lti_deployment_id ? { deploymentIdHint: params.lti_deployment_id } : {}),
  };
}
