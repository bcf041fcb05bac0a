import { type AccountRecord, StorageConflict, type Storage, type UpstreamProfileRecord } from '../storage/types.js';
import { randomId } from '../util/random.js';
import type { Clock } from '../util/clock.js';
import { digestSecret } from '../util/digest.js';
import { selectClaims, claimsOfAccount } from './claims.js';
import { AccountInputError, createAccount, UsernameTaken } from './create-account.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import { useRecoveryCode } from './recovery-codes.js';
import { verifyTotp } from './totp.js';
import type { Account, Accounts, PasswordResetTarget } from './types.js';

/** Where an account's reset link goes: nowhere for a disabled account or one without an address. */
function resetTargetOf(record: AccountRecord): PasswordResetTarget | undefined {
  if (record.disabled || record.email === undefined) return undefined;
  return { sub: record.sub, username: record.username, email: record.email, version: passwordVersion(record.password_hash), ...(record.password_hash === undefined ? { first: true as const } : {}) };
}

/**
 * latchkey's own accounts, kept in the `accounts` store with argon2id password hashes, and, for
 * those that turned it on, an authenticator app's TOTP secret sealed under `secret` (the master
 * secret) as the second step of a login, with its recovery codes for a lost phone, and the
 * passkeys the person registered, and the identities at upstream providers connected to them.
 */
export function createBuiltinAccounts(storage: Pick<Storage, 'accounts' | 'artifacts'>, clock: Clock, secret: string): Accounts {
  const store = storage.accounts;
  return {
    disablingRevokesGrants: true,

    async register({ username, password, email, name }) {
      // The address is the person's word until verified: email_verified stays false.
      const record = await createAccount({ username, password, ...(email === undefined ? {} : { email }), ...(name === undefined ? {} : { name }) }, { accounts: store }, clock);
      return toAccount(record);
    },

    async findById(sub) {
      const record = await store.findBySub(sub);
      return record && !record.disabled ? toAccount(record) : undefined;
    },

    async authenticate(username, password) {
      const record = await store.findByUsername(username);
      // Verify even for an unknown or disabled account: the time taken must not tell them apart.
      const valid = await verifyPassword(password, record?.password_hash);
      if (!record?.password_hash || !valid || record.disabled) return undefined;
      // Made with other parameters (an earlier version's): made again with the current ones, now
      // that the password is at hand. A password changed meanwhile is kept.
      if (needsRehash(record.password_hash)) await store.replacePasswordHash(record.sub, record.password_hash, await hashPassword(password));
      return toAccount(record);
    },

    async verifyOneTimeCode(sub, code) {
      const record = await store.findBySub(sub);
      return record !== undefined && !record.disabled && (await verifyTotp(record, code, { storage, clock, secret }));
    },

    async useRecoveryCode(sub, code) {
      const record = await store.findBySub(sub);
      return record !== undefined && !record.disabled && (await useRecoveryCode(record, code, { storage, clock, secret }));
    },

    async findPasskey(sub, credentialId) {
      const record = await store.findBySub(sub);
      const passkey = record && !record.disabled ? record.passkeys?.find((candidate) => candidate.id === credentialId) : undefined;
      return passkey && { id: passkey.id, publicKey: passkey.public_key, counter: passkey.counter, synced: passkey.synced };
    },

    async recordPasskeyUse(sub, credentialId, counter) {
      const record = await store.findBySub(sub);
      if (!record?.passkeys?.some((passkey) => passkey.id === credentialId)) return;
      const now = clock.now();
      const passkeys = record.passkeys.map((passkey) => (passkey.id === credentialId ? { ...passkey, counter, last_used_at: now } : passkey));
      await store.update({ ...record, passkeys, updated_at: now });
    },

    async findForPasswordReset(username) {
      const record = await store.findByUsername(username);
      return record && resetTargetOf(record);
    },

    async findForPasswordResetByEmail(email, limit) {
      const records = await store.findByEmail(email, limit);
      return records.map(resetTargetOf).filter((target) => target !== undefined);
    },

    async resetPassword(sub, password, version) {
      const record = await store.findBySub(sub);
      if (!record || record.disabled || passwordVersion(record.password_hash) !== version) return false;
      const next = await hashPassword(password);
      // Set only over the password the link was made for: two resets racing, one wins.
      if (record.password_hash !== undefined) return store.replacePasswordHash(sub, record.password_hash, next);
      return store.update({ ...record, password_hash: next, updated_at: clock.now() });
    },

    async verifyEmail(sub, email) {
      const record = await store.findBySub(sub);
      if (!record || record.disabled || record.email !== email) return false;
      return record.email_verified === true || store.update({ ...record, email_verified: true, updated_at: clock.now() });
    },

    async changeEmail(sub, from, to) {
      const record = await store.findBySub(sub);
      if (!record || record.disabled || record.email !== from) return undefined;
      await store.update({ ...record, email: to, email_verified: true, updated_at: clock.now() });
      return record;
    },

    async findUpstreamIdentity(upstreamId, subject) {
      const identity = await store.findUpstreamIdentity(upstreamId, subject);
      if (identity !== undefined) await store.touchUpstreamIdentity(upstreamId, subject, clock.now());
      return identity?.sub;
    },

    async connectUpstreamIdentity(sub, upstreamId, profile) {
      try {
        await store.connectUpstreamIdentity({ upstream_id: upstreamId, subject: profile.subject, sub, ...(profile.email === undefined ? {} : { email: profile.email }), created_at: clock.now() });
        return true;
      } catch (error) {
        if (error instanceof StorageConflict) return false;
        throw error;
      }
    },

    async createFromUpstream(upstreamId, profile, options) {
      const identity = { upstream_id: upstreamId, subject: profile.subject, ...(profile.email === undefined ? {} : { email: profile.email }) };
      const fields = { ...profileFields(profile), ...(options?.groups === true && profile.groups !== undefined ? { groups: profile.groups } : {}) };
      for (const username of usernameCandidates(upstreamId, profile)) {
        if ((await store.findByUsername(username)) !== undefined) continue;
        try {
          return toAccount(await createAccount({ username, ...fields }, { accounts: store }, clock, identity));
        } catch (error) {
          // Taken meanwhile: the next one. The identity connected meanwhile: nothing to create.
          if (!(error instanceof UsernameTaken)) throw error;
        }
      }
      throw new AccountInputError(['no free username could be found']);
    },

    async updateFromUpstream(sub, profile, sync) {
      const record = await store.findBySub(sub);
      if (!record || record.disabled) return [];
      const wanted: Partial<AccountRecord> = {
        ...(sync.profile ? profileFields(profile) : {}),
        ...(sync.groups ? { groups: profile.groups ?? [] } : {}),
      };
      const changed = (Object.keys(wanted) as (keyof AccountRecord)[]).filter((field) => JSON.stringify(wanted[field] ?? []) !== JSON.stringify(record[field] ?? []));
      if (changed.length === 0) return [];
      const { groups, ...rest } = { ...record, ...wanted };
      await store.update({ ...rest, ...(groups === undefined || groups.length === 0 ? {} : { groups }), updated_at: clock.now() });
      return changed;
    },

    async claims(sub, scopes, names) {
      const record = await store.findBySub(sub);
      if (!record || record.disabled) return undefined;
      return selectClaims(sub, claimsOfAccount(record), scopes, names);
    },
  };
}

