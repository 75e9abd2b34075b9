/**
 * Platform JWKS: fetch, cache and select the key that verifies an id_token.
 *
 * - Cached per JWKS URL for `maxAgeMs` (default 1 h); a stale set is still used if a refresh fails.
 * - An unknown `kid` triggers one refetch, at most once per URL per `refetchCooldownMs`
 *   (default 10 s), so a flood of forged kids cannot turn the tool into a JWKS hammer.
 * - Keys without `alg` (Brightspace) are taken as RS256 when `kty` is RSA; the token header's alg
 *   must equal the key's declared or assumed alg.
 * - Only asymmetric JWS algs are allowed ({@link ALLOWED_JWS_ALGS}); `none` and HS* never reach here.
 */
import { importJWK, type JWK } from 'jose';
import { LtiError } from './errors.js';
import type { Clock, Fetch } from './ports.js';

/** Algorithms accepted on platform id_tokens. HS*, `none` and everything else are refused. */
export const ALLOWED_JWS_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
/** One of {@link ALLOWED_JWS_ALGS}. */
export type AllowedJwsAlg = (typeof ALLOWED_JWS_ALGS)[number];

/** True when `alg` is an allowed asymmetric JWS algorithm. */
export function isAllowedAlg(alg: unknown): alg is AllowedJwsAlg {
  return typeof alg === 'string' && (ALLOWED_JWS_ALGS as readonly string[]).includes(alg);
}

/** Options of {@link createJwksCache}. */
export interface JwksCacheOptions {
  fetch: Fetch;
  clock: Clock;
  /** Minimum time between two fetches of the same URL triggered by an unknown kid. Default 10 000 ms. */
  refetchCooldownMs?: number;
  /** How long a fetched set is used before a routine refresh. Default 3 600 000 ms. */
  maxAgeMs?: number;
}

/** Verification key lookup used by `verifyLaunch`. */
export interface JwksCache {
  /**
   * The key for (`jwksUrl`, header). Throws LtiError `unknown_kid` (no such key after the allowed
   * refetch, or no kid and not exactly one candidate), `unsupported_alg` (key/alg mismatch) or
   * `jwks_unavailable` (first fetch failed).
   */
  getKey(jwksUrl: string, header: { alg: AllowedJwsAlg; kid?: string }): Promise<CryptoKey | Uint8Array>;
  /** Number of network fetches per URL so far (for tests and metrics). */
  fetchCount(jwksUrl: string): number;
}

interface Entry {
  keys: JWK[];
  fetchedAt: number;
  lastAttemptAt: number;
  fetches: number;
  imported: Map<string, CryptoKey | Uint8Array>;
}

const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

function keyAlg(jwk: JWK): string | undefined {
  if (jwk.alg) return jwk.alg;
  // Brightspace publishes RSA keys without alg; every LMS signs id_tokens with RS256.
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv) return Object.entries(EC_CURVES).find(([, crv]) => crv === jwk.crv)?.[0];
  return undefined;
}

function isSigningKey(jwk: JWK): boolean {
  return (jwk.use === undefined || jwk.use === 'sig') && (jwk.kty === 'RSA' || jwk.kty === 'EC');
}

/** Creates a per-process JWKS cache. One instance should be shared by all launches. */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const cooldown = options.refetchCooldownMs ?? 10_000;
  const maxAge = options.maxAgeMs ?? 3_600_000;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry>>();

  async function load(url: string): Promise<Entry> {
    const running = inflight.get(url);
    if (running) return running;
    const previous = entries.get(url);
    const now = options.clock.now().getTime();
    if (previous) previous.lastAttemptAt = now;
    const task = (async () => {
      try {
        const res = await options.fetch(url, { headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
        const body = (await res.json()) as { keys?: unknown };
        if (!Array.isArray(body.keys)) throw new Error('JWKS has no keys array');
        const entry: Entry = {
          keys: body.keys.filter((k): k is JWK => typeof k === 'object' && k !== null),
          fetchedAt: now,
          lastAttemptAt: now,
          fetches: (previous?.fetches ?? 0) + 1,
          imported: new Map(),
        };
        entries.set(url, entry);
        return entry;
      } catch (cause) {
        if (previous) {
          previous.fetches += 1;
          return previous; // keep verifying with the stale set rather than failing every launch
        }
        entries.set(url, { keys: [], fetchedAt: -Infinity, lastAttemptAt: now, fetches: 1, imported: new Map() });
        throw new LtiError({
          code: 'jwks_unavailable',
          reason: 'The platform key set could not be fetched.',
          claim: 'kid',
          cause,
        });
      } finally {
        inflight.delete(url);
      }
    })();
    inflight.set(url, task);
    return task;
  }

  function select(entry: Entry, header: { alg: string; kid?: string }): JWK | undefined {
    const candidates = entry.keys.filter(isSigningKey);
    if (header.kid !== undefined) return candidates.find((k) => k.kid === header.kid);
    // No kid: acceptable only when the set leaves no choice.
    const compatible = candidates.filter((k) => keyAlg(k) === header.alg);
    return compatible.length === 1 ? compatible[0] : undefined;
  }

  return {
    fetchCount: (url) => entries.get(url)?.fetches ?? 0,
    async getKey(url, header) {
      const now = options.clock.now().getTime();
      let entry = entries.get(url);
      if (!entry) entry = await load(url);
      else if (entry.fetchedAt === -Infinity) {
        // The last fetch failed: retry only after the cooldown.
        if (now - entry.lastAttemptAt >= cooldown) entry = await load(url);
      } else if (now - entry.fetchedAt > maxAge) entry = await load(url);
      if (entry.fetchedAt === -Infinity) {
        throw new LtiError({ code: 'jwks_unavailable', reason: 'The platform key set could not be fetched.', claim: 'kid' });
      }
      let jwk = select(entry, header);
      if (!jwk && now - entry.lastAttemptAt >= cooldown) {
        // Security Framework §6.3: platforms rotate keys; refetch once on an unknown kid.
        entry = await load(url);
        jwk = select(entry, header);
      }
      if (!jwk) {
        throw new LtiError({
          code: 'unknown_kid',
          reason: 'The token was signed with a key the platform does not publish.',
          claim: 'kid',
        });
      }
      const alg = keyAlg(jwk);
      if (
        alg !== header.alg ||
        (jwk.kty === 'EC' && jwk.crv !== EC_CURVES[header.alg]) ||
        (jwk.kty === 'RSA' && header.alg.startsWith('ES'))
      ) {
        throw new LtiError({
          code: 'unsupported_alg',
          reason: `The token alg ${header.alg} does not match the platform key.`,
          claim: 'alg',
        });
      }
      const cacheKey = `${jwk.kid ?? ''}|${alg}`;
      const cached = entry.imported.get(cacheKey);
      if (cached) return cached;
      const { kid: _kid, use: _use, key_ops: _ops, ...material } = jwk;
      const key = await importJWK({ ...material, alg }, alg);
      entry.imported.set(cacheKey, key);
      return key;
    },
  };
}
