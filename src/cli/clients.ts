import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { clientInformation, registerClient, type RegistrationResponse } from '../core/client-registration.js';
import { OAuthError } from '../core/errors.js';
import { serverOutbound } from '../server/guarded-transport.js';
import { resolveSecret } from '../server/open-storage.js';
import type { ClientRecord } from '../storage/types.js';
import { systemClock } from '../util/clock.js';
import { digestSecret } from '../util/digest.js';
import { randomToken } from '../util/random.js';
import { CliError, printJson, readStdin, recordCliEvent, withStorage, type GlobalOptions } from './cli-context.js';

/** A client as the CLI shows it: its metadata, never the secret's digest or sealed copy. */
function showClient(client: ClientRecord): RegistrationResponse & { updated_at: number } {
  return { ...clientInformation(client), updated_at: client.updated_at };
}

/** `latchkey clients create|list|show|delete`. */
export function registerClients(program: Command): void {
  const clients = program.command('clients').description('manage registered clients');

  clients
    .command('create')
    .description('register a client from RFC 7591 metadata JSON (standard input by default); prints the registration response, the only time the secret is shown')
    .option('--file <file>', 'read the metadata from this file instead of standard input')
    .action(async (options: { file?: string }, command: Command) => {
      const text = options.file === undefined ? await readStdin() : await readFile(options.file, 'utf8');
      let metadata: unknown;
      try {
        metadata = JSON.parse(text);
      } catch (error) {
        throw new CliError(`client metadata is not valid JSON: ${(error as Error).message}`);
      }
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        try {
          const { response } = await registerClient(metadata, { storage, clock: systemClock, secret: resolveSecret(config), sectorFetch: serverOutbound(config) });
          await recordCliEvent(storage, 'client.registered', { client_id: response.client_id, origin: 'admin' });
          printJson(response);
        } catch (error) {
          if (error instanceof OAuthError) throw new CliError(`${error.error}: ${error.description}`);
          throw error;
        }
      });
    });

  clients
    .command('initial-token')
    .description('issue an initial access token (RFC 7591 §3): it lets its holder register one client at /register')
    .option('--ttl <seconds>', 'how long the token is valid, in seconds (60 to 2592000)', '86400')
    .action(async (options: { ttl: string }, command: Command) => {
      const ttl = Number(options.ttl);
      if (!Number.isInteger(ttl) || ttl < 60 || ttl > 2_592_000) throw new CliError('--ttl must be a whole number of seconds from 60 to 2592000');
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const initial_access_token = randomToken();
        const id = digestSecret(initial_access_token);
        await storage.artifacts.put('initial_access_token', id, { issued_at: systemClock.now(), issued_by: 'cli' }, ttl);
        await recordCliEvent(storage, 'initial_access_token.issued', { id, expires_at: systemClock.now() + ttl });
        printJson({ initial_access_token, expires_in: ttl });
      });
    });

  clients
    .command('list')
    .description('list registered clients as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const all: ClientRecord[] = [];
        let after: string | undefined;
        do {
          const page = await storage.clients.list({ limit: 100, ...(after === undefined ? {} : { after }) });
          all.push(...page.items);
          after = page.next;
        } while (after !== undefined);
        printJson(all.map(showClient));
      });
    });

  clients
    .command('show <client_id>')
    .description('show one client as JSON')
    .action(async (clientId: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const client = await storage.clients.find(clientId);
        if (!client) throw new CliError(`no client ${clientId}`);
        printJson(showClient(client));
      });
    });

  clients
    .command('delete <client_id>')
    .description('delete a client; its tokens stop working at once')
    .action(async (clientId: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        if (!(await storage.clients.delete(clientId))) throw new CliError(`no client ${clientId}`);
        await recordCliEvent(storage, 'client.deleted', { client_id: clientId, origin: 'admin' });
        printJson({ deleted: clientId });
      });
    });
}
