import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AccountInputError, createAccount, UsernameTaken } from '../accounts/create-account.js';
import { PASSWORD_HASH_FORMATS, passwordHashAlgorithm } from '../accounts/imported-password-hashes.js';
import { hashPassword } from '../accounts/password.js';
import { accountData } from '../accounts/account-data.js';
import { patchedAccount, showUser, type UserPatch } from '../admin/api/users.js';
import { passwordBody, userCreateBody, userPatchBody } from '../admin/api/schemas.js';
import { type AccountRecord, type Storage, StorageConflict } from '../storage/types.js';
import { systemClock } from '../util/clock.js';
import { CliError, printJson, readStdin, recordCliEvent, withStorage, type GlobalOptions } from './cli-context.js';

interface CreateOptions {
  username: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  givenName?: string;
  familyName?: string;
  passwordStdin?: boolean;
  passwordHashStdin?: boolean;
  admin?: boolean;
  group: string[];
}

interface UpdateOptions {
  rename?: string;
  /** false: `--no-email` removes it. */
  email?: string | false;
  emailVerified?: boolean;
  name?: string;
  givenName?: string;
  familyName?: string;
  admin?: boolean;
  group: string[];
  /** false: `--no-groups` removes every group. */
  groups?: false;
  passwordStdin?: boolean;
  passwordHashStdin?: boolean;
}

/** Repeats of an option, in order. */
const collect = (value: string, values: string[]) => [...values, value];

/** The password on standard input: its first line, only the trailing line break of `echo` / a here-string removed. */
async function passwordFromStdin(): Promise<string> {
  return (await readStdin()).replace(/\r?\n$/, '');
}

