/**
 * `/metrics` under `latchkey start --workers N` shows the whole instance, not the one worker that
 * happens to answer the scrape. That worker asks the primary over the cluster's IPC channel; the
 * primary asks every worker for its registry (as JSON), sums them with prom-client's aggregator
 * (each metric's own rule: counters add up, `latchkey_active_sessions` takes the max since every
 * worker reads the same storage) and sends the text back.
 *
 *   worker W ──scrape──▶ primary ──collect──▶ every worker ──collected──▶ primary ──scraped──▶ W
 *
 * prom-client's own `AggregatorRegistry.clusterMetrics()` does this from the primary, for the
 * global registry; here a worker asks, for its provider's registry.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import type { MetricsScraper } from '../observability/provider-metrics.js';

/** How long a scrape waits for the primary, and the primary for the workers, in ms. */
const SCRAPE_TIMEOUT_MS = 5000;

const SCRAPE = 'latchkey:metrics:scrape';
const SCRAPED = 'latchkey:metrics:scraped';
const COLLECT = 'latchkey:metrics:collect';
const COLLECTED = 'latchkey:metrics:collected';

type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

/** The IPC messages of a scrape. */
type Message =
  | { type: typeof SCRAPE; id: number }
  | { type: typeof SCRAPED; id: number; text?: string; error?: string }
  | { type: typeof COLLECT; id: number }
  | { type: typeof COLLECTED; id: number; metrics?: WorkerMetrics; error?: string };

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && (value as { type: string }).type.startsWith('latchkey:metrics:');
}

/**
 * In a worker: the `scrapeMetrics` of its provider, asking the primary for the sum over every
 * worker. Rejects when the primary does not answer within `SCRAPE_TIMEOUT_MS`.
 * @see https://nodejs.org/api/cluster.html#workersendmessage-sendhandle-options-callback
 */
export function askPrimaryForMetrics(): MetricsScraper {
  let nextId = 0;
  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => finish(new Error('the cluster primary did not send the metrics in time')), SCRAPE_TIMEOUT_MS);
      const onMessage = (message: unknown) => {
        if (!isMessage(message) || message.type !== SCRAPED || message.id !== id) return;
        finish(message.error === undefined ? undefined : new Error(message.error), message.text);
      };
      const finish = (error: Error | undefined, text?: string) => {
        clearTimeout(timer);
        process.off('message', onMessage);
        if (error) reject(error);
        else resolve(text ?? '');
      };
      process.on('message', onMessage);
      process.send!({ type: SCRAPE, id } satisfies Message);
    });
}

/**
 * In a worker: answers the primary's requests for this process's metrics. Returns the function
 * that stops it.
 * @see https://nodejs.org/api/process.html#event-message
 */
export function answerMetricsCollection(registry: Registry): () => void {
  const onMessage = (message: unknown) => {
    if (!isMessage(message) || message.type !== COLLECT) return;
    const { id } = message;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: COLLECTED, id, metrics } satisfies Message),
      (error: unknown) => process.send?.({ type: COLLECTED, id, error: String((error as Error).message ?? error) } satisfies Message),
    );
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

/**
 * In the primary: answers the workers' scrapes with the sum of the metrics of every worker that
 * listens (a worker answers collection requests from before it listens until it exits; one still
 * starting has served nothing). A worker that fails or is too slow to answer fails the scrape: a
 * partial sum would look to Prometheus like counters going back.
 * @see https://github.com/siimon/prom-client#usage-with-nodejss-cluster-module
 */
export function serveClusterMetrics(): void {
  let nextId = 0;
  const serving = new Set<Worker>();
  cluster.on('listening', (worker) => serving.add(worker));
  cluster.on('exit', (worker) => serving.delete(worker));
  const pending = new Map<number, { answers: WorkerMetrics[]; waiting: number; done(error: Error | undefined): void }>();

  const gather = (asker: Worker, scrapeId: number) => {
    const id = nextId++;
    const workers = [...serving].filter((worker) => worker.isConnected());
    const reply = (message: Message) => {
      if (asker.isConnected()) asker.send(message);
    };
    const timer = setTimeout(() => pending.get(id)?.done(new Error('a worker did not send its metrics in time')), SCRAPE_TIMEOUT_MS);
    pending.set(id, {
      answers: [],
      waiting: workers.length,
      done(error) {
        clearTimeout(timer);
        const request = pending.get(id);
        pending.delete(id);
        if (error || !request) {
          reply({ type: SCRAPED, id: scrapeId, error: error?.message ?? 'metrics request lost' });
          return;
        }
        AggregatorRegistry.aggregate(request.answers)
          .metrics()
          .then(
            (text) => reply({ type: SCRAPED, id: scrapeId, text }),
            (failure: unknown) => reply({ type: SCRAPED, id: scrapeId, error: String((failure as Error).message ?? failure) }),
          );
      },
    });
    for (const worker of workers) worker.send({ type: COLLECT, id } satisfies Message);
    if (workers.length === 0) pending.get(id)?.done(undefined);
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === SCRAPE) gather(worker, message.id);
    if (message.type !== COLLECTED) return;
    const request = pending.get(message.id);
    if (!request) return;
    if (message.error !== undefined || message.metrics === undefined) {
      request.done(new Error(`worker ${worker.process.pid}: ${message.error ?? 'no metrics'}`));
      return;
    }
    request.answers.push(message.metrics);
    if (--request.waiting === 0) request.done(undefined);
  });
}