/** An account's names and address as an upstream gives them: the address verified only if it says so. */
function profileFields(profile: UpstreamProfileRecord): Partial<Pick<AccountRecord, 'email' | 'email_verified' | 'name' | 'given_name' | 'family_name'>> {
  return {
    ...(profile.email === undefined ? {} : { email: profile.email, email_verified: profile.email_verified === true }),
    ...(profile.name === undefined ? {} : { name: profile.name.slice(0, 255) }),
    ...(profile.given_name === undefined ? {} : { given_name: profile.given_name.slice(0, 255) }),
    ...(profile.family_name === undefined ? {} : { family_name: profile.family_name.slice(0, 255) }),
  };
}

/**
 * Usernames for an account made from an upstream identity, in order: its `preferred_username`,
 * else the name of its address, else the upstream's id — as it is, then numbered, then with a
 * random suffix.
 */
function* usernameCandidates(upstreamId: string, profile: UpstreamProfileRecord): Generator<string> {
  const given = [profile.preferred_username, profile.email?.split('@')[0]].map((value) => value?.replace(/\s+/g, '').slice(0, 200)).find((value) => value !== undefined && value !== '');
  const base = given ?? upstreamId;
  if (given !== undefined) yield base;
  for (let number = 2; number <= 9; number++) yield `${base}-${number}`;
  for (let attempt = 0; attempt < 5; attempt++) yield `${base}-${randomId().slice(0, 8).toLowerCase()}`;
}

/** What a password reset link holds of the password it replaces: a digest, never the hash. */
function passwordVersion(passwordHash: string | undefined): string {
  return digestSecret(passwordHash ?? 'no password');
}

function toAccount(record: { sub: string; username: string; name?: string; email?: string; email_verified?: boolean; totp?: unknown; passkeys?: readonly unknown[] }): Account {
  return {
    sub: record.sub,
    username: record.username,
    ...(record.name === undefined ? {} : { name: record.name }),
    ...(record.totp === undefined ? {} : { secondFactor: 'otp' as const }),
    ...(record.passkeys === undefined || record.passkeys.length === 0 ? {} : { passkeys: true }),
    ...(record.email === undefined || record.email_verified === true ? {} : { unconfirmedEmail: record.email }),
  };
}
