/** The source of time for protocol code. Tests fix it; the server uses the system clock. */
export interface Clock {
  /** Current time in epoch seconds (integer). */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = {
  now: () => Math.floor(Date.now() / 1000),
};

/** A clock that stays where it is put: tests move it with `advance`. */
export interface FixedClock extends Clock {
  advance(seconds: number): void;
  set(epochSeconds: number): void;
}

/** Creates a clock fixed at `start` (epoch seconds or an ISO 8601 string). */
export function fixedClock(start: number | string): FixedClock {
  let current = typeof start === 'number' ? start : Math.floor(Date.parse(start) / 1000);
  if (!Number.isFinite(current)) throw new TypeError(`fixedClock: invalid start ${String(start)}`);
  return {
    now: () => current,
    advance: (seconds) => {
      current += seconds;
    },
    set: (epochSeconds) => {
      current = epochSeconds;
    },
  };
}
