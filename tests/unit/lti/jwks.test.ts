import { describe, expect, it } from 'vitest';
import { createJwksCache, isAllowedAlg } from '../../../lti/index.js';
import { createTestPlatform, manualClock } from '../../support/platform.js';
import { expectLtiError, setup } from './harness.js';

describe('platform JWKS cache', () => {
  it('fetches once per URL and reuses the cached keys', async () => {
    const t = await setup();
    await t.launch();
    await t.launch();
    expect(t.jwks.fetchCount(t.platform.profile.jwksUrl)).toBe(1);
  });

  it('refetches once when the platform rotated its key (unknown kid)', async () => {
    const t = await setup();
    await t.launch();
    t.clock.advance(11_000);
    await t.platform.rotateKey();
    const launch = await t.launch();
    expect(launch.messageType).toBe('LtiResourceLinkRequest');
    expect(t.jwks.fetchCount(t.platform.profile.jwksUrl)).toBe(2);
  });

  it('refetches at most once per URL per 10 s on unknown kids', async () => {
    const t = await setup();
    await t.launch();
    t.clock.advance(11_000);
    await expectLtiError(t.launch({ sign: { kid: 'forged-1' } }), 'unknown_kid');
    expect(t.jwks.fetchCount(t.platform.profile.jwksUrl)).toBe(2);
    for (const kid of ['forged-2', 'forged-3', 'forged-4']) await expectLtiError(t.launch({ sign: { kid } }), 'unknown_kid');
    expect(t.jwks.fetchCount(t.platform.profile.jwksUrl)).toBe(2);
    // Even a genuinely new key waits for the cooldown...
    await t.platform.rotateKey();
    t.clock.advance(5_000);
    await expectLtiError(t.launch(), 'unknown_kid');
    // ...and is found once it has passed.
    t.clock.advance(5_000);
    await t.launch();
    expect(t.jwks.fetchCount(t.platform.profile.jwksUrl)).toBe(3);
  });

  it('accepts Brightspace JWKS keys without alg as RS256', async () => {
    const t = await setup('brightspace');
    expect(t.platform.jwks().keys.every((k) => k.alg === undefined)).toBe(true);
    const launch = await t.launch();
    expect(launch.tenant.issuer).toBe('https://hillcrest.brightspace.com');
  });

  it('refuses a PS256 header against a Brightspace key assumed RS256', async () => {
    const t = await setup('brightspace');
    const kid = t.platform.jwks().keys[0]!.kid!;
    const forged = async (claims: Record<string, unknown>) =>
      [{ alg: 'PS256', kid }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2ln';
    await expectLtiError(t.launch({ token: forged }), 'unsupported_alg');
  });

  it('selects the only key when the token has no kid', async () => {
    const t = await setup('schoology');
    const launch = await t.launch({ sign: { kid: null } });
    expect(launch.tenant.clientId).toBe('7291734015');
  });

  it('reports an unreachable JWKS as jwks_unavailable and retries after the cooldown', async () => {
    const clock = manualClock();
    const platform = await createTestPlatform({ profile: 'canvas', clock });
    const cache = createJwksCache({ fetch: platform.fetch, clock });
    platform.failNext('jwks', 503);
    await expectLtiError(
      cache.getKey(platform.profile.jwksUrl, { alg: 'RS256', kid: platform.jwks().keys[0]!.kid! }),
      'jwks_unavailable',
    );
    await expectLtiError(
      cache.getKey(platform.profile.jwksUrl, { alg: 'RS256', kid: platform.jwks().keys[0]!.kid! }),
      'jwks_unavailable',
    );
    expect(cache.fetchCount(platform.profile.jwksUrl)).toBe(1);
    clock.advance(10_000);
    await expect(
      cache.getKey(platform.profile.jwksUrl, { alg: 'RS256', kid: platform.jwks().keys[0]!.kid! }),
    ).resolves.toBeTruthy();
  });

  it('keeps using the stale set when a routine refresh fails', async () => {
    const clock = manualClock();
    const platform = await createTestPlatform({ profile: 'canvas', clock });
    const cache = createJwksCache({ fetch: platform.fetch, clock });
    const kid = platform.jwks().keys[0]!.kid!;
    await cache.getKey(platform.profile.jwksUrl, { alg: 'RS256', kid });
    clock.advance(3_600_001);
    platform.dropNext('jwks');
    await expect(cache.getKey(platform.profile.jwksUrl, { alg: 'RS256', kid })).resolves.toBeTruthy();
  });

  it('allows only asymmetric algorithms', () => {
    expect(['RS256', 'PS384', 'ES256'].every(isAllowedAlg)).toBe(true);
    expect(['none', 'HS256', 'HS512', 'EdDSA', undefined].some(isAllowedAlg)).toBe(false);
  });
});
