import { describe, expect, it } from 'vitest';
import { hashBindingSecret } from '../../../lti/index.js';
import { expectLtiError, setup } from './harness.js';

describe('initiateLogin', () => {
  it('builds the OIDC authentication request and stores a single-use state', async () => {
    const t = await setup('moodle');
    const init = await t.login();
    const url = new URL(init.redirectUrl);
    expect(url.origin + url.pathname).toBe('https://moodle.brookside.example/mod/lti/auth.php');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'Qw3rTy7uIoP1aSd',
      redirect_uri: 'https://waymark.example/lti/launch',
      login_hint: 'hint-1',
      lti_message_hint: 'msg-hint',
      state: init.state,
      nonce: expect.any(String) as string,
    });
    const stored = await t.loginStates.peek(init.state);
    expect(stored).toMatchObject({
      registrationId: 'reg-moodle',
      targetLinkUri: 'https://waymark.example/lti/launch',
      browserBindingKind: 'cookie',
    });
    expect(stored?.nonce).toBe(url.searchParams.get('nonce'));
  });

  it('prefers platform storage when lti_storage_target is present', async () => {
    const t = await setup('canvas');
    const init = await t.login({ lti_storage_target: 'post_message_forwarding' });
    expect(init.binding).toMatchObject({
      kind: 'platform_storage',
      storageTarget: 'post_message_forwarding',
      platformOrigin: 'https://sso.canvaslms.com',
      key: `lti_state_${init.state}`,
    });
    const stored = await t.loginStates.peek(init.state);
    expect(stored?.bindingHash).toBe(hashBindingSecret(init.binding.kind === 'platform_storage' ? init.binding.value : ''));
  });

  it('falls back to a partitioned SameSite=None cookie', async () => {
    const t = await setup('brightspace');
    const init = await t.login();
    if (init.binding.kind !== 'cookie') throw new Error('expected cookie binding');
    expect(init.binding.cookie.name).toBe(`lti_state_${init.state}`);
    expect(init.binding.cookie.setCookieHeader).toMatch(/; HttpOnly; Secure; SameSite=None; Partitioned$/);
    expect(init.binding.cookie.maxAgeSeconds).toBe(600);
  });

  it('uses the flagged server-only binding only when cookies are known to be blocked', async () => {
    const t = await setup('schoology');
    const init = await t.login({}, { cookies: 'blocked' });
    expect(init.binding).toEqual({ kind: 'server_only', warning: 'no_browser_binding' });
    const launch = await t.launch({ binding: () => ({ kind: 'server_only' }), loginParams: {} }).catch((e: unknown) => e);
    // The harness logs in with cookies available, so a server-only proof is refused there.
    expect((launch as { code?: string }).code).toBe('state_mismatch');
  });

  it('finds the registration by issuer alone when it is unambiguous', async () => {
    const t = await setup('moodle');
    const init = await t.login({ client_id: undefined });
    expect(init.registration.id).toBe('reg-moodle');
  });

  it('refuses an issuer-only login when several clients share the issuer (Canvas cloud)', async () => {
    const t = await setup('canvas');
    t.registrations.all.push(t.platform.registration({ id: 'reg-2', clientId: '10000000000099', schoolId: 'school-2' }));
    await expectLtiError(t.login({ client_id: undefined }), 'ambiguous_registration');
    const init = await t.login({ client_id: '10000000000099' });
    expect(init.registration.schoolId).toBe('school-2');
  });

  it('accepts an issuer-only login when all schools share the client (Blackboard) and prefers the hinted deployment', async () => {
    const t = await setup('blackboard');
    t.registrations.all.push(t.platform.registration({ id: 'reg-bb-2', schoolId: 'school-bb-2', deploymentIds: ['dep-2'] }));
    const init = await t.login({ client_id: undefined, lti_deployment_id: 'dep-2' });
    expect(init.registration.id).toBe('reg-bb-2');
    expect(await t.loginStates.peek(init.state)).toMatchObject({ registrationId: 'reg-bb-2', deploymentIdHint: 'dep-2' });
  });

  it('refuses an unknown platform or client', async () => {
    const t = await setup('canvas');
    await expectLtiError(t.login({ client_id: 'unknown' }), 'unknown_registration');
    await expectLtiError(t.login({ iss: 'https://unknown.example', client_id: undefined }), 'unknown_registration');
  });

  it('refuses a target_link_uri off the tool origin', async () => {
    const t = await setup();
    const err = await expectLtiError(t.login({ target_link_uri: 'https://evil.example/lti/launch' }), 'invalid_target_link_uri');
    expect(err.claim).toBe('target_link_uri');
  });

  it('refuses missing or malformed parameters, naming the parameter', async () => {
    const t = await setup();
    expect((await expectLtiError(t.login({ login_hint: undefined }), 'invalid_login_request')).claim).toBe('login_hint');
    expect((await expectLtiError(t.login({ iss: ['a', 'b'] }), 'invalid_login_request')).claim).toBe('iss');
    expect((await expectLtiError(t.login({ lti_storage_target: 'x"><script>' }), 'invalid_login_request')).claim).toBe(
      'lti_storage_target',
    );
    expect((await expectLtiError(t.login({ target_link_uri: 'javascript:alert(1)' }), 'invalid_login_request')).claim).toBe(
      'target_link_uri',
    );
  });

  it('expires login states after the TTL', async () => {
    const t = await setup();
    const init = await t.login();
    t.clock.advance(601_000);
    expect(await t.loginStates.peek(init.state)).toBeNull();
  });
});
