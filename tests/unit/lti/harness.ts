/** Shared wiring for the lti unit tests: a test platform, in-memory ports and a login→launch helper. */
import { expect } from 'vitest';
import {
  createJwksCache,
  initiateLogin,
  LtiError,
  verifyLaunch,
  type BindingProof,
  type Launch,
  type LaunchDeps,
  type LoginInitiation,
  type LoginOptions,
  type LtiErrorCode,
} from '../../../lti/index.js';
import {
  createTestPlatform,
  manualClock,
  memoryLoginStates,
  memoryNonces,
  memoryRegistrations,
  type PlatformProfile,
  type SignOptions,
  type TestPlatformOptions,
} from '../../support/platform.js';

export const TOOL = { origin: 'https://waymark.example', launchUrl: 'https://waymark.example/lti/launch' };

/** Builds a platform + tool wiring for one profile. */
export async function setup(profile: PlatformProfile['name'] = 'canvas', extra: Partial<TestPlatformOptions> = {}) {
  const clock = manualClock();
  const platform = await createTestPlatform({ profile, clock, ...extra });
  const registrations = memoryRegistrations([platform.registration()]);
  const loginStates = memoryLoginStates(clock);
  const nonces = memoryNonces();
  const jwks = createJwksCache({ fetch: platform.fetch, clock });
  const deps: LaunchDeps = { registrations, loginStates, nonces, jwks, clock, tool: TOOL };

  async function login(params: Record<string, unknown> = {}, options: LoginOptions = {}): Promise<LoginInitiation> {
    return initiateLogin(
      { registrations, loginStates, clock, tool: TOOL },
      {
        iss: platform.profile.issuer,
        login_hint: 'hint-1',
        target_link_uri: `${TOOL.origin}/lti/launch`,
        client_id: platform.profile.clientId,
        lti_message_hint: 'msg-hint',
        ...params,
      },
      options,
    );
  }

  function proofFor(init: LoginInitiation): BindingProof {
    if (init.binding.kind === 'cookie') return { kind: 'cookie', value: init.binding.cookie.value };
    if (init.binding.kind === 'platform_storage') return { kind: 'platform_storage', value: init.binding.value };
    return { kind: 'server_only' };
  }

  /**
   * Logs in, builds valid claims, applies `edit` (set a key to undefined to delete it), signs and
   * verifies. Returns the launch or throws what verifyLaunch throws.
   */
  async function launch(
    input: {
      edit?: (claims: Record<string, unknown>) => void;
      sign?: SignOptions;
      messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';
      roles?: string[];
      token?: (claims: Record<string, unknown>) => Promise<string>;
      binding?: (init: LoginInitiation) => BindingProof;
      loginParams?: Record<string, unknown>;
      state?: (init: LoginInitiation) => unknown;
    } = {},
  ): Promise<Launch> {
    const init = await login(input.loginParams);
    const nonce = new URL(init.redirectUrl).searchParams.get('nonce') ?? '';
    const claims = platform.launchClaims({
      nonce,
      targetLinkUri: `${TOOL.origin}/lti/launch`,
      ...(input.messageType ? { messageType: input.messageType } : {}),
      ...(input.roles ? { roles: input.roles } : {}),
    });
    input.edit?.(claims);
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    const idToken = input.token ? await input.token(claims) : await platform.signIdToken(claims, input.sign);
    return verifyLaunch(deps, {
      idToken,
      state: input.state ? input.state(init) : init.state,
      binding: (input.binding ?? proofFor)(init),
    });
  }

  return { clock, platform, registrations, loginStates, nonces, jwks, deps, login, launch, proofFor };
}

/** Asserts that `promise` rejects with an LtiError of `code` and returns it. */
export async function expectLtiError(promise: Promise<unknown>, code: LtiErrorCode): Promise<LtiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected LtiError ${code}`).toBeInstanceOf(LtiError);
  const lti = err as LtiError;
  expect({ code: lti.code, reason: lti.reason }).toMatchObject({ code });
  expect([400, 401]).toContain(lti.status);
  return lti;
}

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
