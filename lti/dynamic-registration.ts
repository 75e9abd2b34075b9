/**
 * LTI Dynamic Registration 1.0: the platform opens the tool's registration page with
 * `openid_configuration` and `registration_token`; the tool fetches the platform's OpenID
 * configuration, validates it, POSTs its client registration and stores the result.
 */
import { z } from 'zod';
import { LtiError, networkError } from './errors.js';
import type { Fetch, PlatformRegistration } from './ports.js';
import { Scopes } from './service-token.js';

/** The `lti-platform-configuration` member name (DR 1.0 §3.5.1). */
export const PLATFORM_CONFIGURATION_CLAIM = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
/** The `lti-tool-configuration` member name (DR 1.0 §3.6.2). */
export const TOOL_CONFIGURATION_CLAIM = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

const HttpUrl = z.url({ protocol: /^https?$/ });

/** The platform's OpenID configuration, as far as the tool relies on it. */
export const PlatformConfiguration = z.object({
  issuer: HttpUrl,
  authorization_endpoint: HttpUrl,
  token_endpoint: HttpUrl,
  jwks_uri: HttpUrl,
  registration_endpoint: HttpUrl,
  token_endpoint_auth_methods_supported: z.array(z.string()),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional(),
  scopes_supported: z.array(z.string()).default([]),
  response_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()).optional(),
  claims_supported: z.array(z.string()).default([]),
  authorization_server: z.string().optional(),
  [PLATFORM_CONFIGURATION_CLAIM]: z.object({
    product_family_code: z.string(),
    version: z.string().optional(),
    messages_supported: z.array(z.object({ type: z.string(), placements: z.array(z.string()).optional() })),
    variables: z.array(z.string()).optional(),
  }),
});
/** The parsed value of the `PlatformConfiguration` schema. */
export type PlatformConfiguration = z.infer<typeof PlatformConfiguration>;

/** What the tool says about itself. */
export interface ToolRegistrationOptions {
  clientName: string;
  /** OIDC login initiation URL. */
  loginUrl: string;
  /** Launch URL (redirect_uri and default target_link_uri). */
  launchUrl: string;
  /** Deep linking launch URL; default `launchUrl`. */
  deepLinkingUrl?: string;
  /** The tool's JWKS URL. */
  jwksUrl: string;
  logoUri?: string;
  policyUri?: string;
  tosUri?: string;
  description?: string;
  contacts?: string[];
  /** Custom parameters sent on every launch. */
  customParameters?: Record<string, string>;
  /**
   * Candidate substitution variables for `year_group`, in preference order. LTI has no standard
   * variable for a pupil's year, so only a variable the platform lists in its `variables` is used;
   * none → no year_group parameter (schools may set a constant per placement instead).
   */
  yearGroupVariables?: string[];
  /** Preferred deep linking placements, kept only when the platform lists them. */
  deepLinkingPlacements?: string[];
}

/** The parsed outcome of a registration, ready for the adapter to store. */
export interface DynamicRegistrationResult {
  /** Registration fields; the adapter adds `id` and `schoolId` (the school of the admin registering). */
  registration: Omit<PlatformRegistration, 'id' | 'schoolId'>;
  platform: { productFamilyCode: string; version?: string };
  /** The registration request sent (for audit). */
  request: Record<string, unknown>;
}

const WANTED_SCOPES = [
  Scopes.lineItem,
  Scopes.lineItemReadonly,
  Scopes.resultReadonly,
  Scopes.score,
  Scopes.contextMembershipReadonly,
];
// Collect the minimum: names let teachers recognise pupils; e-mail is never needed (Moodle turns on e-mail
// sharing for every claim a tool requests).
const WANTED_CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name'];
const DEFAULT_DL_PLACEMENTS = [
  'ContentArea',
  'https://canvas.instructure.com/lti/link_selection',
  'https://canvas.instructure.com/lti/assignment_selection',
];

