/**
 * The accounts port: how the engine finds the people who log in and the claims it may release.
 * latchkey's built-in accounts implement it (`builtin-accounts.ts`); a host application may bring
 * its own.
 */

import type { UpstreamProfileRecord as UpstreamProfile } from '../storage/types.js';

/** What the engine needs to know of an account. */
export interface Account {
  /** OIDC subject identifier: stable and never reassigned. */
  sub: string;
  /** What the person typed to log in; shown on the consent page. */
  username: string;
  /** Display name, when known. */
  name?: string;
  /**
   * A second step the built-in login asks for after the password: `otp`, a code from the person's
   * authenticator app, checked with `Accounts.verifyOneTimeCode`.
   */
  secondFactor?: 'otp';
  /** The person registered passkeys: the login page can sign them in with one instead. */
  passkeys?: boolean;
  /**
   * The account's email address while it is not confirmed (`email_verified` false): with
   * `requireVerifiedEmail`, the account does not sign in until a mailed link confirms it.
   */
  unconfirmedEmail?: string;
}

/** A passkey of an account, as a sign-in with it is checked (`Accounts.findPasskey`). */
export interface PasskeyCredential {
  /** The credential id, base64url. */
  id: string;
  /** The credential public key (COSE_Key), base64url. */
  publicKey: string;
  /** The signature counter at its last use. */
  counter: number;
  /** The key may be synced to other devices (a software key) rather than bound to one. */
  synced: boolean;
}

/**
 * The accounts port. latchkey's built-in accounts implement it; a host application brings its own
 * to let its users sign in (with `interactionUrl` it renders its own login and needs no
 * `authenticate`).
 */