/**
 * `latchkey users create|list|show|export|update|disable|enable|delete`: built-in accounts, as the admin
 * API manages them, on the database directly (changes recorded in the audit log with actor `cli`).
 * Without the server there are no mails (security notices) and no logout notifications: the
 * sessions of an account disabled or deleted here stop working at their next use.
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage built-in accounts');
  users
    .command('create')
    .description('create an account; the password is read from standard input')
    .requiredOption('--username <username>', 'login name (unique, case-insensitive)')
    .option('--email <email>', 'email address')
    .option('--email-verified', 'mark the email address as verified')
    .option('--name <name>', 'full name')
    .option('--given-name <name>', 'given name')
    .option('--family-name <name>', 'family name')
    .option('--password-stdin', 'read the password from standard input (first line)')
    .option('--password-hash-stdin', 'read the password as another system hashed it from standard input (first line): argon2, bcrypt or PBKDF2 (docs/migrating-users.md)')
    .option('--admin', 'give the account the admin role: it may use the admin web UI and API')
    .option('--group <name>', 'a group the account belongs to (the groups claim); repeat for more', collect, [] as string[])
    .action(async (options: CreateOptions, command: Command) => {
      if (options.passwordStdin && options.passwordHashStdin) throw new CliError('--password-stdin and --password-hash-stdin are exclusive: give one');
      const password = options.passwordStdin ? await passwordFromStdin() : undefined;
      const passwordHash = options.passwordHashStdin ? await passwordFromStdin() : undefined;
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        try {
          const account = await createAccount(
            {
              username: options.username,
              email_verified: options.emailVerified ?? false,
              roles: options.admin ? ['admin'] : [],
              groups: options.group,
              ...(password === undefined ? {} : { password }),
              ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
              ...(options.email === undefined ? {} : { email: options.email }),
              ...(options.name === undefined ? {} : { name: options.name }),
              ...(options.givenName === undefined ? {} : { given_name: options.givenName }),
              ...(options.familyName === undefined ? {} : { family_name: options.familyName }),
            },
            storage,
            systemClock,
          );
          await recordCliEvent(storage, 'user.created', { sub: account.sub, username: account.username, roles: account.roles });
          printJson(showUser(account));
        } catch (error) {
          if (error instanceof AccountInputError) throw new CliError(error.message);
          throw error;
        }
      });
    });

  users
    .command('import')
    .description('create many accounts at once — moving them from another system — from JSON lines (or a JSON array): each an object as the admin API creates a user, with password_hash to keep its password (docs/migrating-users.md); prints what was created, skipped and refused')
    .option('--file <path>', 'read the accounts from this file instead of standard input')
    .option('--skip-existing', 'skip an account whose username is taken, instead of counting it as refused')
    .action(async (options: { file?: string; skipExisting?: boolean }, command: Command) => {
      const text = options.file === undefined ? await readStdin() : await readFile(options.file, 'utf8');
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const outcome = await importUsers(entriesOf(text), storage, { skipExisting: options.skipExisting ?? false });
        printJson(outcome);
        if (outcome.refused.length > 0) throw new CliError(`${outcome.refused.length} of ${outcome.created + outcome.skipped.length + outcome.refused.length} accounts were refused (listed above); the others were imported`);
      });
    });

  users
    .command('list')
    .description('list accounts in username order (JSON array)')
    .option('--search <text>', 'only those whose username, email or name contains it')
    .option('--group <name>', 'only the members of this group (its name exactly)')
    .action(async (options: { search?: string; group?: string }, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const all: AccountRecord[] = [];
        let after: string | undefined;
        do {
          const page = await storage.accounts.list({ limit: 200, ...(after === undefined ? {} : { after }), ...(options.search === undefined ? {} : { search: options.search }), ...(options.group === undefined ? {} : { group: options.group }) });
          all.push(...page.items);
          after = page.next;
        } while (after !== undefined);
        printJson(all.map((account) => showUser(account)));
      });
    });

  users
    .command('show <username>')
    .description('show one account')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => printJson(showUser(await findAccount(storage, username))));
    });

  users
    .command('export <username>')
    .description("everything latchkey holds of an account as one JSON document (the account console's Download your data), for a person's request for their data")
    .action(async (username: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        const account = await findAccount(storage, username);
        printJson(await accountData(account, { storage, issuer: config.issuer, now: systemClock.now() }));
        await recordCliEvent(storage, 'user.exported', { sub: account.sub });
      });
    });

  users
    .command('update <username>')
    .description('change an account: only the options given change; prints it')
    .option('--rename <username>', 'a new login name')
    .option('--email <email>', 'email address (unverified unless --email-verified)')
    .option('--no-email', 'remove the email address')
    .option('--email-verified', 'mark the email address as verified')
    .option('--no-email-verified', 'mark it unverified')
    .option('--name <name>', 'full name')
    .option('--given-name <name>', 'given name')
    .option('--family-name <name>', 'family name')
    .option('--admin', 'give the admin role')
    .option('--no-admin', 'take the admin role away')
    .option('--group <name>', 'the groups the account belongs to, replacing its groups; repeat for more', collect, [] as string[])
    .option('--no-groups', 'take the account out of every group')
    .option('--password-stdin', 'set the password to the first line of standard input')
    .option('--password-hash-stdin', 'set the password as another system hashed it, from the first line of standard input: argon2, bcrypt or PBKDF2 (docs/migrating-users.md)')
    .action(async (username: string, options: UpdateOptions, command: Command) => {
      if (options.group.length > 0 && options.groups === false) throw new CliError('--group and --no-groups contradict each other');
      if (options.passwordStdin && options.passwordHashStdin) throw new CliError('--password-stdin and --password-hash-stdin are exclusive: give one');
      const password = options.passwordStdin ? await passwordFromStdin() : undefined;
      const passwordHash = options.passwordHashStdin ? await passwordFromStdin() : undefined;
      if (passwordHash !== undefined && passwordHashAlgorithm(passwordHash) === undefined) throw new CliError(`password_hash must be ${PASSWORD_HASH_FORMATS}`);
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const existing = await findAccount(storage, username);
        const patch = parsePatch({
          ...(options.rename === undefined ? {} : { username: options.rename }),
          ...(options.email === undefined ? {} : { email: options.email === false ? null : options.email }),
          ...(options.emailVerified === undefined ? {} : { email_verified: options.emailVerified }),
          ...(options.name === undefined ? {} : { name: options.name }),
          ...(options.givenName === undefined ? {} : { given_name: options.givenName }),
          ...(options.familyName === undefined ? {} : { family_name: options.familyName }),
          ...(options.admin === undefined ? {} : { roles: options.admin ? [...new Set([...existing.roles, 'admin'])] : existing.roles.filter((role) => role !== 'admin') }),
          ...(options.groups === false ? { groups: [] } : options.group.length > 0 ? { groups: options.group } : {}),
        });
        const { updated, changed } = patchedAccount(existing, patch, systemClock.now());
        if (password !== undefined) {
          const checked = passwordBody.safeParse({ password });
          if (!checked.success) throw new CliError(`password ${checked.error.issues[0]!.message}`);
          updated.password_hash = await hashPassword(password);
        }
        const hadPassword = existing.password_hash !== undefined;
        if (passwordHash !== undefined) updated.password_hash = passwordHash;
        try {
          await storage.accounts.update(updated);
        } catch (error) {
          if (error instanceof StorageConflict) throw new CliError(`username ${updated.username} is taken`);
          throw error;
        }
        if (changed.length > 0) await recordCliEvent(storage, 'user.updated', { sub: updated.sub, fields: changed });
        if (password !== undefined || passwordHash !== undefined) await recordCliEvent(storage, 'user.password_set', { sub: updated.sub, ...(hadPassword ? {} : { first: true as const }) });
        printJson(showUser(updated));
      });
    });

  for (const disabled of [true, false]) {
    users
      .command(`${disabled ? 'disable' : 'enable'} <username>`)
      .description(disabled ? 'disable an account: every code and token it was given is revoked, offline ones too; it can no longer sign in' : 'let a disabled account sign in again (what was revoked stays revoked)')
      .action(async (username: string, _options: unknown, command: Command) => {
        await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
          const existing = await findAccount(storage, username);
          const { updated } = patchedAccount(existing, { disabled }, systemClock.now());
          if (existing.disabled !== disabled) {
            // Disabling revokes every grant of the account in the same transaction (AccountStore.update).
            await storage.accounts.update(updated);
            await recordCliEvent(storage, disabled ? 'user.disabled' : 'user.enabled', { sub: existing.sub });
          }
          printJson(showUser(existing.disabled === disabled ? existing : updated));
        });
      });
  }

  users
    .command('delete <username>')
    .description('delete an account: every code and token it was given is revoked, its consents and sessions go; the username is free again')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const account = await findAccount(storage, username);
        if (!(await storage.accounts.delete(account.sub))) throw new CliError(`no user ${username}`);
        for (const session of await sessionsOf(storage, account.sub)) await storage.artifacts.delete('session', session);
        await recordCliEvent(storage, 'user.deleted', { sub: account.sub, username: account.username });
        printJson({ deleted: account.sub, username: account.username });
      });
    });
}

/** @throws CliError when there is no account `username` (in any case). */
async function findAccount(storage: Storage, username: string): Promise<AccountRecord> {
  const account = await storage.accounts.findByUsername(username);
  if (!account) throw new CliError(`no user ${username}`);
  return account;
}

