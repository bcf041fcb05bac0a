import { offersEmailVerification } from '../interaction/email-verification.js';
import { offersPasswordReset } from '../interaction/password-reset.js';
import type { Mailer } from './mailer.js';
import { watchSecurityChanges } from '../accounts/security-notices.js';
import { randomUUID } from 'node:crypto';
import { createBuiltinAccounts } from '../accounts/builtin-accounts.js';
import type { Accounts } from '../accounts/types.js';
import { createClientAuthMethods } from '../client-auth/index.js';
import { createRemoteKeySets } from '../client-auth/remote-key-sets.js';
import { createDiscoveryEndpoint } from '../endpoints/discovery.js';
import { createGrantHandlers } from '../grants/index.js';
import { outboundLimits, webFetchTransport, type OutboundTransport } from '../http/outbound.js';
import { createHostInteractions, type Interactions } from '../interaction/host-interactions.js';
import type { Pages } from '../interaction/pages.js';
import { createKeyring } from '../keys/keyring.js';
import { ensureKeys } from '../keys/rotation.js';
import { createProviderMetrics, type MetricsScraper, type ProviderMetrics } from '../observability/provider-metrics.js';
import type { Storage } from '../storage/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import { registrationDeps } from '../endpoints/registration.js';
import { registerClient, type RegistrationResponse } from './client-registration.js';
import { cacheRegistrations } from './registration-cache.js';
import type { Config } from './config.js';
import { silentLogger, type Logger, type ProviderContext } from './context.js';
import { createEventHub, type EventSink, type ProviderEventEmitter } from './events.js';
import { buildRouter, routeMatcher, type RequestInfo } from './router.js';
import { createPrebuiltDocuments, type PrebuiltDocument } from './prebuilt-documents.js';
import { createDirectRoutes, type DirectRoute } from './direct-routes.js';
import { buildRoutes } from './routes.js';
import { buildEndpointUrls } from './urls.js';

