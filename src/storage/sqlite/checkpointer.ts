import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** How often the WAL is copied back into the database file, in ms. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * The checkpointer's code: its own connection to the file, a PASSIVE checkpoint at every tick —
 * it copies what is committed and waits for no reader or writer. Plain JavaScript, so that it
 * runs the same from the build and from the sources (tests).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY: another process is checkpointing; the next tick tries again.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error;
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer. */
export interface Checkpointer {
  /** Stops it and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite checkpoints in the connection that commits
 * once the log passes 1000 pages, and a checkpoint fsyncs the log and the database file: the
 * commit — and with it every request of the process — then waits on the disk (measured: a third
 * of client_credentials throughput). Here the server's connection does not checkpoint
 * (`wal_autocheckpoint = 0`); a worker thread with a connection of its own does, every 250 ms.
 * Durability is unchanged (WAL, `synchronous = NORMAL`). Should the worker fail, the connection
 * checkpoints by itself again.
 */
export function startCheckpointer(database: BetterSqlite3.Database, path: string): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: CHECKPOINT_INTERVAL_MS },
    // It allocates next to nothing: a small heap keeps the process's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  worker.unref();
  database.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = () => {
    if (!stopping && database.open) database.pragma('wal_autocheckpoint = 1000');
  };
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  return {
    async stop() {
      stopping = true;
      worker.ref(); // the process now waits for it to close its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
