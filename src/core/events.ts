/**
 * What happens in the provider, as typed events: `<thing>.<past-tense verb>` names carrying plain
 * data (identifiers, never a secret, a token or a password). A host application subscribes with
 * `provider.on(name, listener)`; the audit log records the same events.
 */
import type { Logger } from './context.js';
import type { Actor } from '../storage/types.js';

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
  /** RFC 8693: `client_id` exchanged an access token `from_client_id` was issued (or issued for its API). */
  /** `act`: the new token's actor (RFC 8693 §4.1), prior actors nested; absent under impersonation. */
  'token.exchanged': GrantRef & { sub: string; from_client_id: string; scope: string; audience?: string; act?: Actor };
  'refresh_token.used': GrantRef & { sub: string };
  'refresh_token.rotated': GrantRef & { sub: string };
  /** A rotated refresh token was presented again within the grace window: the same new refresh token. */
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
  /** `actor`, for an administrator's change: who made it (see `Actor`). */
  'client.registered': { client_id: string; origin: 'admin' | 'dynamic' | 'metadata_document'; actor?: string };
  'client.updated': { client_id: string; origin: 'admin' | 'dynamic' | 'metadata_document'; actor?: string };
  'client.deleted': { client_id: string; origin: 'admin' | 'dynamic'; actor?: string };
  'login.succeeded': { sub: string; client_id: string; amr: string[] };
  'login.failed': { username: string; client_id: string };
  /** `username` absent: a passkey sign-in refused for the address's failures. */
  'login.throttled': { username?: string; address: string | undefined };
  /** A passkey sign-in did not hold (unknown key, wrong signature or challenge, no user verification, a replay). */
  'login.passkey_refused': { client_id: string; address: string | undefined };
  /**
   * An account whose email address is not confirmed did not sign in (`requireVerifiedEmail`):
   * a link to confirm it went out, unless one had within the minute.
   */
  'login.email_unconfirmed': { sub: string; client_id: string };
  /** An account signed in from a browser it had not used before (told at its verified address). */
  'login.new_browser': { sub: string; address?: string };
  /** A person created their own account (self-registration, or a first sign-in at `upstream`); they are signed in next. */
  'account.registered': { sub: string; username: string; client_id: string; upstream?: string };
  /** A sign-in at an upstream provider did not hold: refused there (`denied`), or its answer failed a check (`reason` says which). */
  'login.upstream_refused': { upstream: string; client_id: string; reason: string };
  /** Self-registration refused for too many accounts from one address. */
  'account.registration_throttled': { address: string | undefined };
  'consent.granted': { sub: string; client_id: string; scope: string };
  /** The user refused at the consent page; `sub` when known. */
  'consent.denied': { sub?: string; client_id: string };
  /**
   * An account outside a client's `allowed_groups` was refused: at the authorization endpoint, the
   * device page, a refresh or a token exchange.
   */
  'access.refused': { sub: string; client_id: string; at: 'authorization' | 'device' | 'refresh_token' | 'token_exchange' };
  'session.started': { sid: string; sub: string };
  /** `actor` when an administrator ended it; else the user logged out. */
  'session.ended': { sid: string; sub: string; clients: string[]; actor?: string };
  'backchannel_logout.delivered': { client_id: string; sid: string; attempts: number };
  'backchannel_logout.failed': { client_id: string; sid: string; outcome: string };

  // An administrator's changes (admin API, web UI, CLI). `actor` says who: `user:<sub>` for an
  // admin user, `client:<client_id>` for an admin client, `cli` for the command line.
  'client.secret_rotated': { client_id: string; actor: string };
  'client.disabled': { client_id: string; actor: string };
  'client.enabled': { client_id: string; actor: string };
  'user.created': { sub: string; username: string; roles: string[]; actor: string };
  /** `fields`: the names of the fields that changed (never their values); `actor` `upstream:<id>` when an upstream provider's sign-in brought the account in step with it. */
  'user.updated': { sub: string; fields: string[]; actor: string };
  'user.disabled': { sub: string; actor: string };
  'user.enabled': { sub: string; actor: string };
  'user.password_set': { sub: string; actor: string; /** The account had none (one made from an upstream provider's sign-in): its first password. */ first?: true };
  /** The account was deleted (by the person, or an administrator): its grants revoked, its consents and sessions gone. */
  'user.deleted': { sub: string; username: string; actor: string };
  /** The login throttle of the user's account was cleared. */
  'user.unlocked': { sub: string; actor: string };
  /** Two-step verification (an authenticator app, TOTP) turned on by the person, in the account console. */
  'user.two_step_enabled': { sub: string; actor: string };
  /** Turned off: by the person (with a current code), or by an administrator (a lost phone). */
  'user.two_step_disabled': { sub: string; actor: string };
  /** New recovery codes were made (with two-step verification turned on, or asked for again): the earlier ones no longer work. */
  'user.recovery_codes_created': { sub: string; actor: string };
  /** The person registered a passkey (account console); `name` is what they called it. */
  'user.passkey_added': { sub: string; name: string; actor: string };
  /** An identity at an upstream provider was connected to the account (the person signed in with both), or disconnected (by the person or an administrator). */
  'user.upstream_connected': { sub: string; upstream: string; actor: string };
  'user.upstream_disconnected': { sub: string; upstream: string; actor: string };
  /** A passkey was removed: by the person, or by an administrator (a lost device). */
  'user.passkey_removed': { sub: string; name: string; actor: string };
  /** A password reset link was mailed to the account's address (the password is unchanged until it is used). */
  'user.password_reset_requested': { sub: string; address?: string | undefined };
  /** The account's email address was confirmed (a link mailed to it was opened), now `email_verified`. */
  'user.email_verified': { sub: string };
  /** A person downloaded their account's data from the account console. */
  'user.exported': { sub: string; actor: string };
  /** A login's second step was a recovery code instead of the authenticator's code. */
  'user.recovery_code_used': { sub: string; client_id: string };
  /** A remembered consent was withdrawn; `grants` of its authorizations were revoked with their tokens. */
  'consent.revoked': { sub: string; client_id: string; grants: number; actor: string };
  'key.rotated': { algorithms: string[]; actor: string };
  'key.retired': { kid: string; alg: string; actor: string };
  'resource_server.registered': { resource: string; actor: string };
  'resource_server.updated': { resource: string; actor: string };
  'resource_server.deleted': { resource: string; actor: string };
  'upstream.created': { id: string; actor: string };
  'upstream.updated': { id: string; actor: string };
  'upstream.deleted': { id: string; actor: string };
  /** `id`: the token's storage id (a digest, not the token). */
  'initial_access_token.issued': { id: string; expires_at: number; actor: string };
  'initial_access_token.revoked': { id: string; actor: string };
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
