import { SignJWT, base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { describeLaunchBinding, verifyLaunch, type UnknownDeploymentData } from '../../../lti/index.js';
import { role } from '../../support/platform.js';
import { expectLtiError, LTI, setup } from './harness.js';

describe('verifyLaunch rejections', () => {
  it('rejects a token whose signature does not verify', async () => {
    const t = await setup();
    const err = await expectLtiError(
      t.launch({
        token: async (claims) => {
          const good = await t.platform.signIdToken(claims);
          const [h, p, s] = good.split('.');
          const tampered = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
          tampered.sub = 'someone-else';
          return `${h}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${s}`;
        },
      }),
      'invalid_signature',
    );
    expect(err.status).toBe(401);
  });

  it('rejects a token signed by a key the platform does not publish (unknown kid)', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ sign: { kid: 'not-published' } }), 'unknown_kid');
  });

  it('rejects a token from another issuer', async () => {
    const t = await setup();
    const err = await expectLtiError(t.launch({ edit: (c) => void (c.iss = 'https://evil.example') }), 'invalid_issuer');
    expect(err.claim).toBe('iss');
  });

  it('rejects a token for another client (aud)', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c.aud = 'other-client') }), 'invalid_audience');
  });

  it('rejects an aud array without azp', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c.aud = [t.platform.profile.clientId, 'other']) }), 'missing_azp');
  });

  it('rejects an azp that is not the client id', async () => {
    const t = await setup();
    await expectLtiError(
      t.launch({
        edit: (c) => {
          c.aud = [t.platform.profile.clientId, 'other'];
          c.azp = 'other';
        },
      }),
      'invalid_azp',
    );
  });

  it('accepts an aud array with azp equal to the client id', async () => {
    const t = await setup();
    const launch = await t.launch({
      edit: (c) => {
        c.aud = [t.platform.profile.clientId, 'other'];
        c.azp = t.platform.profile.clientId;
      },
    });
    expect(launch.tenant.clientId).toBe(t.platform.profile.clientId);
  });

  it('rejects an expired token beyond the 60 s tolerance and accepts one within it', async () => {
    const t = await setup('moodle');
    await expectLtiError(
      t.launch({
        edit: (c) => {
          c.iat = (c.iat as number) - 200;
          c.exp = (c.iat as number) + 60; // expired 140 s ago
        },
      }),
      'token_expired',
    );
    const ok = await t.launch({
      edit: (c) => {
        c.iat = (c.iat as number) - 100;
        c.exp = (c.iat as number) + 60; // expired 40 s ago: within tolerance
      },
    });
    expect(ok.messageType).toBe('LtiResourceLinkRequest');
  });

  it('rejects a token issued in the future', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c.iat = (c.iat as number) + 600) }), 'iat_in_future');
  });

  it('rejects a token without nonce', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c.nonce = undefined) }), 'missing_nonce');
  });

  it('rejects a nonce that is not the one sent at login', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c.nonce = 'other-nonce') }), 'nonce_mismatch');
  });

  it('rejects a replayed nonce even with a fresh state', async () => {
    const t = await setup();
    const first = await t.login();
    const nonce = new URL(first.redirectUrl).searchParams.get('nonce')!;
    await t.nonces.consume(nonce, new Date(Date.now() + 60_000)); // seen before
    const token = await t.platform.signIdToken(
      t.platform.launchClaims({ nonce, targetLinkUri: 'https://waymark.example/lti/launch' }),
    );
    await expectLtiError(
      verifyLaunch(t.deps, { idToken: token, state: first.state, binding: t.proofFor(first) }),
      'nonce_replayed',
    );
  });

  it('rejects a second use of the same launch (state consumed)', async () => {
    const t = await setup();
    const init = await t.login();
    const nonce = new URL(init.redirectUrl).searchParams.get('nonce')!;
    const token = await t.platform.signIdToken(
      t.platform.launchClaims({ nonce, targetLinkUri: 'https://waymark.example/lti/launch' }),
    );
    await verifyLaunch(t.deps, { idToken: token, state: init.state, binding: t.proofFor(init) });
    await expectLtiError(verifyLaunch(t.deps, { idToken: token, state: init.state, binding: t.proofFor(init) }), 'unknown_state');
  });

  it('rejects a launch that arrives after the login state expired', async () => {
    const t = await setup();
    const init = await t.login();
    const nonce = new URL(init.redirectUrl).searchParams.get('nonce')!;
    t.clock.advance(11 * 60_000);
    const token = await t.platform.signIdToken(
      t.platform.launchClaims({ nonce, targetLinkUri: 'https://waymark.example/lti/launch' }),
    );
    await expectLtiError(verifyLaunch(t.deps, { idToken: token, state: init.state, binding: t.proofFor(init) }), 'unknown_state');
  });

  it('rejects a token that is not valid yet (nbf) and one without deployment id', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c.nbf = (c.iat as number) + 600) }), 'token_not_yet_valid');
    await expectLtiError(t.launch({ edit: (c) => void (c[`${LTI}deployment_id`] = undefined) }), 'missing_deployment_id');
  });

  it('rejects a state that was never issued', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ state: () => 'forged-state' }), 'unknown_state');
  });

  it('rejects a launch without state', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ state: () => undefined }), 'missing_state');
  });

  it('rejects a state bound to another browser (cookie mismatch)', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ binding: () => ({ kind: 'cookie', value: 'cookie-of-another-browser' }) }), 'state_mismatch');
    await expectLtiError(t.launch({ binding: () => ({ kind: 'cookie', value: undefined }) }), 'state_mismatch');
  });

  it('rejects a binding proof of another kind than the login chose', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ binding: () => ({ kind: 'server_only' }) }), 'state_mismatch');
  });

  it('reports an unknown deployment of a known client with the data for a pending deployment', async () => {
    const t = await setup('blackboard');
    const err = await expectLtiError(
      t.launch({ edit: (c) => void (c[`${LTI}deployment_id`] = 'dep-of-another-school') }),
      'unknown_deployment',
    );
    const data = err.data as UnknownDeploymentData;
    expect(data).toMatchObject({
      registrationId: 'reg-blackboard',
      knownRegistrations: [{ registrationId: 'reg-blackboard', schoolId: 'school-blackboard' }],
      issuer: 'https://blackboard.com',
      clientId: t.platform.profile.clientId,
      deploymentId: 'dep-of-another-school',
      platformInstance: { guid: 'blackboard-guid-1', productFamilyCode: 'BlackboardLearn' },
    });
  });

  it('does not report an unknown deployment from an unverified token', async () => {
    const t = await setup('blackboard');
    await expectLtiError(
      t.launch({ sign: { kid: 'forged' }, edit: (c) => void (c[`${LTI}deployment_id`] = 'x') }),
      'unknown_kid',
    );
  });

  it('rejects an unsupported message type', async () => {
    const t = await setup();
    const err = await expectLtiError(
      t.launch({ edit: (c) => void (c[`${LTI}message_type`] = 'LtiStartProctoring') }),
      'invalid_message_type',
    );
    expect(err.status).toBe(400);
  });

  it('rejects another LTI version', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ edit: (c) => void (c[`${LTI}version`] = '1.3.1') }), 'invalid_version');
  });

  it('rejects a launch without sub', async () => {
    const t = await setup();
    const err = await expectLtiError(t.launch({ edit: (c) => void (c.sub = undefined) }), 'missing_claim');
    expect(err.claim).toBe('sub');
  });

  it('rejects a launch without roles claim', async () => {
    const t = await setup();
    const err = await expectLtiError(t.launch({ edit: (c) => void (c[`${LTI}roles`] = undefined) }), 'missing_claim');
    expect(err.claim).toBe(`${LTI}roles`);
  });

  it('rejects a resource link launch without resource_link.id', async () => {
    const t = await setup();
    const err = await expectLtiError(
      t.launch({ edit: (c) => void (c[`${LTI}resource_link`] = { title: 'no id' }) }),
      'missing_claim',
    );
    expect(err.claim).toBe(`${LTI}resource_link.id`);
  });

  it('rejects a deep linking request without deep_link_return_url', async () => {
    const t = await setup();
    await expectLtiError(
      t.launch({
        messageType: 'LtiDeepLinkingRequest',
        edit: (c) =>
          void (c['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = { accept_types: ['ltiResourceLink'] }),
      }),
      'missing_claim',
    );
  });

  it('rejects a target_link_uri other than the one of the login', async () => {
    const t = await setup();
    await expectLtiError(
      t.launch({ edit: (c) => void (c[`${LTI}target_link_uri`] = 'https://waymark.example/elsewhere') }),
      'invalid_claim',
    );
  });

  it('rejects alg none', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ sign: { alg: 'none' } }), 'unsupported_alg');
  });

  it('rejects HS256 signed with the platform public key', async () => {
    const t = await setup();
    const jwk = t.platform.currentPublicJwk();
    // The classic key-confusion attack: HMAC keyed with the public key material.
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    await expectLtiError(t.launch({ sign: { alg: 'HS256', hmacSecret: secret } }), 'unsupported_alg');
    const pem = new TextEncoder().encode(jwk.n ?? '');
    await expectLtiError(t.launch({ sign: { alg: 'HS256', hmacSecret: pem } }), 'unsupported_alg');
  });

  it('rejects an RS256 header on a token whose JWKS key declares another alg', async () => {
    const t = await setup();
    const launch = t.launch({
      token: async (claims) => {
        const { privateKey } = await import('jose').then((j) => j.generateKeyPair('ES256'));
        return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: t.platform.jwks().keys[0]!.kid! }).sign(privateKey);
      },
    });
    await expectLtiError(launch, 'unsupported_alg');
  });

  it('rejects garbage instead of a JWS', async () => {
    const t = await setup();
    await expectLtiError(t.launch({ token: async () => 'not.a.jwt' }), 'malformed_token');
    await expectLtiError(t.launch({ token: async () => `${base64url.encode('{"alg":"RS256"}')}.e30` }), 'malformed_token');
  });
});

