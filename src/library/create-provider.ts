/**
 * The library face: `createProvider(options)` — the engine with its parts filled in. Alone,
 * `createProvider({ issuer })` is a working development provider (memory storage, a generated
 * secret, the built-in pages and accounts); production options (storage, accounts, secret) are
 * given explicitly. The server (`latchkey start`) is this with SQL storage and a listener.
 */
import type { Accounts } from '../accounts/types.js';
import { parseConfig, type ConfigInput } from '../core/config.js';
import type { Logger } from '../core/context.js';
import { createAccountConsole, type Surface } from '../account/index.js';
import { createAdmin } from '../admin/index.js';
import { createEngine, handlePlainRequest, type Engine } from '../core/engine.js';
import type { EventSink } from '../core/events.js';
import type { OutboundTransport } from '../http/outbound.js';
import type { Pages } from '../interaction/pages.js';
import type { MetricsScraper } from '../observability/provider-metrics.js';
import { serverOutbound } from '../server/guarded-transport.js';
import { createSmtpMailer, defaultMailFrom } from '../server/smtp-mailer.js';
import type { Mailer } from '../core/mailer.js';
import { trustedProxiesResolver } from '../server/client-address.js';
import { toNodeListener, type NodeListener } from '../server/node-listener.js';
import type { Storage } from '../storage/types.js';
import { configuredBrand } from '../ui/brand.js';
import { createBuiltinPages } from '../ui/index.js';
import { systemClock, type Clock } from '../util/clock.js';
import { randomToken } from '../util/random.js';
import { createAuditLog } from './audit-log.js';

/**
 * What `createProvider()` takes: any configuration field (the same validated schema as the
 * server's config file and `LATCHKEY_*` variables: `issuer`, `secret`, token lifetimes …) and the
 * parts a host may bring. Every part has a default.
 */
export interface ProviderOptions extends ConfigInput {
  /**
   * Where clients, tokens, keys and artifacts live. Default: in memory, lost when the process
   * ends — for development and tests only. With storage given, `secret` is required.
   */
  storage?: Storage;
  /** Who can log in, and their claims. Default: latchkey's built-in accounts in `storage`. */
  accounts?: Accounts;
  /**
   * Renders your own login and consent: the URL of your page for interaction `uid`, which then
   * uses `provider.interactions`. Default: latchkey's built-in pages.
   */
  interactionUrl?: (uid: string) => string;
  /** The pages latchkey renders itself (device, logout, errors, and login / consent unless `interactionUrl`). Default: built-in. */
  pages?: Pages;
  clock?: Clock;
  /** A pino-shaped logger. Default: silent. */
  logger?: Logger;
  /** Receives every event, besides `provider.on()` listeners. */
  events?: EventSink;
  /**
   * Sends the provider's own outbound requests (clients' `jwks_uri`, `sector_identifier_uri`,
   * logout notifications). Default: Web `fetch`, refusing loopback and private network
   * addresses unless `dangerouslyAllowPrivateNetworkFetch` (development only).
   */
  outboundTransport?: OutboundTransport;
  /**
   * Sends latchkey's mails (password reset links). Default: SMTP through `smtpUrl` when it is
   * set, else none (and no "Forgot your password?").
   */
  mailer?: Mailer;
  /** How often expired artifacts and tokens are swept, in seconds; 0 disables. Default 60. */
  sweepIntervalSeconds?: number;
  /**
   * How often the dashboard's per-minute counts are added to `storage.metrics`, in seconds; 0:
   * only by `provider.metrics.flush()` and `close()`. Default 5.
   */
  metricsFlushIntervalSeconds?: number;
  /**
   * Gathers what `GET /metrics` answers, given the provider's registry. Default: that registry.
   * `latchkey start --workers N` passes one that sums every worker's.
   */
  scrapeMetrics?: MetricsScraper;
}

/** A running provider: the engine, plus a Node listener for `http.createServer`, Express or Connect. */
export interface Provider extends Engine {
  /**
   * `(req, res)` for `http.createServer`, or `(req, res, next)` middleware for Express / Connect:
   * paths that are not the provider's go to `next`. Mount it before body parsers. Believes
   * `X-Forwarded-For` only from `trustedProxies`.
   */
  readonly nodeListener: NodeListener;
}

