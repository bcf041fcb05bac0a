/**
 * The two per-request Prometheus series — `latchkey_http_requests_total` (by method, route
 * pattern and status class) and `latchkey_http_request_duration_seconds` (by method and route
 * pattern) — counted in plain arrays and turned into prom-client's metric objects only when
 * scraped.
 *
 * Why not prom-client's own Counter and Histogram: they hash and validate the labels on every
 * call, even through a bound child (`labels(…).observe`) — some 0.7 µs per request, a twentieth
 * of what a pre-built discovery answer costs in all. Here a request costs two Map lookups and a
 * few additions. The objects registered implement what a prom-client registry reads of a metric
 * (`get()`, `reset()`, name, help, type, aggregator), so the text exposition, `getMetricsAsJSON`
 * and the cluster's aggregation (summing every worker's series) see them as their own.
 * @see https://prometheus.io/docs/concepts/metric_types/
 */
import type { Metric, Registry } from 'prom-client';

/** Status classes by hundreds, as label values (statuses outside 100–599 are `other`), indexed by `statusClassOf`. */
export const STATUS_CLASSES = ['other', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** The counts of one (method, route) pair. */
interface Series {
  readonly method: string;
  readonly route: string;
  /** Requests by status class (index into STATUS_CLASSES). */
  readonly requests: number[];
  /** Observations per bucket, not cumulative; the last slot is past every bound (`+Inf`). */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** The per-request series of a provider, registered on its registry. */
export interface HttpMetrics {
  /** Counts one answer. `statusClass`: its index in `STATUS_CLASSES` (`statusClassOf`). */
  observe(method: string, route: string, statusClass: number, durationSeconds: number): void;
}

/** The index of `status`'s class in the `status_class` label values. */
export function statusClassOf(status: number): number {
  return status >= 100 && status < 600 ? Math.trunc(status / 100) : 0;
}

/** Creates the two series on `registry`, with `bounds` as the histogram's upper bounds (seconds, ascending). */
export function createHttpMetrics(registry: Registry, bounds: readonly number[]): HttpMetrics {
  // By route, then by method: strings that are always the same objects, no key built per request.
  let byRoute = new Map<string, Map<string, Series>>();
  const all = (): Series[] => [...byRoute.values()].flatMap((byMethod) => [...byMethod.values()]);
  const reset = () => {
    byRoute = new Map();
  };

  /** A metric as a registry reads it, whose samples are `samples()` of the counts at the time. */
  const register = (name: string, help: string, type: RegistryMetric['type'], samples: () => Sample[]) => {
    const metric: RegistryMetric = { name, help, type, aggregator: 'sum', get: async () => ({ name, help, type, aggregator: 'sum', values: samples() }), reset };
    // A registry's typings name only prom-client's own classes; it reads only these members.
    registry.registerMetric(metric as unknown as Metric);
  };

  register('latchkey_http_requests_total', 'HTTP requests answered, by method, route pattern and status class.', 'counter', () =>
    all().flatMap(({ method, route, requests }) =>
      requests.flatMap((value, statusClass) => (value === undefined ? [] : [{ labels: { method, route, status_class: STATUS_CLASSES[statusClass]! }, value }])),
    ),
  );

  const duration = 'latchkey_http_request_duration_seconds';
  register(duration, 'Time to answer an HTTP request, by method and route pattern.', 'histogram', () =>
    all().flatMap(({ method, route, buckets, sum, count }) => {
      let cumulative = 0;
      const rows: Sample[] = bounds.map((le, i) => {
        cumulative += buckets[i]!;
        return { labels: { le, method, route }, value: cumulative, metricName: `${duration}_bucket` };
      });
      rows.push(
        { labels: { le: '+Inf', method, route }, value: count, metricName: `${duration}_bucket` },
        { labels: { method, route }, value: sum, metricName: `${duration}_sum` },
        { labels: { method, route }, value: count, metricName: `${duration}_count` },
      );
      return rows;
    }),
  );

  return {
    observe(method, route, statusClass, durationSeconds) {
      let byMethod = byRoute.get(route);
      if (byMethod === undefined) byRoute.set(route, (byMethod = new Map()));
      let series = byMethod.get(method);
      if (series === undefined) byMethod.set(method, (series = { method, route, requests: [], buckets: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }));
      series.requests[statusClass] = (series.requests[statusClass] ?? 0) + 1;
      let bucket = 0;
      while (bucket < bounds.length && durationSeconds > bounds[bucket]!) bucket += 1;
      series.buckets[bucket]! += 1;
      series.sum += durationSeconds;
      series.count += 1;
    },
  };
}

/** One sample of the exposition: a series' labels and value; `metricName` for a histogram's `_bucket`, `_sum`, `_count`. */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/**
 * What a prom-client registry reads of a registered metric. (Its typings name only its own
 * classes, and give `type` as an enum where the runtime reads the exposition's word.)
 */
interface RegistryMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; values: Sample[] }>;
  reset(): void;
}
