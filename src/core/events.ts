/**
 * What happens in the provider, as typed events: `<thing>.<past-tense verb>` names carrying plain
 * data (identifiers, never a secret, a token or a password). A host application subscribes with
 * `provider.on(name, listener)`; the audit log records the same events.
 */
import type { Logger } from './context.js';

/** Who and what a token or code belongs to. */
type GrantRef = {
  client_id: string;
  grant_id: string;
};

/** Every event the provider emits, by name, with its data. */
export interface ProviderEvents {
  /** `/authorize` answered the client with an error. */
  'authorization.failed': { error: string; error_description: string };
  /** `/authorize` answered the client with a code and/or tokens. */
  'authorization.tokens_issued': GrantRef & { sub: string; response_type: string };
  'authorization_code.issued': GrantRef & { sub: string };
  'authorization_code.consumed': GrantRef & { sub: string };
  /** A code was presented a second time: the grant's tokens are revoked (RFC 6749 §4.1.2). */
  'authorization_code.replayed': GrantRef;
  /**
   * An access token was issued; `sub` is absent for client credentials. `grant_type`: how it was
   * obtained — the token request's grant_type, or `implicit` for one issued at `/authorize`
   * (implicit and hybrid response types).
   */
  'access_token.issued': GrantRef & { sub?: string; grant_type?: string; format: 'opaque' | 'jwt'; audience?: string; expires_at: number };
  'client_credentials.granted': GrantRef & { scope: string };
  'refresh_token.used': GrantRef & { sub: string };
  'refresh_token.rotated': GrantRef & { sub: string };
  /** A rotated refresh token was presented again within the grace window: same new tokens. */
  'refresh_token.reused_within_grace': GrantRef;
  /** A rotated refresh token was presented again: the whole grant is revoked (RFC 9700 §4.14.2). */
  'refresh_token.reused': GrantRef;
  'device_code.issued': GrantRef;
  'device_code.approved': GrantRef;
  'device_code.denied': GrantRef;
  'device_code.consumed': GrantRef & { sub: string };
  'device_code.replayed': GrantRef;
  /** A wrong user code was typed at `/device`. */
  'device_code.user_code_rejected': { address: string | undefined };
  'token.revoked': GrantRef & { kind: string };
  'client_authentication.failed': { client_id: string | undefined; reason: string };
  'client.registered': { client_id: string; origin: 'admin' | 'dynamic' };
  'client.updated': { client_id: string; origin: 'admin' | 'dynamic' };
  'client.deleted': { client_id: string; origin: 'admin' | 'dynamic' };
  'login.succeeded': { sub: string; client_id: string; amr: string[] };
  'login.failed': { username: string; client_id: string };
  'login.throttled': { username: string; address: string | undefined };
  'consent.granted': { sub: string; client_id: string; scope: string };
  /** The user refused at the consent page; `sub` when known. */
  'consent.denied': { sub?: string; client_id: string };
  'session.started': { sid: string; sub: string };
  'session.ended': { sid: string; sub: string; clients: string[] };
  'backchannel_logout.delivered': { client_id: string; sid: string; attempts: number };
  'backchannel_logout.failed': { client_id: string; sid: string; outcome: string };
}

/** The name of an event, e.g. `access_token.issued`. */
export type ProviderEventName = keyof ProviderEvents;

/** Receives every event: the engine emits into one; `createProvider()` builds it. */
export interface EventSink {
  emit<K extends ProviderEventName>(name: K, data: ProviderEvents[K]): void;
}

/** Listens to one event. */
export type EventListener<K extends ProviderEventName> = (data: Readonly<ProviderEvents[K]>, name: K) => void;

/** The subscription side of the provider's events. */
export interface ProviderEventEmitter {
  /** Calls `listener` on every `name` event (`'*'`: on every event); returns the unsubscribe. */
  on<K extends ProviderEventName>(name: K, listener: EventListener<K>): () => void;
  on(name: '*', listener: EventListener<ProviderEventName>): () => void;
  off<K extends ProviderEventName>(name: K | '*', listener: EventListener<K>): void;
}

/**
 * A synchronous event hub: listeners run in subscription order, before the request goes on, so
 * they must be quick (queue slow work). A listener that throws is logged and does not disturb
 * the request or the other listeners. `forward`, when given, receives every event too.
 */
export function createEventHub(logger: Logger, forward?: EventSink): EventSink & ProviderEventEmitter {
  const listeners = new Map<string, Set<EventListener<ProviderEventName>>>();
  const call = (listener: EventListener<ProviderEventName>, name: ProviderEventName, data: ProviderEvents[ProviderEventName]) => {
    try {
      listener(data, name);
    } catch (error) {
      logger.warn({ err: error, event: name }, 'an event listener failed');
    }
  };
  return {
    emit(name, data) {
      for (const listener of listeners.get(name) ?? []) call(listener, name, data);
      for (const listener of listeners.get('*') ?? []) call(listener, name, data);
      forward?.emit(name, data);
    },
    on(name: string, listener: EventListener<ProviderEventName>) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
    off(name, listener) {
      listeners.get(name)?.delete(listener as EventListener<ProviderEventName>);
    },
  };
}
