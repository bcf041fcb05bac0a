import type { Command } from 'commander';
import type { z } from 'zod';
import { resolveSecret } from '../server/open-storage.js';
import { StorageConflict, type Storage, type UpstreamProviderRecord } from '../storage/types.js';
import { changedUpstream, DEFAULT_UPSTREAM_SCOPE, newUpstream, showUpstream, upstreamCreateBody, upstreamPatchBody } from '../upstreams/upstream-input.js';
import { systemClock } from '../util/clock.js';
import { CliError, printJson, readStdin, recordCliEvent, withStorage, type GlobalOptions } from './cli-context.js';

interface AddOptions {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecretStdin?: boolean;
  scope?: string;
  /** false: `--no-create-accounts`. */
  createAccounts: boolean;
  syncProfile?: boolean;
  syncGroups?: boolean;
  disabled?: boolean;
}

interface UpdateOptions {
  name?: string;
  issuer?: string;
  clientId?: string;
  clientSecretStdin?: boolean;
  /** false: `--no-client-secret` removes the secret (true otherwise: commander's default for a lone `--no-` option). */
  clientSecret: boolean;
  scope?: string;
  createAccounts?: boolean;
  syncProfile?: boolean;
  syncGroups?: boolean;
  disabled?: boolean;
}

/** The client secret on standard input: its first line, only the trailing line break of `echo` / a here-string removed. */
async function secretFromStdin(): Promise<string> {
  return (await readStdin()).replace(/\r?\n$/, '');
}

/**
 * `latchkey upstreams add|list|show|update|delete`: the upstream OpenID Providers people may sign
 * in with, as the admin API manages them (the same rules, the same views: never the client secret,
 * which is read from standard input and sealed under the master secret), on the database directly;
 * changes are recorded in the audit log with actor `cli`. A running server sees them at its next
 * login page.
 */