/** The parts of an engine, all explicit: `createProvider()` fills development defaults in. */
export interface EngineOptions {
  /** Validated configuration (`parseConfig`); `secret` is required. */
  config: Config;
  storage: Storage;
  /** The built-in pages, or a host's (login and consent may instead be the host's: `interactionUrl`). */
  pages: Pages;
  /** Who can log in; default: latchkey's built-in accounts in `storage`. */
  accounts?: Accounts;
  /**
   * Where the browser goes to log in and consent, when the host application renders those pages
   * itself: its page for interaction `uid`. The page works with `engine.interactions`. Default:
   * the built-in pages under `/interaction/`.
   */
  interactionUrl?: (uid: string) => string;
  clock?: Clock;
  logger?: Logger;
  /** Receives every event as well as `on()` listeners (the audit log, a test). */
  events?: EventSink;
  /**
   * Sends the provider's own outbound requests (clients' `jwks_uri`, logout notifications).
   * Default: Web `fetch`. The Node server passes a transport that also refuses private network
   * addresses (`createGuardedTransport()`); a host application should do the same.
   */
  outboundTransport?: OutboundTransport;
  /** Sends latchkey's mails (password reset links). Without one, latchkey sends none and offers nothing that needs one. */
  mailer?: Mailer;
  /** How often expired artifacts and tokens are swept, in seconds; 0 disables. Default 60. */
  sweepIntervalSeconds?: number;
  /**
   * How often the per-minute counts of the dashboard are added to `storage.metrics`, in seconds;
   * 0: only by `metrics.flush()` and `close()`. Default 5.
   */
  metricsFlushIntervalSeconds?: number;
  /**
   * Gathers what `GET /metrics` answers. Default: this provider's registry. `latchkey start
   * --workers N` passes one that asks the cluster primary for the sum over every worker.
   */
  scrapeMetrics?: MetricsScraper;
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

/** The protocol engine: a Web-standard `fetch`, the interaction hook, events, and `close()`. */
export interface Engine extends ProviderEventEmitter {
  /** Answers one HTTP request. `info.remoteAddress` feeds login throttling per address. */
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /**
   * Answers one request given as plain data, in the spirit of oauthlib's
   * `create_token_response(uri, method, body, headers)`: the same engine as `fetch`.
   */
  handle(request: PlainRequest): Promise<PlainResponse>;
  /** The interaction hook, for a host that renders its own login and consent (`interactionUrl`). */
  readonly interactions: Interactions;
  /**
   * Registers a client from RFC 7591 metadata, as an administrator (`client_id` and
   * `client_secret` may be fixed). The answer is the only place its secret is shown.
   * @throws InvalidClientMetadata | InvalidRedirectUri
   */
  registerClient(metadata: Record<string, unknown>): Promise<RegistrationResponse>;
  /** True when `pathname` is one of the provider's routes (any method): a host routes the rest. */
  handles(pathname: string): boolean;
  /**
   * The provider's counters: `registry` (its own prom-client registry, which `GET /metrics`
   * serves), `scrape()` (that text), `flush()` (writes the per-minute counts to storage now).
   */
  readonly metrics: Pick<ProviderMetrics, 'registry' | 'contentType' | 'scrape' | 'flush'>;
  /**
   * The answer to `GET pathname` when it is a static document (discovery, JWKS) that is ready as
   * bytes, for a host adapter that writes it out without running the request pipeline; undefined
   * otherwise (then call `fetch`).
   */
  prebuilt(pathname: string): PrebuiltDocument | undefined;
  /**
   * The route answering `method pathname` when a host adapter may run it without the router
   * (every route of the provider: protocol endpoints and pages; not `HEAD`, preflights or a
   * method a path does not take), for an adapter that reads requests without building a Fetch
   * `Request`; undefined otherwise (then call `fetch`). Same answers, records and errors as `fetch`.
   */
  direct(method: string, pathname: string): DirectRoute | undefined;
  readonly context: ProviderContext;
  /** Stops background work, writes the last per-minute counts and closes the storage. */
  close(): Promise<void>;
}

/**
 * Creates the protocol engine. Makes sure signing keys exist (generating the missing ones,
 * encrypted under `config.secret`), starts the expiry sweeper, and counts the provider's activity
 * (`metrics`: Prometheus series, and per-minute series flushed to `storage.metrics`).
 * @throws TypeError when no secret is configured, or when the built-in login page would need
 *   `accounts.authenticate` and it is missing.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { config } = options;
  if (config.secret === undefined) throw new TypeError('createProvider: secret (LATCHKEY_SECRET) is required to protect signing keys');
  const clock = options.clock ?? systemClock;
  const accounts = options.accounts ?? createBuiltinAccounts(options.storage, clock, config.secret);
  if (options.interactionUrl === undefined && accounts.authenticate === undefined) {
    throw new TypeError('createProvider: the built-in login page needs accounts.authenticate(); implement it, or render your own login with interactionUrl');
  }
  if (options.interactionUrl === undefined && config.selfRegistration && (accounts.register === undefined || options.pages.register === undefined)) {
    throw new TypeError('createProvider: selfRegistration needs accounts.register() and pages.register(); implement them, or render your own pages with interactionUrl');
  }
  if (config.requireVerifiedEmail && (options.mailer === undefined || accounts.verifyEmail === undefined || options.pages.verifyEmail === undefined)) {
    throw new TypeError('createProvider: requireVerifiedEmail needs a mailer (LATCHKEY_SMTP_URL) to send the links, and accounts.verifyEmail() and pages.verifyEmail() to confirm them');
  }
  if (config.registration === 'software_statement' && Object.keys(config.softwareStatementIssuers).length === 0) {
    throw new TypeError('createProvider: registration software_statement needs softwareStatementIssuers (LATCHKEY_SOFTWARE_STATEMENT_ISSUERS): the publishers whose statements register clients');
  }
  const logger = options.logger ?? silentLogger;
  const events = createEventHub(logger, options.events);

  // Clients and resource servers are read through an in-process cache that every change
  // invalidates (core/registration-cache.ts); the rest of the storage is used as it is.
  const registrations = await cacheRegistrations(options.storage);
  const { storage } = registrations;
  try {
    await ensureKeys(storage, config.secret, clock);
  } catch (error) {
    await registrations.stop();
    throw error;
  }
  const outbound = {
    transport: options.outboundTransport ?? webFetchTransport,
    limits: outboundLimits({ allowPrivateNetwork: config.dangerouslyAllowPrivateNetworkFetch }),
  };
  const urls = buildEndpointUrls(config);
  const metrics = createProviderMetrics({
    storage,
    clock,
    logger,
    events,
    flushIntervalSeconds: options.metricsFlushIntervalSeconds ?? 5,
    ...(options.scrapeMetrics === undefined ? {} : { scrape: options.scrapeMetrics }),
  });

  const ctx: ProviderContext = Object.freeze({
    config,
    urls,
    storage,
    accounts,
    keys: createKeyring({ store: storage.keys, secret: config.secret }),
    grants: createGrantHandlers(),
    clientAuth: createClientAuthMethods(),
    pages: options.pages,
    interactionUrl: options.interactionUrl ?? urls.interaction,
    outbound,
    ...(options.mailer === undefined ? {} : { mailer: options.mailer }),
    remoteKeySets: createRemoteKeySets({ ...outbound, clock }),
    clock,
    logger,
    events,
    metrics,
  });
  // With a mailer, people hear of every change to how their account signs in.
  const stopNotices = ctx.mailer === undefined ? undefined : watchSecurityChanges(ctx, events);
  const discovery = createDiscoveryEndpoint(ctx);
  const routes = buildRoutes(discovery, {
    registration: config.registration,
    selfRegistration: config.selfRegistration,
    builtinInteractionPages: options.interactionUrl === undefined,
    passwordReset: offersPasswordReset(ctx),
    emailVerification: offersEmailVerification(ctx),
  });
  const prebuilt = createPrebuiltDocuments(discovery.body, ctx);
  const router = buildRouter(routes, ctx);
  const direct = createDirectRoutes(routes, ctx);
  const isRoute = routeMatcher(routes, urls.basePath);

  // Key changes made elsewhere (another instance, `latchkey keys rotate`) reach this keyring at
  // once where the backend can tell; its one-second refresh stays as the safety net.
  const stopWatchingKeys = await storage.watchKeys?.(() => ctx.keys.invalidate());

  const sweepSeconds = options.sweepIntervalSeconds ?? 60;
  // A sweep of a large backlog can outlast the interval: the next one starts after it.
  let sweeping: Promise<void> | undefined;
  const sweeper = sweepSeconds > 0 ? setInterval(() => (sweeping ??= sweep(ctx).finally(() => (sweeping = undefined))), sweepSeconds * 1000) : undefined;
  sweeper?.unref();

  const respond: Engine['fetch'] = async (request, info = {}) => router.fetch(request, { ...info, requestId: randomUUID() });
  return {
    context: ctx,
    fetch: respond,
    handle: (plain) => handlePlainRequest(respond, plain),
    interactions: createHostInteractions(ctx),
    on: events.on,
    off: events.off,
    handles: isRoute,
    metrics: { registry: metrics.registry, contentType: metrics.contentType, scrape: metrics.scrape, flush: metrics.flush },
    prebuilt,
    direct,
    async registerClient(metadata) {
      const { response, client } = await registerClient(metadata, registrationDeps(ctx), 'admin');
      events.emit('client.registered', { client_id: client.client_id, origin: 'admin' });
      return response;
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      stopNotices?.();
      await stopWatchingKeys?.();
      await metrics.close();
      await registrations.stop();
      await storage.close();
    },
  };
}

/** `handle()`: a plain-data request through `fetch`, and the answer back as plain data. */
export async function handlePlainRequest(respond: Engine['fetch'], plain: PlainRequest): Promise<PlainResponse> {
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
}

/** Deletes the expired rows, a batch at a time (`Storage.sweepExpired`); a failure is logged, and the next sweep tries again. */
function sweep(ctx: ProviderContext): Promise<void> {
  return ctx.storage.sweepExpired(ctx.clock.now()).catch((error: unknown) => ctx.logger.warn({ err: error }, 'sweeping expired rows failed'));
}
