import type { ProviderContext } from '../core/context.js';
import { addressNetwork } from '../util/address-network.js';

/**
 * Login throttling (DESIGN.md: per account and per address), and the limits on what one address
 * may create (`AddressQuota`). An address is counted by its network (`addressNetwork`: an IPv6
 * address by its /64, which one host can rotate through). Failures are counted in
 * fixed windows; past the limit, logins are refused without checking the password, so that
 * guessing is slowed and argon2 work is not spent on an attacker's behalf.
 */

function accountCounter(username: string): string {
  return `login-failures:account:${username.toLowerCase()}`;
}

function addressCounter(address: string): string {
  return `login-failures:address:${addressNetwork(address)}`;
}

/** True when a login attempt for `username` from `address` may proceed. */
export async function isLoginAllowed(username: string, address: string | undefined, ctx: ProviderContext): Promise<boolean> {
  const { loginMaxFailuresPerAccount, loginMaxFailuresPerAddress } = ctx.config;
  const [byAccount, byAddress] = await Promise.all([
    ctx.storage.artifacts.readCounter(accountCounter(username)),
    address === undefined ? 0 : ctx.storage.artifacts.readCounter(addressCounter(address)),
  ]);
  return byAccount < loginMaxFailuresPerAccount && byAddress < loginMaxFailuresPerAddress;
}

/** True when a sign-in that names no username (a passkey's) may proceed from `address`. */
export async function isAddressAllowed(address: string | undefined, ctx: ProviderContext): Promise<boolean> {
  return address === undefined || (await ctx.storage.artifacts.readCounter(addressCounter(address))) < ctx.config.loginMaxFailuresPerAddress;
}

/** Counts a failed sign-in that names no account against the address. */
export async function recordAddressFailure(address: string | undefined, ctx: ProviderContext): Promise<void> {
  if (address !== undefined) await ctx.storage.artifacts.increment(addressCounter(address), ctx.config.loginThrottleWindowSeconds);
}

/** Counts a failed login against the username and the address. */
export async function recordLoginFailure(username: string, address: string | undefined, ctx: ProviderContext): Promise<void> {
  const window = ctx.config.loginThrottleWindowSeconds;
  await Promise.all([
    ctx.storage.artifacts.increment(accountCounter(username), window),
    address === undefined ? undefined : ctx.storage.artifacts.increment(addressCounter(address), window),
  ]);
}

/** A successful login clears the account's failures (the address keeps its count). */
export async function recordLoginSuccess(username: string, ctx: ProviderContext): Promise<void> {
  await resetAccountFailures(username, ctx);
}

/** Whether failed logins lock the account `username` now (the admin's view). */
export async function isAccountLocked(username: string, ctx: ProviderContext): Promise<boolean> {
  return (await ctx.storage.artifacts.readCounter(accountCounter(username))) >= ctx.config.loginMaxFailuresPerAccount;
}

/** Clears the failed logins counted against `username`: an administrator unlocks the account. */
export async function resetAccountFailures(username: string, ctx: ProviderContext): Promise<void> {
  await ctx.storage.artifacts.resetCounter(accountCounter(username));
}

/**
 * What one address may create per throttle window without authenticating: accounts
 * (self-registration, `selfRegistrationMaxPerAddress`), clients (open dynamic registration,
 * `registrationMaxPerAddress`), and password reset mails (`passwordResetMaxPerAddress`). Requests
 * without a known address are not counted.
 */
export type AddressQuota = 'accounts' | 'clients' | 'password_resets';

function quotaLimit(quota: AddressQuota, ctx: ProviderContext): number {
  if (quota === 'password_resets') return ctx.config.passwordResetMaxPerAddress;
  return quota === 'accounts' ? ctx.config.selfRegistrationMaxPerAddress : ctx.config.registrationMaxPerAddress;
}

function quotaCounter(quota: AddressQuota, address: string): string {
  return `created:${quota}:address:${addressNetwork(address)}`;
}

/** True when `address` may create another of `quota` this window. */
export async function isWithinAddressQuota(quota: AddressQuota, address: string | undefined, ctx: ProviderContext): Promise<boolean> {
  if (address === undefined) return true;
  return (await ctx.storage.artifacts.readCounter(quotaCounter(quota, address))) < quotaLimit(quota, ctx);
}

/** Counts one of `quota` created from `address`. */
export async function countAgainstAddressQuota(quota: AddressQuota, address: string | undefined, ctx: ProviderContext): Promise<void> {
  if (address !== undefined) await ctx.storage.artifacts.increment(quotaCounter(quota, address), ctx.config.loginThrottleWindowSeconds);
}
