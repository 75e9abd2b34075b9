/** The short-lived sign-in token between signing in and choosing a school: in memory only, never stored. */
import type { SignedIn } from '../../../../../server/contract/adviser-auth.js';

let current: SignedIn | null = null;

export function rememberSignIn(signedIn: SignedIn): void {
  current = signedIn;
}

export function currentSignIn(): SignedIn | null {
  if (current && new Date(current.expiresAt).getTime() <= Date.now()) current = null;
  return current;
}
