import { Schema, type InferSchemaType } from 'mongoose';

/**
 * An LMS platform registration. It belongs to one school; the tenant key is (issuer, clientId, deploymentId),
 * never the issuer alone. `frameOrigins` are the LMS page origins allowed to frame Waymark (CSP frame-ancestors);
 * they can differ from the issuer (Canvas pages live on the school's own domain).
 */
export const platformSchema = new Schema(
  {
    schoolId: { type: String, required: true, index: true },
    name: { type: String, default: '' },
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    authLoginUrl: { type: String, required: true },
    tokenUrl: { type: String, required: true },
    authTokenAudience: { type: String },
    jwksUrl: { type: String, required: true },
    deploymentIds: { type: [String], default: [] },
    frameOrigins: { type: [String], default: [] },
    registeredBy: { type: String, enum: ['manual', 'dynamic'], default: 'manual' },
  },
  { timestamps: true, versionKey: false },
);
// The tenant key is (issuer, client_id, deployment_id): Blackboard shares one issuer and client id across schools,
// so two schools may hold registrations with the same (issuer, clientId) but never the same deployment.
platformSchema.index(
  { issuer: 1, clientId: 1, deploymentIds: 1 },
  { unique: true, partialFilterExpression: { deploymentIds: { $type: 'string' } } },
);
platformSchema.index({ issuer: 1, clientId: 1 });
platformSchema.index({ frameOrigins: 1 });

export type PlatformDoc = InferSchemaType<typeof platformSchema>;
