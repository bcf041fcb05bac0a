import type { Command } from 'commander';
import { AccountInputError, createAccount } from '../accounts/create-account.js';
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
  admin?: boolean;
  group: string[];
}

/** `latchkey users create …`: creates a built-in account; prints it as JSON (with its `sub`). */
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
    .option('--admin', 'give the account the admin role: it may use the admin web UI and API')
    .option('--group <name>', 'a group the account belongs to (the groups claim); repeat for more', (name: string, names: string[]) => [...names, name], [] as string[])
    .action(async (options: CreateOptions, command: Command) => {
      let password: string | undefined;
      if (options.passwordStdin) {
        // Only the trailing line break of `echo` / a here-string is removed; spaces are kept.
        password = (await readStdin()).replace(/\r?\n$/, '');
      }
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        try {
          const account = await createAccount(
            {
              username: options.username,
              email_verified: options.emailVerified ?? false,
              roles: options.admin ? ['admin'] : [],
              groups: options.group,
              ...(password === undefined ? {} : { password }),
              ...(options.email === undefined ? {} : { email: options.email }),
              ...(options.name === undefined ? {} : { name: options.name }),
              ...(options.givenName === undefined ? {} : { given_name: options.givenName }),
              ...(options.familyName === undefined ? {} : { family_name: options.familyName }),
            },
            storage,
            systemClock,
          );
          await recordCliEvent(storage, 'user.created', { sub: account.sub, username: account.username, roles: account.roles });
          const { password_hash: _hash, totp: _totp, ...shown } = account;
          printJson(shown);
        } catch (error) {
          if (error instanceof AccountInputError) throw new CliError(error.message);
          throw error;
        }
      });
    });
}
