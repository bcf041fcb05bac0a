import { randomUUID } from 'node:crypto';
import { createBuiltinAccounts } from '../accounts/builtin-accounts.js';
import type { Accounts } from '../accounts/types.js';
import { createClientAuthMethods } from '../client-auth/index.js';
import { createRemoteKeySets } from '../client-auth/remote-key-sets.js';
import { createDiscoveryEndpoint } from '../endpoints/discovery.js';
import { createGrantHandlers } from '../grants/index.js';
import { outboundLimits, webFetchTransport, type OutboundTransport } from '../http/outbound.js';
import type { Pages } from '../interaction/pages.js';
import { createKeyring } from '../keys/keyring.js';
import { ensureSigningKeys } from '../keys/rotation.js';
import type { Storage } from '../storage/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { type Config, type ConfigInput, parseConfig } from './config.js';
import { noEvents, silentLogger, type EventSink, type Logger, type ProviderContext } from './context.js';
import { buildRouter, type RequestInfo } from './router.js';
import { buildRoutes } from './routes.js';
import { buildEndpointUrls } from './urls.js';

/** What `createProvider()` needs. */
export interface ProviderOptions {
  /** Configuration values (validated here), or a `Config` already parsed. */
  config: ConfigInput | Config;
  storage: Storage;
  /** The login, consent and error pages. */
  pages: Pages;
  /** Who can log in; default: latchkey's built-in accounts in `storage`. */
  accounts?: Accounts;
  clock?: Clock;
  logger?: Logger;
  events?: EventSink;
  /**
   * Sends the provider's own outbound requests (clients' `jwks_uri`, logout notifications).
   * Default: Web `fetch`. The Node server passes a transport that also refuses private network
   * addresses (`createGuardedTransport()`); a host application should do the same.
   */
  outboundTransport?: OutboundTransport;
  /** How often expired artifacts and tokens are swept, in seconds; 0 disables. Default 60. */
  sweepIntervalSeconds?: number;
}

/** A running provider: a Web-standard `fetch`, and `close()` to release what it holds. */
export interface Provider {
  /** Answers one HTTP request. `info.remoteAddress` feeds login throttling per address. */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  readonly context: ProviderContext;
  /** Stops background work and closes the storage. */
  close(): Promise<void>;
}

/**
 * Creates the protocol engine. Makes sure signing keys exist (generating the missing ones,
 * encrypted under `config.secret`) and starts the expiry sweeper.
 * @throws ConfigError for invalid configuration; TypeError when no secret is configured.
 */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const config = parseConfig(options.config as ConfigInput);
  if (config.secret === undefined) throw new TypeError('createProvider: config.secret (LATCHKEY_SECRET) is required to protect signing keys');
  const clock = options.clock ?? systemClock;
  const { storage } = options;

  await ensureSigningKeys(storage, config.secret, clock);
  const outbound = {
    transport: options.outboundTransport ?? webFetchTransport,
    limits: outboundLimits({ allowPrivateNetwork: config.dangerouslyAllowPrivateNetworkFetch }),
  };

  const partial = {
    config,
    urls: buildEndpointUrls(config),
    storage,
    accounts: options.accounts ?? createBuiltinAccounts(storage.accounts),
    keys: createKeyring({ store: storage.keys, secret: config.secret }),
    grants: createGrantHandlers(),
    clientAuth: createClientAuthMethods(),
    pages: options.pages,
    outbound,
    remoteKeySets: createRemoteKeySets({ ...outbound, clock }),
    clock,
    logger: options.logger ?? silentLogger,
    events: options.events ?? noEvents,
  };
  const ctx: ProviderContext = Object.freeze(partial);
  const router = buildRouter(buildRoutes(createDiscoveryEndpoint(ctx), config), ctx);

  // Key changes made elsewhere (another instance, `latchkey keys rotate`) reach this keyring at
  // once where the backend can tell; its one-second refresh stays as the safety net.
  const stopWatchingKeys = await storage.watchKeys?.(() => ctx.keys.invalidate());

  const sweepSeconds = options.sweepIntervalSeconds ?? 60;
  const sweeper = sweepSeconds > 0 ? setInterval(() => sweep(ctx), sweepSeconds * 1000) : undefined;
  sweeper?.unref();

  return {
    context: ctx,
    fetch: async (request, info = {}) => router.fetch(request, { ...info, requestId: randomUUID() }),
    async close() {
      if (sweeper) clearInterval(sweeper);
      await stopWatchingKeys?.();
      await storage.close();
    },
  };
}

function sweep(ctx: ProviderContext): void {
  ctx.storage.sweepExpired(ctx.clock.now()).catch((error: unknown) => ctx.logger.warn({ err: error }, 'sweeping expired rows failed'));
}
