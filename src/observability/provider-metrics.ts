/**
 * The provider's own counters. One source feeds two outputs: the engine's typed events and one
 * observation per HTTP request become Prometheus series in a registry of this provider's own
 * (never prom-client's global one: two providers in one process must not collide), and the
 * per-minute series of the admin dashboard (`minute-series.ts`).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '../core/context.js';
import type { ProviderEventEmitter } from '../core/events.js';
import type { Storage } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { createHttpMetrics, STATUS_CLASSES, statusClassOf } from './http-metrics.js';
import { createMinuteSeries, ISSUING_GRANT_TYPES, minuteSeries } from './minute-series.js';

/**
 * Gathers what `GET /metrics` answers, given this provider's registry. The default renders that
 * registry; `latchkey start --workers N` passes one that asks the cluster primary for the sum
 * over every worker.
 */
export type MetricsScraper = (local: Registry) => Promise<string>;

/** One answered HTTP request, as the router saw it. */
export interface ObservedRequest {
  method: string;
  /** The route pattern (`/token`, `/interaction/:uid`), or `unmatched`: never the raw path. */
  route: string;
  status: number;
  durationSeconds: number;
  /** A probe or a scrape (`/health/*`, `/metrics`): counted for Prometheus, not as dashboard traffic. */
  operational: boolean;
}

/**
 * The provider's metrics: its Prometheus registry, and the per-minute series it writes to storage.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export interface ProviderMetrics {
  /** This provider's prom-client registry; a host may register metrics of its own on it. */
  readonly registry: Registry;
  /** The media type of `scrape()`'s text (Prometheus text exposition format 0.0.4). */
  readonly contentType: string;
  /** Counts one answered HTTP request. */
  observeRequest(request: ObservedRequest): void;
  /** What `GET /metrics` answers, in the Prometheus text format. */
  scrape(): Promise<string>;
  /** Adds the per-minute counts gathered so far to `storage.metrics` (a timer does it every few seconds). */
  flush(): Promise<void>;
  /** Stops listening and the flush timer, and flushes a last time. */
  close(): Promise<void>;
}

/** Methods kept as they are in labels; any other is counted as `other` (bounded label values). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
/** Latency buckets, in seconds: from a cached discovery document to a slow password hash. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the provider's metrics and subscribes them to its events. `flushIntervalSeconds`: how
 * often the per-minute counts are written (0: only by `flush()` and `close()`).
 * @see https://prometheus.io/docs/practices/naming/
 */
