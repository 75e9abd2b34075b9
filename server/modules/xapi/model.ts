/**
 * The Statement API's storage. Statements keep their JSON exactly as accepted (a string: extension keys are IRIs
 * full of dots) next to index fields computed at write time, so every query filter is one indexed equality on
 * `schoolId` + an array field + `stored`. Credentials are operator configuration (not pupil data) but still carry
 * the one school they may touch; everything else is tenant-scoped.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

/** A partner's key and secret for HTTP Basic on /xapi. The secret is kept only as an scrypt hash. */
export const lrsCredentialSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    /** `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` */
    secretHash: { type: String, required: true },
    schoolId: { type: String, required: true, index: true },
    /** all: a full LRS for the school; shared: only pupils the school shares with `partnerId`. */
    scope: { type: String, enum: ['all', 'shared'], required: true },
    partnerId: { type: String },
    read: { type: Boolean, required: true },
    write: { type: Boolean, required: true },
    label: { type: String, maxlength: 200 },
    revokedAt: { type: Date },
  },
  { timestamps: true, versionKey: false, collection: 'lrs_credentials' },
);

export const xapiStatementSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    /** Lower-case UUID. */
    statementId: { type: String, required: true },
    /** The statement as stored (with id, stored, authority, version), serialised. */
    json: { type: String, required: true },
    stored: { type: Date, required: true },
    voided: { type: Boolean, required: true, default: false },
    /** Set on voiding statements: the id of the statement they void. */
    voids: { type: String },
    /** The StatementRef object's id, for statements that target another statement (voiding ones included). */
    refId: { type: String },
    /** Comparison form (Data 2.3.1 statement comparison) to answer re-sends with 204/200 or 409. */
    signature: { type: String, required: true },
    /** `account.name` of an Agent actor: what a `shared` credential is limited by. */
    actorAccountName: { type: String },
    /** Agent/Group IFI keys of actor and object (the `agent` parameter), plus those of targeted statements. */
    agentKeys: { type: [String], default: [] },
    /** Every agent the statement mentions (related_agents=true). */
    relatedAgents: { type: [String], default: [] },
    verbIds: { type: [String], default: [] },
    /** The object's activity id (the `activity` parameter). */
    activityIds: { type: [String], default: [] },
    /** Every activity the statement mentions (related_activities=true). */
    relatedActivities: { type: [String], default: [] },
    registrations: { type: [String], default: [] },
    attachmentShas: { type: [String], default: [] },
    credentialKey: { type: String, required: true },
  },
  { versionKey: false, collection: 'xapi_statements' },
);
xapiStatementSchema.plugin(tenantScoped);
xapiStatementSchema.index({ schoolId: 1, statementId: 1 }, { unique: true });
xapiStatementSchema.index({ schoolId: 1, stored: -1, _id: -1 });
for (const field of ['agentKeys', 'relatedAgents', 'verbIds', 'activityIds', 'relatedActivities', 'registrations']) {
  xapiStatementSchema.index({ schoolId: 1, [field]: 1, stored: -1, _id: -1 });
}
xapiStatementSchema.index({ schoolId: 1, actorAccountName: 1, stored: -1, _id: -1 });
xapiStatementSchema.index({ schoolId: 1, refId: 1 }, { partialFilterExpression: { refId: { $type: 'string' } } });

/** Attachment bytes, by content hash: statements reference them through `attachments[].sha2`. */
export const xapiAttachmentSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    sha2: { type: String, required: true },
    contentType: { type: String, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false, collection: 'xapi_attachments' },
);
xapiAttachmentSchema.plugin(tenantScoped);
xapiAttachmentSchema.index({ schoolId: 1, sha2: 1 }, { unique: true });

/** State, activity profile and agent profile documents. Absent keys are '' so the unique index holds. */
export const xapiDocumentSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    kind: { type: String, enum: ['state', 'activityProfile', 'agentProfile'], required: true },
    activityId: { type: String, default: '' },
    agentKey: { type: String, default: '' },
    registration: { type: String, default: '' },
    docId: { type: String, required: true },
    contentType: { type: String, required: true },
    content: { type: Buffer, required: true },
    etag: { type: String, required: true },
    updated: { type: Date, required: true },
  },
  { versionKey: false, collection: 'xapi_documents' },
);
xapiDocumentSchema.plugin(tenantScoped);
xapiDocumentSchema.index({ schoolId: 1, kind: 1, activityId: 1, agentKey: 1, registration: 1, docId: 1 }, { unique: true });

/** The canonical definition of each activity the school's statements mention (Activities resource). */
export const xapiActivitySchema = new Schema(
  {
    schoolId: { type: String, required: true },
    activityId: { type: String, required: true },
    /** JSON of the merged definition. */
    definition: { type: String, default: '' },
  },
  { versionKey: false, collection: 'xapi_activities' },
);
xapiActivitySchema.plugin(tenantScoped);
xapiActivitySchema.index({ schoolId: 1, activityId: 1 }, { unique: true });

/** Every partner read, as data: which credential read what, with which query, how many records, when. */
export const xapiAccessLogSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    credentialKey: { type: String, required: true },
    partnerId: { type: String },
    scope: { type: String, required: true },
    resource: { type: String, required: true },
    query: { type: Schema.Types.Mixed, default: {} },
    count: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'xapi_access_logs' },
);
xapiAccessLogSchema.plugin(tenantScoped);
xapiAccessLogSchema.index({ schoolId: 1, at: -1 });

/** Lean documents return BSON Binary for Buffer paths; this gives the bytes back as a Buffer. */
export function bytesOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  const inner = (value as { buffer?: unknown }).buffer;
  if (inner instanceof Uint8Array) return Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength);
  throw new TypeError('not binary data');
}
