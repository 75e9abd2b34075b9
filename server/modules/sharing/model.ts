/**
 * Sharing pupils with external careers advisers. Partner organisations and adviser accounts live across schools
 * (one guidance service may serve several); everything a school decides (grants, consent policy, consent records,
 * the audit trail) is tenant-scoped, so nothing from one school is ever visible under another's grant.
 */
import { Schema } from 'mongoose';
import { tenantScoped } from '../../db/tenant-scoped.js';

export const GRANT_KINDS = ['class', 'yearGroup', 'pupil'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];
export const CONSENT_KINDS = ['parent', 'pupil'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/** A guidance organisation (careers service, partner charity). `code` is what partner LRS credentials name. */
export const partnerOrgSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true, maxlength: 200 },
    /** Schools that work with this organisation (which planners see it in their lists). */
    schools: { type: [String], default: [], index: true },
  },
  { timestamps: true, versionKey: false, collection: 'partner_orgs' },
);

/**
 * An external adviser, across schools. The e-mail address is the one we keep (adults only, for invitations).
 * `lmsLinks` tie the account to the User record it has in each school: an invite sign-in's own record, or the
 * school's LMS adviser (Mentor) user, so grants to the account also reach LTI launches.
 */
export const adviserAccountSchema = new Schema(
  {
    name: { type: String, required: true, maxlength: 200 },
    email: { type: String, lowercase: true, trim: true, maxlength: 320 },
    partnerId: { type: String },
    schools: { type: [String], default: [], index: true },
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- a field named `sub`, not String.prototype.sub
    lmsLinks: { type: [{ _id: false, schoolId: { type: String }, sub: { type: String } }], default: [] },
    passkeys: {
      type: [
        {
          _id: false,
          credentialId: { type: String, required: true },
          publicKey: { type: String, required: true },
          counter: { type: Number, required: true },
          transports: { type: [String], default: [] },
          createdAt: { type: Date, required: true },
        },
      ],
      default: [],
    },
    /** `scrypt$N$r$p$salt$hash` (base64url). */
    passwordHash: { type: String },
    /** The TOTP secret sealed with AES-256-GCM under KEY_ENCRYPTION_SECRET. */
    totpSealed: { type: String },
    /** Set when the adviser proved their authenticator app works (the password sign-in needs it). */
    totpConfirmedAt: { type: Date },
    /** The last accepted TOTP time step: a code is accepted once. */
    totpLastStep: { type: Number },
    failedSignIns: { type: Number, default: 0 },
    lockedUntil: { type: Date },
  },
  { timestamps: true, versionKey: false, collection: 'adviser_accounts' },
);
adviserAccountSchema.index({ email: 1 }, { unique: true, partialFilterExpression: { email: { $type: 'string' } } });
adviserAccountSchema.index({ 'lmsLinks.sub': 1 });
adviserAccountSchema.index({ 'passkeys.credentialId': 1 });

/** A school shares pupils (by class, year group or pupil) with an adviser or a partner organisation, until expiry. */
export const sharingGrantSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    adviserId: { type: String },
    partnerId: { type: String },
    kind: { type: String, enum: GRANT_KINDS, required: true },
    /** Class ids, year-group codes or pupil (User) ids, by kind. */
    values: { type: [String], required: true },
    /** How many pupils the adviser will case-manage for this school under this grant (for demand vs capacity). */
    capacity: { type: Number },
    startsAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    createdBy: { type: String, required: true },
    renewals: { type: [{ _id: false, at: Date, by: String, from: Date, to: Date }], default: [] },
  },
  { timestamps: true, versionKey: false, collection: 'sharing_grants' },
);
sharingGrantSchema.plugin(tenantScoped);
sharingGrantSchema.index({ schoolId: 1, adviserId: 1, expiresAt: 1 });
sharingGrantSchema.index({ schoolId: 1, partnerId: 1, expiresAt: 1 });

/**
 * Whether sharing needs consent. `by-age`: parental consent below `pupilFromAge`, the pupil's own from that age
 * (age = the lower bound of the year group's typical age, see consent-age.ts). No document = the default policy.
 */
export const sharingPolicySchema = new Schema(
  {
    schoolId: { type: String, required: true, unique: true },
    consent: { type: String, enum: ['none', 'by-age'], required: true },
    pupilFromAge: { type: Number, required: true, min: 0, max: 19 },
    updatedBy: { type: String },
  },
  { timestamps: true, versionKey: false, collection: 'sharing_policies' },
);
sharingPolicySchema.plugin(tenantScoped);

/** A pupil's (or their parent's) consent to sharing with external partners, with its history. */
export const sharingConsentSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    kind: { type: String, enum: CONSENT_KINDS, required: true },
    status: { type: String, enum: ['given', 'withdrawn'], required: true },
    givenAt: { type: Date },
    withdrawnAt: { type: Date },
    history: {
      type: [{ _id: false, status: String, at: Date, by: String, role: String }],
      default: [],
    },
  },
  { timestamps: true, versionKey: false, collection: 'sharing_consents' },
);
sharingConsentSchema.plugin(tenantScoped);
sharingConsentSchema.index({ schoolId: 1, pupilId: 1, kind: 1 }, { unique: true });

/** The audit trail: one immutable document per adviser view of a pupil's data. */
export const adviserViewSchema = new Schema(
  {
    schoolId: { type: String, required: true },
    adviserUserId: { type: String, required: true },
    adviserAccountId: { type: String },
    pupilId: { type: String, required: true },
    what: { type: String, required: true, maxlength: 80 },
    at: { type: Date, required: true },
    grantIds: { type: [String], default: [] },
    viaMentor: { type: Boolean, default: false },
  },
  { versionKey: false, collection: 'adviser_views' },
);
adviserViewSchema.plugin(tenantScoped);
adviserViewSchema.index({ schoolId: 1, at: -1 });
adviserViewSchema.index({ schoolId: 1, adviserUserId: 1, at: -1 });
adviserViewSchema.index({ schoolId: 1, pupilId: 1, at: -1 });
