/**
 * LTI Dynamic Registration 1.0, platform side: the OpenID configuration with the LTI platform configuration
 * (§3.5), one-time registration tokens, and the registration endpoint that validates a tool's client
 * registration (§3.6), assigns client_id and deployment_id and answers with the stored registration.
 */
import { z } from 'zod';
import { Claim, PLATFORM_VERSION, PLACEMENTS, PRODUCT_FAMILY_CODE, SUBSTITUTION_VARIABLES, SUPPORTED_SCOPES } from './claims.js';
import { randomToken, sha256, type DemoContext } from './context.js';
import type { DemoRegistrationDoc } from './models.js';
import { OAuthError } from './token.js';

const REGISTRATION_TOKEN_TTL_MS = 60 * 60_000;
const SUPPORTED_MESSAGES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'];
const CLAIMS_SUPPORTED = ['iss', 'sub', 'aud', 'name', 'given_name', 'family_name', 'email'];

/** The platform's OpenID configuration (DR 1.0 §3.5.1, OpenID Connect Discovery 1.0). */
export function openidConfiguration(ctx: Pick<DemoContext, 'urls'>): Record<string, unknown> {
  const { urls } = ctx;
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.auth,
    token_endpoint: urls.token,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: urls.jwks,
    registration_endpoint: urls.registration,
    scopes_supported: ['openid', ...SUPPORTED_SCOPES],
    response_types_supported: ['id_token'],
    response_modes_supported: ['form_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: CLAIMS_SUPPORTED,
    [Claim.platformConfiguration]: {
      product_family_code: PRODUCT_FAMILY_CODE,
      version: PLATFORM_VERSION,
      messages_supported: [
        { type: 'LtiResourceLinkRequest', placements: [PLACEMENTS.courseNavigation] },
        { type: 'LtiDeepLinkingRequest', placements: [PLACEMENTS.contentArea] },
      ],
      variables: [...SUBSTITUTION_VARIABLES],
    },
  };
}

/** Issues a one-time registration token (stored as SHA-256, valid one hour), as an LMS admin's "add tool" does. */
export async function issueRegistrationToken(ctx: Pick<DemoContext, 'models' | 'now'>): Promise<string> {
  const token = randomToken(24);
  await ctx.models.RegistrationToken.create({
    _id: sha256(token),
    expiresAt: new Date(ctx.now().getTime() + REGISTRATION_TOKEN_TTL_MS),
  });
  return token;
}

const isLoopback = (u: URL) => u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
// https only, except on loopback where the demo itself runs on http.
const ToolUrl = z.url({ error: 'must be an absolute URL' }).refine((v) => {
  const u = new URL(v);
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u));
}, 'must use https (http only on loopback)');

const Message = z.object({
  type: z.string().min(1),
  target_link_uri: ToolUrl.optional(),
  label: z.string().max(200).optional(),
  placements: z.array(z.string().max(255)).max(20).optional(),
  custom_parameters: z.record(z.string(), z.string()).optional(),
});

export const ClientRegistration = z.object({
  application_type: z.literal('web', { error: 'application_type must be web' }),
  grant_types: z
    .array(z.string())
    .refine(
      (g) => g.includes('implicit') && g.includes('client_credentials'),
      'grant_types must include implicit and client_credentials',
    ),
  response_types: z.array(z.string()).refine((r) => r.includes('id_token'), 'response_types must include id_token'),
  initiate_login_uri: ToolUrl,
  redirect_uris: z.array(ToolUrl).min(1, 'at least one redirect_uri is required').max(20),
  client_name: z.string().trim().min(1, 'client_name is required').max(200),
  jwks_uri: ToolUrl,
  token_endpoint_auth_method: z.literal('private_key_jwt', { error: 'token_endpoint_auth_method must be private_key_jwt' }),
  scope: z.string().max(4096).default(''),
  logo_uri: ToolUrl.optional(),
  contacts: z.array(z.string().max(320)).max(10).optional(),
  [Claim.toolConfiguration]: z.object(
    {
      domain: z.string().min(1, 'domain is required').max(255),
      secondary_domains: z.array(z.string().max(255)).max(10).optional(),
      target_link_uri: ToolUrl,
      custom_parameters: z.record(z.string(), z.string()).optional(),
      description: z.string().max(2000).optional(),
      messages: z.array(Message).max(20).default([]),
      claims: z.array(z.string().max(100)).max(50).default([]),
    },
    { error: `${Claim.toolConfiguration} is required` },
  ),
});
export type ClientRegistration = z.infer<typeof ClientRegistration>;

