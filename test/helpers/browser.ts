/**
 * Debian's Chromium driven by playwright-core (which cannot download a browser here). When no
 * Chromium is installed, the browser suites are skipped and say so — unless
 * LATCHKEY_TEST_REQUIRE_BROWSER is set (CI sets it), in which case that is a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.LATCHKEY_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser suites cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set LATCHKEY_TEST_CHROMIUM): browser tests skipped`;
  if (process.env.LATCHKEY_TEST_REQUIRE_BROWSER) throw new Error(reason.replace('skipped', 'required by LATCHKEY_TEST_REQUIRE_BROWSER'));
  process.stdout.write(`# ${reason}\n`);
  return reason;
}

/** Launches headless Chromium with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
