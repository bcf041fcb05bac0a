/**
 * `latchkey/testing`: what a third party needs to prove its own storage backend. Import it from
 * a `node:test` file only — it registers tests.
 *
 * @example
 * import { runStorageConformance, fixedClock } from 'latchkey/testing';
 * runStorageConformance('my-backend', async () => {
 *   const clock = fixedClock(0);
 *   return { storage: await openMyStorage({ clock }), clock, cleanup: async () => {} };
 * });
 */
export { runStorageConformance, type ConformanceOptions, type ConformanceSubject } from './storage/conformance.js';
export { fixedClock, type FixedClock } from './util/clock.js';
