import type { AuthorizationDetail } from '../core/authorization-details.js';
import { randomInt } from 'node:crypto';
import type { ProviderContext } from '../core/context.js';
import { canIssueRefreshToken, scopesForAccount } from '../core/scopes.js';
import type { ClientRecord, DeviceCodeRecord, SessionRecord } from '../storage/types.js';
import { digestSecret } from '../util/digest.js';
import { randomToken, timeOrderedId } from '../util/random.js';
import { grantRecord } from './grant-record.js';

/**
 * RFC 8628 §6.1: user codes are typed by hand on a second device. Twenty consonants, no vowels
 * (no words), none that are easily confused (no 0/O, 1/I/L); 8 of them is 20^8 ≈ 2.6·10^10,
 * ~34 bits, with entry attempts throttled. Shown as `BCDF-GHJK`; accepted in any case, with or
 * without the dash or spaces.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;

/** How long past its expiry a device code is kept, so that polling can say `expired_token`. */
const EXPIRED_NOTICE_SECONDS = 300;

/** A new user code, formatted `XXXX-XXXX`. */
export function generateUserCode(): string {
  const chars = Array.from({ length: USER_CODE_LENGTH }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** The canonical form of a typed user code: upper case, letters only; undefined when it cannot be one. */
export function normalizeUserCode(typed: string): string | undefined {
  const letters = typed.toUpperCase().replace(/[\s-]/g, '');
  if (letters.length !== USER_CODE_LENGTH) return undefined;
  for (const char of letters) if (!USER_CODE_ALPHABET.includes(char)) return undefined;
  return letters;
}

/** RFC 8628 §3.2 device authorization response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/**
 * Issues a device code (256 random bits, stored by digest) and its user code (stored by the
 * digest of its canonical form; a collision with a live code draws again).
 */
export async function issueDeviceCode(
  client: ClientRecord,
  request: { scopes: readonly string[]; resource?: string | undefined; authorization_details?: AuthorizationDetail[] | undefined },
  ctx: ProviderContext,
): Promise<DeviceAuthorizationResponse> {
  const { scopes, resource, authorization_details } = request;
  const device_code = randomToken();
  const device_code_id = digestSecret(device_code);
  const ttl = ctx.config.deviceCodeTtlSeconds;
  let user_code = generateUserCode();
  let user_code_id = digestSecret(normalizeUserCode(user_code)!);
  while (!(await ctx.storage.artifacts.add('user_code', user_code_id, { device_code_id }, ttl))) {
    user_code = generateUserCode();
    user_code_id = digestSecret(normalizeUserCode(user_code)!);
  }
  const now = ctx.clock.now();
  const record: DeviceCodeRecord = {
    client_id: client.client_id,
    scope: scopes.join(' '),
    ...(resource === undefined ? {} : { resource }),
    ...(authorization_details === undefined ? {} : { authorization_details }),
    user_code_id,
    status: 'pending',
    grant_id: timeOrderedId(),
    issued_at: now,
    expires_at: now + ttl,
  };
  await ctx.storage.artifacts.put('device_code', device_code_id, record, ttl + EXPIRED_NOTICE_SECONDS);
  ctx.events.emit('device_code.issued', { client_id: client.client_id, grant_id: record.grant_id });
  const verification_uri = ctx.urls.device;
  return {
    device_code,
    user_code,
    verification_uri,
    verification_uri_complete: `${verification_uri}?${new URLSearchParams({ user_code })}`,
    expires_in: ttl,
    interval: ctx.config.devicePollIntervalSeconds,
  };
}

/** The pending, unexpired device authorization a typed user code stands for. */
export async function findPendingDeviceCode(typed: string, ctx: ProviderContext): Promise<{ id: string; record: DeviceCodeRecord } | undefined> {
  const normalized = normalizeUserCode(typed);
  if (normalized === undefined) return undefined;
  const pointer = await ctx.storage.artifacts.find('user_code', digestSecret(normalized));
  if (!pointer) return undefined;
  const record = await ctx.storage.artifacts.find('device_code', pointer.device_code_id);
  if (!record || record.status !== 'pending' || record.expires_at <= ctx.clock.now()) return undefined;
  return { id: pointer.device_code_id, record };
}

/**
 * Records the user's decision on a device authorization, and retires its user code. Approval
 * binds the login that approved it, and stores the grant's record.
 */
export async function decideDeviceCode(id: string, decision: { approved: true; session: SessionRecord } | { approved: false }, ctx: ProviderContext): Promise<void> {
  const record = await ctx.storage.artifacts.find('device_code', id);
  if (!record || record.status !== 'pending') return;
  const decided: DeviceCodeRecord = decision.approved
    ? { ...record, scope: (await scopesForAccount(record.scope.split(' '), decision.session.sub, ctx)).join(' '), status: 'approved', sub: decision.session.sub, sid: decision.session.sid, auth_time: decision.session.auth_time, amr: decision.session.amr, ...(decision.session.acr === undefined ? {} : { acr: decision.session.acr }) }
    : { ...record, status: 'denied' };
  const remaining = record.expires_at + EXPIRED_NOTICE_SECONDS - ctx.clock.now();
  if (decision.approved) {
    // The grant's record before the approval can be redeemed (see grantRecord).
    const scopes = decided.scope.split(' ');
    const client = await ctx.storage.clients.find(record.client_id);
    const authorization = { grant_id: record.grant_id, client_id: record.client_id, sub: decision.session.sub, sid: decision.session.sid, scopes };
    const lifetime = { redeemWithinSeconds: Math.max(remaining, 1), refreshable: client !== undefined && canIssueRefreshToken(client, scopes, ctx.config) };
    await ctx.storage.tokens.insertGrant(grantRecord(authorization, lifetime, ctx));
  }
  await ctx.storage.artifacts.put('device_code', id, decided, Math.max(remaining, 1));
  await ctx.storage.artifacts.delete('user_code', record.user_code_id);
  ctx.events.emit(decision.approved ? 'device_code.approved' : 'device_code.denied', { client_id: record.client_id, grant_id: record.grant_id });
}
