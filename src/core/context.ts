import type { Mailer } from './mailer.js';
import type { Accounts } from '../accounts/types.js';
import type { RemoteKeySets } from '../client-auth/remote-key-sets.js';
import type { ClientAuthMethod } from '../client-auth/types.js';
import type { GrantHandler } from '../grants/types.js';
import type { Pages } from '../interaction/pages.js';
import type { OutboundLimits, OutboundTransport } from '../http/outbound.js';
import type { Keyring } from '../keys/keyring.js';
import type { ProviderMetrics } from '../observability/provider-metrics.js';
import type { Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import type { Config } from './config.js';
import type { EventSink } from './events.js';
import type { EndpointUrls } from './urls.js';

/** Structured logger (pino's shape): a fields object, then a message. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  /** Whether lines at `level` are written (pino has it); without it, every level counts as written. */
  isLevelEnabled?(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}

/**
 * Everything the protocol engine depends on, built once by `createProvider()` and passed to
 * every endpoint, grant and client-authentication method.
 */
export interface ProviderContext {
  readonly config: Config;
  readonly urls: EndpointUrls;
  readonly storage: Storage;
  readonly accounts: Accounts;
  readonly keys: Keyring;
  /** grant_type → handler. */
  readonly grants: ReadonlyMap<string, GrantHandler>;
  /** token_endpoint_auth_method → method. */
  readonly clientAuth: ReadonlyMap<string, ClientAuthMethod>;
  readonly pages: Pages;
  /**
   * Where the browser goes for an interaction's login and consent: the built-in pages
   * (`urls.interaction`), or the host application's own (`interactionUrl` option).
   */
  readonly interactionUrl: (uid: string) => string;
  /** The provider's own outbound HTTP requests, and the limits they run under. */
  readonly outbound: { transport: OutboundTransport; limits: OutboundLimits };
  /** Sends latchkey's mails, when the host gave a way to (`LATCHKEY_SMTP_URL`, `createProvider({ mailer })`). */
  readonly mailer?: Mailer;
  /** Clients' `jwks_uri` key sets, cached. */
  readonly remoteKeySets: RemoteKeySets;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
  /** The provider's counters: Prometheus series and the dashboard's per-minute series. */
  readonly metrics: ProviderMetrics;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export type { EventSink } from './events.js';
