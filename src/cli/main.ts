import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config.js';
import { CliError } from './cli-context.js';
import { registerClients } from './clients.js';
import { registerKeys } from './keys.js';
import { registerMigrate } from './migrate.js';
import { registerResources } from './resources.js';
import { registerStart } from './start.js';
import { registerUpstreams } from './upstreams.js';
import { registerUsers } from './users.js';

/** Builds the `latchkey` command line. */
export function buildProgram(): Command {
  const program = new Command('latchkey')
    .description('latchkey: OpenID Connect Provider and OAuth 2.0 Authorization Server')
    .option('--config <file>', 'JSON config file (default: ./latchkey.config.json when present); LATCHKEY_* variables override it')
    .showHelpAfterError()
    .exitOverride();
  registerStart(program);
  registerMigrate(program);
  registerUsers(program);
  registerClients(program);
  registerResources(program);
  registerUpstreams(program);
  registerKeys(program);
  return program;
}

/** Runs the CLI with `argv` (as in `process.argv`). Errors are printed without stack traces. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof CliError || error instanceof ConfigError) {
      process.stderr.write(`latchkey: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
