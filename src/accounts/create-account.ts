import { z } from '../util/zod.js';
import { type AccountRecord, type Storage, StorageConflict, type UpstreamIdentityRecord } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { randomId } from '../util/random.js';
import { furtherClaimsSchema } from './further-claims.js';
import { groupsSchema } from './groups.js';
import { PASSWORD_HASH_FORMATS, passwordHashAlgorithm } from './imported-password-hashes.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';

/** The roles an account can have within latchkey. */
export const ACCOUNT_ROLES = ['admin'] as const;

export { MIN_PASSWORD_LENGTH } from './password.js';

const newAccountSchema = z.object({
  username: z
    .string()
    .min(1, 'username is required')
    .max(255, 'username is longer than 255 characters')
    .regex(/^\S+$/, 'username must not contain whitespace'),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `password must have at most ${MAX_PASSWORD_LENGTH} characters`)
    .optional(),
  /**
   * The password as another system hashed it (`imported-password-hashes.ts`: argon2, bcrypt,
   * PBKDF2): an account moved here keeps its password; hashed again with argon2id at its first login.
   */
  password_hash: z
    .string()
    .refine((hash) => passwordHashAlgorithm(hash) !== undefined, `password_hash must be ${PASSWORD_HASH_FORMATS}`)
    .optional(),
  email: z.email('email is not a valid address').optional(),
  email_verified: z.boolean().default(false),
  name: z.string().min(1).max(255).optional(),
  given_name: z.string().min(1).max(255).optional(),
  family_name: z.string().min(1).max(255).optional(),
  claims: furtherClaimsSchema.default({}),
  /** `admin`: may use the admin API and web UI. */
  roles: z.array(z.enum(ACCOUNT_ROLES)).default([]),
  /** The groups the person belongs to (the `groups` claim). */
  groups: groupsSchema.optional(),
}).refine((account) => account.password === undefined || account.password_hash === undefined, 'password and password_hash are exclusive: give one');

/** What is needed to create a built-in account. */
export type NewAccount = z.input<typeof newAccountSchema>;

/** The account could not be created; `problems` names each bad field. */
export class AccountInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'AccountInputError';
  }
}

/** The username asked for is another account's (usernames are unique regardless of case). */
export class UsernameTaken extends AccountInputError {
  constructor(readonly username: string) {
    super([`username ${username} is taken`]);
    this.name = 'UsernameTaken';
  }
}

/**
 * Creates a built-in account with an argon2id password hash (or the hash it comes with from
 * another system) and a fresh random `sub`.
 * @throws AccountInputError for invalid input; UsernameTaken for a username that is taken.
 */
export async function createAccount(
  input: NewAccount,
  storage: Pick<Storage, 'accounts'>,
  clock: Clock,
  /** An upstream identity to connect it to, in the same transaction (`upstreams/`). */
  identity?: Pick<UpstreamIdentityRecord, 'upstream_id' | 'subject' | 'email'>,
): Promise<AccountRecord> {
  const parsed = newAccountSchema.safeParse(input);
  if (!parsed.success) throw new AccountInputError(parsed.error.issues.map((issue) => issue.message));
  const { password, password_hash: imported, groups, ...fields } = parsed.data;
  const now = clock.now();
  const account: AccountRecord = {
    ...fields,
    sub: randomId(),
    disabled: false,
    created_at: now,
    updated_at: now,
    ...(password === undefined ? {} : { password_hash: await hashPassword(password) }),
    ...(imported === undefined ? {} : { password_hash: imported }),
    ...(groups === undefined || groups.length === 0 ? {} : { groups }),
  };
  try {
    if (identity === undefined) await storage.accounts.create(account);
    else await storage.accounts.connectUpstreamIdentity({ ...identity, sub: account.sub, created_at: now }, account);
  } catch (error) {
    if (!(error instanceof StorageConflict)) throw error;
    if (identity !== undefined && (await storage.accounts.findUpstreamIdentity(identity.upstream_id, identity.subject))) throw new AccountInputError(['that identity is connected to another account']);
    throw new UsernameTaken(fields.username);
  }
  return account;
}
