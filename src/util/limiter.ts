/**
 * Runs at most `concurrency` tasks at once; the others wait their turn, first come first served.
 * For work that only slows down when more of it runs at once than there are cores to run it
 * (password hashing: each argon2id run fills 12 MiB of memory and the caches with it).
 */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
