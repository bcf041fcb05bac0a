/**
 * What the admin dashboard draws, read from the per-minute buckets every process of the
 * installation adds to (`storage.metrics`) and from the sessions in storage: the same answer from
 * any worker or instance.
 */
import { METRIC_RETENTION_SECONDS, type EpochSeconds, type Storage } from '../storage/types.js';
import { ISSUING_GRANT_TYPES, minuteOf } from './minute-series.js';

/** Per-minute figures of the provider, one number per entry of `Dashboard.minutes`. */
export interface DashboardSeries {
  /** Access tokens issued, by grant type (`implicit`: at `/authorize`); every issuing grant type is present. */
  tokens_issued: Record<string, number[]>;
  /** Logins by outcome. */
  logins: { succeeded: number[]; failed: number[]; throttled: number[] };
  /** Login sessions started and ended. */
  sessions: { started: number[]; ended: number[] };
  /** HTTP responses, probes and scrapes left out: all of them, client errors (4xx), server errors (5xx). */
  http: { requests: number[]; client_errors: number[]; server_errors: number[] };
}

/** Every number of a `DashboardSeries`, summed over the window. */
export type DashboardTotals = {
  [K in keyof DashboardSeries]: { [N in keyof DashboardSeries[K]]: number };
};

/** The admin dashboard's data: plain JSON-ready values. */
export interface Dashboard {
  /** When it was read (epoch seconds). */
  now: EpochSeconds;
  /**
   * Start of each minute of the window (epoch seconds), oldest first. The last is the current
   * minute, still counting; each process adds its counts every few seconds.
   */
  minutes: EpochSeconds[];
  series: DashboardSeries;
  totals: DashboardTotals;
  /** Unexpired login sessions now. */
  active_sessions: number;
}

/** The longest window: as far back as buckets are kept. */
export const MAX_DASHBOARD_MINUTES = METRIC_RETENTION_SECONDS / 60;

/**
 * Reads the dashboard: the last `minutes` minutes up to the one `now` falls in (default 60, at
 * most `MAX_DASHBOARD_MINUTES`), minutes without activity as 0. Counts a process has not flushed
 * yet (at most a few seconds' worth) are not in it: call `provider.metrics.flush()` first to
 * include the calling process's own.
 * @see ../../docs/observability.md (per-minute series)
 * @throws TypeError when `minutes` is not a whole number from 1 to `MAX_DASHBOARD_MINUTES`.
 */
export async function readDashboard(storage: Storage, now: EpochSeconds, options: { minutes?: number } = {}): Promise<Dashboard> {
  const count = options.minutes ?? 60;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DASHBOARD_MINUTES) {
    throw new TypeError(`readDashboard: minutes must be a whole number from 1 to ${MAX_DASHBOARD_MINUTES}`);
  }
  const last = minuteOf(now);
  const first = last - (count - 1) * 60;
  const minutes = Array.from({ length: count }, (_, i) => first + i * 60);
  const zeros = () => new Array<number>(count).fill(0);

  const series: DashboardSeries = {
    tokens_issued: Object.fromEntries(ISSUING_GRANT_TYPES.map((grant_type) => [grant_type, zeros()])),
    logins: { succeeded: zeros(), failed: zeros(), throttled: zeros() },
    sessions: { started: zeros(), ended: zeros() },
    http: { requests: zeros(), client_errors: zeros(), server_errors: zeros() },
  };
  const [samples, active_sessions] = await Promise.all([storage.metrics.read(first), storage.artifacts.count('session')]);
  for (const { series: name, minute, count: value } of samples) {
    if (minute > last || (minute - first) % 60 !== 0) continue;
    const index = (minute - first) / 60;
    const slash = name.indexOf('/');
    const [kind, by] = [name.slice(0, slash), name.slice(slash + 1)];
    const add = (points: number[] | undefined) => {
      if (points) points[index]! += value;
    };
    if (kind === 'tokens_issued') add(Object.hasOwn(series.tokens_issued, by) ? series.tokens_issued[by] : (series.tokens_issued[by] = zeros()));
    else if (kind === 'logins') add(Object.hasOwn(series.logins, by) ? series.logins[by as keyof DashboardSeries['logins']] : undefined);
    else if (kind === 'sessions') add(Object.hasOwn(series.sessions, by) ? series.sessions[by as keyof DashboardSeries['sessions']] : undefined);
    else if (kind === 'http_responses') {
      add(series.http.requests);
      if (by === '4xx') add(series.http.client_errors);
      if (by === '5xx') add(series.http.server_errors);
    }
  }
  return { now, minutes, series, totals: sumEach(series), active_sessions };
}

/** The same shape with each list of points replaced by its sum. */
function sumEach(series: DashboardSeries): DashboardTotals {
  const sum = (group: Record<string, number[]>) => Object.fromEntries(Object.entries(group).map(([name, points]) => [name, points.reduce((a, b) => a + b, 0)]));
  return {
    tokens_issued: sum(series.tokens_issued),
    logins: sum(series.logins) as DashboardTotals['logins'],
    sessions: sum(series.sessions) as DashboardTotals['sessions'],
    http: sum(series.http) as DashboardTotals['http'],
  };
}