export interface Accounts {
  /** The account, or undefined when it does not exist or may no longer sign in (disabled). */
  findById(sub: string): Promise<Account | undefined>;
  /**
   * True when an account can stop signing in only in a way that revokes its grants at once —
   * latchkey's built-in accounts: accounts are never deleted, and disabling one revokes every
   * grant of it in the same transaction (`AccountStore.update`). The engine then takes a grant
   * that is not revoked as proof that its account may still sign in, and does not call
   * `findById` on every code exchange, refresh and introspection (a grant stored in the moment
   * its account is disabled, after the revocation, is caught where its first tokens are stored:
   * `TokenStore.insertUnlessGrantRevoked`). Leave it unset for accounts kept elsewhere: the
   * engine is not told when those are disabled or deleted, so it asks.
   */
  readonly disablingRevokesGrants?: boolean;
  /**
   * Checks a username and password for the built-in login page. Undefined for an unknown user,
   * a wrong password or a disabled account alike, taking about the same time in each case.
   * Not needed when the host application renders its own login (`interactionUrl`).
   */
  authenticate?(username: string, password: string): Promise<Account | undefined>;
  /**
   * The claims of `sub` released for `scopes` (OIDC Core §5.4) and, one by one, for `names` (the
   * `claims` parameter, §5.5), always including `sub`; undefined when the account is gone or
   * disabled. A claim the account lacks is left out. For the `groups` scope (or the claim asked
   * by name), `groups`: the names of the groups the person belongs to — the engine also asks for
   * it alone to hold a client to its `allowed_groups` (accounts/groups.ts).
   */
  claims(sub: string, scopes: readonly string[], names?: readonly string[]): Promise<Record<string, unknown> | undefined>;
  /**
   * Creates the account a person asks for on the built-in registration page (`selfRegistration`,
   * OIDC `prompt=create`) and answers it; it signs in at once. Built-in accounts implement it
   * (the email unverified); a host's accounts may, to offer the page too.
   * @throws AccountInputError naming what is wrong (a username taken, a short password …): shown
   *   to the person as it is.
   */
  register?(registration: Registration): Promise<Account>;
  /**
   * Whether `code` is a current one-time code of `sub`'s authenticator, not used before: the
   * second step of a login whose account has `secondFactor: 'otp'`. True at most once per code.
   */
  verifyOneTimeCode?(sub: string, code: string): Promise<boolean>;
  /**
   * Whether `code` is one of `sub`'s recovery codes not used yet — the second step of a login
   * when the authenticator is lost — using it up. The built-in code page offers it when set.
   */
  useRecoveryCode?(sub: string, code: string): Promise<boolean>;
  /**
   * The passkey `credentialId` of the enabled account `sub`, to check a sign-in with it (the
   * built-in login page offers passkeys when this and `recordPasskeyUse` are set); undefined when
   * there is none, or the account is gone or disabled.
   */
  findPasskey?(sub: string, credentialId: string): Promise<PasskeyCredential | undefined>;
  /** Keeps the counter a passkey's authenticator reported at a sign-in, and when it was used. */
  recordPasskeyUse?(sub: string, credentialId: string, counter: number): Promise<void>;
  /**
   * For "Forgot your password?" (with a `mailer`): the enabled account named `username` and the
   * address to send its reset link to; undefined when there is none or it has no address.
   * `version` stands for the current password: a link stops working once it changes.
   */
  findForPasswordReset?(username: string): Promise<PasswordResetTarget | undefined>;
  /**
   * For "Forgot your password?" with an email address instead of a username (optional: without
   * it, the page asks for the username only): the enabled accounts whose address is `email`
   * (without regard to the case of ASCII letters), at most `limit` — one person may have several.
   */
  findForPasswordResetByEmail?(email: string, limit: number): Promise<PasswordResetTarget[]>;
  /**
   * Sets `sub`'s password to `password` (already checked against the password rules) if it is
   * still the one `version` stood for; false when it changed meanwhile or the account is gone.
   */
  resetPassword?(sub: string, password: string, version: string): Promise<boolean>;
  /**
   * Marks `sub`'s email address verified, if it is still `email` (a confirmation link was
   * opened); false when the address changed since or the account is gone.
   */
  verifyEmail?(sub: string, email: string): Promise<boolean>;
  /**
   * Replaces `sub`'s email address `from` (undefined: none) with `to`, verified: a link sent to
   * `to` was opened (`requireVerifiedEmail` keeps the old address until then). The account as it
   * was (for the notice to its old address), or undefined when its address is no longer `from`
   * or it is gone.
   */
  changeEmail?(sub: string, from: string | undefined, to: string): Promise<{ username: string; email?: string; email_verified: boolean; claims?: Record<string, unknown> } | undefined>;
  /**
   * Upstream sign-in (`upstreams/`): the `sub` of the account the identity `subject` at upstream
   * `upstreamId` is connected to (whether or not that account may sign in), and its last use
   * recorded; undefined when it is connected to none. With `connectUpstreamIdentity` and
   * `createFromUpstream`, the login page offers the upstream providers stored in `Storage.upstreams`.
   */
  findUpstreamIdentity?(upstreamId: string, subject: string): Promise<string | undefined>;
  /** Connects the identity to `sub` (signed in here meanwhile); false when it or the account's identity at that upstream is connected already. */
  connectUpstreamIdentity?(sub: string, upstreamId: string, profile: UpstreamProfile): Promise<boolean>;
  /**
   * Creates an account for a person signed in at an upstream whose identity there is connected to
   * none: a username of its own (their `preferred_username`, or the name of their address, made
   * unique), their names, and their address — verified only if the upstream says so; with
   * `groups`, its groups are the upstream's.
   */
  createFromUpstream?(upstreamId: string, profile: UpstreamProfile, options?: { groups: boolean }): Promise<Account>;
  /**
   * Optional: at a sign-in through an upstream that keeps accounts in step with it, sets the
   * account's names and address (`profile`) and/or its groups (`groups`: none when the upstream
   * sent none) to what the upstream said. The names of the fields that changed.
   */
  updateFromUpstream?(sub: string, profile: UpstreamProfile, sync: { profile: boolean; groups: boolean }): Promise<string[]>;
}

/** Where a password reset link goes. */
export interface PasswordResetTarget {
  sub: string;
  username: string;
  email: string;
  version: string;
  /** The account has no password yet (one made from an upstream provider's sign-in): the link sets its first. */
  first?: true;
}

/** What a person fills in on the registration page. */
export interface Registration {
  username: string;
  password: string;
  email?: string;
  name?: string;
}
