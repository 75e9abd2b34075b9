/**
 * Operator work on LMS platform registrations, pending deployments and the tool's signing keys. Used by the admin
 * CLI (server/cli/commands.ts) and meant for an admin API later: inputs are the parsed contract types, outputs the
 * contract views.
 *
 * The tenant key is (issuer, client_id, deployment_id): a deployment belongs to at most one school. Several schools
 * may hold registrations with the same (issuer, client_id) (Blackboard, inherited Canvas keys); the unique index on
 * Platform keeps a deployment from being held twice even when two operators race.
 */
import { rotateToolKeys, systemClock, type Clock, type RotationStep } from '../../../lti/index.js';
import type {
  ClaimDeployment,
  ClaimResult,
  CreatePlatform,
  KeyRotationResult,
  ListPlatforms,
  PendingDeploymentView,
  PlatformView,
  ToolKeyView,
  AddFrameOrigin,
} from '../../contract/platforms.js';
import { withLease } from '../../db/lease.js';
import type { Models } from '../../db/models.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { toolKeyStore } from '../lti/stores.js';
import type { PlatformDoc } from './model.js';

type PlatformLean = PlatformDoc & { _id: { toString(): string }; createdAt?: Date };

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

const deploymentClaimed = (deploymentId: string, schoolId: string) =>
  conflict('deployment_claimed', `Deployment "${deploymentId}" of this platform is already held by school "${schoolId}".`);

/** The allow-listed view of a registration. */
export function presentPlatform(doc: PlatformLean): PlatformView {
  return {
    id: doc._id.toString(),
    schoolId: doc.schoolId,
    name: doc.name,
    issuer: doc.issuer,
    clientId: doc.clientId,
    authLoginUrl: doc.authLoginUrl,
    tokenUrl: doc.tokenUrl,
    jwksUrl: doc.jwksUrl,
    authTokenAudience: doc.authTokenAudience ?? null,
    deploymentIds: [...doc.deploymentIds],
    frameOrigins: [...doc.frameOrigins],
    registeredBy: doc.registeredBy,
    createdAt: doc.createdAt ? doc.createdAt.toISOString() : null,
  };
}

async function assertSchoolExists(models: Models, schoolId: string): Promise<void> {
  if (!(await models.School.exists({ _id: schoolId }))) throw notFound('school');
}

/** The registration (of another school than `schoolId`) already holding one of `deploymentIds`, if any. */
async function holderElsewhere(
  models: Models,
  schoolId: string,
  key: { issuer: string; clientId: string; deploymentIds: string[] },
): Promise<{ deploymentId: string; schoolId: string } | null> {
  if (!key.deploymentIds.length) return null;
  const other = await models.Platform.findOne(
    { issuer: key.issuer, clientId: key.clientId, deploymentIds: { $in: key.deploymentIds }, schoolId: { $ne: schoolId } },
    { schoolId: 1, deploymentIds: 1 },
  ).lean();
  if (!other) return null;
  return { deploymentId: key.deploymentIds.find((d) => other.deploymentIds.includes(d)) ?? '', schoolId: other.schoolId };
}

/**
 * Registers a platform for a school by hand (when the LMS cannot do Dynamic Registration).
 * @throws AppError 404 not_found (school); 409 deployment_claimed when another school holds one of the deployments;
 * 409 platform_exists when the school already has a registration for this issuer and client id.
 */
export async function addPlatform(models: Models, input: CreatePlatform): Promise<PlatformView> {
  await assertSchoolExists(models, input.schoolId);
  const deploymentIds = [...new Set(input.deploymentIds)];
  const held = await holderElsewhere(models, input.schoolId, { ...input, deploymentIds });
  if (held) throw deploymentClaimed(held.deploymentId, held.schoolId);
  const own = await models.Platform.exists({ issuer: input.issuer, clientId: input.clientId, schoolId: input.schoolId });
  if (own)
    throw conflict(
      'platform_exists',
      `School "${input.schoolId}" already has a registration for this issuer and client id (${String(own._id)}); claim further deployments with lti-deployment claim.`,
    );
  try {
    const doc = await models.Platform.create({
      schoolId: input.schoolId,
      name: input.name,
      issuer: input.issuer,
      clientId: input.clientId,
      authLoginUrl: input.authLoginUrl,
      tokenUrl: input.tokenUrl,
      jwksUrl: input.jwksUrl,
      ...(input.authTokenAudience ? { authTokenAudience: input.authTokenAudience } : {}),
      deploymentIds,
      frameOrigins: [...new Set(input.frameOrigins)],
      registeredBy: 'manual',
    });
    return presentPlatform(doc.toObject());
  } catch (err) {
    // Another operator claimed the same deployment between our check and the insert: the unique index decides.
    if (isDuplicateKey(err))
      throw conflict('deployment_claimed', 'One of these deployments was claimed by another school meanwhile.');
    throw err;
  }
}

/** Registrations, optionally of one school, oldest first. */
export async function listPlatforms(models: Models, input: ListPlatforms = {}): Promise<PlatformView[]> {
  const docs = await models.Platform.find(input.schoolId ? { schoolId: input.schoolId } : {})
    .sort({ schoolId: 1, createdAt: 1 })
    .lean<PlatformLean[]>();
  return docs.map(presentPlatform);
}

/**
 * Allows one more LMS page origin to frame Waymark for this registration (CSP frame-ancestors). Idempotent.
 * @throws AppError 404 not_found (platform).
 */
