import cluster from 'node:cluster';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config.js';
import { CliError } from './cli-context.js';
import { registerMigrate } from './migrate.js';
import { registerStart } from './start.js';

type Register = (program: Command) => void;

/**
 * The command groups that administer a deployment, in the order help lists them. Each is loaded
 * only when it is run, or when help lists every command: a server (`latchkey start`) keeps none of
 * them — nor the admin API's schemas they share — in memory.
 */
const ADMINISTRATION: Record<string, () => Promise<Register>> = {
  users: async () => (await import('./users.js')).registerUsers,
  clients: async () => (await import('./clients.js')).registerClients,
  resources: async () => (await import('./resources.js')).registerResources,
  upstreams: async () => (await import('./upstreams.js')).registerUpstreams,
  keys: async () => (await import('./keys.js')).registerKeys,
  'copy-to': async () => (await import('./copy-to.js')).registerCopyTo,
};

/** The command `args` (after `node latchkey`) run: the first word that is neither an option nor the global option's value. */
function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--config') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** Builds the `latchkey` command line for `argv` (as in `process.argv`): every command, or the one it runs. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('latchkey')
    .description('latchkey: OpenID Connect Provider and OAuth 2.0 Authorization Server')
    .option('--config <file>', 'JSON config file (default: ./latchkey.config.json when present); LATCHKEY_* variables override it')
    .showHelpAfterError()
    .exitOverride();
  registerStart(program);
  registerMigrate(program);
  const command = commandOf(argv.slice(2));
  const groups = command === 'start' || command === 'migrate' ? [] : command !== undefined && Object.hasOwn(ADMINISTRATION, command) ? [command] : Object.keys(ADMINISTRATION);
  for (const register of await Promise.all(groups.map((name) => ADMINISTRATION[name]!()))) register(program);
  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`). Errors are printed without stack traces. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof CliError || error instanceof ConfigError) {
      process.stderr.write(`latchkey: ${error.message}\n`);
      process.exitCode = 1;
      // A worker of `start --workers N` would be kept running by its channel to the primary,
      // serving nothing: it exits, and the primary starts another (or gives up, and says why).
      if (cluster.isWorker) process.exit(1);
      return;
    }
    throw error;
  }
}
