/**
 * Two-step verification of built-in accounts with an authenticator app: TOTP (RFC 6238) as every
 * app reads it — HMAC-SHA-1, 6 digits, 30-second steps, a 160-bit secret (RFC 4226 §4 R6) —
 * computed by `otpauth`. A code is accepted in its step or the one before or after (clocks
 * drift; RFC 6238 §5.2), and at most once: a code seen is remembered (`totp_code` artifacts)
 * for as long as it could be accepted. The shared secret is kept sealed under the master secret.
 */
import type * as OtpAuth from 'otpauth';
import type { ProviderContext } from '../core/context.js';
import type { AccountRecord, AccountTotp, Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { digestSecret } from '../util/digest.js';
import { onFirstUse } from '../util/on-first-use.js';
import { seal, unseal } from '../util/seal.js';

/** Loaded at the first code or enrolment: most servers' requests never need it. */
const otpauth = onFirstUse<typeof OtpAuth>('otpauth');

const PERIOD_SECONDS = 30;
/** Steps either side of now a code may come from. */
const WINDOW = 1;
const SECRET_PURPOSE = 'latchkey account totp secret';

/** A code as a person types it: six digits, spaces allowed (apps show `123 456`). */
export function normalizeCode(typed: string): string | undefined {
  const code = typed.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
}

/** A fresh shared secret, base32 (what the app is given). */
export function newTotpSecret(): string {
  return new (otpauth().Secret)({ size: 20 }).base32;
}

function totpOf(secret: string, label = 'latchkey', issuer = 'latchkey'): OtpAuth.TOTP {
  const { Secret, TOTP } = otpauth();
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** The `otpauth://totp/…` URI an app scans (as a QR code) to add the account. */
export function totpUri(secret: string, username: string, issuer: string): string {
  return totpOf(secret, username, issuer).toString();
}

/** The time step `code` belongs to for `secret` at `now`, or undefined when it is not a current code. */
export function stepOf(secret: string, code: string, now: number): number | undefined {
  const delta = totpOf(secret).validate({ token: code, timestamp: now * 1000, window: WINDOW });
  return delta === null ? undefined : Math.floor(now / PERIOD_SECONDS) + delta;
}

/** The account's authenticator secret sealed for storage. */
export async function sealTotpSecret(secret: string, masterSecret: string, now: number): Promise<AccountTotp> {
  return { sealed_secret: await seal(secret, masterSecret, SECRET_PURPOSE), enabled_at: now };
}

/**
 * Whether `typed` is a current code of `account`'s authenticator not used before. An accepted code
 * is used up: the same code is refused until it could no longer be accepted anyway.
 */
export async function verifyTotp(account: AccountRecord, typed: string, deps: { storage: Pick<Storage, 'artifacts'>; clock: Clock; secret: string }): Promise<boolean> {
  const code = normalizeCode(typed);
  if (account.totp === undefined || code === undefined) return false;
  const secret = await unseal<string>(account.totp.sealed_secret, deps.secret, SECRET_PURPOSE);
  const step = stepOf(secret, code, deps.clock.now());
  if (step === undefined) return false;
  const ttl = (2 * WINDOW + 1) * PERIOD_SECONDS;
  return deps.storage.artifacts.add('totp_code', digestSecret(`${account.sub}.${step}.${code}`), { sub: account.sub }, ttl);
}

/**
 * Turns `account`'s two-step verification off, for `actor` (the person in the account console, an
 * administrator for a lost phone); nothing when it is off.
 */
export async function removeTotp(account: AccountRecord, actor: string, ctx: ProviderContext): Promise<void> {
  if (account.totp === undefined) return;
  const { totp: _off, ...rest } = account;
  await ctx.storage.accounts.update({ ...rest, updated_at: ctx.clock.now() });
  ctx.events.emit('user.two_step_disabled', { sub: account.sub, actor });
}
