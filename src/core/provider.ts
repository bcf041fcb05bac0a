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

/** A request as plain data, for hosts that have neither Fetch nor Node request objects at hand. */
export interface PlainRequest {
  method: string;
  /** Absolute URL under the issuer, e.g. `https://id.example.com/token`. */
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** The raw body, e.g. a form-encoded string; none for GET. */
  body?: string;
  /** The client's address, for login throttling per address. */
  remoteAddress?: string;
}

/** A response as plain data: header names lowercased; `set-cookie` values joined by newlines. */
export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A running provider: a Web-standard `fetch`, and `close()` to release what it holds. */
export interface Provider {
  /** Answers one HTTP request. `info.remoteAddress` feeds login throttling per address. */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /**
   * Answers one request given as plain data, in the spirit of oauthlib's
   * `create_token_response(uri, method, body, headers)`: the same engine as `fetch`.
   */
  handle(request: PlainRequest): Promise<PlainResponse>;
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

  const respond: Provider['fetch'] = async (request, info = {}) => router.fetch(request, { ...info, requestId: randomUUID() });
  return {
    context: ctx,
    fetch: respond,
    async handle(plain) {
      const method = plain.method.toUpperCase();
      const request = new Request(plain.url, {
        method,
        headers: plain.headers ?? {},
        ...(plain.body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body: plain.body }),
      });
      const response = await respond(request, plain.remoteAddress === undefined ? {} : { remoteAddress: plain.remoteAddress });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) headers['set-cookie'] = cookies.join('\n');
      return { status: response.status, headers, body: await response.text() };
    },
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
