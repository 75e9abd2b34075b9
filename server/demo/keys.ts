/**
 * The demo platform's RS256 signing key. Generated once and stored in `demo_keys`; the private JWK is encrypted
 * with AES-256-GCM under a key derived (HKDF) from KEY_ENCRYPTION_SECRET, as the tool's own keys are.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { DemoModels } from './models.js';

export interface PlatformKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const KEY_ID = 'platform';

function aesKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'waymark-demo-lms', 'platform signing key', 32));
}

export function encryptJson(secret: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function decryptJson(secret: string, sealed: string): unknown {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('demo key: malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', aesKey(secret), iv);
  decipher.setAuthTag(tag);
  return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'));
}

/**
 * Loads the platform key, creating it on first use. Several processes may race: `$setOnInsert` makes the first
 * writer win and everyone reads the stored key back.
 */
export async function loadPlatformKey(models: DemoModels, secret: string): Promise<PlatformKey> {
  let doc = await models.Key.findById(KEY_ID).lean();
  if (!doc) {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const kid = `demo-${randomUUID()}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
    await models.Key.updateOne(
      { _id: KEY_ID },
      { $setOnInsert: { kid, publicJwk, encryptedPrivateJwk: encryptJson(secret, privateJwk), createdAt: new Date() } },
      { upsert: true },
    );
    doc = await models.Key.findById(KEY_ID).lean();
    if (!doc) throw new Error('demo key: could not store the platform key');
  }
  const privateJwk = decryptJson(secret, doc.encryptedPrivateJwk) as JWK;
  const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
  return { kid: doc.kid, privateKey, publicJwk: doc.publicJwk };
}

/** Caches the key per router: loading decrypts and imports, which is not free. */
export function platformKeyCache(models: DemoModels, secret: string): () => Promise<PlatformKey> {
  let pending: Promise<PlatformKey> | undefined;
  return () => {
    pending ??= loadPlatformKey(models, secret).catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
