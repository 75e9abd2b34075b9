/**
 * Adviser sign-in outside the LMS. A planner's one-time, expiring invitation lets the adviser set up a passkey
 * (WebAuthn, @simplewebauthn/server) or a password plus a TOTP second factor (otplib); afterwards they sign in with
 * either, choose one of the schools with an active grant, and get a Waymark session exactly like an LTI launch:
 * a launch token with role 'adviser' for a User record of that school (source 'invite').
 */
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { jwtVerify, SignJWT } from 'jose';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import { Types } from 'mongoose';
import { decryptPrivateKey, encryptPrivateKey } from '../../../lti/index.js';
import type { Config } from '../../config.js';
import {
  AdviserAuthLimits,
  type AdviserSchool,
  type InvitationInfo,
  type PasskeyAnswer,
  type PasswordSignIn,
  type SignedIn,
  type TotpSetup,
} from '../../contract/adviser-auth.js';
import { SharingLimits, type InvitationCreated } from '../../contract/sharing.js';
import type { Models } from '../../db/models.js';
import { AppError, notFound, unauthorized } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { signLaunchToken, type LaunchClaims } from '../../http/launch-token.js';
import { assertPlanner, findAdviser } from '../sharing/service.js';
import { mailer, type Mail } from './mail.js';
import { hashPassword, verifyPassword } from './password.js';

export interface AdviserAuthDeps {
  models: Models;
  config: Config;
  launchKey: Uint8Array;
  clock: { now(): Date };
  /** Overrides the SMTP sender (tests); null: no mail. */
  sendMail?: ((mail: Mail) => Promise<void>) | null;
}

const SIGNIN_TTL_SECONDS = 15 * 60;
const CHALLENGE_TTL_MS = 5 * 60_000;
/** The invite sign-in's own User record in each school: not an LMS user. */
export const INVITE_PLATFORM = 'adviser-invite';
export const inviteSub = (accountId: string) => `adviser:${accountId}`;

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
const gone = (message: string) => new AppError({ status: 410, code: 'invitation_unusable', message });
const refused = () =>
  new AppError({ status: 401, code: 'sign_in_failed', message: 'That did not work. Check your details and try again.' });
const rp = (config: Config) => {
  const url = new URL(config.publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'Waymark' };
};

// ------------------------------------------------------------------------------------------ invitations

/**
 * Creates a one-time invitation link for an adviser of this school (valid 7 days) and mails it when SMTP is set up
 * and the adviser has an e-mail address; otherwise the planner gets the link to pass on.
 * @throws AppError 403 for non-planners; 404 for an adviser this school does not work with.
 */
export async function createInvitation(
  deps: AdviserAuthDeps,
  ctx: RequestContext,
  adviserId: string,
): Promise<InvitationCreated & { id: string }> {
  assertPlanner(ctx);
  const adviser = await findAdviser(deps.models, ctx, adviserId);
  const now = deps.clock.now();
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SharingLimits.inviteDays * 86_400_000);
  const url = `${deps.config.publicUrl}/adviser-signin/invite/${token}`;
  const send = deps.sendMail === undefined ? mailer(deps.config) : deps.sendMail;
  const school = await deps.models.School.findById(ctx.schoolId, { name: 1 }).lean();
  let mailed = false;
  if (send && adviser.email) {
    await send({
      to: adviser.email,
      subject: `Waymark: ${school?.name ?? 'a school'} invites you as a careers adviser`,
      text: `${school?.name ?? 'A school'} has invited you to see the pupils it shares with you in Waymark.\n\nSet up your sign-in (the link works once, until ${expiresAt.toUTCString()}):\n${url}\n`,
    });
    mailed = true;
  }
  await deps.models.AdviserInvite.create({
    _id: hash(token),
    schoolId: ctx.schoolId,
    adviserId: String(adviser._id),
    createdBy: ctx.actor.id,
    createdAt: now,
    expiresAt,
    mailed,
  });
  return { id: hash(token).slice(0, 12), url: mailed ? null : url, expiresAt: expiresAt.toISOString(), mailed };
}

export async function listInvitations({ models }: Pick<AdviserAuthDeps, 'models'>, ctx: RequestContext) {
  assertPlanner(ctx);
  return models.AdviserInvite.find({ schoolId: ctx.schoolId }).sort({ createdAt: -1 }).limit(200).lean();
}

async function usableInvite(deps: AdviserAuthDeps, token: string) {
  const invite = await deps.models.AdviserInvite.findById(hash(token)).lean();
  if (!invite) throw notFound('invitation');
  if (invite.usedAt) throw gone('This invitation link has been used. Sign in instead, or ask the school for a new link.');
  if (invite.expiresAt.getTime() <= deps.clock.now().getTime())
    throw gone('This invitation link has expired. Ask the school for a new one.');
  const account = Types.ObjectId.isValid(invite.adviserId)
    ? await deps.models.AdviserAccount.findById(invite.adviserId).lean()
    : null;
  if (!account) throw notFound('invitation');
  return { invite, account };
}

