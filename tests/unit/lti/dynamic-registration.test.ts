import { describe, expect, it } from 'vitest';
import {
  buildToolRegistration,
  fetchPlatformConfiguration,
  PlatformConfiguration,
  registerWithPlatform,
  type Fetch,
} from '../../../lti/index.js';

const CONFIG_URL = 'https://moodle.brookside.example/mod/lti/openid-configuration.php';
const TOKEN = 'reg-token-abc';

function moodleConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: 'https://moodle.brookside.example',
    token_endpoint: 'https://moodle.brookside.example/mod/lti/token.php',
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: 'https://moodle.brookside.example/mod/lti/certs.php',
    authorization_endpoint: 'https://moodle.brookside.example/mod/lti/auth.php',
    registration_endpoint: 'https://moodle.brookside.example/mod/lti/openid-registration.php',
    scopes_supported: [
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      'openid',
    ],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    'https://purl.imsglobal.org/spec/lti-platform-configuration': {
      product_family_code: 'moodle',
      version: '4.5',
      messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }],
      variables: ['Context.id', 'Person.name.given', 'ResourceLink.id'],
    },
    ...overrides,
  };
}

const tool = {
  clientName: 'Waymark',
  loginUrl: 'https://waymark.example/lti/login',
  launchUrl: 'https://waymark.example/lti/launch',
  jwksUrl: 'https://waymark.example/.well-known/jwks.json',
  logoUri: 'https://waymark.example/logo.svg',
  customParameters: { source: 'dynamic' },
  yearGroupVariables: ['$Person.grade', '$Context.id'],
};

function fakePlatform(config: Record<string, unknown>, registration: { status: number; body: unknown }) {
  const calls: { url: string; method: string; auth: string | null; body: string }[] = [];
  const fetch: Fetch = async (input, init) => {
    const req = new Request(input, init);
    calls.push({
      url: req.url,
      method: req.method,
      auth: req.headers.get('authorization'),
      body: req.method === 'POST' ? await req.text() : '',
    });
    if (req.url === CONFIG_URL) return Response.json(config);
    if (req.url === config.registration_endpoint) return Response.json(registration.body, { status: registration.status });
    return new Response('not found', { status: 404 });
  };
  return { fetch, calls };
}

