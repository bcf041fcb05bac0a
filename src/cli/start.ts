import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../core/config.js';
import { superviseWorkers } from '../server/cluster.js';
import { serveClusterMetrics } from '../server/cluster-metrics.js';
import { loadConfig } from '../server/load-config.js';
import { startServer } from '../server/start-server.js';
import { withStorage, type GlobalOptions } from './cli-context.js';
import { offerFirstAdministrator } from './first-admin.js';

/**
 * `latchkey start`: runs the provider until SIGINT / SIGTERM, then shuts down gracefully. With
 * more than one worker (`--workers N`, `LATCHKEY_WORKERS`; default one per CPU core), this process
 * supervises N server processes that share the port.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the provider (embedded SQLite by default)')
    .option('--port <port>', 'listening port (overrides LATCHKEY_PORT)')
    .option('--workers <n>', 'server processes sharing the port (overrides LATCHKEY_WORKERS; default one per CPU core)')
    .action(async (options: { port?: string; workers?: string }, command: Command) => {
      keepServingWithoutStdout();
      const global = command.optsWithGlobals<GlobalOptions>();
      const env = {
        ...process.env,
        ...(options.port === undefined ? {} : { LATCHKEY_PORT: options.port }),
        ...(options.workers === undefined ? {} : { LATCHKEY_WORKERS: options.workers }),
      };
      const config = loadConfig({ env, ...(global.config === undefined ? {} : { configPath: global.config }) });
      const workers = config.workers ?? availableParallelism();
      // Once, before any server process starts: workers re-run this command.
      if (cluster.isPrimary) await withStorage(global, (storage) => offerFirstAdministrator(storage, config, { input: process.stdin, output: process.stdout }), env);
      if (workers > 1 && cluster.isPrimary) {
        // Workers re-run this command with the same arguments and environment.
        cluster.setupPrimary({ args: process.argv.slice(2) });
        serveClusterMetrics();
        const code = await superviseWorkers({
          workers,
          onListening: ({ port }) => process.stdout.write(`latchkey ${config.issuer} listening on http://${config.host ?? 'localhost'}:${port} (${workers} workers)\n`),
          log: (message) => process.stdout.write(`${message}\n`),
        });
        process.exit(code);
      }
      await serve(config, cluster.isWorker);
    });
}

/** One server process: serves until SIGINT / SIGTERM, then finishes in-flight requests and exits. */
async function serve(config: Config, isWorker: boolean): Promise<void> {
  const running = await startServer(config, { clusterWorker: isWorker });
  if (!isWorker) process.stdout.write(`latchkey ${config.issuer} listening on ${running.url}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!isWorker) process.stdout.write(`${signal}: finishing in-flight requests\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * A server whose standard output is a pipe nobody reads any more (`latchkey start | head`, a log
 * collector gone) keeps serving: what it would print there is dropped, as pino drops its log
 * lines then. Any other failure to write stays fatal.
 */
function keepServingWithoutStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
