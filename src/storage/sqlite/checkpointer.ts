import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** How often the WAL is copied back into the database file, and how often the server's connection is asked whether it wrote, in ms. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Row changes the server's connection may make before the worker starts. They wait in the log
 * (a row is a few pages: the table's and each index's), well under the 1000 pages after which
 * SQLite would checkpoint in a commit by itself.
 */
const START_AFTER_CHANGES = 100;

/** How long the server's connection may go without a write before the worker checkpoints a last time and exits, in ms. */
const IDLE_STOP_MS = 30_000;

/**
 * Pages in the WAL past which the worker restarts it (32 MiB of 4 KiB pages): copies the rest back
 * with the server's writes held, so that the next commit writes from the start of the file again.
 */
const RESTART_AFTER_FRAMES = 8192;

/**
 * How long a restart waits for another process's writer or reader, in ms: the server's writes are
 * held meanwhile. Past it, the restart gives up until the next tick.
 */
const RESTART_BUSY_TIMEOUT_MS = 200;

/**
 * The checkpointer's code: its own connection to the file, a PASSIVE checkpoint at once (writes
 * started it) and then at every tick — it copies what is committed and waits for no reader or
 * writer. When the log has grown past `restartAfterFrames` pages, it asks the server to hold its
 * writes (`hold` … `held`), restarts the log (RESTART: the few pages written since the PASSIVE
 * one, then the next writer starts the file over) and lets the writes go (`release`). Asked to
 * stop, it checkpoints a last time, so that nothing waits in the log while no worker runs. Plain
 * JavaScript, so that it runs the same from the build and from the sources (tests).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
// PASSIVE never waits; RESTART waits this long at most for another process's writer or reader.
db.pragma('busy_timeout = ' + workerData.restartBusyTimeoutMs);
db.pragma('synchronous = NORMAL');
const checkpoint = (mode) => {
  try {
    return db.pragma('wal_checkpoint(' + mode + ')')[0];
  } catch (error) {
    // SQLITE_BUSY: another process is checkpointing; the next tick tries again.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error;
    return undefined;
  }
};
let restarting = false;
const tick = () => {
  if (restarting) return;
  const result = checkpoint('PASSIVE');
  if (result !== undefined && result.log >= workerData.restartAfterFrames) {
    restarting = true;
    parentPort.postMessage('hold');
  }
};
tick();
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'held') {
    checkpoint('RESTART');
    restarting = false;
    parentPort.postMessage('release');
    return;
  }
  clearInterval(timer);
  checkpoint('PASSIVE');
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer. */
export interface Checkpointer {
  /** Whether its worker thread runs now (once `startAfterChanges` rows have changed, until `idleStopMs` without a write). */
  readonly active: boolean;
  /** Stops it and closes its connection. */
  stop(): Promise<void>;
}

/** How the checkpointer runs. */
export interface CheckpointerOptions {
  /** Holds the server connection's writes until the returned function is called (`GroupCommitSqliteDialect.holdWrites`). */
  holdWrites: () => () => void;
  /** Row changes before the worker starts (100). */
  startAfterChanges?: number;
  /** Milliseconds without a write after which the worker stops (30 s). */
  idleStopMs?: number;
  /** Pages in the WAL past which the worker restarts it (8192: 32 MiB of 4 KiB pages). */
  restartAfterFrames?: number;
}

