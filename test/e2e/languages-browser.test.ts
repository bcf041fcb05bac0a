/**
 * The pages' languages in a real browser (Chromium) against a real server offering English,
 * German and French (`LATCHKEY_UI_LOCALES`): a browser set to German signs in and allows in
 * German by the buttons' accessible names, and the client gets its code; a browser set to
 * English meets the contract's English names on the same server; a browser set to French finds
 * the account console in French, and picks German there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI, serverForSuite } from '../helpers/server.js';
import { accountMessagesFor } from '../../src/account/messages/index.js';
import { messagesFor } from '../../src/i18n/index.js';

const skip = browserSkipReason();

describe('browser: pages in the browser\'s language in Chromium', { skip }, () => {
  const e2e = serverForSuite({ LATCHKEY_UI_LOCALES: 'en,de,fr' });
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** Signs alice in and allows, in a browser set to `locale`, pressing the buttons named `names`: the client's callback URL. */
  async function signInAndAllow(locale: string, names: { title: string; signIn: string; allow: string; lang: string }): Promise<URL> {
    const client = await e2e.server.createClient({ client_name: 'Photo Book', redirect_uris: [E2E_REDIRECT_URI] });
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    let callback: URL | undefined;
    await page.route(`${E2E_REDIRECT_URI}**`, (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
    });
    try {
      await page.goto(`${e2e.server.issuer}/authorize?${new URLSearchParams({ client_id: client.client_id!, redirect_uri: E2E_REDIRECT_URI, response_type: 'code', scope: 'openid profile', state: 'st' })}`);
      assert.equal(await page.title(), names.title);
      assert.equal(await page.evaluate(() => document.documentElement.lang), names.lang);
      await page.locator('input[autocomplete="username"]').fill('alice');
      await page.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
      await page.getByRole('button', { name: names.signIn, exact: true }).click();
      await page.getByRole('button', { name: names.allow, exact: true }).click();
      await page.waitForURL(`${E2E_REDIRECT_URI}**`);
    } finally {
      await context.close();
    }
    assert.ok(callback, 'the browser reached the client');
    return callback;
  }

  test('browser: Chromium set to German → Anmelden, Zulassen, a code for the client', async () => {
    const callback = await signInAndAllow('de-DE', { title: 'Anmelden', signIn: 'Anmelden', allow: 'Zulassen', lang: 'de' });
    assert.ok(callback.searchParams.get('code'));
    assert.equal(callback.searchParams.get('state'), 'st');
  });

  test('browser: Chromium set to English on the same server → the contract\'s Sign in and Allow', async () => {
    const callback = await signInAndAllow('en-US', { title: 'Sign in', signIn: 'Sign in', allow: 'Allow', lang: 'en' });
    assert.ok(callback.searchParams.get('code'));
  });

  test('browser: Chromium set to French → the account console in French; Deutsch picked under Langue → in German', async () => {
    const fr = accountMessagesFor('fr');
    const de = accountMessagesFor('de');
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await page.goto(`${e2e.server.issuer}/account`);
      await page.locator('input[autocomplete="username"]').fill('alice');
      await page.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
      await page.getByRole('button', { name: messagesFor('fr').signIn, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: fr.overview.title }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      await page.getByLabel(fr.overview.languageLabel).selectOption('de');
      await page.getByRole('button', { name: fr.overview.saveLanguage, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: de.overview.title }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'de', 'the person\'s choice over the browser\'s');
      assert.equal((await page.getByRole('status').textContent())?.trim(), de.notices['language-saved']);
    } finally {
      await context.close();
    }
  });
});
