/**
 * Partner credentials for the Statement API: a random key and secret, the secret kept only as an scrypt hash and
 * compared in constant time. Each credential belongs to one school, has read and/or write rights, and a scope.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Models } from '../../db/models.js';
import { AppError, notFound } from '../../errors.js';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scrypt(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

export interface LrsCredential {
  key: string;
  schoolId: string;
  scope: 'all' | 'shared';
  partnerId?: string;
  read: boolean;
  write: boolean;
  label?: string;
}

export interface CreateCredentialInput {
  schoolId: string;
  scope: 'all' | 'shared';
  partnerId?: string;
  read: boolean;
  write: boolean;
  label?: string;
}

/**
 * Creates a credential and returns its secret (shown once; only its hash is stored).
 * @throws AppError 404 when the school does not exist, 400 when shared scope lacks a partner or no right is given.
 */
export async function createCredential(models: Models, input: CreateCredentialInput): Promise<{ key: string; secret: string }> {
  const school = await models.School.findById(input.schoolId).lean();
  if (!school) throw notFound('school');
  if (input.scope === 'shared' && !input.partnerId)
    throw new AppError({ status: 400, code: 'partner_required', message: 'A shared credential needs --partner <id>.' });
  if (!input.read && !input.write)
    throw new AppError({ status: 400, code: 'rights_required', message: 'Give the credential --read, --write or both.' });
  const key = `wm_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  await models.LrsCredential.create({
    key,
    secretHash: await hashSecret(secret),
    schoolId: input.schoolId,
    scope: input.scope,
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    read: input.read,
    write: input.write,
    ...(input.label ? { label: input.label } : {}),
  });
  return { key, secret };
}

export async function listCredentials(models: Models, schoolId?: string) {
  const docs = await models.LrsCredential.find(schoolId ? { schoolId } : {})
    .sort({ createdAt: 1 })
    .lean();
  return docs.map((d) => ({
    key: d.key,
    schoolId: d.schoolId,
    scope: d.scope,
    partnerId: d.partnerId ?? null,
    read: d.read,
    write: d.write,
    label: d.label ?? null,
    createdAt: (d as { createdAt?: Date }).createdAt?.toISOString() ?? null,
    revokedAt: d.revokedAt?.toISOString() ?? null,
  }));
}

/** @throws AppError 404 when no such key. */
export async function revokeCredential(models: Models, key: string): Promise<{ key: string; revokedAt: string }> {
  const revokedAt = new Date();
  const doc = await models.LrsCredential.findOneAndUpdate({ key }, { $set: { revokedAt } }, { returnDocument: 'after' }).lean();
  if (!doc) throw notFound('credential');
  return { key, revokedAt: (doc.revokedAt ?? revokedAt).toISOString() };
}

// Verified secrets, remembered briefly by digest so a busy partner does not pay scrypt on every request. The
// credential itself (revocation, rights) is read from the database each time.
const verified = new Map<string, number>();
const VERIFIED_TTL_MS = 5 * 60_000;
let dummyHash: Promise<string> | undefined;

/**
 * Resolves HTTP Basic credentials to an active credential, or undefined. Unknown keys still cost one scrypt, so
 * timing does not tell which keys exist.
 */
export async function authenticateCredential(models: Models, key: string, secret: string): Promise<LrsCredential | undefined> {
  const doc = await models.LrsCredential.findOne({ key }).lean();
  if (!doc || doc.revokedAt) {
    dummyHash ??= hashSecret('not-a-secret');
    await verifySecret(secret, await dummyHash);
    return undefined;
  }
  const digest = createHash('sha256').update(`${doc.secretHash}\0${secret}`).digest('base64url');
  const until = verified.get(digest);
  if (!until || until < Date.now()) {
    if (!(await verifySecret(secret, doc.secretHash))) return undefined;
    if (verified.size > 10_000) verified.clear();
    verified.set(digest, Date.now() + VERIFIED_TTL_MS);
  }
  return {
    key: doc.key,
    schoolId: doc.schoolId,
    scope: doc.scope,
    ...(doc.partnerId ? { partnerId: doc.partnerId } : {}),
    read: doc.read,
    write: doc.write,
    ...(doc.label ? { label: doc.label } : {}),
  };
}
