/**
 * Tool keys: RS256 key pairs the tool signs with (deep linking responses, client assertions).
 *
 * - Private keys are sealed with AES-256-GCM under a key derived by HKDF-SHA256 from the configured
 *   secret (≥ 32 characters of randomness, e.g. `openssl rand -base64 32`) and a per-key random
 *   salt; the kid is bound as additional authenticated data, so a sealed key cannot be swapped
 *   onto another record. Plaintext private keys are never returned by the store port.
 * - Rotation: `next` (published, not signing) → `current` (signing) → `retiring` (published until
 *   the tokens it signed have expired) → `retired` (no longer published). {@link planKeyRotation}
 *   is a pure function of (keys, now, policy); {@link rotateToolKeys} applies its plan to the store.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { LtiError } from './errors.js';
import type { Clock, JsonWebKeyPublic, ToolKeyRecord, ToolKeyStatus, ToolKeyStore } from './ports.js';

/** The only alg the tool signs with: RS256 is what every LMS accepts. */
export const TOOL_KEY_ALG = 'RS256';
const SEAL_VERSION = 'v1';
const HKDF_INFO = 'waymark/lti/tool-private-key/v1';
const MIN_SECRET_LENGTH = 32;

function b64(buf: Uint8Array): string {
  return Buffer.from(buf).toString('base64url');
}

function deriveKey(secret: string, salt: Buffer): Buffer {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new LtiError({
      code: 'key_decryption_failed',
      reason: `The key-encryption secret must be at least ${MIN_SECRET_LENGTH} characters.`,
    });
  }
  return Buffer.from(hkdfSync('sha256', secret, salt, HKDF_INFO, 32));
}

/**
 * Seals `plaintext` (a private JWK as JSON) with AES-256-GCM. `kid` is authenticated, not encrypted.
 * Returns `v1.<salt>.<iv>.<ciphertext>.<tag>` (base64url). Throws LtiError `key_decryption_failed`
 * if the secret is shorter than 32 characters.
 */
export function encryptPrivateKey(plaintext: string, secret: string, kid: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [SEAL_VERSION, b64(salt), b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
}

/**
 * Opens a value sealed by {@link encryptPrivateKey}. Throws LtiError `key_decryption_failed` when
 * the secret is wrong, the kid differs, or any byte was altered (GCM tag mismatch).
 */
export function decryptPrivateKey(sealed: string, secret: string, kid: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== SEAL_VERSION) {
    throw new LtiError({ code: 'key_decryption_failed', reason: 'Sealed key has an unknown format.' });
  }
  const [, salt, iv, ciphertext, tag] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer, Buffer];
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (cause) {
    if (cause instanceof LtiError) throw cause;
    throw new LtiError({
      code: 'key_decryption_failed',
      reason: 'Sealed key could not be decrypted (wrong secret or tampered).',
      cause,
    });
  }
}

/**
 * Generates an RSA-2048 RS256 key pair and returns the record to store: kid = RFC 7638 thumbprint,
 * public JWK in clear, private JWK sealed with `secret`. Throws LtiError `key_decryption_failed`
 * for a short secret.
 */
export async function generateToolKey(input: {
  status: 'next' | 'current';
  secret: string;
  clock: Clock;
}): Promise<ToolKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(TOOL_KEY_ALG, { modulusLength: 2048, extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const priv = await exportJWK(privateKey);
  const now = input.clock.now();
  return {
    kid,
    status: input.status,
    publicJwk: { kty: 'RSA', n: pub.n, e: pub.e, kid, alg: TOOL_KEY_ALG, use: 'sig' },
    encryptedPrivateKey: encryptPrivateKey(JSON.stringify(priv), input.secret, kid),
    createdAt: now,
    statusChangedAt: now,
  };
}

const PUBLISHED: readonly ToolKeyStatus[] = ['next', 'current', 'retiring'];

/** The tool's JWKS document: public keys of `next`, `current` and `retiring` keys. Never throws. */
export function publishToolJwks(keys: readonly ToolKeyRecord[]): { keys: JsonWebKeyPublic[] } {
  return {
    keys: keys
      .filter((k) => PUBLISHED.includes(k.status))
      .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: TOOL_KEY_ALG, use: 'sig' })),
  };
}

/** Rotation timing. */
export interface RotationPolicy {
  /** How long a key signs before it is replaced. Default 90 days. */
  rotateAfterMs: number;
  /** How long a `next` key is published before it may sign (platforms cache tool JWKS). Default 48 h. */
  publishAheadMs: number;
  /** How long a `retiring` key stays published; must exceed the lifetime of tokens it signed. Default 24 h. */
  retainRetiringMs: number;
}

