/**
 * The two WebAuthn ceremonies latchkey runs as a relying party: registration (a signed-in person
 * makes a passkey, §7.1) and authentication (a person signs in with one, §7.2), each as the options
 * a page hands to `navigator.credentials` and the check of what the browser sends back. The checks
 * are `@simplewebauthn/server`'s (client data, origin, RP ID hash, flags, signature, counter),
 * loaded on first use: an instance that never sees a passkey never loads it.
 *
 * Both require user verification (a PIN or biometric on the authenticator): a passkey signs in
 * alone, so it must be two factors itself — the device, and what unlocks it. Registration asks
 * for a discoverable credential (a resident key) so that signing in needs no username, and for no
 * attestation: which authenticator it is does not matter to a passkey sign-in.
 */
import type { RelyingParty } from './relying-party.js';

/** COSE algorithms accepted for a new passkey: Ed25519, ES256, RS256 (IANA COSE registry), preferred first. */
const ALGORITHMS = [-8, -7, -257];

/** How long the browser waits for the person (ms). */
const TIMEOUT_MS = 300_000;

/** The options of a sign-in (`PublicKeyCredentialRequestOptionsJSON`): any passkey of this RP. */
export function signInOptions(rp: RelyingParty, challenge: string): Record<string, unknown> {
  return { challenge, rpId: rp.id, timeout: TIMEOUT_MS, userVerification: 'required' };
}

/** Who a new passkey is for. */
export interface PasskeyHolder {
  /** The WebAuthn user handle: the account's `sub`, which is opaque (never personal data, §14.6.1). */
  sub: string;
  username: string;
  displayName: string;
  /** The credential ids the account has already: the browser will not make a second on one authenticator. */
  existing: readonly string[];
}

/** The options of a registration (`PublicKeyCredentialCreationOptionsJSON`). */
export function registrationOptions(rp: RelyingParty, holder: PasskeyHolder, challenge: string): Record<string, unknown> {
  return {
    challenge,
    rp: { id: rp.id, name: rp.name },
    user: { id: userHandleOf(holder.sub), name: holder.username, displayName: holder.displayName },
    pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: 'public-key', alg })),
    timeout: TIMEOUT_MS,
    excludeCredentials: holder.existing.map((id) => ({ type: 'public-key', id })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    attestation: 'none',
    extensions: { credProps: true },
  };
}

/** The user handle of `sub`, base64url; `subOfUserHandle` reads it back. */
export function userHandleOf(sub: string): string {
  return Buffer.from(sub, 'utf8').toString('base64url');
}

export function subOfUserHandle(handle: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,86}$/.test(handle)) return undefined;
  return Buffer.from(handle, 'base64url').toString('utf8');
}

/**
 * What both ceremonies' answers must show: a challenge of ours, made on our origin for our RP ID,
 * the person verified by the authenticator.
 */
function expectations(rp: RelyingParty, isChallengeOurs: (challenge: string) => boolean) {
  return { expectedChallenge: isChallengeOurs, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true };
}

/** A passkey the browser made, checked. */
export interface VerifiedRegistration {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
  synced: boolean;
}

/**
 * Checks a registration response (`RegistrationResponseJSON`, as the page posts it) against the
 * challenge the page was given: undefined when anything is wrong (never a reason to the browser:
 * the page says "could not be added").
 */
export async function verifyRegistration(response: unknown, rp: RelyingParty, isChallengeOurs: (challenge: string) => boolean): Promise<VerifiedRegistration | undefined> {
  const { verifyRegistrationResponse } = await import('@simplewebauthn/server');
  try {
    const result = await verifyRegistrationResponse({
      response: response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
      ...expectations(rp, isChallengeOurs),
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) return undefined;
    const { credential, credentialDeviceType } = result.registrationInfo;
    return {
      id: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: (credential.transports ?? []).map(String),
      synced: credentialDeviceType === 'multiDevice',
    };
  } catch {
    return undefined;
  }
}

/** A stored passkey, as a sign-in checks against it. */
export interface StoredPasskeyKey {
  id: string;
  publicKey: string;
  counter: number;
  transports?: readonly string[];
}

/**
 * Checks a sign-in response (`AuthenticationResponseJSON`) made with `passkey` against the
 * challenge the page was given: the authenticator's new counter, or undefined when anything is
 * wrong — a counter that did not go up (for authenticators that count) included: a cloned key.
 */
export async function verifySignIn(response: unknown, passkey: StoredPasskeyKey, rp: RelyingParty, isChallengeOurs: (challenge: string) => boolean): Promise<{ counter: number } | undefined> {
  const { verifyAuthenticationResponse } = await import('@simplewebauthn/server');
  try {
    const result = await verifyAuthenticationResponse({
      response: response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
      ...expectations(rp, isChallengeOurs),
      credential: { id: passkey.id, publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')), counter: passkey.counter },
    });
    return result.verified ? { counter: result.authenticationInfo.newCounter } : undefined;
  } catch {
    return undefined;
  }
}

/** The credential id and user handle a sign-in response names, before anything is checked. */
export function namedInSignIn(response: unknown): { id: string; userHandle: string } | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const { id, response: inner } = response as { id?: unknown; response?: { userHandle?: unknown } };
  const userHandle = inner?.userHandle;
  if (typeof id !== 'string' || typeof userHandle !== 'string' || !/^[A-Za-z0-9_-]{1,1400}$/.test(id)) return undefined;
  return { id, userHandle };
}