/**
 * Registers a tool. The bearer registration token is consumed first, atomically, so it works once even when the
 * body is then refused (the admin starts over, as in real LMSs).
 * @throws OAuthError 401 invalid_token; 400 invalid_client_metadata / invalid_redirect_uri (RFC 7591 §3.2.2).
 */
export async function registerTool(
  ctx: DemoContext,
  authorization: string | undefined,
  body: unknown,
): Promise<Record<string, unknown>> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new OAuthError(401, 'invalid_token', 'A registration token (Authorization: Bearer) is required.');
  const used = await ctx.models.RegistrationToken.findOneAndUpdate(
    { _id: sha256(token), usedAt: null, expiresAt: { $gt: ctx.now() } },
    { $set: { usedAt: ctx.now() } },
  ).lean();
  if (!used) throw new OAuthError(401, 'invalid_token', 'The registration token is unknown, expired or already used.');

  const parsed = ClientRegistration.safeParse(body);
  if (!parsed.success) {
    throw new OAuthError(
      400,
      'invalid_client_metadata',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  }
  const reg = parsed.data;
  const tool = reg[Claim.toolConfiguration];
  const domains = [tool.domain, ...(tool.secondary_domains ?? [])].map((d) => d.toLowerCase());
  const onToolDomain = (url: string) => {
    const u = new URL(url);
    return domains.includes(u.host.toLowerCase()) || domains.includes(u.hostname.toLowerCase());
  };
  for (const url of [...reg.redirect_uris, tool.target_link_uri, reg.initiate_login_uri]) {
    if (!onToolDomain(url))
      throw new OAuthError(400, 'invalid_redirect_uri', `${url} is not on the tool's domain ${tool.domain}.`);
  }
  for (const m of tool.messages) {
    if (m.target_link_uri && !onToolDomain(m.target_link_uri))
      throw new OAuthError(400, 'invalid_client_metadata', `${m.type} target_link_uri is not on the tool's domain.`);
  }
  const requested = reg.scope.split(/\s+/).filter(Boolean);
  const scopes = requested.filter((s) => SUPPORTED_SCOPES.includes(s));
  const messages = tool.messages
    .filter((m) => SUPPORTED_MESSAGES.includes(m.type))
    .map((m) => ({
      messageType: m.type,
      targetLinkUri: m.target_link_uri ?? tool.target_link_uri,
      label: m.label ?? reg.client_name,
      placements: m.placements ?? [],
    }));
  if (!messages.some((m) => m.messageType === 'LtiResourceLinkRequest'))
    messages.unshift({
      messageType: 'LtiResourceLinkRequest',
      targetLinkUri: tool.target_link_uri,
      label: reg.client_name,
      placements: [],
    });

  const clientId = `demo-client-${randomToken(9)}`;
  const deploymentId = `demo-deployment-${randomToken(6)}`;
  const doc: DemoRegistrationDoc = {
    _id: clientId,
    deploymentId,
    clientName: reg.client_name,
    jwksUri: reg.jwks_uri,
    initiateLoginUri: reg.initiate_login_uri,
    redirectUris: reg.redirect_uris,
    targetLinkUri: tool.target_link_uri,
    domain: tool.domain,
    scopes,
    claims: tool.claims,
    messages,
    customParameters: tool.custom_parameters ?? {},
    request: reg,
    createdAt: ctx.now(),
  };
  await ctx.models.Registration.create(doc);
  ctx.logger.info({ clientId, deploymentId, scopes: scopes.length }, 'demo LMS registered a tool');
  // DR 1.0 §3.6.2: the response echoes the registration with client_id, and the deployment_id in the LTI tool
  // configuration; the scope is what the platform granted.
  return {
    client_id: clientId,
    application_type: reg.application_type,
    response_types: reg.response_types,
    grant_types: reg.grant_types,
    initiate_login_uri: reg.initiate_login_uri,
    redirect_uris: reg.redirect_uris,
    client_name: reg.client_name,
    jwks_uri: reg.jwks_uri,
    ...(reg.logo_uri ? { logo_uri: reg.logo_uri } : {}),
    token_endpoint_auth_method: reg.token_endpoint_auth_method,
    scope: scopes.join(' '),
    [Claim.toolConfiguration]: { ...tool, deployment_id: deploymentId },
  };
}