const hasSignIn = (account: { passkeys: unknown[]; totpConfirmedAt?: Date | null }) =>
  account.passkeys.length > 0 || Boolean(account.totpConfirmedAt);

/** What the invitation page shows. @throws AppError 404 unknown link; 410 used or expired. */
export async function inspectInvitation(deps: AdviserAuthDeps, token: string): Promise<InvitationInfo> {
  const { invite, account } = await usableInvite(deps, token);
  const school = await deps.models.School.findById(invite.schoolId, { name: 1 }).lean();
  return {
    adviserName: account.name,
    schoolName: school?.name ?? invite.schoolId,
    expiresAt: invite.expiresAt.toISOString(),
    hasSignIn: hasSignIn(account),
  };
}

/** Uses the invitation up (atomically: a link works once). @throws AppError 410 when it was used meanwhile. */
async function consumeInvite(deps: AdviserAuthDeps, token: string): Promise<void> {
  const used = await deps.models.AdviserInvite.findOneAndUpdate(
    { _id: hash(token), usedAt: null, expiresAt: { $gt: deps.clock.now() } },
    { $set: { usedAt: deps.clock.now() } },
  );
  if (!used) throw gone('This invitation link has been used. Sign in instead, or ask the school for a new link.');
}

// -------------------------------------------------------------------------------------------- passkeys

async function storeChallenge(
  deps: AdviserAuthDeps,
  purpose: 'register' | 'authenticate',
  challenge: string,
  adviserId?: string,
) {
  const id = randomBytes(18).toString('base64url');
  await deps.models.AdviserChallenge.create({
    _id: id,
    purpose,
    challenge,
    ...(adviserId ? { adviserId } : {}),
    expiresAt: new Date(deps.clock.now().getTime() + CHALLENGE_TTL_MS),
  });
  return id;
}

async function takeChallenge(deps: AdviserAuthDeps, id: string, purpose: 'register' | 'authenticate') {
  // A challenge answers once: taken and removed in one step.
  const found = await deps.models.AdviserChallenge.findOneAndDelete({
    _id: id,
    purpose,
    expiresAt: { $gt: deps.clock.now() },
  }).lean();
  if (!found) throw refused();
  return found;
}

/** Passkey registration options for the invitation's adviser. @throws AppError 404/410 for a bad link. */
export async function passkeyRegistrationOptions(deps: AdviserAuthDeps, token: string) {
  const { account } = await usableInvite(deps, token);
  const { rpID, rpName } = rp(deps.config);
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: account.email ?? account.name,
    userDisplayName: account.name,
    userID: new TextEncoder().encode(String(account._id)),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    excludeCredentials: account.passkeys.map((p) => ({ id: p.credentialId })),
  });
  return { challengeId: await storeChallenge(deps, 'register', options.challenge, String(account._id)), options };
}

/**
 * Verifies the new passkey (origin, RP id, challenge), stores it, uses up the invitation and signs the adviser in.
 * @throws AppError 401 for a failed verification; 404/410 for a bad link.
 */
export async function registerPasskey(deps: AdviserAuthDeps, token: string, answer: PasskeyAnswer): Promise<SignedIn> {
  const { account } = await usableInvite(deps, token);
  const challenge = await takeChallenge(deps, answer.challengeId, 'register');
  if (challenge.adviserId !== String(account._id)) throw refused();
  const { rpID, origin } = rp(deps.config);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: answer.response as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch {
    throw refused();
  }
  if (!verification.verified) throw refused();
  const { credential } = verification.registrationInfo;
  await consumeInvite(deps, token);
  await deps.models.AdviserAccount.updateOne(
    { _id: account._id },
    {
      $push: {
        passkeys: {
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString('base64url'),
          counter: credential.counter,
          transports: credential.transports ?? [],
          createdAt: deps.clock.now(),
        },
      },
    },
  );
  return signedIn(deps, String(account._id), account.name);
}

/** Options for signing in with a passkey (discoverable credentials: no user name first). */
export async function passkeyAuthenticationOptions(deps: AdviserAuthDeps) {
  const options = await generateAuthenticationOptions({ rpID: rp(deps.config).rpID, userVerification: 'preferred' });
  return { challengeId: await storeChallenge(deps, 'authenticate', options.challenge), options };
}

