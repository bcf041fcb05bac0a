/**
 * Two-step verification test helpers: an authenticator's codes at the test clock, set up through
 * the account console as a person does.
 */
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { hiddenInput } from './browserless.js';
import { consoleGet, consolePost, type ConsoleSession } from './console.js';
import type { TestProvider } from './index.js';

/** The code `key`'s authenticator shows at `tp`'s time, `stepsLater` steps on. */
export function codeOf(tp: TestProvider, key: string, stepsLater = 0): string {
  return new TOTP({ secret: Secret.fromBase32(key) }).generate({ timestamp: (tp.clock.now() + 30 * stepsLater) * 1000 });
}

/** The signed-in person sets up an authenticator in the account console; its key and the recovery codes shown. */
export async function enroll(tp: TestProvider, person: ConsoleSession): Promise<{ key: string; recoveryCodes: string[] }> {
  const setup = await consoleGet(tp, person, '/account/two-step');
  assert.equal(setup.response.status, 200);
  const key = /<code class="key">([A-Z2-7 ]+)<\/code>/.exec(setup.text)?.[1]?.replace(/ /g, '');
  assert.ok(key, 'the key to type is shown');
  const enrollment = hiddenInput(setup.text, 'enrollment')!;
  const done = await consolePost(tp, person, '/account/two-step', { enrollment, code: codeOf(tp, key) });
  assert.equal(done.response.status, 200, done.text.slice(0, 200));
  return { key, recoveryCodes: recoveryCodesOn(done.text) };
}

/** The recovery codes a page shows. */
export function recoveryCodesOn(html: string): string[] {
  const codes = [...html.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((match) => match[1]!);
  assert.equal(codes.length, 10, 'ten recovery codes are shown');
  return codes;
}