describe('dynamic registration', () => {
  it('registers with a Moodle platform and returns the registration record', async () => {
    const p = fakePlatform(moodleConfig(), {
      status: 200,
      body: { client_id: 'Qw3rTy7uIoP1aSd', 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '3' } },
    });
    const result = await registerWithPlatform(
      { fetch: p.fetch },
      { openidConfigurationUrl: CONFIG_URL, registrationToken: TOKEN, tool },
    );
    expect(result.registration).toEqual({
      issuer: 'https://moodle.brookside.example',
      clientId: 'Qw3rTy7uIoP1aSd',
      authLoginUrl: 'https://moodle.brookside.example/mod/lti/auth.php',
      tokenUrl: 'https://moodle.brookside.example/mod/lti/token.php',
      jwksUrl: 'https://moodle.brookside.example/mod/lti/certs.php',
      deploymentIds: ['3'],
      frameOrigins: ['https://moodle.brookside.example'],
    });
    expect(result.platform).toEqual({ productFamilyCode: 'moodle', version: '4.5' });
    expect(p.calls.map((c) => [c.method, c.auth])).toEqual([
      ['GET', `Bearer ${TOKEN}`],
      ['POST', `Bearer ${TOKEN}`],
    ]);
    const sent = JSON.parse(p.calls[1]!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({
      application_type: 'web',
      response_types: ['id_token'],
      grant_types: ['implicit', 'client_credentials'],
      initiate_login_uri: 'https://waymark.example/lti/login',
      redirect_uris: ['https://waymark.example/lti/launch'],
      jwks_uri: 'https://waymark.example/.well-known/jwks.json',
      token_endpoint_auth_method: 'private_key_jwt',
      logo_uri: 'https://waymark.example/logo.svg',
    });
    expect((sent.scope as string).split(' ').sort()).toEqual([
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ]);
    expect(sent['https://purl.imsglobal.org/spec/lti-tool-configuration']).toEqual({
      domain: 'waymark.example',
      target_link_uri: 'https://waymark.example/lti/launch',
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name'],
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: 'https://waymark.example/lti/launch', label: 'Waymark' },
        {
          type: 'LtiDeepLinkingRequest',
          target_link_uri: 'https://waymark.example/lti/launch',
          label: 'Waymark',
          placements: ['ContentArea'],
        },
      ],
      // Person.grade is not offered by this platform; the next candidate is.
      custom_parameters: { source: 'dynamic', year_group: '$Context.id' },
    });
  });

  it('uses authorization_server as token audience and omits deep linking when unsupported', async () => {
    const config = moodleConfig({
      authorization_server: 'https://auth.brightspace.com/core/connect/token',
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'desire2learn',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }],
      },
    });
    const p = fakePlatform(config, { status: 201, body: { client_id: 'c-1' } });
    const result = await registerWithPlatform(
      { fetch: p.fetch },
      { openidConfigurationUrl: CONFIG_URL, registrationToken: TOKEN, tool },
    );
    expect(result.registration.authTokenAudience).toBe('https://auth.brightspace.com/core/connect/token');
    expect(result.registration.deploymentIds).toEqual([]);
    const sent = JSON.parse(p.calls[1]!.body) as Record<string, { messages: { type: string }[]; custom_parameters?: unknown }>;
    expect(sent['https://purl.imsglobal.org/spec/lti-tool-configuration']!.messages.map((m) => m.type)).toEqual([
      'LtiResourceLinkRequest',
    ]);
    expect(sent['https://purl.imsglobal.org/spec/lti-tool-configuration']!.custom_parameters).toEqual({ source: 'dynamic' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an issuer on another origin', { issuer: 'https://evil.example' }, 'issuer'],
    [
      'no private_key_jwt',
      { token_endpoint_auth_methods_supported: ['client_secret_basic'] },
      'token_endpoint_auth_methods_supported',
    ],
    ['no RS256 id_tokens', { id_token_signing_alg_values_supported: ['HS256'] }, 'id_token_signing_alg_values_supported'],
    ['no registration endpoint', { registration_endpoint: undefined }, 'registration_endpoint'],
    ['no jwks_uri', { jwks_uri: 'not a url' }, 'jwks_uri'],
    [
      'no resource link support',
      {
        'https://purl.imsglobal.org/spec/lti-platform-configuration': {
          product_family_code: 'x',
          messages_supported: [{ type: 'LtiDeepLinkingRequest' }],
        },
      },
      'https://purl.imsglobal.org/spec/lti-platform-configuration.messages_supported',
    ],
    [
      'no platform configuration',
      { 'https://purl.imsglobal.org/spec/lti-platform-configuration': undefined },
      'https://purl.imsglobal.org/spec/lti-platform-configuration',
    ],
  ])('refuses a configuration with %s', async (_name, overrides, claim) => {
    const p = fakePlatform(moodleConfig(overrides), { status: 200, body: { client_id: 'x' } });
    await expect(
      registerWithPlatform({ fetch: p.fetch }, { openidConfigurationUrl: CONFIG_URL, registrationToken: TOKEN, tool }),
    ).rejects.toMatchObject({
      code: 'invalid_platform_configuration',
      claim,
    });
    expect(p.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('refuses a plain-http configuration URL off loopback', async () => {
    const p = fakePlatform(moodleConfig(), { status: 200, body: {} });
    await expect(
      fetchPlatformConfiguration({ fetch: p.fetch }, 'http://moodle.brookside.example/x', TOKEN),
    ).rejects.toMatchObject({ code: 'invalid_platform_configuration' });
    expect(p.calls).toHaveLength(0);
  });

  it('reports a refused registration', async () => {
    const p = fakePlatform(moodleConfig(), { status: 403, body: { error: 'invalid_token' } });
    await expect(
      registerWithPlatform({ fetch: p.fetch }, { openidConfigurationUrl: CONFIG_URL, registrationToken: TOKEN, tool }),
    ).rejects.toMatchObject({
      code: 'registration_refused',
      data: { status: 403 },
    });
    const noClient = fakePlatform(moodleConfig(), { status: 200, body: { oops: true } });
    await expect(
      registerWithPlatform({ fetch: noClient.fetch }, { openidConfigurationUrl: CONFIG_URL, tool }),
    ).rejects.toMatchObject({ code: 'registration_refused', claim: 'client_id' });
  });

  it('builds the request purely from a parsed configuration', () => {
    const config = PlatformConfiguration.parse(
      moodleConfig({ scopes_supported: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'] }),
    );
    expect(buildToolRegistration(config, tool).scope).toBe('https://purl.imsglobal.org/spec/lti-ags/scope/score');
  });
});
