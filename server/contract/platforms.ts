/**
 * Operator contract for LMS platform registrations, pending deployments and tool keys (admin CLI today, an admin
 * API later). No private key material appears in any of these shapes.
 */
import { z } from 'zod';
import { SchoolId } from './schools.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on a loopback host (a local LMS in development). */
function isSecureUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

/** An absolute https URL (http only on a loopback host). */
export const PlatformUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(isSecureUrl, 'must be an absolute https URL (http only for localhost)');

/** A page origin allowed to frame Waymark: scheme://host[:port], no path. Lower-cased. */
export const FrameOrigin = z
  .string()
  .trim()
  .regex(/^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i, 'must be an origin such as https://school.instructure.com (no path)')
  .refine(isSecureUrl, 'must be https (http only for localhost)')
  .transform((v) => v.toLowerCase());

/** LTI Core §5.1.1.2 (deployment_id) and §5.1.2 (client_id): case-sensitive strings of at most 255 characters. */
export const DeploymentId = z.string().trim().min(1, 'must not be empty').max(255);
export const ClientId = z.string().trim().min(1, 'must not be empty').max(255);
export const PlatformId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a platform id (24 hex characters)');

export const CreatePlatform = z.strictObject({
  schoolId: SchoolId,
  name: z.string().trim().max(200).default(''),
  issuer: PlatformUrl,
  clientId: ClientId,
  authLoginUrl: PlatformUrl,
  tokenUrl: PlatformUrl,
  jwksUrl: PlatformUrl,
  authTokenAudience: PlatformUrl.optional(),
  deploymentIds: z.array(DeploymentId).max(100).default([]),
  frameOrigins: z.array(FrameOrigin).max(50).default([]),
});
export type CreatePlatform = z.infer<typeof CreatePlatform>;

export const ListPlatforms = z.strictObject({ schoolId: SchoolId.optional() });
export type ListPlatforms = z.infer<typeof ListPlatforms>;

export const AddFrameOrigin = z.strictObject({ id: PlatformId, origin: FrameOrigin });
export type AddFrameOrigin = z.infer<typeof AddFrameOrigin>;

export const ClaimDeployment = z.strictObject({
  schoolId: SchoolId,
  issuer: PlatformUrl,
  clientId: ClientId,
  deploymentId: DeploymentId,
});
export type ClaimDeployment = z.infer<typeof ClaimDeployment>;

export const PlatformView = z.object({
  id: z.string(),
  schoolId: z.string(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  authLoginUrl: z.string(),
  tokenUrl: z.string(),
  jwksUrl: z.string(),
  authTokenAudience: z.string().nullable(),
  deploymentIds: z.array(z.string()),
  frameOrigins: z.array(z.string()),
  registeredBy: z.enum(['manual', 'dynamic']),
  createdAt: z.string().nullable(),
});
export type PlatformView = z.infer<typeof PlatformView>;

export const PendingDeploymentView = z.object({
  id: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  deploymentId: z.string(),
  /** Schools already holding this issuer and client id: the likely claimants. */
  candidates: z.array(z.object({ registrationId: z.string(), schoolId: z.string() })),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  attempts: z.number().int(),
});
export type PendingDeploymentView = z.infer<typeof PendingDeploymentView>;

export const ClaimResult = z.object({
  platform: PlatformView,
  /** A new registration was made for the school, copying another school's endpoints (Blackboard-style). */
  createdRegistration: z.boolean(),
  /** The school already held the deployment: nothing changed but the pending record. */
  alreadyClaimed: z.boolean(),
  pendingRemoved: z.boolean(),
});
export type ClaimResult = z.infer<typeof ClaimResult>;

/** A tool signing key as operators see it: identity, status and dates, never private material. */
export const ToolKeyView = z.object({
  kid: z.string(),
  status: z.enum(['next', 'current', 'retiring', 'retired']),
  /** Listed in the tool JWKS (next, current, retiring). */
  published: z.boolean(),
  createdAt: z.string(),
  statusChangedAt: z.string(),
});
export type ToolKeyView = z.infer<typeof ToolKeyView>;

export const KeyRotationResult = z.object({
  /** False when another process held the rotation lease; nothing was done. */
  ran: z.boolean(),
  steps: z.array(z.string()),
  keys: z.array(ToolKeyView),
});
export type KeyRotationResult = z.infer<typeof KeyRotationResult>;