/** Signs in with a passkey. @throws AppError 401 unknown passkey or failed verification (a counter that went back included). */
export async function signInWithPasskey(deps: AdviserAuthDeps, answer: PasskeyAnswer): Promise<SignedIn> {
  const challenge = await takeChallenge(deps, answer.challengeId, 'authenticate');
  const account = await deps.models.AdviserAccount.findOne({ 'passkeys.credentialId': answer.response.id }).lean();
  const passkey = account?.passkeys.find((p) => p.credentialId === answer.response.id);
  if (!account || !passkey) throw refused();
  const { rpID, origin } = rp(deps.config);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: answer.response as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: false,
    });
  } catch {
    throw refused();
  }
  if (!verification.verified) throw refused();
  await deps.models.AdviserAccount.updateOne(
    { _id: account._id, 'passkeys.credentialId': passkey.credentialId },
    { $set: { 'passkeys.$.counter': verification.authenticationInfo.newCounter, failedSignIns: 0 } },
  );
  return signedIn(deps, String(account._id), account.name);
}

// ------------------------------------------------------------------------------------ password + TOTP

/**
 * Sets the password (scrypt) and a new TOTP secret (sealed with KEY_ENCRYPTION_SECRET) for the invitation's
 * adviser; the invitation stays open until the first code proves the authenticator app works.
 * @throws AppError 404/410 bad link; 409 when the account already has a sign-in.
 */
export async function setPassword(deps: AdviserAuthDeps, token: string, password: string): Promise<TotpSetup> {
  const { account } = await usableInvite(deps, token);
  if (hasSignIn(account))
    throw new AppError({ status: 409, code: 'already_set_up', message: 'You already have a sign-in. Sign in instead.' });
  const secret = generateSecret();
  const id = String(account._id);
  await deps.models.AdviserAccount.updateOne(
    { _id: account._id },
    {
      $set: {
        passwordHash: await hashPassword(password),
        totpSealed: encryptPrivateKey(secret, deps.config.keyEncryptionSecret, `totp:${id}`),
      },
      $unset: { totpLastStep: 1 },
    },
  );
  return { secret, otpauthUri: generateURI({ issuer: 'Waymark', label: account.email ?? account.name, secret }) };
}

