/**
 * Deep Linking 2.0 response (§4.5): the signed JWT a tool returns to `deep_link_return_url`.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { Claim, LTI_VERSION } from './claims.js';
import { LtiError } from './errors.js';
import type { ToolSigner } from './keys.js';
import type { Launch } from './launch.js';
import type { Clock } from './ports.js';

/** A content item of type `ltiResourceLink` (Deep Linking 2.0 §3.2). */
export interface ResourceLinkItem {
  title: string;
  text?: string;
  /** Launch URL on the tool; omitted → the platform uses the tool's default target_link_uri. */
  url?: string;
  /** Custom parameters (string values), e.g. `{ module_id: 's1-we-build-it' }`. */
  custom?: Record<string, string>;
  /** Ask the platform to create a gradebook column for this link (dropped if accept_lineitem is false). */
  lineItem?: { scoreMaximum: number; label?: string; resourceId?: string; tag?: string };
  iframe?: { width?: number; height?: number };
  window?: { targetName?: string; width?: number; height?: number };
}

/** Options of {@link buildDeepLinkingResponse}. */
export interface DeepLinkingResponseOptions {
  /** Shown to the user by the platform. */
  msg?: string;
  log?: string;
  errorMsg?: string;
  errorLog?: string;
  /** JWT lifetime. Default 300 s. */
  lifetimeSeconds?: number;
}

/** What the adapter renders: an auto-submitting form POSTing `JWT` to `returnUrl`. */
export interface DeepLinkingResponse {
  returnUrl: string;
  jwt: string;
  /** Form fields to post (`{ JWT: jwt }`). */
  formFields: { JWT: string };
}

/**
 * Builds and signs the LtiDeepLinkingResponse for a verified LtiDeepLinkingRequest launch:
 * RS256 with the current tool key (kid header); iss = client_id, aud = platform issuer, nonce,
 * iat/exp, deployment_id, message_type, version, `data` echoed from the settings, content_items.
 * Respects accept_types (`ltiResourceLink` must be accepted unless `items` is empty),
 * accept_multiple and accept_lineitem (line items dropped when false).
 * Throws LtiError `deep_linking_not_accepted` (not a DL launch, type not accepted, too many items),
 * `no_signing_key`, `key_decryption_failed`.
 */
export async function buildDeepLinkingResponse(
  deps: { signer: ToolSigner; clock: Clock },
  launch: Launch,
  items: readonly ResourceLinkItem[],
  options: DeepLinkingResponseOptions = {},
): Promise<DeepLinkingResponse> {
  const settings = launch.deepLinking;
  if (launch.messageType !== 'LtiDeepLinkingRequest' || !settings) {
    throw new LtiError({
      code: 'deep_linking_not_accepted',
      reason: 'This launch is not a deep linking request.',
      claim: Claim.messageType,
    });
  }
  if (items.length > 0 && !settings.accept_types.includes('ltiResourceLink')) {
    throw new LtiError({
      code: 'deep_linking_not_accepted',
      reason: 'The platform does not accept LTI resource links here.',
      claim: `${Claim.deepLinkingSettings}.accept_types`,
    });
  }
  // Deep Linking 2.0 §4.4.1: accept_multiple absent means the platform's default; only false forbids.
  if (items.length > 1 && settings.accept_multiple === false) {
    throw new LtiError({
      code: 'deep_linking_not_accepted',
      reason: 'The platform accepts only one item here.',
      claim: `${Claim.deepLinkingSettings}.accept_multiple`,
    });
  }
  const acceptLineItem = settings.accept_lineitem !== false;
  const contentItems = items.map((item) => ({
    type: 'ltiResourceLink',
    title: item.title,
    ...(item.text ? { text: item.text } : {}),
    ...(item.url ? { url: item.url } : {}),
    ...(item.custom ? { custom: item.custom } : {}),
    ...(item.lineItem && acceptLineItem
      ? {
          lineItem: {
            scoreMaximum: item.lineItem.scoreMaximum,
            ...(item.lineItem.label ? { label: item.lineItem.label } : { label: item.title }),
            ...(item.lineItem.resourceId ? { resourceId: item.lineItem.resourceId } : {}),
            ...(item.lineItem.tag ? { tag: item.lineItem.tag } : {}),
          },
        }
      : {}),
    ...(item.iframe ? { iframe: item.iframe } : {}),
    ...(item.window ? { window: item.window } : {}),
  }));

  const key = await deps.signer.signingKey();
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const claims: Record<string, unknown> = {
    nonce: randomBytes(16).toString('base64url'),
    [Claim.deploymentId]: launch.tenant.deploymentId,
    [Claim.messageType]: 'LtiDeepLinkingResponse',
    [Claim.version]: LTI_VERSION,
    [Claim.deepLinkingContentItems]: contentItems,
    // §4.5.1: data MUST be echoed unchanged when the request carried it.
    ...(settings.data !== undefined ? { [Claim.deepLinkingData]: settings.data } : {}),
    ...(options.msg ? { [Claim.deepLinkingMsg]: options.msg } : {}),
    ...(options.log ? { [Claim.deepLinkingLog]: options.log } : {}),
    ...(options.errorMsg ? { [Claim.deepLinkingErrorMsg]: options.errorMsg } : {}),
    ...(options.errorLog ? { [Claim.deepLinkingErrorLog]: options.errorLog } : {}),
  };
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(launch.tenant.clientId)
    .setAudience(launch.tenant.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeSeconds ?? 300))
    .sign(key.privateKey);
  return { returnUrl: settings.deep_link_return_url, jwt, formFields: { JWT: jwt } };
}
