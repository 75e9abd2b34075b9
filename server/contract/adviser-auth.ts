/** Adviser sign-in outside the LMS: invitation, passkey or password + TOTP, choosing a school. */
import { z } from 'zod';

export const AdviserAuthLimits = { passwordMin: 12, passwordMax: 200, maxFailures: 5, lockMinutes: 15 } as const;

const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be an invitation token');
const TotpCode = z.string().regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app');
/** A WebAuthn response as @simplewebauthn/browser returns it; @simplewebauthn/server checks it in depth. */
const WebAuthnResponse = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string(),
  type: z.literal('public-key'),
  response: z.looseObject({}),
});

export const InviteToken = z.strictObject({ token: Token });

export const SetPassword = z.strictObject({
  password: z
    .string()
    .min(AdviserAuthLimits.passwordMin, `must be at least ${AdviserAuthLimits.passwordMin} characters`)
    .max(AdviserAuthLimits.passwordMax),
});
export type SetPassword = z.infer<typeof SetPassword>;

export const ConfirmTotp = z.strictObject({ code: TotpCode });

export const PasskeyAnswer = z.strictObject({ challengeId: z.string().min(10).max(100), response: WebAuthnResponse });
export type PasskeyAnswer = z.infer<typeof PasskeyAnswer>;

export const PasswordSignIn = z.strictObject({
  email: z.email('must be an e-mail address').max(320),
  password: z.string().min(1).max(AdviserAuthLimits.passwordMax),
  code: TotpCode,
});
export type PasswordSignIn = z.infer<typeof PasswordSignIn>;

export const EnterSchool = z.strictObject({
  token: z.string().min(10).max(2000),
  schoolId: z.string().min(1).max(100),
  lang: z.enum(['en', 'nl']).optional(),
});

export interface InvitationInfo {
  adviserName: string;
  schoolName: string;
  expiresAt: string;
  /** The account already has a sign-in (it serves another school): sign in instead of setting one up. */
  hasSignIn: boolean;
}
export interface TotpSetup {
  otpauthUri: string;
  secret: string;
}
/** A short-lived sign-in token: only for choosing a school (not a Waymark session). */
export interface SignedIn {
  token: string;
  expiresAt: string;
  name: string;
}
export interface AdviserSchool {
  id: string;
  name: string;
}