/** One worker thread and how to stop it. */
interface CheckpointWorker {
  /** Asks it to checkpoint a last time and close its connection; resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite checkpoints in the connection that commits
 * once the log passes 1000 pages, and a checkpoint fsyncs the log and the database file: the
 * commit — and with it every request of the process — then waits on the disk (measured: a third
 * of client_credentials throughput). Here, while the server writes, its connection does not
 * checkpoint (`wal_autocheckpoint = 0`); a worker thread with a connection of its own does, every
 * 250 ms. Durability is unchanged (WAL, `synchronous = NORMAL`). Should the worker fail, the
 * connection checkpoints by itself again.
 *
 * The worker runs only under write load. A worker thread is a whole V8 isolate (about 8 MB of
 * resident memory), and a few writes (the admin client brought in step with a new issuer at
 * start, a login now and then) need no checkpoint soon. Every 250 ms the event loop asks its own
 * connection how many rows it has changed (`total_changes()`: a microsecond, no I/O); once
 * `START_AFTER_CHANGES` have added up, the worker starts and checkpoints at once, and after
 * `IDLE_STOP_MS` without a write it checkpoints a last time and exits. While no worker runs, the
 * connection keeps SQLite's own safety net (a checkpoint in the commit past 1000 pages). Writes by
 * other processes (the CLI) are checkpointed by their own connections, as SQLite does.
 */
export function startCheckpointer(database: BetterSqlite3.Database, path: string, options: CheckpointerOptions): Checkpointer {
  const startAfterChanges = options.startAfterChanges ?? START_AFTER_CHANGES;
  const idleStopMs = options.idleStopMs ?? IDLE_STOP_MS;
  const restart = { holdWrites: options.holdWrites, restartAfterFrames: options.restartAfterFrames ?? RESTART_AFTER_FRAMES };
  const totalChanges = database.prepare('select total_changes()').pluck();
  let seenChanges = totalChanges.get() as number;
  /** Row changes since the last worker stopped (or since the start), while none runs. */
  let waitingChanges = 0;
  let quietMs = 0;
  let worker: CheckpointWorker | undefined;
  /** Workers asked to stop that have not exited yet. */
  const stopping = new Set<Promise<void>>();
  let stopped = false;

  /** The worker failed: SQLite checkpoints in the server's connection again, and nothing restarts it. */
  const fallBack = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(watch);
    if (database.open) database.pragma('wal_autocheckpoint = 1000');
  };
  const retire = (running: CheckpointWorker) => {
    const exited = running.stop();
    stopping.add(exited);
    void exited.then(() => stopping.delete(exited));
  };
  const watch = setInterval(() => {
    if (stopped || !database.open) return;
    const changes = totalChanges.get() as number;
    const fresh = changes - seenChanges;
    seenChanges = changes;
    if (worker === undefined) {
      waitingChanges += fresh;
      if (waitingChanges < startAfterChanges) return;
      waitingChanges = 0;
      quietMs = 0;
      database.pragma('wal_autocheckpoint = 0');
      worker = startWorker(path, restart, fallBack);
    } else if (fresh > 0) {
      quietMs = 0;
    } else if ((quietMs += CHECKPOINT_INTERVAL_MS) >= idleStopMs) {
      retire(worker);
      worker = undefined;
      database.pragma('wal_autocheckpoint = 1000');
    }
  }, CHECKPOINT_INTERVAL_MS);
  watch.unref();

  return {
    get active() {
      return worker !== undefined && !stopped;
    },
    async stop() {
      stopped = true;
      clearInterval(watch);
      if (worker !== undefined) retire(worker);
      worker = undefined;
      await Promise.all(stopping);
    },
  };
}

/**
 * Starts a worker thread that checkpoints `path` at once and then every tick, and restarts the log
 * with the writes held by `holdWrites` when it asks; `onFailure` when it errs or exits unasked.
 */
function startWorker(
  path: string,
  { holdWrites, restartAfterFrames }: { holdWrites: () => () => void; restartAfterFrames: number },
  onFailure: () => void,
): CheckpointWorker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      path,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: CHECKPOINT_INTERVAL_MS,
      restartAfterFrames,
      restartBusyTimeoutMs: RESTART_BUSY_TIMEOUT_MS,
    },
    // It allocates next to nothing: a small heap keeps the process's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  worker.unref();
  let asked = false;
  /** Lets the held writes go; set while the worker restarts the log. */
  let release: (() => void) | undefined;
  const letGo = () => {
    release?.();
    release = undefined;
  };
  worker.on('message', (message) => {
    if (message === 'hold' && release === undefined && !asked) {
      release = holdWrites();
      worker.postMessage('held');
    } else if (message === 'release') {
      letGo();
    }
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', () => {
    letGo();
    onFailure();
  });
  worker.once('exit', () => {
    letGo();
    if (!asked) onFailure();
  });
  return {
    async stop() {
      asked = true;
      worker.ref(); // the process now waits for it to close its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
