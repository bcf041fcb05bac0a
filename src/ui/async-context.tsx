/**
 * Keeps Hono's JSX renderer from turning on Node's async hooks.
 *
 * Hono keeps the values of `createContext()` per render in an AsyncLocalStorage when the runtime
 * offers one. On Node 20 the first `AsyncLocalStorage.run()` enables async hooks for the whole
 * process, for good: every promise of every later request pays for them — measured, the token
 * endpoint costs 25 % more CPU per request once the first login page has been rendered. latchkey's
 * pages read no JSX context, so Hono is shown no AsyncLocalStorage when it looks for one (once, at
 * its first render): it then renders in its fallback mode, the one of runtimes without
 * AsyncLocalStorage (and of Node before 20.16), where context is read synchronously only.
 * TODO(#7): drop once Node 24 is the oldest supported (AsyncContextFrame makes it cheap there).
 */
import { Fragment } from 'hono/jsx';

let done = false;

/** Makes Hono look for AsyncLocalStorage now, while `node:async_hooks` seems not to have it. */
export function renderWithoutAsyncHooks(): void {
  if (done) return;
  done = true;
  const getBuiltinModule = process.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return; // before Node 20.16: Hono finds none anyway
  process.getBuiltinModule = ((id: string) => (id === 'node:async_hooks' || id === 'async_hooks' ? undefined : getBuiltinModule(id))) as typeof getBuiltinModule;
  try {
    // Hono looks when it first renders, and never again.
    void (<Fragment></Fragment>).toString();
  } finally {
    process.getBuiltinModule = getBuiltinModule;
  }
}
