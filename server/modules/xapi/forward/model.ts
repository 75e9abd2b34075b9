/**
 * Forwarding a school's statements to its own Learning Record Stores. One document per destination holds its
 * configuration (secrets sealed with KEY_ENCRYPTION_SECRET), its cursor over `xapi_statements`, its lease and
 * its delivery status; one document per statement that could not be delivered holds the dead letter.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../../db/tenant-scoped.js';

export const lrsDestinationSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 200 },
    /** No trailing slash: resources are `${endpoint}/statements`, `${endpoint}/about`. */
    endpoint: { type: String, required: true },
    auth: {
      kind: { type: String, enum: ['basic', 'oauth2'], required: true },
      /** HTTP Basic key (basic). */
      key: { type: String },
      tokenUrl: { type: String },
      clientId: { type: String },
      scope: { type: String },
      /** The basic secret or OAuth2 client secret, sealed (AES-256-GCM, see lti/keys.ts). */
      sealedSecret: { type: String, required: true },
    },
    /** The OAuth2 access token, sealed, shared by every process until it expires. */
    token: { sealed: { type: String }, expiresAt: { type: Date } },
    filters: {
      statements: { type: String, enum: ['all', 'waymark'], default: 'all' },
      verbs: { type: [String], default: [] },
      pupils: { type: String, enum: ['all', 'shared'], default: 'all' },
      partnerId: { type: String },
    },
    status: { type: String, enum: ['active', 'paused'], required: true, default: 'active' },
    pausedReason: { type: String },
    pausedAt: { type: Date },
    /** When the destination last became active (created or resumed): dead-letter ages never start before it. */
    activeSince: { type: Date, required: true },
    deadLetterAfterMs: { type: Number, required: true },
    /**
     * Everything up to (stored, id) in `xapi_statements` order was delivered, dead-lettered or filtered out.
     * Absent: from the school's first statement.
     */
    cursor: { stored: { type: Date }, id: { type: Schema.Types.ObjectId } },
    /** Which process may send for this destination now (fenced: every state write checks the holder). */
    lease: { holder: { type: String }, until: { type: Date } },
    /** From the LRS's /about: '2.0.0' when it lists a 2.0 version, else '1.0.3'. */
    version: { type: String, enum: ['1.0.3', '2.0.0'] },
    versionCheckedAt: { type: Date },
    /** Learned from 413 answers: the largest batch this LRS takes. */
    maxBatch: { type: Number },
    nextAttemptAt: { type: Date },
    failures: { type: Number, default: 0 },
    failingSince: { type: Date },
    lastAttemptAt: { type: Date },
    lastSuccessAt: { type: Date },
    lastError: {
      at: { type: Date },
      code: { type: String },
      status: { type: Number },
      message: { type: String },
    },
    delivered: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false, collection: 'lrs_destinations' },
);
// Operator configuration like LRS credentials (the worker scans every school's due destinations), so not
// tenant-scoped by plugin; every service query still names the school.
lrsDestinationSchema.index({ schoolId: 1, createdAt: 1 });
lrsDestinationSchema.index({ status: 1, nextAttemptAt: 1 });

/** A statement one destination could not take (rejected, conflicting, too large, or undeliverable too long). */
export const lrsDeadLetterSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    destinationId: { type: Schema.Types.ObjectId, required: true },
    /** `_id` of the statement's document in `xapi_statements`. */
    statementRef: { type: Schema.Types.ObjectId, required: true },
    statementId: { type: String, required: true },
    stored: { type: Date, required: true },
    /** rejected (400), conflict (409), too_large (413), expired (undeliverable past the destination's limit). */
    reason: { type: String, required: true },
    detail: { type: String, default: '' },
    /** dead: waiting for a planner; replay: queued to be sent again. */
    status: { type: String, enum: ['dead', 'replay'], required: true },
    deadAt: { type: Date, required: true },
    replayRequestedAt: { type: Date },
    attempts: { type: Number, default: 1 },
  },
  { versionKey: false, collection: 'lrs_dead_letters' },
);
lrsDeadLetterSchema.plugin(tenantScoped);
lrsDeadLetterSchema.index({ schoolId: 1, destinationId: 1, statementRef: 1 }, { unique: true });
lrsDeadLetterSchema.index({ schoolId: 1, destinationId: 1, status: 1, stored: 1, statementRef: 1 });
