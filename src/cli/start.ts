import type { Command } from 'commander';
import { loadConfig } from '../server/load-config.js';
import { startServer } from '../server/start-server.js';
import type { GlobalOptions } from './cli-context.js';

/** `latchkey start`: runs the provider until SIGINT / SIGTERM, then shuts down gracefully. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the provider (embedded SQLite by default)')
    .option('--port <port>', 'listening port (overrides LATCHKEY_PORT)')
    .action(async (options: { port?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const env = options.port === undefined ? process.env : { ...process.env, LATCHKEY_PORT: options.port };
      const config = loadConfig({ env, ...(global.config === undefined ? {} : { configPath: global.config }) });
      const running = await startServer(config);
      process.stdout.write(`latchkey ${config.issuer} listening on ${running.url}\n`);

      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: finishing in-flight requests\n`);
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
