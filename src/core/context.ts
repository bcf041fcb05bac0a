import type { Accounts } from '../accounts/types.js';
import type { RemoteKeySets } from '../client-auth/remote-key-sets.js';
import type { ClientAuthMethod } from '../client-auth/types.js';
import type { GrantHandler } from '../grants/types.js';
import type { Pages } from '../interaction/pages.js';
import type { OutboundLimits, OutboundTransport } from '../http/outbound.js';
import type { Keyring } from '../keys/keyring.js';
import type { Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import type { Config } from './config.js';
import type { EndpointUrls } from './urls.js';

/** Structured logger (pino's shape): a fields object, then a message. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Receives what happens in the provider: `<thing>.<past-tense verb>` names, plain data. */
export interface EventSink {
  emit(name: string, data: Readonly<Record<string, unknown>>): void;
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
  /** The provider's own outbound HTTP requests, and the limits they run under. */
  readonly outbound: { transport: OutboundTransport; limits: OutboundLimits };
  /** Clients' `jwks_uri` key sets, cached. */
  readonly remoteKeySets: RemoteKeySets;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: EventSink;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** An event sink that drops everything. */
export const noEvents: EventSink = { emit: () => {} };
