/**
 * Branding in a real browser (Chromium) against a real server: the name, the logo and the accent
 * colour configured by environment variables show on the login and consent pages and in the
 * account console — the inline stylesheet with the brand's colour allowed by the pages' CSP (a
 * stylesheet the CSP refused would leave the buttons unstyled).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const skip = browserSkipReason();
/** A 16×16 orange square, as a data: URL (the test network reaches nothing else). */
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#c2410c"/></svg>').toString('base64')}`;

describe('browser: branded pages in Chromium', { skip }, () => {
  const e2e = serverForSuite({ LATCHKEY_BRAND_NAME: 'Example Accounts', LATCHKEY_BRAND_LOGO_URL: LOGO, LATCHKEY_BRAND_COLOR: '#c2410c' });
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** A page that records every message the browser logs about its Content-Security-Policy. */
  async function watchedPage(): Promise<{ page: Page; cspViolations: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.route(`${E2E_REDIRECT_URI}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' }));
    return { page, cspViolations };
  }

  /** What the page shows of the brand: its name, whether its logo loaded, and the colours of the button named `label`. */
  function brandShown(page: Page, label: string) {
    return page.evaluate((label) => {
      const logo = document.querySelector<HTMLImageElement>('.brand img');
      const button = getComputedStyle([...document.querySelectorAll('button')].find((element) => element.textContent?.trim() === label)!);
      return { name: document.querySelector('.brand span')?.textContent, logoLoaded: logo !== null && logo.complete && logo.naturalWidth === 16, background: button.backgroundColor, text: button.color };
    }, label);
  }

  test('browser: the login page, then the consent page → the brand\'s name after the title and above the page, its logo, its colour on the buttons; no CSP violation', async () => {
    const client = await e2e.server.createClient({ client_name: 'Branded App', redirect_uris: [E2E_REDIRECT_URI] });
    const { page, cspViolations } = await watchedPage();
    await page.goto(`${e2e.server.issuer}/authorize?${new URLSearchParams({ client_id: client.client_id!, redirect_uri: E2E_REDIRECT_URI, response_type: 'code', scope: 'openid profile', state: 's' })}`);
    assert.equal(await page.title(), 'Sign in · Example Accounts');
    assert.deepEqual(await brandShown(page, 'Sign in'), { name: 'Example Accounts', logoLoaded: true, background: 'rgb(194, 65, 12)', text: 'rgb(255, 255, 255)' });

    await page.locator('input[autocomplete="username"]').fill('alice');
    await page.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    assert.match(await page.title(), / · Example Accounts$/);
    assert.deepEqual(await brandShown(page, 'Allow'), { name: 'Example Accounts', logoLoaded: true, background: 'rgb(194, 65, 12)', text: 'rgb(255, 255, 255)' });
    assert.deepEqual(cspViolations, []);
    await page.context().close();
  });

  test('browser: the account console wears the same brand', async () => {
    const { page, cspViolations } = await watchedPage();
    await page.goto(`${e2e.server.issuer}/account/signed-out`);
    assert.equal(await page.title(), 'Signed out · Example Accounts');
    const shown = await page.evaluate(() => ({ name: document.querySelector('.brand span')?.textContent, link: getComputedStyle(document.querySelector('main a')!).color }));
    assert.deepEqual(shown, { name: 'Example Accounts', link: 'rgb(194, 65, 12)' });
    assert.deepEqual(cspViolations, []);
    await page.context().close();
  });
});
