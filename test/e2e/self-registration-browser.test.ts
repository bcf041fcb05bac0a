/**
 * Self-registration in a real browser (Chromium, JavaScript disabled) against the real server
 * (LATCHKEY_SELF_REGISTRATION=true): a person creates an account from the login page, or from a
 * `prompt=create` request built by openid-client, and the client gets their tokens and claims.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, pageWithoutJavaScript } from '../helpers/browser.js';
import { E2E_REDIRECT_URI as REDIRECT_URI, startTestServer, type TestServer } from '../helpers/server.js';

const skip = browserSkipReason();

describe('browser: self-registration in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let config: client.Configuration;

  before(async () => {
    server = await startTestServer({ LATCHKEY_SELF_REGISTRATION: 'true' });
    const created = await server.createClient({ client_name: 'Sign-up App', redirect_uris: [REDIRECT_URI] });
    config = await client.discovery(new URL(server.issuer), created.client_id!, undefined, client.ClientSecretBasic(created.client_secret!), { execute: [client.allowInsecureRequests] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  function newPage(): Promise<Page> {
    return pageWithoutJavaScript(browser, REDIRECT_URI);
  }

  async function fillRegistration(page: Page, username: string, name: string): Promise<void> {
    await page.locator('input[autocomplete="username"]').fill(username);
    await page.getByLabel('Name (optional)').fill(name);
    await page.locator('input[autocomplete="new-password"]').first().fill('a long enough passphrase');
    await page.getByLabel('Password again').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
  }

  /** Allow on the consent page, then the code exchanged and UserInfo read with openid-client. */
  async function allowAndRead(page: Page, verifier: string, state: string): Promise<client.UserInfoResponse> {
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
    return client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  }

  test('browser: the login page\'s "Create an account" → the registration page → Allow → the client reads the new account\'s claims', async () => {
    const page = await newPage();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', state: 'sign-up', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    await page.getByRole('link', { name: 'Create an account' }).click();
    assert.match(await page.title(), /create an account/i);

    // Passwords that differ are refused on the page, what was typed kept.
    await page.locator('input[autocomplete="username"]').fill('dinah');
    await page.locator('input[autocomplete="new-password"]').first().fill('a long enough passphrase');
    await page.getByLabel('Password again').fill('another long passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /The two passwords differ/);
    assert.equal(await page.locator('input[autocomplete="username"]').inputValue(), 'dinah');

    await fillRegistration(page, 'dinah', 'Dinah the Cat');
    const userinfo = await allowAndRead(page, verifier, 'sign-up');
    assert.equal(userinfo.name, 'Dinah the Cat');
    assert.equal(userinfo.preferred_username, 'dinah');
    await page.context().close();
  });

  test('browser: openid-client with prompt=create → straight to the registration page', async () => {
    assert.ok((config.serverMetadata().prompt_values_supported as string[] | undefined)?.includes('create'), 'discovery lists create');
    const page = await newPage();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', state: 'create', prompt: 'create', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    assert.match(await page.title(), /create an account/i);
    await fillRegistration(page, 'cheshire', 'Cheshire Cat');
    const userinfo = await allowAndRead(page, verifier, 'create');
    assert.equal(userinfo.name, 'Cheshire Cat');
    await page.context().close();
  });
});
