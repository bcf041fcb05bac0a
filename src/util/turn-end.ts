/**
 * The end of the event loop's turn: where the work that the turn's I/O callbacks started is done
 * together — the handling of the requests parsed in it (server/node-listener.ts), the SQLite group
 * commit (storage/sqlite/group-commit.ts) and the writing of answers (server/turn-end-writes.ts);
 * and, within it, the JWT signatures of the requests under way (`togetherAfterReactions`).
 */
type Task = () => void;

/** The tasks of this turn's end: one is scheduled whenever there are any. */
let tasks: Task[] = [];
/** True from the start of the turn's end until every promise reaction it set off has run. */
let ending = false;

/**
 * Runs `task` once every I/O callback of this turn has run (`setImmediate`), after the tasks
 * registered before it. Registered by the turn's end itself (a task, or a reaction to one), it
 * runs at the end of the next turn: after the I/O callbacks in between, which a chain of such
 * tasks must never starve.
 */
export function atTurnEnd(task: Task): void {
  if (tasks.push(task) === 1) setImmediate(runTasks);
}

/**
 * The result of `work`, done at the end of this turn back to back with the other work deferred so
 * (`atTurnEnd`) — or at once while the turn's end runs: the requests that a commit set going
 * again run back to back already, and deferring their work would cost them a turn.
 */
export function togetherAtTurnEnd<T>(work: () => T): Promise<T> {
  if (ending) return settle(work);
  return new Promise<T>((resolve, reject) => atTurnEnd(() => settle(work).then(resolve, reject)));
}

/** The work asked for with `togetherAfterReactions`, waiting for the promise reactions to run out. */
let afterReactions: (() => void)[] = [];

/**
 * The result of `work`, done once the promise reactions queued so far have run — every chain to
 * its end or to an await on I/O — back to back with the other work deferred so meanwhile. The
 * requests of a turn (or those a commit set going again) reach the same step in the same run of
 * reactions: their signatures, say, are then made one after another, with the code and tables
 * they use still in the processor's caches, instead of each between its request's other steps.
 */
export function togetherAfterReactions<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // The tick queued from a reaction runs once the microtask queue is empty.
    if (afterReactions.push(() => settle(work).then(resolve, reject)) === 1) queueMicrotask(() => process.nextTick(runAfterReactions));
  });
}

function runAfterReactions(): void {
  const batch = afterReactions;
  afterReactions = [];
  for (const work of batch) work();
}

/** `work`'s result as a promise: rejected with what it throws. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * True while the turn's end runs its tasks and the promise reactions they set off (the requests
 * whose writes a commit just made durable, going on to their answers).
 */
export function turnIsEnding(): boolean {
  return ending;
}

function runTasks(): void {
  const batch = tasks;
  tasks = [];
  ending = true;
  let failure: { error: unknown } | undefined;
  for (const task of batch) {
    try {
      task();
    } catch (error) {
      failure ??= { error };
    }
  }
  // A reaction queued now runs after those the tasks queued before it; the tick it queues, once
  // every reaction, however long its chain, has run.
  queueMicrotask(() => process.nextTick(endTurn));
  // A task that throws fails as an immediate's callback would, once the others have run.
  if (failure) throw failure.error;
}

function endTurn(): void {
  ending = false;
}
