/**
 * OAuth 2.0 client_credentials with a signed JWT assertion (Security Framework §4.1, RFC 7523),
 * for AGS and NRPS calls, plus the authorized-request helper both services use.
 *
 * Tokens are cached per (registration id, sorted scope set) until `refreshMarginMs` (default 60 s)
 * before they expire. The cache is injected ({@link TokenCache}); the default is an in-process Map,
 * which is right for a single server process (a token is cheap to re-obtain after a restart).
 * Concurrent requests for the same key share one token request.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { LtiServiceError, networkError, parseRetryAfter, serviceErrorFromResponse } from './errors.js';
import type { ToolSigner } from './keys.js';
import type { Clock, Fetch, PlatformRegistration } from './ports.js';

/** Service scopes (AGS 2.0 §3.1, NRPS 2.0 §3.6). Request only those a call needs. */
export const Scopes = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  contextMembershipReadonly: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

/** A cached access token. */
export interface CachedToken {
  accessToken: string;
  expiresAt: Date;
}

/** Token cache port. The default is in-memory; a shared cache (e.g. Mongo TTL collection) may be injected. */
export interface TokenCache {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
}

/** An in-memory {@link TokenCache}. */
export function createMemoryTokenCache(): TokenCache {
  const map = new Map<string, CachedToken>();
  return {
    get: (key) => Promise.resolve(map.get(key)),
    set: (key, token) => {
      map.set(key, token);
      return Promise.resolve();
    },
    delete: (key) => {
      map.delete(key);
      return Promise.resolve();
    },
  };
}

/** Dependencies of {@link createServiceTokenClient}. */
export interface ServiceTokenDeps {
  fetch: Fetch;
  clock: Clock;
  signer: ToolSigner;
  cache?: TokenCache;
  /** Renew this long before expiry. Default 60 000 ms. */
  refreshMarginMs?: number;
}

/** Obtains and caches platform access tokens. */
export interface ServiceTokenClient {
  /**
   * An access token for `scopes` on `registration`. Throws LtiServiceError `token_request_failed`
   * (retryable for 5xx/429), `network_error`, `invalid_response`; LtiError `no_signing_key`.
   */
  getToken(registration: PlatformRegistration, scopes: readonly string[]): Promise<string>;
  /** Forgets the cached token (after a 401 from a resource server). */
  invalidate(registration: PlatformRegistration, scopes: readonly string[]): Promise<void>;
}

/** Cache key for (registration, scopes): scope order does not matter. */
export function tokenCacheKey(registrationId: string, scopes: readonly string[]): string {
  return `${registrationId} ${[...new Set(scopes)].sort().join(' ')}`;
}

/**
 * Builds the client assertion JWT: iss = sub = client_id, aud = authTokenAudience ?? tokenUrl,
 * jti random, iat now, exp now + 5 min, signed RS256 with the current tool key (kid header).
 */
export async function buildClientAssertion(registration: PlatformRegistration, signer: ToolSigner, now: Date): Promise<string> {
  const key = await signer.signingKey();
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(registration.clientId)
    .setSubject(registration.clientId)
    .setAudience(registration.authTokenAudience ?? registration.tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(key.privateKey);
}

/** Creates a {@link ServiceTokenClient}. */
export function createServiceTokenClient(deps: ServiceTokenDeps): ServiceTokenClient {
  const cache = deps.cache ?? createMemoryTokenCache();
  const margin = deps.refreshMarginMs ?? 60_000;
  const inflight = new Map<string, Promise<string>>();

  async function request(registration: PlatformRegistration, scopes: readonly string[], key: string): Promise<string> {
    const now = deps.clock.now();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await buildClientAssertion(registration, deps.signer, now),
      scope: [...new Set(scopes)].join(' '),
    });
    let res: Response;
    try {
      res = await deps.fetch(registration.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
      });
    } catch (cause) {
      throw networkError(registration.tokenUrl, cause);
    }
    if (!res.ok) {
      const status = res.status;
      const retryable = status >= 500 || status === 429;
      throw new LtiServiceError({
        code: 'token_request_failed',
        message: `token endpoint answered ${status}`,
        status,
        url: registration.tokenUrl,
        retryable,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now),
      });
    }
    const json = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (!json || typeof json.access_token !== 'string' || json.access_token.length === 0) {
      throw new LtiServiceError({
        code: 'invalid_response',
        message: 'token response has no access_token',
        status: res.status,
        url: registration.tokenUrl,
        retryable: false,
      });
    }
    // Some platforms send expires_in as a string; without it, assume a short life (5 min).
    const expiresIn = Number(json.expires_in ?? 300);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 300) * 1000;
    await cache.set(key, { accessToken: json.access_token, expiresAt: new Date(now.getTime() + lifetimeMs) });
    return json.access_token;
  }

  return {
    async getToken(registration, scopes) {
      const key = tokenCacheKey(registration.id, scopes);
      const cached = await cache.get(key);
      if (cached && cached.expiresAt.getTime() - margin > deps.clock.now().getTime()) return cached.accessToken;
      const running = inflight.get(key);
      if (running) return running;
      const task = request(registration, scopes, key).finally(() => inflight.delete(key));
      inflight.set(key, task);
      return task;
    },
    async invalidate(registration, scopes) {
      await cache.delete(tokenCacheKey(registration.id, scopes));
    },
  };
}

/** Dependencies shared by the AGS and NRPS clients. */
export interface ServiceCallDeps {
  fetch: Fetch;
  clock: Clock;
  tokens: ServiceTokenClient;
}

/**
 * Performs an authorized request: Bearer token for `scopes`; on a 401, evicts the token and retries
 * once with a fresh one. Returns the OK response. Throws LtiServiceError (network_error,
 * rate_limited, service_unavailable, unauthorized, service_rejected, token_request_failed).
 */
export async function authorizedFetch(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  scopes: readonly string[],
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const token = await deps.tokens.getToken(registration, scopes);
    let res: Response;
    try {
      res = await deps.fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
    } catch (cause) {
      throw networkError(url, cause);
    }
    if (res.status === 401 && attempt === 0) {
      await deps.tokens.invalidate(registration, scopes);
      continue;
    }
    if (!res.ok) throw await serviceErrorFromResponse(res, url, deps.clock.now());
    return res;
  }
}

/** Reads a JSON body, throwing LtiServiceError `invalid_response` when it is not JSON. */
export async function readJson(res: Response, url: string): Promise<unknown> {
  try {
    return await res.json();
  } catch (cause) {
    throw new LtiServiceError({
      code: 'invalid_response',
      message: 'response is not JSON',
      status: res.status,
      url,
      retryable: false,
      cause,
    });
  }
}

/** Parses an RFC 8288 Link header and returns the URL with rel `rel` (e.g. "next"), if any. */
export function linkWithRel(header: string | null, rel: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const params = match[2] ?? '';
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(params);
    const value = (rels?.[1] ?? rels?.[2] ?? '').split(/\s+/);
    if (value.includes(rel)) return match[1];
  }
  return undefined;
}