function refuse(reason: string, claim?: string): never {
  throw new LtiError({ code: 'invalid_platform_configuration', reason, ...(claim ? { claim } : {}) });
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/**
 * Fetches and validates the platform configuration. The registration token, when given, is sent
 * as a Bearer token (Moodle requires it on this GET). Checks: the URL is https (http only on
 * loopback); the issuer shares the configuration URL's origin (DR 1.0 §3.5.2); private_key_jwt,
 * RS256 id_tokens and `id_token` responses are supported; LtiResourceLinkRequest is supported.
 * Throws LtiError `invalid_platform_configuration` (claim = the offending member) and
 * LtiServiceError `network_error`.
 */
export async function fetchPlatformConfiguration(
  deps: { fetch: Fetch },
  openidConfigurationUrl: string,
  registrationToken?: string,
): Promise<PlatformConfiguration> {
  let configUrl: URL;
  try {
    configUrl = new URL(openidConfigurationUrl);
  } catch {
    refuse('openid_configuration is not a URL.', 'openid_configuration');
  }
  if (configUrl.protocol !== 'https:' && !(configUrl.protocol === 'http:' && isLoopback(configUrl))) {
    refuse('openid_configuration must use https.', 'openid_configuration');
  }
  let res: Response;
  try {
    res = await deps.fetch(configUrl.href, {
      headers: { accept: 'application/json', ...(registrationToken ? { authorization: `Bearer ${registrationToken}` } : {}) },
    });
  } catch (cause) {
    throw networkError(configUrl.href, cause);
  }
  if (!res.ok) refuse(`The platform configuration answered ${res.status}.`, 'openid_configuration');
  const parsed = PlatformConfiguration.safeParse(await res.json().catch(() => null));
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') ?? '';
    refuse(`The platform configuration is missing or has an invalid ${path || 'body'}.`, path || undefined);
  }
  const config = parsed.data;
  if (new URL(config.issuer).origin !== configUrl.origin)
    refuse('The issuer does not share the configuration URL origin.', 'issuer');
  if (!config.token_endpoint_auth_methods_supported.includes('private_key_jwt'))
    refuse('The platform does not support private_key_jwt.', 'token_endpoint_auth_methods_supported');
  if (!config.id_token_signing_alg_values_supported.includes('RS256'))
    refuse('The platform does not sign id_tokens with RS256.', 'id_token_signing_alg_values_supported');
  if (!config.response_types_supported.includes('id_token'))
    refuse('The platform does not support id_token responses.', 'response_types_supported');
  if (!config[PLATFORM_CONFIGURATION_CLAIM].messages_supported.some((m) => m.type === 'LtiResourceLinkRequest')) {
    refuse('The platform does not support LtiResourceLinkRequest.', `${PLATFORM_CONFIGURATION_CLAIM}.messages_supported`);
  }
  return config;
}

/**
 * Builds the client registration request for `config` (DR 1.0 §3.6): application_type web,
 * id_token responses, implicit + client_credentials, private_key_jwt, the AGS/NRPS scopes the
 * platform supports, and the LTI tool configuration (domain, target_link_uri, claims, messages
 * LtiResourceLinkRequest + LtiDeepLinkingRequest when supported, custom parameters incl. a
 * year_group substitution when the platform supports a candidate variable). Pure; never throws.
 */
