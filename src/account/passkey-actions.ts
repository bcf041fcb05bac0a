/**
 * A person's passkeys in the account console: made after the password is checked (a session
 * left open is not enough to add a way in), removed with the session alone
 * (`accounts/passkeys.ts`). Each change is in the audit log with the person as its actor.
 */
import { verifyPassword } from '../accounts/password.js';
import type { ProviderContext } from '../core/context.js';
import { recordLoginSuccess } from '../interaction/login-throttle.js';
import { isChallengeValid, newChallenge } from '../passkeys/challenges.js';
import { registrationOptions, verifyRegistration } from '../passkeys/ceremonies.js';
import { relyingPartyOf } from '../passkeys/relying-party.js';
import type { AccountPasskey, AccountRecord } from '../storage/types.js';
import { AccountActionRefused, checkAsALogin, selfActor, WRONG_PASSWORD } from './account-actions.js';

/** How many passkeys one account may keep. */
export const MAX_PASSKEYS = 20;
const tooMany = () => new AccountActionRefused((m) => m.refused.tooManyPasskeys(MAX_PASSKEYS));
/** The longest name a passkey may have. */
const MAX_NAME_LENGTH = 64;
/** The largest registration response a page may post (attestation objects of 'none' are small). */
const MAX_RESPONSE_CHARACTERS = 16_384;

/**
 * The options of a new passkey for `account` (JSON), once its password is checked as a login
 * checks it; an account without a password needs none. The options' challenge stands for the
 * check for ten minutes (`challenges.ts`).
 * @throws AccountActionRefused: 429 when throttled, 401 for a wrong password, 400 with too many passkeys.
 */
export async function startPasskeyRegistration(account: AccountRecord, password: string, address: string | undefined, ctx: ProviderContext): Promise<string> {
  if ((account.passkeys?.length ?? 0) >= MAX_PASSKEYS) throw tooMany();
  if (account.password_hash !== undefined) {
    await checkAsALogin(account, address, ctx, () => verifyPassword(password, account.password_hash), WRONG_PASSWORD);
    await recordLoginSuccess(account.username, ctx);
  }
  const challenge = newChallenge('registration', account.sub, ctx.clock.now(), ctx.config.secret!);
  const holder = { sub: account.sub, username: account.username, displayName: account.name ?? account.username, existing: (account.passkeys ?? []).map((passkey) => passkey.id) };
  return JSON.stringify(registrationOptions(relyingPartyOf(ctx), holder, challenge));
}

/**
 * Keeps the passkey the browser made (`credential`: the registration response as JSON) under
 * `name`, if it answers a challenge made for this account within ten minutes and holds.
 * @returns the passkey kept.
 * @throws AccountActionRefused when it does not hold, or the account has it already.
 */
export async function addPasskey(account: AccountRecord, credential: string, name: string, ctx: ProviderContext): Promise<AccountPasskey> {
  const refused = new AccountActionRefused((m) => m.refused.passkeyNotAdded);
  if (credential.length > MAX_RESPONSE_CHARACTERS) throw refused;
  let response: unknown;
  try {
    response = JSON.parse(credential);
  } catch {
    throw refused;
  }
  const isOurs = (challenge: string) => isChallengeValid(challenge, 'registration', account.sub, ctx.clock.now(), ctx.config.secret!);
  const made = await verifyRegistration(response, relyingPartyOf(ctx), isOurs);
  if (made === undefined) throw refused;
  // Read again: the passkeys as they are now (another tab may have added one).
  const current = (await ctx.storage.accounts.findBySub(account.sub)) ?? account;
  const existing = current.passkeys ?? [];
  if (existing.some((passkey) => passkey.id === made.id)) throw new AccountActionRefused((m) => m.refused.passkeyKnown);
  if (existing.length >= MAX_PASSKEYS) throw tooMany();
  const now = ctx.clock.now();
  const passkey: AccountPasskey = {
    id: made.id,
    public_key: made.publicKey,
    counter: made.counter,
    name: passkeyName(name, existing.length),
    ...(made.transports.length === 0 ? {} : { transports: made.transports }),
    synced: made.synced,
    created_at: now,
  };
  await ctx.storage.accounts.update({ ...current, passkeys: [...existing, passkey], updated_at: now });
  ctx.events.emit('user.passkey_added', { sub: account.sub, name: passkey.name, actor: selfActor(account) });
  return passkey;
}

/** The name a person gave, trimmed and cut to length; "Passkey 2" when none. */
function passkeyName(typed: string, had: number): string {
  const name = typed.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME_LENGTH);
  return name === '' ? `Passkey ${had + 1}` : name;
}