/** The storage ids of `sub`'s login sessions. */
async function sessionsOf(storage: Storage, sub: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await storage.artifacts.list('session', { owner: sub, limit: 200, ...(after === undefined ? {} : { after }) });
    ids.push(...page.items.map((session) => session.id));
    after = page.next;
  } while (after !== undefined);
  return ids;
}

/** @throws CliError naming the first bad field (`field: message`), as the admin API would refuse it. */
function parsePatch(input: Record<string, unknown>): UserPatch {
  const parsed = userPatchBody.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`${String(issue.path[0] ?? 'input')}: ${issue.message}`);
  }
  return parsed.data;
}

/** An account to import, as `users import` read it: its line (or position in the array) and its JSON. */
interface ImportEntry {
  line: number;
  value: unknown;
}

/** The accounts of `text`: a JSON array, or one JSON object per line (blank lines skipped). */
function entriesOf(text: string): ImportEntry[] {
  if (text.trimStart().startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(text);
    } catch (error) {
      throw new CliError(`the input is not a JSON array: ${(error as Error).message}`);
    }
    if (!Array.isArray(array)) throw new CliError('the input is not a JSON array');
    return array.map((value, index) => ({ line: index + 1, value }));
  }
  const entries: ImportEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      entries.push({ line: index + 1, value: JSON.parse(line) });
    } catch {
      entries.push({ line: index + 1, value: undefined });
    }
  });
  return entries;
}

/** What `users import` did: how many accounts it created, which it skipped (taken usernames) and which it refused, why. */
interface ImportOutcome {
  created: number;
  skipped: { line: number; username: string }[];
  refused: { line: number; username?: string; error: string }[];
}

/** Accounts created at once: enough for the group commit to write many in one transaction. */
const IMPORTS_AT_ONCE = 16;

/**
 * Creates the account of each entry as the admin API's create does (`userCreateBody`, then
 * `createAccount`; `disabled` set after), several at once; each one created is recorded in the
 * audit log. An entry that is not valid JSON or not a valid account is refused alone.
 */
async function importUsers(entries: readonly ImportEntry[], storage: Storage, options: { skipExisting: boolean }): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { created: 0, skipped: [], refused: [] };
  const importOne = async ({ line, value }: ImportEntry): Promise<void> => {
    const parsed = userCreateBody.safeParse(value);
    if (!parsed.success) {
      const username = typeof (value as { username?: unknown } | undefined)?.username === 'string' ? (value as { username: string }).username : undefined;
      const error = value === undefined ? 'not valid JSON' : parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
      outcome.refused.push({ line, ...(username === undefined ? {} : { username }), error });
      return;
    }
    const { disabled, ...fields } = parsed.data;
    try {
      let account = await createAccount(fields, storage, systemClock);
      await recordCliEvent(storage, 'user.created', { sub: account.sub, username: account.username, roles: account.roles });
      if (disabled === true) {
        account = { ...account, disabled: true };
        await storage.accounts.update(account);
        await recordCliEvent(storage, 'user.disabled', { sub: account.sub });
      }
      outcome.created += 1;
    } catch (error) {
      if (!(error instanceof AccountInputError)) throw error;
      if (options.skipExisting && error instanceof UsernameTaken) outcome.skipped.push({ line, username: fields.username });
      else outcome.refused.push({ line, username: fields.username, error: error.message });
    }
  };
  for (let next = 0; next < entries.length; next += IMPORTS_AT_ONCE) await Promise.all(entries.slice(next, next + IMPORTS_AT_ONCE).map(importOne));
  outcome.skipped.sort((a, b) => a.line - b.line);
  outcome.refused.sort((a, b) => a.line - b.line);
  return outcome;
}
