/**
 * Errors raised by the LTI core.
 *
 * - {@link LtiError}: a message from a platform (login initiation, launch, deep linking request,
 *   registration) was refused. It carries a stable snake_case `code`, the HTTP status the adapter
 *   should answer with (400 or 401), a short human `reason` and the claim or parameter concerned.
 * - {@link LtiServiceError}: an outbound call to a platform service (token endpoint, AGS, NRPS,
 *   dynamic registration endpoint) failed. It says whether a retry may succeed, for durable queues.
 */

/** Every code an {@link LtiError} can carry. Stable: adapters and tests switch on these strings. */
export const LtiErrorCodes = [
  // login initiation
  'invalid_login_request',
  'unknown_registration',
  'ambiguous_registration',
  'invalid_target_link_uri',
  // launch: state and browser binding
  'missing_state',
  'unknown_state',
  'state_mismatch',
  // launch: JOSE
  'malformed_token',
  'unsupported_alg',
  'unknown_kid',
  'invalid_signature',
  'jwks_unavailable',
  // launch: claims
  'invalid_issuer',
  'invalid_audience',
  'missing_azp',
  'invalid_azp',
  'token_expired',
  'iat_in_future',
  'token_not_yet_valid',
  'missing_nonce',
  'nonce_mismatch',
  'nonce_replayed',
  'missing_deployment_id',
  'unknown_deployment',
  'invalid_message_type',
  'invalid_version',
  'missing_claim',
  'invalid_claim',
  // deep linking response
  'deep_linking_not_accepted',
  // tool keys
  'no_signing_key',
  'key_decryption_failed',
  // dynamic registration
  'invalid_platform_configuration',
  'registration_refused',
] as const;

/** A stable LTI error code (see {@link LtiErrorCodes}). */
export type LtiErrorCode = (typeof LtiErrorCodes)[number];

/** Data an adapter needs to record a pending deployment for a school admin to claim. */
export interface UnknownDeploymentData {
  /** The registration that verified the token (its endpoints); not necessarily the owning school. */
  registrationId: string;
  /** Registrations (and their schools) already holding this (issuer, client_id): likely claimants. */
  knownRegistrations: { registrationId: string; schoolId: string }[];
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** Platform instance guid/name from the verified token, to help the admin recognise it. */
  platformInstance?: { guid?: string; name?: string; productFamilyCode?: string };
}

/** Constructor input of {@link LtiError}. */
export interface LtiErrorInit {
  code: LtiErrorCode;
  /** Short human reason; safe to show on the 4xx page (never contains token contents). */
  reason: string;
  /** HTTP status for the adapter's answer. Defaults to 401 for signature/identity failures, else 400. */
  status?: 400 | 401;
  /** The claim or parameter concerned, e.g. `aud`, `https://purl.imsglobal.org/spec/lti/claim/version`. */
  claim?: string;
  /** Structured data for specific codes (e.g. {@link UnknownDeploymentData} for `unknown_deployment`). */
  data?: UnknownDeploymentData | Record<string, unknown>;
  cause?: unknown;
}

const UNAUTHENTICATED: ReadonlySet<LtiErrorCode> = new Set<LtiErrorCode>([
  'unknown_state',
  'state_mismatch',
  'malformed_token',
  'unsupported_alg',
  'unknown_kid',
  'invalid_signature',
  'invalid_issuer',
  'invalid_audience',
  'missing_azp',
  'invalid_azp',
  'token_expired',
  'iat_in_future',
  'token_not_yet_valid',
  'missing_nonce',
  'nonce_mismatch',
  'nonce_replayed',
  'unknown_deployment',
  'jwks_unavailable',
]);

/**
 * A refused LTI message. `status` is 401 when the sender's identity or the token's integrity could
 * not be established, 400 when the message is authentic but unusable (wrong type, missing claim).
 */
export class LtiError extends Error {
  override readonly name = 'LtiError';
  readonly code: LtiErrorCode;
  readonly status: 400 | 401;
  readonly reason: string;
  readonly claim: string | undefined;
  readonly data: LtiErrorInit['data'];

  constructor(init: LtiErrorInit) {
    super(`${init.code}: ${init.reason}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.reason = init.reason;
    this.status = init.status ?? (UNAUTHENTICATED.has(init.code) ? 401 : 400);
    this.claim = init.claim;
    this.data = init.data;
  }

  /** A JSON-safe view for the adapter's error body or log line (no token contents). */
  toJSON(): { code: LtiErrorCode; status: number; reason: string; claim?: string } {
    return { code: this.code, status: this.status, reason: this.reason, ...(this.claim ? { claim: this.claim } : {}) };
  }
}

/** True when `err` is an {@link LtiError}, optionally with the given code. */
export function isLtiError(err: unknown, code?: LtiErrorCode): err is LtiError {
  return err instanceof LtiError && (code === undefined || err.code === code);
}

/** Every code an {@link LtiServiceError} can carry. */
export type LtiServiceErrorCode =
  | 'network_error'
  | 'rate_limited'
  | 'service_unavailable'
  | 'service_rejected'
  | 'unauthorized'
  | 'invalid_response'
  | 'token_request_failed';

/** Constructor input of {@link LtiServiceError}. */
export interface LtiServiceErrorInit {
  code: LtiServiceErrorCode;
  message: string;
  /** Upstream HTTP status, absent for network failures. */
  status?: number;
  /** The URL called (no query secrets are ever added by this library). */
  url: string;
  retryable: boolean;
  /** Milliseconds to wait before retrying, from `Retry-After` when present. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An outbound platform-service call failed. `retryable` is true for network errors, 5xx and 429
 * (with `retryAfterMs` from `Retry-After`). Other 4xx are permanent, including a 401 that persists
 * after the client evicted its cached token and retried once with a fresh one.
 */
export class LtiServiceError extends Error {
  override readonly name = 'LtiServiceError';
  readonly code: LtiServiceErrorCode;
  readonly status: number | undefined;
  readonly url: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: LtiServiceErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.url = init.url;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Parses a `Retry-After` header (delta-seconds or HTTP-date) into milliseconds from `now`.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * Builds the {@link LtiServiceError} for a non-2xx response. Does not read the body beyond a short
 * excerpt for the message.
 */
export async function serviceErrorFromResponse(res: Response, url: string, now: Date): Promise<LtiServiceError> {
  let excerpt = '';
  try {
    excerpt = (await res.text()).slice(0, 200);
  } catch {
    // body unreadable: the status is enough
  }
  const status = res.status;
  const base = { status, url, message: `${status} from ${new URL(url).origin}${excerpt ? `: ${excerpt}` : ''}` };
  if (status === 429) {
    return new LtiServiceError({
      ...base,
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now),
    });
  }
  if (status >= 500) {
    return new LtiServiceError({
      ...base,
      code: 'service_unavailable',
      retryable: true,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now),
    });
  }
  // The service clients already retried once with a fresh token; a second 401 is a configuration problem.
  if (status === 401) return new LtiServiceError({ ...base, code: 'unauthorized', retryable: false });
  return new LtiServiceError({ ...base, code: 'service_rejected', retryable: false });
}

/** Wraps a thrown fetch failure (DNS, reset, abort) as a retryable {@link LtiServiceError}. */
export function networkError(url: string, cause: unknown): LtiServiceError {
  return new LtiServiceError({
    code: 'network_error',
    message: `network error calling ${new URL(url).origin}`,
    url,
    retryable: true,
    cause,
  });
}
