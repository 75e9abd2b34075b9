/**
 * Sharing pupils with external advisers: partner organisations, adviser accounts, invitations, grants (by class,
 * year group or pupil; expiring, renewable, revocable), the consent policy and per-pupil consent, and the audit log.
 */
import { z } from 'zod';

export const SharingLimits = { nameMax: 200, valuesMax: 500, maxGrantDays: 731, inviteDays: 7 } as const;

const Id = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');
const DateTime = z.iso.datetime({ offset: true, error: 'must be a date-time (ISO 8601)' });
const Code = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and dashes')
  .max(60);

export const CreatePartner = z.strictObject({
  code: Code,
  name: z.string().trim().min(1).max(SharingLimits.nameMax),
});
export type CreatePartner = z.infer<typeof CreatePartner>;

export const CreateAdviser = z.strictObject({
  name: z.string().trim().min(1).max(SharingLimits.nameMax),
  email: z.email('must be an e-mail address').max(320).optional(),
  partnerId: Id.optional(),
});
export type CreateAdviser = z.infer<typeof CreateAdviser>;

/** Ties the account to the school's LMS adviser user (their Mentor launches), or unties it (null). */
export const LinkLmsUser = z.strictObject({ userId: Id.nullable() });
export type LinkLmsUser = z.infer<typeof LinkLmsUser>;

export const CreateGrant = z
  .strictObject({
    adviserId: Id.optional(),
    partnerId: Id.optional(),
    kind: z.enum(['class', 'yearGroup', 'pupil']),
    values: z.array(z.string().min(1).max(60)).min(1).max(SharingLimits.valuesMax),
    expiresAt: DateTime,
    capacity: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((g) => Boolean(g.adviserId) !== Boolean(g.partnerId), {
    error: 'share with an adviser or a partner organisation (one of them)',
    path: ['adviserId'],
  });
export type CreateGrant = z.infer<typeof CreateGrant>;

export const RenewGrant = z.strictObject({ expiresAt: DateTime });
export type RenewGrant = z.infer<typeof RenewGrant>;

export const SetPolicy = z.strictObject({
  consent: z.enum(['none', 'by-age']),
  pupilFromAge: z.number().int().min(0).max(19),
});
export type SetPolicy = z.infer<typeof SetPolicy>;

export const ConsentQuery = z.strictObject({
  classId: Id.optional(),
  yearGroup: z.string().max(40).optional(),
});
export type ConsentQuery = z.infer<typeof ConsentQuery>;

/** Staff record a parent's consent (or its withdrawal); a pupil gives or withdraws their own where allowed. */
export const RecordConsent = z.strictObject({
  kind: z.enum(['parent', 'pupil']),
  status: z.enum(['given', 'withdrawn']),
});
export type RecordConsent = z.infer<typeof RecordConsent>;

export const MyConsent = z.strictObject({ status: z.enum(['given', 'withdrawn']) });
export type MyConsent = z.infer<typeof MyConsent>;

export const AuditQuery = z.strictObject({
  adviserId: Id.optional(),
  pupilId: Id.optional(),
  from: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).optional(),
  to: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

// ---- Responses

export interface PartnerView {
  id: string;
  code: string;
  name: string;
}
export interface AdviserView {
  id: string;
  name: string;
  email: string | null;
  partnerId: string | null;
  /** The school's LMS adviser user this account is tied to, if any. */
  lmsUserId: string | null;
  signIn: { passkeys: number; password: boolean };
}
export interface GrantView {
  id: string;
  adviserId: string | null;
  partnerId: string | null;
  kind: 'class' | 'yearGroup' | 'pupil';
  values: string[];
  capacity: number | null;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  /** Pupils the grant covers now (before consent). */
  pupils: number;
}
export interface InvitationView {
  id: string;
  adviserId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  mailed: boolean;
}
export interface InvitationCreated {
  /** The link itself, shown once to pass on; null when it was mailed to the adviser. */
  url: string | null;
  expiresAt: string;
  mailed: boolean;
}
export interface PolicyView {
  consent: 'none' | 'by-age';
  pupilFromAge: number;
  isDefault: boolean;
}
export interface PupilConsentView {
  pupilId: string;
  name: string | null;
  yearGroup: string | null;
  /** Which consent sharing needs for this pupil (null: none). */
  required: 'parent' | 'pupil' | null;
  parent: { status: 'given' | 'withdrawn' | null; at: string | null };
  pupil: { status: 'given' | 'withdrawn' | null; at: string | null };
  /** Whether the required consent is in place. */
  satisfied: boolean;
}
export interface MyConsentView {
  required: 'parent' | 'pupil' | null;
  status: 'given' | 'withdrawn' | null;
  at: string | null;
  /** A pupil may give or withdraw their own consent when the policy asks for it. */
  canChange: boolean;
}
export interface AuditEntry {
  at: string;
  adviser: { userId: string; accountId: string | null; name: string | null };
  pupil: { id: string; name: string | null };
  what: string;
  grantIds: string[];
  viaMentor: boolean;
}
export interface SharingOptions {
  classes: { id: string; title: string | null; yearGroup: string | null }[];
  yearGroups: string[];
  pupils: { id: string; name: string | null; yearGroup: string | null }[];
  lmsAdvisers: { id: string; name: string | null }[];
}
export interface SharedPupil {
  id: string;
  name: string | null;
  yearGroup: string | null;
  /** The latest expiry of the grants that cover the pupil (null: only the LMS Mentor role). */
  until: string | null;
}
