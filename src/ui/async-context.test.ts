/** Rendering a page must not turn on Node's async hooks for the rest of the process (async-context.tsx). */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import { builtinPages } from './index.js';

test('pages: rendering one never runs an AsyncLocalStorage (which would slow every later request on Node 20)', async () => {
  const run = AsyncLocalStorage.prototype.run;
  let runs = 0;
  AsyncLocalStorage.prototype.run = function (this: AsyncLocalStorage<unknown>, ...args: Parameters<typeof run>) {
    runs += 1;
    return run.apply(this, args);
  } as typeof run;
  try {
    const html = await builtinPages.login({ action: 'https://op.test/interaction/x/login', csrfToken: 'token', client: { client_id: 'app', client_name: 'App' } });
    assert.match(html, /autocomplete="current-password"/);
    assert.match(await builtinPages.error({ status: 400, error: 'invalid_request', error_description: 'no' }), /Something went wrong/);
    assert.equal(runs, 0);
  } finally {
    AsyncLocalStorage.prototype.run = run;
  }
});
