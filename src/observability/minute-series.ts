/**
 * Per-minute counts for the admin dashboard. A process counts in memory (a Map increment: the
 * token endpoint is a hot path) and adds its counts to the shared buckets of `storage.metrics` in
 * one batch every few seconds and on close, never with a write per request. The store adds
 * rather than replaces, so the buckets hold the sum over every worker and every instance.
 */
import type { Logger } from '../core/context.js';
import { DEVICE_CODE_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '../core/grant-types.js';
import { METRIC_RETENTION_SECONDS, type MetricSample, type MetricStore } from '../storage/types.js';
import type { Clock } from '../util/clock.js';

/** The series the provider counts per minute, by name; the value after `/` is what it is counted by. */
export const minuteSeries = {
  /** Access tokens issued, by grant type (`implicit` for those issued at `/authorize`). */
  tokensIssued: (grant_type: string) => `tokens_issued/${grant_type}`,
  /** Logins, by outcome. */
  logins: (outcome: 'succeeded' | 'failed' | 'throttled') => `logins/${outcome}`,
  /** Login sessions started and ended. */
  sessions: (change: 'started' | 'ended') => `sessions/${change}`,
  /** HTTP responses by status class (`2xx` … `5xx`), probes and scrapes left out. */
  httpResponses: (statusClass: string) => `http_responses/${statusClass}`,
} as const;

/**
 * The grant types access tokens are issued by (`implicit`: at `/authorize`), in the order the
 * dashboard lists them. Their series exist from the start, at 0.
 */
export const ISSUING_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE, 'implicit'];

/** The start of the minute `at` falls in (epoch seconds). */
export function minuteOf(at: number): number {
  return at - (((at % 60) + 60) % 60);
}

/** Counts per minute in memory and writes them to the store in batches. */
export interface MinuteSeries {
  /** Adds `count` to `series` in the current minute (by the provider's clock). */
  count(series: string, count?: number): void;
  /**
   * Adds the counts gathered since the last flush to the store. When the store fails, they are
   * kept for the next flush (the failure is logged), as long as they are within the retention.
   */
  flush(): Promise<void>;
  /** Stops the timer and flushes a last time. */
  close(): Promise<void>;
}

/**
 * Starts counting. With `flushIntervalSeconds` above 0 a timer (which does not keep the process
 * alive) flushes at that pace; with 0, only `flush()` and `close()` write.
 * @see ../../docs/observability.md (per-minute series)
 */
export function createMinuteSeries(options: { store: MetricStore; clock: Clock; logger: Logger; flushIntervalSeconds: number }): MinuteSeries {
  const { store, clock, logger } = options;
  /** minute → series → count, not yet written. */
  let pending = new Map<number, Map<string, number>>();
  let current: { minute: number; counts: Map<string, number> } | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const countsOf = (minute: number) => {
    let counts = pending.get(minute);
    if (counts === undefined) pending.set(minute, (counts = new Map()));
    return counts;
  };

  const write = async () => {
    const batch = pending;
    pending = new Map();
    current = undefined;
    const samples: MetricSample[] = [];
    for (const [minute, counts] of batch) for (const [series, count] of counts) samples.push({ series, minute, count });
    if (samples.length === 0) return;
    try {
      await store.add(samples);
    } catch (error) {
      const oldest = clock.now() - METRIC_RETENTION_SECONDS;
      for (const sample of samples) {
        if (sample.minute < oldest) continue;
        const counts = countsOf(sample.minute);
        counts.set(sample.series, (counts.get(sample.series) ?? 0) + sample.count);
      }
      logger.warn({ err: error }, 'writing the per-minute metrics failed; they are kept for the next flush');
    }
  };
  // One write at a time: a timer's flush and close() never interleave.
  const flush = () => (flushing = flushing.then(write));

  const timer = options.flushIntervalSeconds > 0 ? setInterval(() => void flush(), options.flushIntervalSeconds * 1000) : undefined;
  timer?.unref();

  return {
    count(series, count = 1) {
      const minute = minuteOf(clock.now());
      if (current?.minute !== minute) current = { minute, counts: countsOf(minute) };
      current.counts.set(series, (current.counts.get(series) ?? 0) + count);
    },
    flush,
    async close() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}