/** Default {@link RotationPolicy}. */
export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  rotateAfterMs: 90 * 24 * 3_600_000,
  publishAheadMs: 48 * 3_600_000,
  retainRetiringMs: 24 * 3_600_000,
};

/** One action of a rotation plan. */
export type RotationStep =
  { type: 'generate'; status: 'next' | 'current' } | { type: 'set_status'; kid: string; from: ToolKeyStatus; to: ToolKeyStatus };

function newest(keys: readonly ToolKeyRecord[]): ToolKeyRecord | undefined {
  return [...keys].sort((a, b) => b.statusChangedAt.getTime() - a.statusChangedAt.getTime())[0];
}

/**
 * Decides what rotation is due at `now`. Pure. Rules:
 * - no current key: promote the newest `next` if any (better than not signing), else generate a `current`;
 * - extra `current` keys (a race) other than the newest become `retiring`;
 * - current key older than rotateAfter − publishAhead and no `next`: generate a `next`;
 * - current key older than rotateAfter and `next` published ≥ publishAhead: next → current, current → retiring;
 * - `retiring` for ≥ retainRetiring: → `retired`.
 */
export function planKeyRotation(
  keys: readonly ToolKeyRecord[],
  now: Date,
  policy: RotationPolicy = DEFAULT_ROTATION_POLICY,
): RotationStep[] {
  const t = now.getTime();
  const steps: RotationStep[] = [];
  const currents = keys.filter((k) => k.status === 'current');
  const current = newest(currents);
  const next = newest(keys.filter((k) => k.status === 'next'));
  for (const extra of currents) {
    if (extra !== current) steps.push({ type: 'set_status', kid: extra.kid, from: 'current', to: 'retiring' });
  }
  if (!current) {
    steps.push(
      next ? { type: 'set_status', kid: next.kid, from: 'next', to: 'current' } : { type: 'generate', status: 'current' },
    );
  } else {
    const age = t - current.statusChangedAt.getTime();
    if (!next && age >= policy.rotateAfterMs - policy.publishAheadMs) steps.push({ type: 'generate', status: 'next' });
    if (next && age >= policy.rotateAfterMs && t - next.statusChangedAt.getTime() >= policy.publishAheadMs) {
      steps.push({ type: 'set_status', kid: next.kid, from: 'next', to: 'current' });
      steps.push({ type: 'set_status', kid: current.kid, from: 'current', to: 'retiring' });
    }
  }
  for (const k of keys) {
    if (k.status === 'retiring' && t - k.statusChangedAt.getTime() >= policy.retainRetiringMs) {
      steps.push({ type: 'set_status', kid: k.kid, from: 'retiring', to: 'retired' });
    }
  }
  return steps;
}

/**
 * Applies {@link planKeyRotation} to the store (run it at startup and from a daily job). Returns
 * the steps applied. Throws whatever the store throws, or LtiError `key_decryption_failed` for a
 * short secret.
 */
export async function rotateToolKeys(deps: {
  keys: ToolKeyStore;
  clock: Clock;
  secret: string;
  policy?: RotationPolicy;
}): Promise<RotationStep[]> {
  const now = deps.clock.now();
  const steps = planKeyRotation(await deps.keys.list(), now, deps.policy);
  for (const step of steps) {
    if (step.type === 'generate')
      await deps.keys.insert(await generateToolKey({ status: step.status, secret: deps.secret, clock: deps.clock }));
    else await deps.keys.setStatus(step.kid, step.to, now);
  }
  return steps;
}

/** The key the tool signs with right now. */
export interface SigningKey {
  kid: string;
  alg: typeof TOOL_KEY_ALG;
  privateKey: CryptoKey;
}

/** Produces the current signing key (decrypted once per kid, then cached in memory). */
export interface ToolSigner {
  /** Throws LtiError `no_signing_key` when no key is `current`, `key_decryption_failed` on a bad secret. */
  signingKey(): Promise<SigningKey>;
}

/** Creates a {@link ToolSigner} over the key store. */
export function createToolSigner(deps: { keys: ToolKeyStore; secret: string }): ToolSigner {
  const cache = new Map<string, CryptoKey>();
  return {
    async signingKey() {
      const current = newest((await deps.keys.list()).filter((k) => k.status === 'current'));
      if (!current)
        throw new LtiError({ code: 'no_signing_key', reason: 'The tool has no current signing key; run key rotation.' });
      let privateKey = cache.get(current.kid);
      if (!privateKey) {
        const jwk = JSON.parse(decryptPrivateKey(current.encryptedPrivateKey, deps.secret, current.kid)) as JWK;
        privateKey = (await importJWK(jwk, TOOL_KEY_ALG)) as CryptoKey;
        cache.set(current.kid, privateKey);
      }
      return { kid: current.kid, alg: TOOL_KEY_ALG, privateKey };
    },
  };
}
