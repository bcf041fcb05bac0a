import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics } from 'prom-client';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/context.js';
import type { EventSink } from '../core/events.js';
import { createProvider, type Provider } from '../library/create-provider.js';
import { systemClock, type Clock } from '../util/clock.js';
import { trustedProxiesResolver } from './client-address.js';
import { answerMetricsCollection, askPrimaryForMetrics } from './cluster-metrics.js';
import { createLogger } from './logger.js';
import { openStorage, resolveSecret } from './open-storage.js';

/** A listening server. */
export interface RunningServer {
  provider: Provider;
  server: Server;
  /** The address it listens on, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the provider. */
  close(): Promise<void>;
}

/** What `startServer` may be given besides the configuration. */
export interface ServerOptions {
  clock?: Clock;
  /** Default: pino's JSON on standard output, at `config.logLevel`. */
  logger?: Logger;
  events?: EventSink;
  /**
   * This process is one worker of `latchkey start --workers N`: `/metrics` asks the cluster
   * primary for the sum over every worker, and this worker answers the primary's requests.
   */
  clusterWorker?: boolean;
}

/**
 * Starts latchkey as a server: opens the configured storage (running migrations), makes sure
 * signing keys exist, and listens on `config.port` (0 picks a free port). Its metrics include
 * the process's own (prom-client's default metrics: CPU, memory, event loop, GC).
 */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  trustedProxiesResolver(config); // fails before any storage is opened
  const secret = resolveSecret(config);
  const storage = await openStorage(config, clock, { checkpointInBackground: true, otherWriters: options.clusterWorker ?? false });
  const provider = await createProvider({
    ...config,
    secret,
    storage,
    clock,
    logger,
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.clusterWorker ? { scrapeMetrics: askPrimaryForMetrics() } : {}),
  });
  collectDefaultMetrics({ register: provider.metrics.registry });
  const stopAnswering = options.clusterWorker ? answerMetricsCollection(provider.metrics.registry) : undefined;

  const server = createServer({ keepAliveTimeout: 65_000 }, provider.nodeListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address === '::' ? '::1' : address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, issuer: config.issuer }, 'latchkey is listening');

  return {
    provider,
    server,
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await provider.close();
      stopAnswering?.();
    },
  };
}