export function registerUpstreams(program: Command): void {
  const upstreams = program.command('upstreams').description('manage upstream OpenID Providers people may sign in with');

  upstreams
    .command('add')
    .description('add an upstream provider; prints it with the redirect_uri to register there')
    .requiredOption('--id <id>', 'lowercase letters, digits and hyphens: names it in its callback URL; cannot change')
    .requiredOption('--name <name>', 'what the login page calls it: "Sign in with NAME"')
    .requiredOption('--issuer <url>', 'its issuer identifier (https; plain http only on a loopback host)')
    .requiredOption('--client-id <id>', 'the client_id latchkey was given there')
    .option('--client-secret-stdin', 'read the client secret latchkey was given there from standard input (first line); without it, a public client (PKCE alone)')
    .option('--scope <scopes>', `the scopes asked there, space-separated, openid among them (default: ${DEFAULT_UPSTREAM_SCOPE})`)
    .option('--no-create-accounts', 'people whose identity there is connected to no account may not create one (they connect it by signing in here)')
    .option('--sync-profile', "at every sign-in through it, set the account's names and address to what it says")
    .option('--sync-groups', "at every sign-in through it, set the account's groups to its groups claim")
    .option('--disabled', 'add it disabled: not offered on the login page')
    .action(async (options: AddOptions, command: Command) => {
      const client_secret = options.clientSecretStdin ? await secretFromStdin() : undefined;
      const body = parseInput(upstreamCreateBody, {
        id: options.id,
        name: options.name,
        issuer: options.issuer,
        client_id: options.clientId,
        ...(client_secret === undefined ? {} : { client_secret }),
        ...(options.scope === undefined ? {} : { scope: options.scope }),
        ...(options.createAccounts ? {} : { create_accounts: false }),
        ...(options.syncProfile ? { sync_profile: true } : {}),
        ...(options.syncGroups ? { sync_groups: true } : {}),
        ...(options.disabled ? { disabled: true } : {}),
      });
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        const upstream = await newUpstream(body, resolveSecret(config), systemClock.now());
        try {
          await storage.upstreams.create(upstream);
        } catch (error) {
          if (error instanceof StorageConflict) throw new CliError(`upstream provider ${upstream.id} exists`);
          throw error;
        }
        await recordCliEvent(storage, 'upstream.created', { id: upstream.id });
        printJson(showUpstream(upstream, config.issuer));
      });
    });

  upstreams
    .command('list')
    .description('list upstream providers in id order (JSON array)')
    .action(async (_options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        printJson((await storage.upstreams.list()).map((upstream) => showUpstream(upstream, config.issuer)));
      });
    });

  upstreams
    .command('show <id>')
    .description('show one upstream provider')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => printJson(showUpstream(await findUpstream(storage, id), config.issuer)));
    });

  upstreams
    .command('update <id>')
    .description('change an upstream provider: only the options given change; prints it')
    .option('--name <name>', 'what the login page calls it')
    .option('--issuer <url>', 'its issuer identifier')
    .option('--client-id <id>', 'the client_id latchkey was given there')
    .option('--client-secret-stdin', 'replace the client secret with the first line of standard input')
    .option('--no-client-secret', 'remove the client secret: a public client (PKCE alone)')
    .option('--scope <scopes>', 'the scopes asked there, space-separated, openid among them')
    .option('--create-accounts', 'people whose identity there is connected to no account may create one')
    .option('--no-create-accounts', 'they may not: they connect it by signing in here')
    .option('--sync-profile', "at every sign-in through it, set the account's names and address to what it says")
    .option('--no-sync-profile', 'leave them as they are')
    .option('--sync-groups', "at every sign-in through it, set the account's groups to its groups claim")
    .option('--no-sync-groups', 'leave them as they are')
    .option('--disabled', 'not offered on the login page; its callbacks refused')
    .option('--no-disabled', 'offered again')
    .action(async (id: string, options: UpdateOptions, command: Command) => {
      if (options.clientSecretStdin && !options.clientSecret) throw new CliError('--client-secret-stdin and --no-client-secret contradict each other');
      const client_secret = options.clientSecretStdin ? await secretFromStdin() : options.clientSecret ? undefined : null;
      const patch = parseInput(upstreamPatchBody, {
        ...(options.name === undefined ? {} : { name: options.name }),
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        ...(options.clientId === undefined ? {} : { client_id: options.clientId }),
        ...(client_secret === undefined ? {} : { client_secret }),
        ...(options.scope === undefined ? {} : { scope: options.scope }),
        ...(options.createAccounts === undefined ? {} : { create_accounts: options.createAccounts }),
        ...(options.syncProfile === undefined ? {} : { sync_profile: options.syncProfile }),
        ...(options.syncGroups === undefined ? {} : { sync_groups: options.syncGroups }),
        ...(options.disabled === undefined ? {} : { disabled: options.disabled }),
      });
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        const existing = await findUpstream(storage, id);
        const upstream = await changedUpstream(existing, patch, resolveSecret(config), systemClock.now());
        if (!(await storage.upstreams.update(upstream))) throw new CliError(`no upstream provider ${id}`);
        await recordCliEvent(storage, 'upstream.updated', { id });
        printJson(showUpstream(upstream, config.issuer));
      });
    });

  upstreams
    .command('delete <id>')
    .description('delete an upstream provider and every account\'s connection to it (the accounts stay)')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        if (!(await storage.upstreams.delete(id))) throw new CliError(`no upstream provider ${id}`);
        await recordCliEvent(storage, 'upstream.deleted', { id });
        printJson({ deleted: id });
      });
    });
}

/** @throws CliError when there is no upstream provider `id`. */
async function findUpstream(storage: Storage, id: string): Promise<UpstreamProviderRecord> {
  const upstream = await storage.upstreams.find(id);
  if (!upstream) throw new CliError(`no upstream provider ${id}`);
  return upstream;
}

/** @throws CliError naming the first bad field (`field: message`), as the admin API would refuse it. */
function parseInput<T extends z.ZodType>(schema: T, input: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`${String(issue.path[0] ?? 'input')}: ${issue.message}`);
  }
  return parsed.data;
}