export async function addFrameOrigin(models: Models, input: AddFrameOrigin): Promise<PlatformView> {
  const doc = await models.Platform.findOneAndUpdate(
    { _id: input.id },
    { $addToSet: { frameOrigins: input.origin } },
    { returnDocument: 'after' },
  ).lean<PlatformLean>();
  if (!doc) throw notFound('platform');
  return presentPlatform(doc);
}

/** Deployments seen in launches that no school has claimed, most recent first. */
export async function listPendingDeployments(models: Models): Promise<PendingDeploymentView[]> {
  const docs = await models.PendingDeployment.find().sort({ lastSeenAt: -1 }).lean();
  return docs.map((d) => ({
    id: String(d._id),
    issuer: d.issuer,
    clientId: d.clientId,
    deploymentId: d.deploymentId,
    candidates: d.candidates.map((c) => ({ registrationId: c.registrationId ?? '', schoolId: c.schoolId ?? '' })),
    firstSeenAt: d.firstSeenAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
    attempts: d.attempts,
  }));
}

/**
 * Gives a deployment to a school: adds it to the school's registration for (issuer, client id); when the school
 * has none but another school has one (Blackboard and inherited Canvas keys share one client id), creates the
 * school's own registration with a copy of those endpoints (frame origins are not copied: they are the other
 * school's LMS pages). Removes the pending record. Claiming a deployment the school already holds changes nothing.
 * @throws AppError 404 not_found (school), 404 platform_not_found (no registration for issuer + client id
 * anywhere: add one with lti-platform add), 409 deployment_claimed (another school holds it).
 */
export async function claimDeployment(models: Models, input: ClaimDeployment): Promise<ClaimResult> {
  await assertSchoolExists(models, input.schoolId);
  const key = { issuer: input.issuer, clientId: input.clientId };
  const held = await holderElsewhere(models, input.schoolId, { ...key, deploymentIds: [input.deploymentId] });
  if (held) throw deploymentClaimed(input.deploymentId, held.schoolId);

  const own = await models.Platform.findOne({ ...key, schoolId: input.schoolId }).lean<PlatformLean>();
  let doc: PlatformLean | null;
  let createdRegistration = false;
  const alreadyClaimed = Boolean(own?.deploymentIds.includes(input.deploymentId));
  try {
    if (own) {
      doc = await models.Platform.findOneAndUpdate(
        { _id: own._id, schoolId: input.schoolId },
        { $addToSet: { deploymentIds: input.deploymentId } },
        { returnDocument: 'after' },
      ).lean<PlatformLean>();
    } else {
      const template = await models.Platform.findOne(key).sort({ createdAt: 1 }).lean<PlatformLean>();
      if (!template)
        throw new AppError({
          status: 404,
          code: 'platform_not_found',
          message: 'No school has a registration for this issuer and client id. Register it first with lti-platform add.',
        });
      const created = await models.Platform.create({
        schoolId: input.schoolId,
        name: template.name,
        ...key,
        authLoginUrl: template.authLoginUrl,
        tokenUrl: template.tokenUrl,
        jwksUrl: template.jwksUrl,
        ...(template.authTokenAudience ? { authTokenAudience: template.authTokenAudience } : {}),
        deploymentIds: [input.deploymentId],
        frameOrigins: [],
        registeredBy: 'manual',
      });
      doc = created.toObject();
      createdRegistration = true;
    }
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('deployment_claimed', 'This deployment was claimed by another school meanwhile.');
    throw err;
  }
  if (!doc) throw notFound('platform');
  const removed = await models.PendingDeployment.deleteOne({ ...key, deploymentId: input.deploymentId });
  return { platform: presentPlatform(doc), createdRegistration, alreadyClaimed, pendingRemoved: removed.deletedCount > 0 };
}

const PUBLISHED = new Set(['next', 'current', 'retiring']);

/** The tool's signing keys: kid, status and dates only (the query never reads the sealed private key). */
export async function listToolKeys(models: Models): Promise<ToolKeyView[]> {
  const docs = await models.ToolKey.find({}, { status: 1, createdAt: 1, statusChangedAt: 1 }).sort({ createdAt: 1 }).lean();
  return docs.map((d) => ({
    kid: d._id,
    status: d.status,
    published: PUBLISHED.has(d.status),
    createdAt: d.createdAt.toISOString(),
    statusChangedAt: d.statusChangedAt.toISOString(),
  }));
}

/**
 * Runs the key rotation now (lti/keys.ts `rotateToolKeys`: generates a key when none signs, announces and promotes
 * the next one when due, retires old ones), under the same lease as the server's background job so the two never
 * race. Throws LtiError `key_decryption_failed` for a bad secret.
 */
export async function rotateKeysNow(deps: { models: Models; secret: string; clock?: Clock }): Promise<KeyRotationResult> {
  const clock = deps.clock ?? systemClock;
  const steps: RotationStep[] | undefined = await withLease(
    deps.models,
    'tool-key-rotation',
    60_000,
    () => rotateToolKeys({ keys: toolKeyStore(deps.models), clock, secret: deps.secret }),
    () => clock.now(),
  );
  return {
    ran: steps !== undefined,
    steps: (steps ?? []).map((s) => (s.type === 'generate' ? `generate ${s.status}` : `${s.kid}: ${s.from} → ${s.to}`)),
    keys: await listToolKeys(deps.models),
  };
}
