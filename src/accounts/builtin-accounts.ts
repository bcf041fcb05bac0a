import type { AccountStore } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { selectClaims, standardClaimsOf } from './claims.js';
import { createAccount } from './create-account.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import type { Account, Accounts } from './types.js';

/** latchkey's own accounts, kept in the `accounts` store with argon2id password hashes. */
export function createBuiltinAccounts(store: AccountStore, clock: Clock): Accounts {
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

    async claims(sub, scopes, names) {
      const record = await store.findBySub(sub);
      if (!record || record.disabled) return undefined;
      return selectClaims(sub, standardClaimsOf(record), scopes, names);
    },
  };
}

function toAccount(record: { sub: string; username: string; name?: string }): Account {
  return record.name === undefined
    ? { sub: record.sub, username: record.username }
    : { sub: record.sub, username: record.username, name: record.name };
}
