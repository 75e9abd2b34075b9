import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createToolSigner,
  decryptPrivateKey,
  DEFAULT_ROTATION_POLICY,
  encryptPrivateKey,
  generateToolKey,
  LtiError,
  planKeyRotation,
  publishToolJwks,
  rotateToolKeys,
} from '../../../lti/index.js';
import { manualClock, memoryToolKeys } from '../../support/platform.js';

const SECRET = 'k3y-encryption-secret-for-tests-0123456789';
const DAY = 24 * 3_600_000;

describe('private key encryption', () => {
  it('round-trips and never stores the plaintext', () => {
    const sealed = encryptPrivateKey('{"d":"very-private"}', SECRET, 'kid-1');
    expect(sealed).not.toContain('very-private');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(decryptPrivateKey(sealed, SECRET, 'kid-1')).toBe('{"d":"very-private"}');
    expect(encryptPrivateKey('{"d":"very-private"}', SECRET, 'kid-1')).not.toBe(sealed); // fresh salt and iv
  });

  it('detects tampering, a wrong secret and a swapped kid', () => {
    const sealed = encryptPrivateKey('{"d":"very-private"}', SECRET, 'kid-1');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    const tampered = [parts[0], parts[1], parts[2], ct.toString('base64url'), parts[4]].join('.');
    for (const attempt of [
      () => decryptPrivateKey(tampered, SECRET, 'kid-1'),
      () => decryptPrivateKey(sealed, `${SECRET}x`, 'kid-1'),
      () => decryptPrivateKey(sealed, SECRET, 'kid-2'),
      () => decryptPrivateKey('v0.garbage', SECRET, 'kid-1'),
    ]) {
      expect(attempt).toThrow(LtiError);
      try {
        attempt();
      } catch (err) {
        expect((err as LtiError).code).toBe('key_decryption_failed');
      }
    }
  });

  it('refuses a short secret', () => {
    expect(() => encryptPrivateKey('x', 'short', 'kid')).toThrow(/at least 32/);
  });
});

describe('tool keys', () => {
  it('generates RS256 keys whose private part is sealed and whose kid is the thumbprint', async () => {
    const key = await generateToolKey({ status: 'current', secret: SECRET, clock: manualClock() });
    expect(key.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: key.kid });
    expect(JSON.stringify(key.publicJwk)).not.toContain('"d"');
    expect(JSON.parse(decryptPrivateKey(key.encryptedPrivateKey, SECRET, key.kid))).toHaveProperty('d');
    expect(Buffer.from(key.publicJwk.n!, 'base64url').length).toBe(256); // 2048 bits
  });

  it('signs with the current key and the signature verifies with the published JWKS', async () => {
    const clock = manualClock();
    const store = memoryToolKeys();
    await rotateToolKeys({ keys: store, clock, secret: SECRET });
    const signer = createToolSigner({ keys: store, secret: SECRET });
    const { kid, privateKey } = await signer.signingKey();
    const { SignJWT } = await import('jose');
    const jwt = await new SignJWT({ hello: 'platform' }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const jwk = publishToolJwks(store.records).keys.find((k) => k.kid === kid)!;
    const { payload } = await compactVerify(jwt, await importJWK(jwk, 'RS256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ hello: 'platform' });
  });

  it('has no signing key before rotation has run', async () => {
    const signer = createToolSigner({ keys: memoryToolKeys(), secret: SECRET });
    await expect(signer.signingKey()).rejects.toMatchObject({ code: 'no_signing_key' });
  });

  it('follows the rotation timeline next → current → retiring → retired', async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    const store = memoryToolKeys();
    const statuses = () => Object.fromEntries(store.records.map((r) => [r.kid, r.status]));
    const published = () => publishToolJwks(store.records).keys.map((k) => k.kid);

    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([{ type: 'generate', status: 'current' }]);
    const first = store.records[0]!.kid;
    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([]);

    clock.advance(87 * DAY); // < 90 d − 48 h
    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([]);
    clock.advance(1 * DAY); // 88 d: publish the next key ahead
    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([{ type: 'generate', status: 'next' }]);
    const second = store.records[1]!.kid;
    expect(statuses()).toEqual({ [first]: 'current', [second]: 'next' });
    expect(published()).toEqual([first, second]);
    expect((await createToolSigner({ keys: store, secret: SECRET }).signingKey()).kid).toBe(first);

    clock.advance(2 * DAY); // 90 d: promote
    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([
      { type: 'set_status', kid: second, from: 'next', to: 'current' },
      { type: 'set_status', kid: first, from: 'current', to: 'retiring' },
    ]);
    expect((await createToolSigner({ keys: store, secret: SECRET }).signingKey()).kid).toBe(second);
    expect(published()).toEqual([first, second]);

    clock.advance(DAY - 1);
    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([]);
    clock.advance(1);
    expect(await rotateToolKeys({ keys: store, clock, secret: SECRET })).toEqual([
      { type: 'set_status', kid: first, from: 'retiring', to: 'retired' },
    ]);
    expect(published()).toEqual([second]);
  });

  it('does not promote a next key that has not been published long enough', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const rec = (kid: string, status: 'current' | 'next', changedMsAgo: number) => ({
      kid,
      status,
      publicJwk: { kty: 'RSA' },
      encryptedPrivateKey: '',
      createdAt: new Date(now.getTime() - changedMsAgo),
      statusChangedAt: new Date(now.getTime() - changedMsAgo),
    });
    const keys = [rec('old', 'current', 120 * DAY), rec('new', 'next', 3_600_000)];
    expect(planKeyRotation(keys, now, DEFAULT_ROTATION_POLICY)).toEqual([]);
    expect(planKeyRotation([rec('new', 'next', 0)], now)).toEqual([
      { type: 'set_status', kid: 'new', from: 'next', to: 'current' },
    ]);
    expect(planKeyRotation([rec('a', 'current', 2 * DAY), rec('b', 'current', DAY)], now)).toEqual([
      { type: 'set_status', kid: 'a', from: 'current', to: 'retiring' },
    ]);
  });
});