/** Accepts a TOTP code at most once (time step after the last accepted one), within ±1 period of the clock. */
async function checkTotp(
  deps: AdviserAuthDeps,
  account: { _id: unknown; totpSealed?: string | null; totpLastStep?: number | null },
  code: string,
) {
  if (!account.totpSealed) return false;
  const secret = decryptPrivateKey(account.totpSealed, deps.config.keyEncryptionSecret, `totp:${String(account._id)}`);
  const result = await verifyTotp({
    secret,
    token: code,
    epoch: Math.floor(deps.clock.now().getTime() / 1000),
    epochTolerance: 30,
    ...(typeof account.totpLastStep === 'number' ? { afterTimeStep: account.totpLastStep } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return false;
  await deps.models.AdviserAccount.updateOne({ _id: account._id }, { $set: { totpLastStep: result.timeStep } });
  return true;
}

function assertNotLocked(deps: AdviserAuthDeps, account: { lockedUntil?: Date | null }) {
  if (account.lockedUntil && account.lockedUntil.getTime() > deps.clock.now().getTime())
    throw new AppError({ status: 429, code: 'too_many_attempts', message: 'Too many failed attempts. Try again in 15 minutes.' });
}

async function recordFailure(deps: AdviserAuthDeps, account: { _id: unknown; failedSignIns?: number | null }) {
  const failures = (account.failedSignIns ?? 0) + 1;
  const lock = failures >= AdviserAuthLimits.maxFailures;
  await deps.models.AdviserAccount.updateOne(
    { _id: account._id },
    lock
      ? { $set: { failedSignIns: 0, lockedUntil: new Date(deps.clock.now().getTime() + AdviserAuthLimits.lockMinutes * 60_000) } }
      : { $inc: { failedSignIns: 1 } },
  );
}

/**
 * Confirms the authenticator app with its first code, uses up the invitation and signs the adviser in.
 * @throws AppError 401 wrong code; 429 after too many failures; 404/410 bad link; 400 before a password is set.
 */
export async function confirmTotp(deps: AdviserAuthDeps, token: string, code: string): Promise<SignedIn> {
  const { account } = await usableInvite(deps, token);
  assertNotLocked(deps, account);
  if (!account.passwordHash || !account.totpSealed)
    throw new AppError({ status: 400, code: 'password_first', message: 'Choose a password first.' });
  if (!(await checkTotp(deps, account, code))) {
    await recordFailure(deps, account);
    throw refused();
  }
  await consumeInvite(deps, token);
  await deps.models.AdviserAccount.updateOne(
    { _id: account._id },
    { $set: { totpConfirmedAt: deps.clock.now(), failedSignIns: 0 } },
  );
  return signedIn(deps, String(account._id), account.name);
}

/**
 * Signs in with e-mail, password and TOTP code. Failures count per account; after five the account is locked for
 * 15 minutes (429), whatever is sent. @throws AppError 401 (one answer for every wrong part), 429.
 */
export async function signInWithPassword(deps: AdviserAuthDeps, input: PasswordSignIn): Promise<SignedIn> {
  const account = await deps.models.AdviserAccount.findOne({ email: input.email.toLowerCase() }).lean();
  if (!account?.totpConfirmedAt) {
    await verifyPassword(input.password, null);
    throw refused();
  }
  assertNotLocked(deps, account);
  const ok = (await verifyPassword(input.password, account.passwordHash)) && (await checkTotp(deps, account, input.code));
  if (!ok) {
    await recordFailure(deps, account);
    throw refused();
  }
  await deps.models.AdviserAccount.updateOne({ _id: account._id }, { $set: { failedSignIns: 0 } });
  return signedIn(deps, String(account._id), account.name);
}

// ------------------------------------------------------------------------------- signed in → a school

const signInKey = (config: Config) =>
  new Uint8Array(hkdfSync('sha256', config.keyEncryptionSecret, 'waymark', 'adviser-signin-v1', 32));
const AUDIENCE = 'waymark-adviser-signin';

async function signedIn(deps: AdviserAuthDeps, accountId: string, name: string): Promise<SignedIn> {
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('waymark')
    .setAudience(AUDIENCE)
    .setSubject(accountId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SIGNIN_TTL_SECONDS)
    .sign(signInKey(deps.config));
  return { token, expiresAt: new Date((iat + SIGNIN_TTL_SECONDS) * 1000).toISOString(), name };
}

/** The adviser account behind a sign-in token. @throws AppError 401 for a missing, forged or expired token. */
export async function accountOfToken(deps: AdviserAuthDeps, token: string | undefined) {
  if (!token) throw unauthorized('Sign in first.');
  try {
    const { payload } = await jwtVerify(token, signInKey(deps.config), {
      issuer: 'waymark',
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: deps.clock.now(),
    });
    const account =
      payload.sub && Types.ObjectId.isValid(payload.sub) ? await deps.models.AdviserAccount.findById(payload.sub).lean() : null;
    if (account) return account;
  } catch {
    // fall through: one answer for every bad token
  }
  throw unauthorized('Your sign-in has ended. Sign in again.');
}

/** Schools with an active grant to the account or its organisation (each asked separately, in its own tenant). */
export async function schoolsFor(
  deps: AdviserAuthDeps,
  account: { _id: unknown; partnerId?: string | null; schools: string[] },
): Promise<AdviserSchool[]> {
  const now = deps.clock.now();
  const to = [{ adviserId: String(account._id) }, ...(account.partnerId ? [{ partnerId: account.partnerId }] : [])];
  const active = await Promise.all(
    account.schools.map(async (schoolId) =>
      (await deps.models.SharingGrant.exists({
        schoolId,
        $or: to,
        revokedAt: null,
        startsAt: { $lte: now },
        expiresAt: { $gt: now },
      }))
        ? schoolId
        : null,
    ),
  );
  const ids = active.filter((id): id is string => id !== null);
  const schools = await deps.models.School.find({ _id: { $in: ids } }, { name: 1 }).lean();
  return schools.map((s) => ({ id: s._id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Opens a Waymark session in one school for the signed-in adviser: the account's User record there (created on
 * first use, source 'invite') and a launch token with role 'adviser', as an LTI launch would issue.
 * @throws AppError 401 bad sign-in token; 404 for a school without an active grant (or unknown).
 */
export async function enterSchool(deps: AdviserAuthDeps, token: string, schoolId: string, lang: 'en' | 'nl') {
  const account = await accountOfToken(deps, token);
  if (!(await schoolsFor(deps, account)).some((s) => s.id === schoolId)) throw notFound('school');
  const accountId = String(account._id);
  const now = deps.clock.now();
  const user = await deps.models.User.findOneAndUpdate(
    { schoolId, platformId: INVITE_PLATFORM, sub: inviteSub(accountId) },
    { $set: { role: 'adviser', name: account.name, locale: lang, lastLaunchAt: now }, $setOnInsert: { source: 'invite' } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  await deps.models.AdviserAccount.updateOne(
    { _id: account._id, lmsLinks: { $not: { $elemMatch: { schoolId, sub: inviteSub(accountId) } } } },
    { $push: { lmsLinks: { schoolId, sub: inviteSub(accountId) } } },
  );
  const claims: LaunchClaims = { sub: user._id.toString(), sch: schoolId, role: 'adviser', lang };
  const launch = await signLaunchToken(deps.launchKey, claims, now);
  return { ...launch, claims, route: '/adviser' };
}
