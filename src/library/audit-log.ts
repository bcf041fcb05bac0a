/**
 * The audit log: the provider's security-relevant events, stored through `storage.audit`. It
 * listens to the same typed events a host application can subscribe to (`provider.on`), and
 * records those of `AUDITED_EVENTS` — every administrator's change, logins, consents, logouts,
 * detected replays, failed client authentications — but not the high-volume ones (each token
 * issued), which the metrics count instead. Events are written in batches, off the request path;
 * an administrator's change awaits `flush()` so that it is on record before it is answered.
 */
import type { Logger } from '../core/context.js';
import type { ProviderEventName, ProviderEvents } from '../core/events.js';
import type { AuditEvent, Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';

/** The events the audit log records. */
export const AUDITED_EVENTS: ReadonlySet<ProviderEventName> = new Set<ProviderEventName>([
  'authorization_code.replayed',
  'refresh_token.reused',
  'device_code.approved',
  'device_code.denied',
  'device_code.replayed',
  'device_code.user_code_rejected',
  'token.revoked',
  'client_authentication.failed',
  'client.registered',
  'client.updated',
  'client.deleted',
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'login.passkey_refused',
  'login.new_browser',
  'login.email_unconfirmed',
  'login.upstream_refused',
  'account.registered',
  'account.registration_throttled',
  'consent.granted',
  'consent.denied',
  'access.refused',
  'session.ended',
  'backchannel_logout.failed',
  'client.secret_rotated',
  'client.disabled',
  'client.enabled',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.password_set',
  'user.deleted',
  'user.unlocked',
  'user.two_step_enabled',
  'user.two_step_disabled',
  'user.recovery_codes_created',
  'user.recovery_code_used',
  'user.passkey_added',
  'user.passkey_removed',
  'user.upstream_connected',
  'user.upstream_disconnected',
  'user.password_reset_requested',
  'user.email_verified',
  'user.exported',
  'consent.revoked',
  'key.rotated',
  'key.retired',
  'resource_server.registered',
  'upstream.created',
  'upstream.updated',
  'upstream.deleted',
  'resource_server.updated',
  'resource_server.deleted',
  'initial_access_token.issued',
  'initial_access_token.revoked',
]);

/** Events a client causes by what it presents (its actor is the client, when it named one). */
const CLIENT_CAUSED = new Set<string>(['authorization_code.replayed', 'refresh_token.reused', 'device_code.replayed', 'token.revoked', 'client_authentication.failed', 'client.registered', 'client.updated', 'client.deleted']);

/** Fields that name what an event was done to, when not a client or an account. */
const TARGET_FIELDS = ['kid', 'resource', 'sid', 'id'] as const;

/**
 * One event as an audit record. The actor is the event's own `actor` (an administrator's
 * change), else the user it speaks of, else `system` for the provider's own work and the host
 * application's calls (`registerClient()`), else the client that caused it, else `anonymous` for
 * someone unidentified (a failed login).
 */
export function toAuditEvent<K extends ProviderEventName>(name: K, payload: ProviderEvents[K], at: number): AuditEvent {
  const { actor, client_id, sub, ...rest } = payload as Record<string, unknown>;
  const data: Record<string, unknown> = { ...rest };
  let target: string | undefined;
  for (const field of TARGET_FIELDS) {
    if (typeof data[field] === 'string') {
      target = data[field] as string;
      delete data[field];
      break;
    }
  }
  const who = typeof actor === 'string'
    ? actor
    : typeof sub === 'string' ? `user:${sub}`
    // A registration of origin admin without an actor was made by the host's own code (registerClient()).
    : data.origin === 'admin' || name === 'backchannel_logout.failed' ? 'system'
    : CLIENT_CAUSED.has(name) && typeof client_id === 'string' ? `client:${client_id}`
    : 'anonymous';
  return {
    at,
    type: name,
    actor: who,
    ...(typeof client_id === 'string' ? { client_id } : {}),
    ...(typeof sub === 'string' ? { sub } : {}),
    ...(target === undefined ? {} : { target }),
    data,
  };
}

/** Events that name an account only by the username typed: attributed to the account of that name, if there is one. */
const TYPED_USERNAME = new Set<string>(['login.failed', 'login.throttled']);

/**
 * Names the account a failed or throttled login was for (`sub`), where a built-in account has the
 * username typed — so that the account's record (the account console's Recent activity, the admin
 * API's filter by user) holds the attempts on it. The actor stays `anonymous`: whoever typed it is
 * not known. Done as the batch is written, off the request path (no timing to read from a login).
 */
async function attributeFailedLogins(batch: AuditEvent[], storage: Storage): Promise<void> {
  for (const event of batch) {
    if (!TYPED_USERNAME.has(event.type) || event.sub !== undefined || typeof event.data.username !== 'string') continue;
    const account = await storage.accounts.findByUsername(event.data.username);
    if (account !== undefined) event.sub = account.sub;
  }
}

/** The writer of the audit log. */
export interface AuditLog {
  /** Queues `name` for the log if it is audited. */
  record<K extends ProviderEventName>(name: K, data: ProviderEvents[K]): void;
  /** Resolves when everything queued so far is stored (or has failed and been logged). */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

/**
 * An audit log over `storage`: queued events are written every `flushIntervalMs` (default 1 s) or
 * as soon as `batchSize` are waiting. If the store fails, the batch is kept for the next attempt,
 * up to `maxQueued` events; past that the oldest are dropped with a warning rather than growing
 * without bound.
 */
export function createAuditLog(storage: Storage, clock: Clock, logger: Logger, options: { flushIntervalMs?: number; batchSize?: number; maxQueued?: number } = {}): AuditLog {
  const batchSize = options.batchSize ?? 200;
  const maxQueued = options.maxQueued ?? 10_000;
  let queue: AuditEvent[] = [];
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, batchSize);
        try {
          await attributeFailedLogins(batch, storage);
          await storage.audit.append(batch);
          queue = queue.slice(batch.length);
        } catch (error) {
          logger.warn({ err: error, queued: queue.length }, 'audit log: events could not be stored; will retry');
          return;
        }
      }
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    record(name, data) {
      if (!AUDITED_EVENTS.has(name)) return;
      queue.push(toAuditEvent(name, data, clock.now()));
      if (queue.length > maxQueued) {
        const dropped = queue.length - maxQueued;
        queue = queue.slice(dropped);
        logger.warn({ dropped }, 'audit log: queue full, oldest events dropped');
      }
      if (queue.length >= batchSize) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
