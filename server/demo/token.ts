/**
 * The token endpoint (Security Framework §4.1, RFC 7523 client authentication): client_credentials with a
 * private_key_jwt assertion signed by the tool, checked against the JWKS it registered. Bearer tokens are stored
 * hashed and live one hour.
 */
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { randomToken, sha256, type DemoContext } from './context.js';
import type { DemoRegistrationDoc } from './models.js';

const TOKEN_TTL_S = 3600;
const MAX_ASSERTION_LIFETIME_S = 3600;

/** An OAuth error (RFC 6749 §5.2), answered as `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const TokenRequest = z.object({
  grant_type: z.literal('client_credentials', { error: 'grant_type must be client_credentials' }),
  client_assertion_type: z.literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer', {
    error: 'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  }),
  client_assertion: z.string().min(1, 'client_assertion is required').max(8192),
  scope: z.string().min(1, 'scope is required').max(2048),
});

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * Verifies the client assertion and issues a bearer token for the requested scopes the registration holds.
 * @throws OAuthError invalid_request (400), invalid_client (401), invalid_scope (400).
 */
export async function issueToken(ctx: DemoContext, body: unknown): Promise<IssuedToken> {
  const parsed = TokenRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue?.path[0] === 'grant_type' ? 'unsupported_grant_type' : 'invalid_request';
    throw new OAuthError(400, code, parsed.error.issues.map((i) => i.message).join('; '));
  }
  const req = parsed.data;
  let unverified: { iss?: unknown; sub?: unknown };
  try {
    unverified = decodeJwt(req.client_assertion);
  } catch {
    throw new OAuthError(400, 'invalid_request', 'client_assertion is not a JWT.');
  }
  const clientId = typeof unverified.sub === 'string' ? unverified.sub : typeof unverified.iss === 'string' ? unverified.iss : '';
  const registration = clientId ? await ctx.models.Registration.findById(clientId).lean<DemoRegistrationDoc>() : null;
  if (!registration) throw new OAuthError(401, 'invalid_client', 'The assertion names no registered client.');

  let payload;
  try {
    ({ payload } = await jwtVerify(req.client_assertion, ctx.toolKeys(registration.jwksUri), {
      algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'],
      issuer: registration._id,
      subject: registration._id,
      audience: ctx.urls.token,
      requiredClaims: ['exp', 'iat', 'jti'],
      currentDate: ctx.now(),
      clockTolerance: 5,
    }));
  } catch (err) {
    throw new OAuthError(401, 'invalid_client', assertionProblem(err));
  }
  const exp = payload.exp ?? 0;
  const iat = payload.iat ?? 0;
  if (exp - iat > MAX_ASSERTION_LIFETIME_S)
    throw new OAuthError(401, 'invalid_client', 'The assertion lives longer than an hour.');
  // RFC 7523 §3: the jti may be used once; remember it until the assertion expires.
  try {
    await ctx.models.UsedId.create({
      _id: `jti:${registration._id}:${String(payload.jti)}`,
      expiresAt: new Date((exp + 60) * 1000),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw new OAuthError(401, 'invalid_client', 'The assertion jti was already used.');
    throw err;
  }
  const requested = req.scope.split(/\s+/).filter(Boolean);
  const granted = [...new Set(requested.filter((s) => registration.scopes.includes(s)))];
  if (granted.length === 0) throw new OAuthError(400, 'invalid_scope', 'None of the requested scopes is granted to this client.');
  const token = randomToken(32);
  await ctx.models.AccessToken.create({
    _id: sha256(token),
    clientId: registration._id,
    scopes: granted,
    expiresAt: new Date(ctx.now().getTime() + TOKEN_TTL_S * 1000),
  });
  ctx.logger.info({ clientId: registration._id, scopes: granted.length }, 'demo LMS issued a service token');
  return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_S, scope: granted.join(' ') };
}

function assertionProblem(err: unknown): string {
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The assertion ${err.claim} claim is not valid (${err.reason}).`;
  if (err instanceof joseErrors.JWTExpired) return 'The assertion has expired.';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'The assertion signature does not verify with the registered JWKS.';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'No key in the registered JWKS matches the assertion kid.';
  return 'The assertion could not be verified.';
}

export interface Grant {
  clientId: string;
  scopes: string[];
}

/** Looks up a bearer token from the Authorization header; null when missing, unknown or expired. */
export async function bearerGrant(ctx: DemoContext, authorization: string | undefined): Promise<Grant | null> {
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  const doc = await ctx.models.AccessToken.findById(sha256(match[1])).lean();
  if (!doc || doc.expiresAt <= ctx.now()) return null;
  return { clientId: doc.clientId, scopes: doc.scopes };
}
