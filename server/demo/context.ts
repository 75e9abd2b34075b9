/** What every demo platform service receives: configuration, models, URLs, the signing key and outbound fetch. */
import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { PlatformKey } from './keys.js';
import type { DemoModels, DemoRegistrationDoc } from './models.js';
import type { PlatformUrls } from './urls.js';

export interface DemoContext {
  config: Config;
  logger: Logger;
  models: DemoModels;
  urls: PlatformUrls;
  platformKey(): Promise<PlatformKey>;
  /** Resolves verification keys from a tool's registered JWKS URL. */
  toolKeys(jwksUri: string): JWTVerifyGetKey;
  fetch: typeof fetch;
  now(): Date;
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
export const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');

/** The registration launches use: the newest one (the demo registers Waymark once; a re-registration wins). */
export async function currentRegistration(ctx: Pick<DemoContext, 'models'>): Promise<DemoRegistrationDoc | null> {
  return ctx.models.Registration.findOne().sort({ createdAt: -1 }).lean<DemoRegistrationDoc>();
}

/**
 * Fetches tool JWKS documents with a 5-minute cache, refetching (at most every 10 s) when a token names a kid the
 * cached set lacks, so a tool's key rotation is picked up without a restart.
 */
export function toolKeyResolver(fetchFn: typeof fetch, now: () => number = Date.now): (jwksUri: string) => JWTVerifyGetKey {
  const cache = new Map<string, { at: number; keys: ReturnType<typeof createLocalJWKSet> }>();
  async function load(uri: string): Promise<ReturnType<typeof createLocalJWKSet>> {
    const res = await fetchFn(uri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`tool JWKS answered ${res.status}`);
    const keys = createLocalJWKSet((await res.json()) as JSONWebKeySet);
    cache.set(uri, { at: now(), keys });
    return keys;
  }
  return (uri) => async (header, token) => {
    const cached = cache.get(uri);
    const fresh = cached && now() - cached.at < 5 * 60_000 ? cached : undefined;
    const keys = fresh?.keys ?? (await load(uri));
    try {
      return await keys(header, token);
    } catch (err) {
      const missing = (err as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!missing || !fresh || now() - fresh.at < 10_000) throw err;
      return (await load(uri))(header, token);
    }
  };
}