export function createProviderMetrics(options: {
  storage: Storage;
  clock: Clock;
  logger: Logger;
  events: ProviderEventEmitter;
  flushIntervalSeconds: number;
  scrape?: MetricsScraper;
}): ProviderMetrics {
  const { storage, logger, events } = options;
  const registry = new Registry();
  const registers = [registry];
  const minutes = createMinuteSeries({ store: storage.metrics, clock: options.clock, logger, flushIntervalSeconds: options.flushIntervalSeconds });

  const tokensIssued = new Counter({ name: 'latchkey_tokens_issued_total', help: 'Access tokens issued, by grant type (implicit: at /authorize) and format.', labelNames: ['grant_type', 'format'] as const, registers });
  const logins = new Counter({ name: 'latchkey_logins_total', help: 'Logins, by outcome.', labelNames: ['outcome'] as const, registers });
  const consents = new Counter({ name: 'latchkey_consents_total', help: 'Answers at the consent step, by outcome.', labelNames: ['outcome'] as const, registers });
  const refreshReuses = new Counter({
    name: 'latchkey_refresh_token_reuses_total',
    help: 'Rotated refresh tokens presented again: within the grace window (the same new refresh token) or past it (the grant is revoked).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const codeReplays = new Counter({ name: 'latchkey_code_replays_total', help: 'Authorization and device codes presented a second time (the grant is revoked).', labelNames: ['kind'] as const, registers });
  const clientAuthFailures = new Counter({ name: 'latchkey_client_authentication_failures_total', help: 'Failed client authentications.', registers });
  const authorizationErrors = new Counter({ name: 'latchkey_authorization_errors_total', help: 'Errors /authorize sent back to clients, by error code.', labelNames: ['error'] as const, registers });
  const sessions = new Counter({ name: 'latchkey_sessions_total', help: 'Login sessions started and ended.', labelNames: ['change'] as const, registers });
  new Gauge({
    name: 'latchkey_active_sessions',
    help: 'Unexpired login sessions in storage, read at scrape time.',
    // Every worker reads the same storage: summing them would count each session once per worker.
    aggregator: 'max',
    registers,
    async collect() {
      try {
        this.set(await storage.artifacts.count('session'));
      } catch (error) {
        logger.warn({ err: error }, 'counting active sessions failed');
      }
    },
  });
  const http = createHttpMetrics(registry, DURATION_BUCKETS);

  // Known label values start at 0: a series that exists before its first event has a rate.
  for (const grant_type of ISSUING_GRANT_TYPES) for (const format of ['opaque', 'jwt']) tokensIssued.inc({ grant_type, format }, 0);
  for (const outcome of ['succeeded', 'failed', 'throttled']) logins.inc({ outcome }, 0);
  for (const outcome of ['granted', 'denied']) consents.inc({ outcome }, 0);
  for (const outcome of ['within_grace', 'grant_revoked']) refreshReuses.inc({ outcome }, 0);
  for (const kind of ['authorization_code', 'device_code']) codeReplays.inc({ kind }, 0);
  for (const change of ['started', 'ended']) sessions.inc({ change }, 0);
  clientAuthFailures.inc(0);

  const unsubscribe = [
    events.on('access_token.issued', ({ grant_type = 'unknown', format }) => {
      tokensIssued.inc({ grant_type, format });
      minutes.count(minuteSeries.tokensIssued(grant_type));
    }),
    ...(['succeeded', 'failed', 'throttled'] as const).map((outcome) =>
      events.on(`login.${outcome}`, () => {
        logins.inc({ outcome });
        minutes.count(minuteSeries.logins(outcome));
      }),
    ),
    events.on('consent.granted', () => consents.inc({ outcome: 'granted' })),
    events.on('consent.denied', () => consents.inc({ outcome: 'denied' })),
    events.on('refresh_token.reused_within_grace', () => refreshReuses.inc({ outcome: 'within_grace' })),
    events.on('refresh_token.reused', () => refreshReuses.inc({ outcome: 'grant_revoked' })),
    events.on('authorization_code.replayed', () => codeReplays.inc({ kind: 'authorization_code' })),
    events.on('device_code.replayed', () => codeReplays.inc({ kind: 'device_code' })),
    events.on('client_authentication.failed', () => clientAuthFailures.inc()),
    events.on('authorization.failed', ({ error }) => authorizationErrors.inc({ error })),
    ...(['started', 'ended'] as const).map((change) =>
      events.on(`session.${change}`, () => {
        sessions.inc({ change });
        minutes.count(minuteSeries.sessions(change));
      }),
    ),
  ];

  const httpSeries = STATUS_CLASSES.map((statusClass) => minuteSeries.httpResponses(statusClass));
  const scrape = options.scrape ?? ((local: Registry) => local.metrics());

  return {
    registry,
    contentType: registry.contentType,
    observeRequest({ method, route, status, durationSeconds, operational }) {
      const statusClass = statusClassOf(status);
      http.observe(KNOWN_METHODS.has(method) ? method : 'other', route, statusClass, durationSeconds);
      if (!operational) minutes.count(httpSeries[statusClass]!);
    },
    scrape: () => scrape(registry),
    flush: minutes.flush,
    async close() {
      for (const stop of unsubscribe) stop();
      await minutes.close();
    },
  };
}
