/**
 * MongoDB documents behind the LTI ports (lti/ports.ts) and the tool's view of LMS people and classes.
 * Everything a launch needs between requests lives here, never in process memory, so any server process can
 * answer any step (login on one, launch on another).
 */
import { Schema } from 'mongoose';

/** OIDC login state: single use, deleted on first use, expires after a few minutes (TTL index). */
export const loginStateSchema = new Schema(
  {
    _id: { type: String, required: true }, // the state value
    nonce: { type: String, required: true },
    registrationId: { type: String, required: true },
    targetLinkUri: { type: String, required: true },
    browserBindingKind: { type: String, enum: ['platform_storage', 'cookie', 'server_only'], required: true },
    bindingHash: String,
    storageTarget: String,
    platformOrigin: String,
    deploymentIdHint: String,
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
loginStateSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** id_token nonces seen, kept until the token they came in expires. The unique _id makes "seen" atomic. */
export const nonceSchema = new Schema(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
nonceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** The tool's signing keys. Public JWK in clear; the private key only encrypted with KEY_ENCRYPTION_SECRET. */
export const toolKeySchema = new Schema(
  {
    _id: { type: String, required: true }, // kid
    status: { type: String, enum: ['next', 'current', 'retiring', 'retired'], required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    encryptedPrivateKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    statusChangedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
toolKeySchema.index({ status: 1 });

/**
 * A deployment id seen in a launch from a known client but claimed by no school. Never accepted silently: an
 * admin claims it for a school (`npm run admin -- lti-deployment claim`).
 */
export const pendingDeploymentSchema = new Schema(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    deploymentId: { type: String, required: true },
    /** Registrations (and schools) already holding this issuer and client id: who is likely to claim it. */
    candidates: { type: [{ registrationId: String, schoolId: String, _id: false }], default: [] },
    firstSeenAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    attempts: { type: Number, default: 1 },
  },
  { versionKey: false },
);
pendingDeploymentSchema.index({ issuer: 1, clientId: 1, deploymentId: 1 }, { unique: true });

/** A one-time, expiring Dynamic Registration link that ties the new registration to one school. */
export const registrationLinkSchema = new Schema(
  {
    _id: { type: String, required: true }, // SHA-256 of the token in the link; the token itself is never stored
    schoolId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    platformId: { type: String, default: null },
  },
  { versionKey: false },
);
registrationLinkSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });

/**
 * A teacher's open Deep Linking request, between the launch and the answer: the verified launch (without
 * personal data) that `buildDeepLinkingResponse` needs. Expires after an hour.
 */
export const deepLinkSessionSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    userId: { type: String, required: true },
    launch: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
  },
  { versionKey: false },
);
deepLinkSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
