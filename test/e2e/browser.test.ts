/**
 * Login, consent and device pages in a real browser (Chromium), with JavaScript disabled: the
 * pages must work without it. Covers a wrong password, Allow, Deny, and a device code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, pageWithoutJavaScript } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/callback';
const skip = browserSkipReason();

describe('browser: login and consent pages in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let client: { client_id: string; client_secret: string };

  before(async () => {
    server = await startTestServer();
    const user = await server.cli(['users', 'create', '--username', 'alice', '--name', 'Alice Liddell', '--password-stdin'], PASSWORD);
    assert.equal(user.code, 0, user.stderr);
    const created = await server.cli(['clients', 'create'], JSON.stringify({ client_name: 'Browser Test App', redirect_uris: [REDIRECT_URI] }));
    assert.equal(created.code, 0, created.stderr);
    client = JSON.parse(created.stdout);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  function newPage(): Promise<Page> {
    return pageWithoutJavaScript(browser, REDIRECT_URI);
  }

  function authorizeUrl(state: string, scope: string): string {
    return `${server.issuer}/authorize?${new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope, state })}`;
  }

  async function signIn(page: Page, password: string): Promise<void> {
    await page.locator('input[autocomplete="username"]').fill('alice');
    await page.locator('input[autocomplete="current-password"]').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('browser: wrong password → an alert on the login page; right password → consent → Allow → code', async () => {
    const page = await newPage();
    await page.goto(authorizeUrl('allow-state', 'openid profile'));
    assert.match(await page.title(), /sign in/i);

    await signIn(page, 'not the password');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /incorrect/);

    await signIn(page, PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    assert.ok((await page.content()).includes('Browser Test App'), 'the consent page names the client');

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const callback = new URL(page.url());
    assert.equal(callback.searchParams.get('state'), 'allow-state');
    assert.equal(callback.searchParams.get('iss'), server.issuer);

    const response = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI }),
    });
    assert.equal(response.status, 200);
    await page.context().close();
  });

  test('browser: Deny on the consent page → access_denied at the client', async () => {
    const page = await newPage();
    // A scope not consented to before, so that the consent page is shown.
    await page.goto(authorizeUrl('deny-state', 'openid email'));
    await signIn(page, PASSWORD);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const callback = new URL(page.url());
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), 'deny-state');
    assert.equal(callback.searchParams.get('code'), null);
    await page.context().close();
  });

  test('browser: the device page — type the code, sign in, Allow → the device gets its tokens', async () => {
    const created = await server.cli(['clients', 'create'], JSON.stringify({ client_name: 'Living Room TV', token_endpoint_auth_method: 'none', grant_types: ['urn:ietf:params:oauth:grant-type:device_code'] }));
    assert.equal(created.code, 0, created.stderr);
    const tv = JSON.parse(created.stdout);
    const device = await (await fetch(`${server.issuer}/device_authorization`, { method: 'POST', body: new URLSearchParams({ client_id: tv.client_id, scope: 'openid' }) })).json();

    const page = await newPage();
    await page.goto(device.verification_uri);
    await page.locator('input[name="user_code"]').fill(device.user_code.toLowerCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await signIn(page, PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    assert.ok((await page.content()).includes('Living Room TV'), 'the consent page names the device\'s client');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('status').waitFor();
    assert.match(await page.getByRole('status').innerText(), /can now continue on your device/);

    const tokens = await (await fetch(`${server.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code, client_id: tv.client_id }),
    })).json();
    assert.equal(typeof tokens.id_token, 'string', JSON.stringify(tokens));
    await page.context().close();
  });
});