const PART_NAMES = new Set(['storage', 'accounts', 'interactionUrl', 'pages', 'clock', 'logger', 'events', 'outboundTransport', 'mailer', 'sweepIntervalSeconds', 'metricsFlushIntervalSeconds', 'scrapeMetrics']);

/**
 * Creates a provider. Makes sure signing keys exist (generating the missing ones, encrypted under
 * `secret`), starts the expiry sweeper and the metrics (`provider.metrics`, `GET /metrics`);
 * `provider.close()` stops them, writes the last per-minute counts and closes the storage.
 * @throws ConfigError listing every invalid or unknown option.
 * @throws TypeError when `storage` is given without `secret`, or the built-in login page has no
 *   `accounts.authenticate()` to call.
 * @example
 * const provider = await createProvider({ issuer: 'http://localhost:3000' });
 * http.createServer(provider.nodeListener).listen(3000);
 */
export async function createProvider(options: ProviderOptions = {}): Promise<Provider> {
  const configInput = Object.fromEntries(Object.entries(options).filter(([name]) => !PART_NAMES.has(name))) as ConfigInput;
  const clock = options.clock ?? systemClock;
  const development = options.storage === undefined;
  if (!development && configInput.secret === undefined) {
    throw new TypeError('createProvider: secret is required with your own storage (it encrypts the signing keys at rest)');
  }
  const config = parseConfig(development && configInput.secret === undefined ? { ...configInput, secret: randomToken(32) } : configInput);
  // The in-memory storage is loaded only when it is used: a server on SQL storage never needs it.
  const storage = options.storage ?? (await import('../storage/memory/index.js')).createMemoryStorage({ clock });
  const smtp = options.mailer === undefined && config.smtpUrl !== undefined ? await createSmtpMailer(config.smtpUrl, config.mailFrom ?? defaultMailFrom(config.issuer, config.brandName)) : undefined;
  const mailer = options.mailer ?? smtp;

  const engine = await createEngine({
    config,
    storage,
    pages: options.pages ?? createBuiltinPages(configuredBrand(config)),
    clock,
    outboundTransport: options.outboundTransport ?? serverOutbound(config).transport,
    ...(mailer === undefined ? {} : { mailer }),
    ...pick(options, ['accounts', 'interactionUrl', 'logger', 'events', 'sweepIntervalSeconds', 'metricsFlushIntervalSeconds', 'scrapeMetrics']),
  });
  const auditLog = createAuditLog(storage, clock, engine.context.logger);
  engine.on('*', (data, name) => auditLog.record(name, data));
  const engineFetch = (request: Request) => engine.fetch(request);
  // The web surfaces beside the engine: the admin console and API, the account console (over
  // the built-in accounts only: a host's own accounts have their own pages).
  const surfaces: Surface[] = [
    ...(config.admin ? [await createAdmin({ ctx: engine.context, flushAudit: auditLog.flush, engineFetch })] : []),
    ...(config.accountConsole && options.accounts === undefined ? [await createAccountConsole({ ctx: engine.context, engineFetch, flushAudit: auditLog.flush })] : []),
  ];

  const fetch: Engine['fetch'] =
    surfaces.length === 0
      ? engine.fetch
      : (request, info) => {
          const pathname = pathOf(request.url);
          const surface = surfaces.find((candidate) => candidate.handles(pathname));
          return surface === undefined ? engine.fetch(request, info) : surface.fetch(request, info);
        };
  const handles = (pathname: string) => engine.handles(pathname) || surfaces.some((surface) => surface.handles(pathname));
  const provider: Engine = {
    ...engine,
    fetch,
    handles,
    handle: (plain) => handlePlainRequest(fetch, plain),
    async close() {
      await auditLog.close();
      await engine.close();
      smtp?.close();
    },
  };
  const nodeListener = toNodeListener(provider, trustedProxiesResolver(config));
  return Object.assign(provider, { nodeListener });
}

/** The path of an absolute URL, without parsing all of it (this runs on every request). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/** The options among `names` that are set. */
function pick<T extends object, K extends keyof T>(object: T, names: readonly K[]): { [P in K]?: Exclude<T[P], undefined> } {
  return Object.fromEntries(names.filter((name) => object[name] !== undefined).map((name) => [name, object[name]])) as { [P in K]?: Exclude<T[P], undefined> };
}