describe('verifyLaunch accepted launches', () => {
  it('parses an instructor launch with several roles (Canvas)', async () => {
    const t = await setup('canvas');
    const launch = await t.launch({ roles: [role.instructor, role.learner, role.instInstructor, role.instStudent] });
    expect(launch.roles.role).toBe('teacher');
    expect(launch.roles.granted).toEqual(['teacher', 'pupil']);
    expect(launch.tenant).toEqual({
      issuer: 'https://canvas.instructure.com',
      clientId: '10000000000042',
      deploymentId: t.platform.profile.deploymentId,
    });
    expect(launch.schoolId).toBe('school-canvas');
    expect(launch.user).toEqual({
      sub: 'a6d5c443-1f51-4783-ba1a-7686ffe3b54a',
      name: 'Sam Okafor',
      givenName: 'Sam',
      familyName: 'Okafor',
      email: 'sam.okafor@school.example',
      locale: 'en-GB',
    });
    expect(launch.context).toMatchObject({ id: 'ctx-81', title: 'Year 9 Careers' });
    expect(launch.resourceLink).toEqual({ id: 'rl-6151', title: 'Careers week' });
    expect(launch.yearGroup).toBe('9');
    expect(launch.custom.module_id).toBe('s3-futures');
    expect(launch.ags?.lineItemsUrl).toBe(t.platform.profile.lineItemsUrl);
    expect(launch.nrps).toEqual({ contextMembershipsUrl: t.platform.profile.membershipsUrl, serviceVersions: ['2.0'] });
    expect(launch.platform?.product_family_code).toBe('canvas');
    expect(launch.browserBinding).toBe('cookie');
    expect(t.nonces.seen.size).toBe(1);
    expect(t.loginStates.size()).toBe(0);
  });

  it('parses a learner launch with several roles (Moodle, 60 s token)', async () => {
    const t = await setup('moodle');
    const launch = await t.launch({ roles: [role.learner, 'http://purl.imsglobal.org/vocab/lis/v2/membership#Member'] });
    expect(launch.roles.role).toBe('pupil');
    expect(launch.expiresAt.getTime() - launch.issuedAt.getTime()).toBe(60_000);
  });

  it('understands a short role name', async () => {
    const t = await setup('moodle');
    const launch = await t.launch({ roles: ['Instructor'] });
    expect(launch.roles.role).toBe('teacher');
    expect(launch.roles.lisRoles).toEqual([role.instructor]);
  });

  it('gives no role for an unknown role', async () => {
    const t = await setup('schoology');
    const launch = await t.launch({ roles: ['http://example.com/roles#Janitor'] });
    expect(launch.roles.role).toBeNull();
  });

  it('accepts an empty roles array with no role', async () => {
    const t = await setup('brightspace');
    const launch = await t.launch({ roles: [] });
    expect(launch.roles).toMatchObject({ role: null, lisRoles: [] });
  });

  it('accepts a launch with e-mail only', async () => {
    const t = await setup();
    const launch = await t.launch({
      edit: (c) => {
        c.name = undefined;
        c.given_name = undefined;
        c.family_name = undefined;
      },
    });
    expect(launch.user).toEqual({
      sub: 'a6d5c443-1f51-4783-ba1a-7686ffe3b54a',
      email: 'sam.okafor@school.example',
      locale: 'en-GB',
    });
  });

  it('accepts a launch with names only', async () => {
    const t = await setup();
    const launch = await t.launch({ edit: (c) => void (c.email = undefined) });
    expect(launch.user.email).toBeUndefined();
    expect(launch.user.givenName).toBe('Sam');
  });

  it('accepts a launch with no personal data at all', async () => {
    const t = await setup('blackboard');
    const launch = await t.launch({
      edit: (c) => {
        for (const k of ['name', 'given_name', 'family_name', 'email']) c[k] = undefined;
        c[`${LTI}launch_presentation`] = undefined;
      },
    });
    expect(launch.user).toEqual({ sub: 'a6d5c443-1f51-4783-ba1a-7686ffe3b54a' });
  });

  it('accepts a launch without context claim', async () => {
    const t = await setup();
    const launch = await t.launch({ edit: (c) => void (c[`${LTI}context`] = undefined) });
    expect(launch.context).toBeUndefined();
  });

  it('parses a mentor launch with role_scope_mentor', async () => {
    const t = await setup();
    const launch = await t.launch({
      roles: [role.mentor],
      edit: (c) => void (c[`${LTI}role_scope_mentor`] = ['pupil-1', 'pupil-2']),
    });
    expect(launch.roles.role).toBe('adviser');
    expect(launch.mentorScope).toEqual(['pupil-1', 'pupil-2']);
  });

  it('drops an unsubstituted year_group variable', async () => {
    const t = await setup();
    const launch = await t.launch({ edit: (c) => void (c[`${LTI}custom`] = { year_group: '$Person.grade', points: 10 }) });
    expect(launch.yearGroup).toBeUndefined();
    expect(launch.custom).toEqual({ year_group: '$Person.grade', points: '10' });
  });

  it('parses a deep linking request', async () => {
    const t = await setup();
    const launch = await t.launch({ messageType: 'LtiDeepLinkingRequest', roles: [role.instructor] });
    expect(launch.messageType).toBe('LtiDeepLinkingRequest');
    expect(launch.deepLinking).toMatchObject({
      accept_types: ['ltiResourceLink'],
      accept_multiple: true,
      data: 'opaque-platform-data-42',
    });
    expect(launch.resourceLink).toBeUndefined();
  });

  it('parses a submission review request', async () => {
    const t = await setup();
    const launch = await t.launch({ messageType: 'LtiSubmissionReviewRequest', roles: [role.instructor] });
    expect(launch.forUser?.user_id).toBe('pupil-7');
  });

  it('verifies through platform storage when the platform offers it', async () => {
    const t = await setup();
    const launch = await t.launch({ loginParams: { lti_storage_target: 'post_message_forwarding' } });
    expect(launch.browserBinding).toBe('platform_storage');
  });

  it('tells the adapter how to collect the binding proof without consuming the state', async () => {
    const t = await setup();
    const init = await t.login({ lti_storage_target: '_parent' });
    expect(await describeLaunchBinding(t.deps, init.state)).toEqual({
      kind: 'platform_storage',
      storageTarget: '_parent',
      platformOrigin: 'https://sso.canvaslms.com',
      key: `lti_state_${init.state}`,
    });
    expect(t.loginStates.size()).toBe(1);
    const cookieInit = await t.login();
    expect(await describeLaunchBinding(t.deps, cookieInit.state)).toEqual({
      kind: 'cookie',
      cookieName: `lti_state_${cookieInit.state}`,
    });
    await expectLtiError(describeLaunchBinding(t.deps, 'nope'), 'unknown_state');
  });

  it('decides the school by deployment when schools share one client (Blackboard)', async () => {
    const t = await setup('blackboard');
    t.registrations.all.push(
      t.platform.registration({ id: 'reg-bb-2', schoolId: 'school-bb-2', deploymentIds: ['dep-school-2'] }),
    );
    const first = await t.launch();
    expect(first.schoolId).toBe('school-blackboard');
    const second = await t.launch({ edit: (c) => void (c[`${LTI}deployment_id`] = 'dep-school-2') });
    expect({ schoolId: second.schoolId, registrationId: second.registrationId }).toEqual({
      schoolId: 'school-bb-2',
      registrationId: 'reg-bb-2',
    });
    expect(second.tenant).toEqual({
      issuer: 'https://blackboard.com',
      clientId: t.platform.profile.clientId,
      deploymentId: 'dep-school-2',
    });
    const err = await expectLtiError(
      t.launch({ edit: (c) => void (c[`${LTI}deployment_id`] = 'dep-school-3') }),
      'unknown_deployment',
    );
    expect((err.data as UnknownDeploymentData).knownRegistrations.map((r) => r.schoolId)).toEqual([
      'school-blackboard',
      'school-bb-2',
    ]);
  });

  it('refuses a deployment claimed by two schools', async () => {
    const t = await setup('blackboard');
    t.registrations.all.push(t.platform.registration({ id: 'reg-bb-2', schoolId: 'school-bb-2' }));
    await expectLtiError(t.launch(), 'ambiguous_registration');
  });

  it('keeps tenants apart: two Canvas schools share the issuer but not the client id', async () => {
    const t = await setup('canvas');
    t.registrations.all.push(t.platform.registration({ id: 'reg-canvas-2', schoolId: 'school-2', clientId: '10000000000099' }));
    const launch = await t.launch();
    expect(launch.schoolId).toBe('school-canvas');
    // A token addressed to the second school's client cannot complete a login started for the first.
    await expectLtiError(t.launch({ edit: (c) => void (c.aud = '10000000000099') }), 'invalid_audience');
  });
});
