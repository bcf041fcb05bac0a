/**
 * `latchkey start --workers N`: N server processes behind one port (Node's cluster module hands
 * incoming connections to the workers). The primary only supervises: it starts the workers,
 * replaces one that crashes, and on SIGINT / SIGTERM asks every worker to finish its in-flight
 * requests and stop, then exits when they have.
 */
import cluster, { type Worker } from 'node:cluster';

/** A worker that dies this soon after starting counts as a failed start. */
const EARLY_DEATH_MS = 5000;
/** Failed starts in a row after which the primary gives up (a broken configuration, a taken port). */
const MAX_FAILED_STARTS = 5;

export interface ClusterOptions {
  workers: number;
  /** Called once, when the first worker listens. */
  onListening(address: { address: string; port: number }): void;
  log(message: string): void;
}

/** Runs the primary's supervision loop; resolves with the exit code once every worker is gone. */
export function superviseWorkers(options: ClusterOptions): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let exitCode = 0;
    let failedStarts = 0;
    let announced = false;
    const startedAt = new Map<number, number>();

    const fork = () => {
      const worker = cluster.fork();
      startedAt.set(worker.id, Date.now());
    };

    cluster.on('listening', (_worker, address) => {
      failedStarts = 0;
      if (announced) return;
      announced = true;
      options.onListening({ address: address.address ?? '0.0.0.0', port: address.port });
    });

    cluster.on('exit', (worker: Worker, code, signal) => {
      const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
      startedAt.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
        return;
      }
      const exited = `worker ${worker.process.pid} exited (${signal ?? `code ${code}`})`;
      if (lived < EARLY_DEATH_MS && ++failedStarts >= MAX_FAILED_STARTS) {
        options.log(`${exited}; ${MAX_FAILED_STARTS} workers in a row died at start, giving up`);
        stopping = true;
        exitCode = 1;
        const others = Object.values(cluster.workers ?? {});
        if (others.length === 0) resolve(exitCode);
        for (const other of others) other?.kill('SIGTERM');
        return;
      }
      options.log(`${exited}; starting another`);
      fork();
    });

    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      options.log(`${signal}: workers are finishing in-flight requests`);
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) resolve(exitCode);
      for (const worker of workers) worker?.kill('SIGTERM');
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));

    for (let i = 0; i < options.workers; i++) fork();
  });
}
