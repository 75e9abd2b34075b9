/** Mongoose implementations of the LTI core's ports (lti/ports.ts). */
import type {
  LoginState,
  LoginStateStore,
  NonceStore,
  PlatformRegistration,
  RegistrationStore,
  ToolKeyRecord,
  ToolKeyStore,
} from '../../../lti/ports.js';
import type { Models } from '../../db/models.js';
import type { PlatformDoc } from '../platforms/model.js';

type PlatformLean = PlatformDoc & { _id: { toString(): string } };

export function toRegistration(doc: PlatformLean): PlatformRegistration {
  return {
    id: doc._id.toString(),
    schoolId: doc.schoolId,
    issuer: doc.issuer,
    clientId: doc.clientId,
    authLoginUrl: doc.authLoginUrl,
    tokenUrl: doc.tokenUrl,
    jwksUrl: doc.jwksUrl,
    ...(doc.authTokenAudience ? { authTokenAudience: doc.authTokenAudience } : {}),
    deploymentIds: [...doc.deploymentIds],
    frameOrigins: [...doc.frameOrigins],
  };
}

export function registrationStore(
  models: Models,
): RegistrationStore & { findById(id: string): Promise<PlatformRegistration | null> } {
  return {
    async findById(id: string) {
      if (!/^[0-9a-f]{24}$/.test(id)) return null;
      const doc = await models.Platform.findById(id).lean<PlatformLean>();
      return doc ? toRegistration(doc) : null;
    },
    async findByIssuerAndClientId(issuer, clientId) {
      // Usually one; several when a platform shares one client id across schools (Blackboard, inherited Canvas keys).
      const docs = await models.Platform.find({ issuer, clientId }).lean<PlatformLean[]>();
      return docs.map(toRegistration);
    },
    async findByIssuer(issuer) {
      const docs = await models.Platform.find({ issuer }).limit(2).lean<PlatformLean[]>();
      return docs.map(toRegistration);
    },
  };
}

export function loginStateStore(models: Models, now: () => Date = () => new Date()): LoginStateStore {
  const fromDoc = (doc: Record<string, unknown> | null): LoginState | null => {
    if (!doc) return null;
    const { _id: _state, expiresAt: _expires, ...rest } = doc;
    return rest as unknown as LoginState;
  };
  return {
    async save(state, value, expiresAt) {
      await models.LoginState.create({ _id: state, ...value, expiresAt });
    },
    async peek(state) {
      return fromDoc(await models.LoginState.findOne({ _id: state, expiresAt: { $gt: now() } }).lean());
    },
    async consume(state) {
      // Security Framework: state is single use. findOneAndDelete is atomic, so two racing launches cannot both win.
      return fromDoc(await models.LoginState.findOneAndDelete({ _id: state, expiresAt: { $gt: now() } }).lean());
    },
  };
}

export function nonceStore(models: Models): NonceStore {
  return {
    async consume(nonce, expiresAt) {
      try {
        await models.Nonce.create({ _id: nonce, expiresAt });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },
  };
}

export function toolKeyStore(models: Models): ToolKeyStore {
  return {
    async list() {
      const docs = await models.ToolKey.find().lean();
      return docs.map((d): ToolKeyRecord => ({
        kid: d._id,
        status: d.status,
        publicJwk: d.publicJwk as ToolKeyRecord['publicJwk'],
        encryptedPrivateKey: d.encryptedPrivateKey,
        createdAt: d.createdAt,
        statusChangedAt: d.statusChangedAt,
      }));
    },
    async insert(key) {
      await models.ToolKey.create({ _id: key.kid, ...key });
    },
    async setStatus(kid, status, at) {
      await models.ToolKey.updateOne({ _id: kid }, { $set: { status, statusChangedAt: at } });
    },
  };
}
