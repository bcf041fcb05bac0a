/**
 * Signing in with a passkey on the built-in login page: the page carries the options of a
 * sign-in whose challenge is stamped for its interaction, and posts back what the browser's
 * authenticator signed. The passkey is found by the user handle (the account's `sub`) and the
 * credential id the response names, checked (`ceremonies.ts`), its challenge spent, its counter
 * kept; the login's methods are the key's — `hwk` for a device-bound key, `swk` for a synced one
 * — with `user` and `mfa`: the authenticator verified the person (RFC 8176).
 */
import type { ProviderContext } from '../core/context.js';
import type { LoadedInteraction } from '../interaction/interaction.js';
import { CHALLENGE_SECONDS, isChallengeValid, newChallenge } from './challenges.js';
import { namedInSignIn, signInOptions, subOfUserHandle, verifySignIn } from './ceremonies.js';
import { offersPasskeys, relyingPartyOf } from './relying-party.js';

/** The largest response a page may post (a signature, authenticator data, client data, ids). */
const MAX_RESPONSE_CHARACTERS = 16_384;

/**
 * What the login page (and the code page) need to offer a passkey: where to post, and the options
 * as JSON — nothing where passkeys are not offered.
 */
export function passkeySignInOf(interaction: LoadedInteraction, ctx: ProviderContext): { passkey?: { action: string; options: string } } {
  if (!offersPasskeys(ctx)) return {};
  const challenge = newChallenge('sign-in', interaction.uid, ctx.clock.now(), ctx.config.secret!);
  return { passkey: { action: `${ctx.urls.interaction(interaction.uid)}/passkey`, options: JSON.stringify(signInOptions(relyingPartyOf(ctx), challenge)) } };
}

/** A passkey sign-in that holds: whose, and its methods. */
export interface PasskeySignIn {
  sub: string;
  username: string;
  amr: string[];
}

/**
 * Checks the response the login page posted (`credential`, JSON) in `interaction`: the sign-in,
 * or undefined when it does not hold (unknown key, disabled account, wrong challenge, origin or
 * signature, no user verification, a counter gone back, a response used before).
 */
export async function checkPasskeySignIn(posted: string, interaction: LoadedInteraction, ctx: ProviderContext): Promise<PasskeySignIn | undefined> {
  if (!offersPasskeys(ctx) || posted.length > MAX_RESPONSE_CHARACTERS) return undefined;
  let response: unknown;
  try {
    response = JSON.parse(posted);
  } catch {
    return undefined;
  }
  const named = namedInSignIn(response);
  const sub = named && subOfUserHandle(named.userHandle);
  if (named === undefined || sub === undefined) return undefined;
  const passkey = await ctx.accounts.findPasskey!(sub, named.id);
  if (passkey === undefined) return undefined;
  let challenge = '';
  const isOurs = (candidate: string) => {
    challenge = candidate;
    return isChallengeValid(candidate, 'sign-in', interaction.uid, ctx.clock.now(), ctx.config.secret!);
  };
  const verified = await verifySignIn(response, passkey, relyingPartyOf(ctx), isOurs);
  if (verified === undefined) return undefined;
  if (!(await ctx.storage.artifacts.add('passkey_assertion', challenge, { sub }, CHALLENGE_SECONDS + 60))) return undefined;
  const account = await ctx.accounts.findById(sub);
  if (account === undefined) return undefined;
  await ctx.accounts.recordPasskeyUse!(sub, passkey.id, verified.counter);
  return { sub, username: account.username, amr: [passkey.synced ? 'swk' : 'hwk', 'user', 'mfa'] };
}
