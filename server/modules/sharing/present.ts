/** Allow-list presenters for the sharing API. */
import type { AdviserView, AuditEntry, GrantView, InvitationView, PartnerView } from '../../contract/sharing.js';

export const presentPartner = (p: { _id: unknown; code: string; name: string }): PartnerView => ({
  id: String(p._id),
  code: p.code,
  name: p.name,
});

export const presentAdviser = (
  a: {
    _id: unknown;
    name: string;
    email?: string | null;
    partnerId?: string | null;
    passkeys: unknown[];
    passwordHash?: string | null;
    totpConfirmedAt?: Date | null;
  },
  lmsUserId: string | null,
): AdviserView => ({
  id: String(a._id),
  name: a.name,
  email: a.email ?? null,
  partnerId: a.partnerId ?? null,
  lmsUserId,
  signIn: { passkeys: a.passkeys.length, password: Boolean(a.passwordHash && a.totpConfirmedAt) },
});

export function presentGrant(
  g: {
    _id: unknown;
    adviserId?: string | null;
    partnerId?: string | null;
    kind: string;
    values: string[];
    capacity?: number | null;
    startsAt: Date;
    expiresAt: Date;
    revokedAt?: Date | null;
  },
  now: Date,
  pupils: number,
): GrantView {
  return {
    id: String(g._id),
    adviserId: g.adviserId ?? null,
    partnerId: g.partnerId ?? null,
    kind: g.kind as GrantView['kind'],
    values: g.values,
    capacity: g.capacity ?? null,
    startsAt: g.startsAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    revokedAt: g.revokedAt?.toISOString() ?? null,
    status: g.revokedAt ? 'revoked' : g.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
    pupils,
  };
}

export const presentInvitation = (i: {
  _id: string;
  adviserId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date | null;
  mailed?: boolean | null;
}): InvitationView => ({
  // A prefix of the link's hash names the invitation; the link itself is never shown again.
  id: i._id.slice(0, 12),
  adviserId: i.adviserId,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
  usedAt: i.usedAt?.toISOString() ?? null,
  mailed: Boolean(i.mailed),
});

const csvCell = (v: string) =>
  /[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v;

/** The audit log as CSV (RFC 4180; cells starting like a formula are quoted and prefixed so spreadsheets do not run them). */
export function auditCsv(rows: AuditEntry[]): string {
  const header = [
    'at',
    'adviser_name',
    'adviser_user_id',
    'adviser_account_id',
    'pupil_name',
    'pupil_id',
    'what',
    'grant_ids',
    'via_mentor',
  ];
  const lines = rows.map((r) =>
    [
      r.at,
      r.adviser.name ?? '',
      r.adviser.userId,
      r.adviser.accountId ?? '',
      r.pupil.name ?? '',
      r.pupil.id,
      r.what,
      r.grantIds.join(' '),
      String(r.viaMentor),
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
