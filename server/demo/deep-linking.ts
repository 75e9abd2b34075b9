/**
 * Deep Linking 2.0, platform side: the return endpoint verifies the tool's LtiDeepLinkingResponse (signature
 * with the registered JWKS, iss = client_id, aud = our issuer, exp, nonce once, message type, version,
 * deployment, our `data`) and turns each ltiResourceLink content item into a resource link and, when asked, a
 * line item.
 */
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { LineItemInput, storeLineItem } from './ags.js';
import { Claim } from './claims.js';
import { randomToken, type DemoContext } from './context.js';
import type { DemoLaunchHintDoc, DemoRegistrationDoc } from './models.js';

const LineItemClaim = z.object({
  scoreMaximum: z.number().positive(),
  label: z.string().trim().min(1).max(255).optional(),
  resourceId: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  gradesReleased: z.boolean().optional(),
});

const ResourceLinkItem = z.object({
  type: z.literal('ltiResourceLink'),
  title: z.string().trim().max(255).optional(),
  text: z.string().max(5000).optional(),
  url: z.url().optional(),
  custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  lineItem: LineItemClaim.optional(),
});

const ContentItem = z.looseObject({ type: z.string() });

const DeepLinkingResponse = z.looseObject({
  [Claim.messageType]: z.literal('LtiDeepLinkingResponse', { error: 'message_type must be LtiDeepLinkingResponse' }),
  [Claim.version]: z.literal('1.3.0', { error: 'version must be 1.3.0' }),
  [Claim.deploymentId]: z.string({ error: 'deployment_id is required' }),
  [Claim.dlData]: z.string().optional(),
  [Claim.contentItems]: z.array(ContentItem).max(50).default([]),
  [Claim.dlMsg]: z.string().max(1000).optional(),
  [Claim.dlErrorMsg]: z.string().max(1000).optional(),
  nonce: z.string({ error: 'nonce is required' }).min(1).max(1024),
});

export interface DeepLinkingOutcome {
  courseId: string;
  created: { id: string; title: string; lineItem: boolean }[];
  ignored: number;
  message?: string;
  errorMessage?: string;
}

const refuse = (message: string, code = 'invalid_deep_linking_response') => new AppError({ status: 400, code, message });

/**
 * Verifies a deep linking response and stores its content items.
 * @throws AppError 400 invalid_deep_linking_response (with the reason), 403 when another user returns it.
 */
export async function acceptDeepLinkingResponse(
  ctx: DemoContext,
  jwt: unknown,
  sessionPersonId: string | null,
): Promise<DeepLinkingOutcome> {
  if (typeof jwt !== 'string' || jwt.length === 0 || jwt.length > 100_000) throw refuse('The form carries no JWT.');
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(jwt);
  } catch {
    throw refuse('JWT is not a JWT.');
  }
  const clientId = typeof unverified.iss === 'string' ? unverified.iss : '';
  const registration = clientId ? await ctx.models.Registration.findById(clientId).lean<DemoRegistrationDoc>() : null;
  if (!registration) throw refuse('The response is not from a registered tool (iss must be its client_id).');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, ctx.toolKeys(registration.jwksUri), {
      algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'PS256'],
      issuer: registration._id,
      audience: ctx.urls.issuer,
      requiredClaims: ['exp', 'iat'],
      currentDate: ctx.now(),
      clockTolerance: 5,
    }));
  } catch (err) {
    throw refuse(verificationProblem(err));
  }
  const parsed = DeepLinkingResponse.safeParse(payload);
  if (!parsed.success) throw refuse(parsed.error.issues.map((i) => i.message).join('; '));
  const res = parsed.data;
  if (res[Claim.deploymentId] !== registration.deploymentId)
    throw refuse('deployment_id is not the deployment of this registration.');
  const hintId = res[Claim.dlData];
  const hint = hintId ? await ctx.models.LaunchHint.findById(hintId).lean<DemoLaunchHintDoc>() : null;
  if (!hint || hint.messageType !== 'LtiDeepLinkingRequest' || hint.clientId !== registration._id) {
    throw refuse('data does not match a deep linking request of this platform.');
  }
  if (sessionPersonId !== null && sessionPersonId !== hint.personId) {
    throw new AppError({ status: 403, code: 'forbidden', message: 'This response belongs to another user’s request.' });
  }
  // DL 2.0 §4.2: the response nonce is single use; remember it for the token's lifetime.
  try {
    await ctx.models.UsedId.create({
      _id: `dl:${registration._id}:${res.nonce}`,
      expiresAt: new Date(((payload.exp as number) + 60) * 1000),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw refuse('nonce was already used.');
    throw err;
  }

  const toolOrigin = new URL(registration.targetLinkUri).origin;
  const created: DeepLinkingOutcome['created'] = [];
  let ignored = 0;
  for (const raw of res[Claim.contentItems]) {
    const item = ResourceLinkItem.safeParse(raw);
    // accept_types was ltiResourceLink only; anything else is skipped and counted.
    if (!item.success) {
      ignored += 1;
      continue;
    }
    const ci = item.data;
    if (ci.url && new URL(ci.url).origin !== toolOrigin) throw refuse(`Content item url ${ci.url} is not on the tool's origin.`);
    const title = ci.title || 'Waymark activity';
    const linkId = `rl-${randomToken(9)}`;
    await ctx.models.ResourceLink.create({
      _id: linkId,
      courseId: hint.courseId,
      clientId: registration._id,
      title,
      text: ci.text ?? '',
      url: ci.url ?? null,
      custom: ci.custom ?? {},
      isPlacement: false,
      createdAt: ctx.now(),
    });
    if (ci.lineItem) {
      const input = LineItemInput.parse({
        scoreMaximum: ci.lineItem.scoreMaximum,
        label: ci.lineItem.label ?? title,
        resourceLinkId: linkId,
        ...(ci.lineItem.resourceId ? { resourceId: ci.lineItem.resourceId } : {}),
        ...(ci.lineItem.tag ? { tag: ci.lineItem.tag } : {}),
        ...(ci.lineItem.gradesReleased !== undefined ? { gradesReleased: ci.lineItem.gradesReleased } : {}),
      });
      await storeLineItem(ctx, registration._id, hint.courseId, input);
    }
    created.push({ id: linkId, title, lineItem: Boolean(ci.lineItem) });
  }
  ctx.logger.info(
    { clientId: registration._id, courseId: hint.courseId, created: created.length, ignored },
    'demo LMS accepted a deep linking response',
  );
  return {
    courseId: hint.courseId,
    created,
    ignored,
    ...(res[Claim.dlMsg] ? { message: res[Claim.dlMsg] } : {}),
    ...(res[Claim.dlErrorMsg] ? { errorMessage: res[Claim.dlErrorMsg] } : {}),
  };
}

function verificationProblem(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The response has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The response ${err.claim} claim is not valid (${err.reason}).`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'The response signature does not verify with the tool’s registered keys.';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'No key of the tool’s registered JWKS matches the response kid.';
  return 'The response could not be verified.';
}
