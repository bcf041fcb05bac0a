/**
 * Debian's Chromium driven by playwright-core (which cannot download a browser here). When no
 * Chromium is installed, the browser suites are skipped and say so — unless
 * LATCHKEY_TEST_REQUIRE_BROWSER is set (CI sets it), in which case that is a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * A page in a fresh context with JavaScript disabled (latchkey's pages must work without it),
 * whose navigations to the client's redirect URI are answered by a stub: the callback's URL is
 * what the test reads.
 */
export async function pageWithoutJavaScript(browser: Browser, redirectUri: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.route(`${redirectUri}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' }));
  return page;
}