export function buildToolRegistration(config: PlatformConfiguration, tool: ToolRegistrationOptions): Record<string, unknown> {
  const platform = config[PLATFORM_CONFIGURATION_CLAIM];
  const supported = new Set(config.scopes_supported);
  const scopes = supported.size === 0 ? WANTED_SCOPES : WANTED_SCOPES.filter((s) => supported.has(s));
  const claims =
    config.claims_supported.length === 0
      ? WANTED_CLAIMS
      : WANTED_CLAIMS.filter((c) => c === 'iss' || c === 'sub' || config.claims_supported.includes(c));
  const variables = new Set(platform.variables ?? []);
  const yearGroupVariable = (tool.yearGroupVariables ?? []).find((v) => variables.has(v.replace(/^\$/, '')) || variables.has(v));
  const custom: Record<string, string> = {
    ...(tool.customParameters ?? {}),
    ...(yearGroupVariable ? { year_group: yearGroupVariable.startsWith('$') ? yearGroupVariable : `$${yearGroupVariable}` } : {}),
  };
  const dl = platform.messages_supported.find((m) => m.type === 'LtiDeepLinkingRequest');
  const wantedPlacements = tool.deepLinkingPlacements ?? DEFAULT_DL_PLACEMENTS;
  const placements = (dl?.placements ?? []).filter((p) => wantedPlacements.includes(p));
  const launch = new URL(tool.launchUrl);
  const messages: Record<string, unknown>[] = [
    { type: 'LtiResourceLinkRequest', target_link_uri: tool.launchUrl, label: tool.clientName },
  ];
  if (dl) {
    messages.push({
      type: 'LtiDeepLinkingRequest',
      target_link_uri: tool.deepLinkingUrl ?? tool.launchUrl,
      label: tool.clientName,
      ...(placements.length > 0 ? { placements } : {}),
    });
  }
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: tool.loginUrl,
    redirect_uris: [...new Set([tool.launchUrl, tool.deepLinkingUrl ?? tool.launchUrl])],
    client_name: tool.clientName,
    jwks_uri: tool.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    ...(tool.logoUri ? { logo_uri: tool.logoUri } : {}),
    ...(tool.policyUri ? { policy_uri: tool.policyUri } : {}),
    ...(tool.tosUri ? { tos_uri: tool.tosUri } : {}),
    ...(tool.contacts ? { contacts: tool.contacts } : {}),
    [TOOL_CONFIGURATION_CLAIM]: {
      domain: launch.host,
      target_link_uri: tool.launchUrl,
      ...(tool.description ? { description: tool.description } : {}),
      claims,
      messages,
      ...(Object.keys(custom).length > 0 ? { custom_parameters: custom } : {}),
    },
  };
}

const RegistrationResponse = z.object({
  client_id: z.string().min(1),
  [TOOL_CONFIGURATION_CLAIM]: z.object({ deployment_id: z.string().min(1).optional() }).optional(),
});

/**
 * Runs the whole registration: fetch + validate the configuration, POST the client registration
 * with the Bearer registration token, parse the response into a registration record
 * (issuer, client_id, endpoints, `authTokenAudience` from `authorization_server`, the deployment id
 * when returned, frame origin = issuer origin, to be reviewed by the admin).
 * Throws LtiError `invalid_platform_configuration`, `registration_refused` (non-2xx or no
 * client_id; data.status) and LtiServiceError `network_error`.
 */
export async function registerWithPlatform(
  deps: { fetch: Fetch },
  input: { openidConfigurationUrl: string; registrationToken?: string; tool: ToolRegistrationOptions },
): Promise<DynamicRegistrationResult> {
  const config = await fetchPlatformConfiguration(deps, input.openidConfigurationUrl, input.registrationToken);
  const request = buildToolRegistration(config, input.tool);
  let res: Response;
  try {
    res = await deps.fetch(config.registration_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}),
      },
      body: JSON.stringify(request),
    });
  } catch (cause) {
    throw networkError(config.registration_endpoint, cause);
  }
  if (!res.ok) {
    throw new LtiError({
      code: 'registration_refused',
      reason: `The platform refused the registration (${res.status}).`,
      data: { status: res.status },
    });
  }
  const parsed = RegistrationResponse.safeParse(await res.json().catch(() => null));
  if (!parsed.success)
    throw new LtiError({
      code: 'registration_refused',
      reason: 'The platform answered without a client_id.',
      claim: 'client_id',
      data: { status: res.status },
    });
  const deploymentId = parsed.data[TOOL_CONFIGURATION_CLAIM]?.deployment_id;
  const platform = config[PLATFORM_CONFIGURATION_CLAIM];
  return {
    registration: {
      issuer: config.issuer,
      clientId: parsed.data.client_id,
      authLoginUrl: config.authorization_endpoint,
      tokenUrl: config.token_endpoint,
      jwksUrl: config.jwks_uri,
      ...(config.authorization_server ? { authTokenAudience: config.authorization_server } : {}),
      deploymentIds: deploymentId ? [deploymentId] : [],
      frameOrigins: [new URL(config.issuer).origin],
    },
    platform: { productFamilyCode: platform.product_family_code, ...(platform.version ? { version: platform.version } : {}) },
    request,
  };
}
