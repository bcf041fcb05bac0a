/**
 * The host application's own users — the account store of an app that existed before latchkey.
 * latchkey reaches it only through the `Accounts` interface; passwords are checked by the app's
 * own login page, never by latchkey.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Accounts } from 'latchkey';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

interface AppUser {
  id: string;
  username: string;
  name: string;
  email: string;
  salt: Buffer;
  passwordHash: Buffer;
}

/** The demo user of every example. */
export const DEMO_USER = { username: 'ada', password: 'analytical engine' } as const;

/** An in-memory user table with scrypt password hashes, and the `Accounts` view latchkey gets of it. */
export async function createAppAccounts(): Promise<{ accounts: Accounts; checkPassword(username: string, password: string): Promise<string | undefined> }> {
  const salt = randomBytes(16);
  const users: AppUser[] = [
    { id: 'user-1815', username: DEMO_USER.username, name: 'Ada Lovelace', email: 'ada@example.com', salt, passwordHash: await scryptAsync(DEMO_USER.password, salt, 32) },
  ];
  const byId = (id: string) => users.find((user) => user.id === id);

  const accounts: Accounts = {
    async findById(sub) {
      const user = byId(sub);
      return user && { sub: user.id, username: user.username, name: user.name };
    },
    async claims(sub, scopes) {
      const user = byId(sub);
      if (!user) return undefined;
      return {
        sub: user.id,
        ...(scopes.includes('profile') ? { name: user.name, preferred_username: user.username } : {}),
        ...(scopes.includes('email') ? { email: user.email, email_verified: true } : {}),
      };
    },
  };

  /** The user id for a correct username and password; undefined otherwise, in about the same time. */
  async function checkPassword(username: string, password: string): Promise<string | undefined> {
    const user = users.find((candidate) => candidate.username === username);
    const hash = await scryptAsync(password, user?.salt ?? salt, 32);
    return user && timingSafeEqual(hash, user.passwordHash) ? user.id : undefined;
  }

  return { accounts, checkPassword };
}
