/**
 * The short-lived launch token the client holds in memory after an LTI launch and sends as a bearer header.
 * HS256 with a key derived from KEY_ENCRYPTION_SECRET, so every server process can verify it (stateless).
 */
import { hkdfSync } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES } from '../modules/people/model.js';

export const LAUNCH_TOKEN_TTL_SECONDS = 45 * 60;
const ISSUER = 'waymark';
const AUDIENCE = 'waymark-client';

export const LaunchClaims = z.object({
  /** Waymark user id. */
  sub: z.string(),
  /** School (tenant) id. */
  sch: z.string(),
  role: z.enum(ROLES),
  /** Class id of the launch context, when there is one. */
  cls: z.string().optional(),
  /** Resource link id (Waymark's), when the launch came through one. */
  rl: z.string().optional(),
  /** Deep-linking session id, for teacher content selection. */
  dl: z.string().optional(),
  lang: z.enum(['en', 'nl']),
});
export type LaunchClaims = z.infer<typeof LaunchClaims>;

export function launchTokenKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'waymark', 'launch-token-v1', 32));
}

export async function signLaunchToken(
  key: Uint8Array,
  claims: LaunchClaims,
  now: Date = new Date(),
  ttlSeconds = LAUNCH_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key);
  return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
}

/** Verifies a launch token; returns null when it is missing, malformed, forged or expired. */
export async function verifyLaunchToken(
  key: Uint8Array,
  token: string,
  now: Date = new Date(),
): Promise<(LaunchClaims & { exp: number }) | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    const claims = LaunchClaims.safeParse(payload);
    if (!claims.success || typeof payload.exp !== 'number') return null;
    return { ...claims.data, exp: payload.exp };
  } catch {
    return null;
  }
}
