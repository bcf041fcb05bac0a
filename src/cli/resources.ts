import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { OAuthError } from '../core/errors.js';
import { parseResourceServer } from '../core/resource-servers.js';
import { StorageConflict, type ResourceServerRecord } from '../storage/types.js';
import { systemClock } from '../util/clock.js';
import { CliError, printJson, readStdin, recordCliEvent, withStorage, type GlobalOptions } from './cli-context.js';

/** `latchkey resources create|list|show|delete`: the resource servers (APIs) tokens can be issued for. */
export function registerResources(program: Command): void {
  const resources = program.command('resources').description('manage resource servers (RFC 8707 audiences of access tokens)');

  resources
    .command('create')
    .description('register a resource server from JSON (standard input by default): resource, scope, access_token_format, access_token_ttl_seconds, access_token_signing_alg, name, client_id')
    .option('--file <file>', 'read the definition from this file instead of standard input')
    .action(async (options: { file?: string }, command: Command) => {
      const text = options.file === undefined ? await readStdin() : await readFile(options.file, 'utf8');
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (error) {
        throw new CliError(`resource server definition is not valid JSON: ${(error as Error).message}`);
      }
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        let server: ResourceServerRecord;
        try {
          server = parseResourceServer(input, systemClock);
          if (server.client_id !== undefined && !(await storage.clients.find(server.client_id))) {
            throw new CliError(`client_id ${server.client_id} is not a registered client`);
          }
          await storage.resourceServers.create(server);
        } catch (error) {
          if (error instanceof OAuthError) throw new CliError(`${error.error}: ${error.description}`);
          if (error instanceof StorageConflict) throw new CliError(`resource server ${(input as { resource: string }).resource} is already registered`);
          throw error;
        }
        await recordCliEvent(storage, 'resource_server.registered', { resource: server.resource });
        printJson(server);
      });
    });

  resources
    .command('list')
    .description('list resource servers as JSON')
    .action(async (_options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const all: ResourceServerRecord[] = [];
        let after: string | undefined;
        do {
          const page = await storage.resourceServers.list({ limit: 100, ...(after === undefined ? {} : { after }) });
          all.push(...page.items);
          after = page.next;
        } while (after !== undefined);
        printJson(all);
      });
    });

  resources
    .command('show <resource>')
    .description('show one resource server as JSON')
    .action(async (resource: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        const server = await storage.resourceServers.find(resource);
        if (!server) throw new CliError(`no resource server ${resource}`);
        printJson(server);
      });
    });

  resources
    .command('delete <resource>')
    .description('delete a resource server; new tokens can no longer be issued for it')
    .action(async (resource: string, _options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage) => {
        if (!(await storage.resourceServers.delete(resource))) throw new CliError(`no resource server ${resource}`);
        await recordCliEvent(storage, 'resource_server.deleted', { resource });
        printJson({ deleted: resource });
      });
    });
}
