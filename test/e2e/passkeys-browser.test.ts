/**
 * Passkeys in a real browser: Chromium with a virtual authenticator (the DevTools protocol's
 * WebAuthn domain: a platform authenticator that verifies the person), against the real server
 * on `localhost` (WebAuthn needs a domain). The person makes a passkey in the account console,
 * signs out, and signs in to an application (openid-client) with the passkey alone — no
 * password, no code — and the ID token says so; the page's own script does the WebAuthn calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const skip = browserSkipReason();

describe('browser: passkeys in Chromium', { skip }, () => {
  const suite = serverForSuite({}, 'localhost');
  let browser: Browser;
  let config: client.Configuration;

  before(async () => {
    const created = await suite.server.createClient({ client_name: 'Photo App', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'] });
    config = await client.discovery(new URL(suite.server.issuer), created.client_id!, undefined, client.ClientSecretBasic(created.client_secret!), { execute: [client.allowInsecureRequests] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  /** A page with JavaScript (the passkey forms need it) and a virtual authenticator of its own. */
  async function pageWithAuthenticator(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route(`${REDIRECT_URI}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' }));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { context, page };
  }

  test('browser: make a passkey in the account console, sign out, sign in to an application with the passkey alone', async () => {
    const { context, page } = await pageWithAuthenticator();
    await page.goto(`${suite.server.issuer}/account`);
    await page.locator('input[autocomplete="username"]').fill('alice');
    await page.locator('input[autocomplete="current-password"]').first().fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${suite.server.issuer}/account`);

    await page.locator('#passkey_name').fill('Chromium');
    await page.locator('#passkey_password').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.waitForURL(`${suite.server.issuer}/account?notice=passkey-added`);
    assert.match(await page.locator('#passkeys + p + ul').innerText(), /Chromium\s+kept on one device; added .* UTC; not used yet/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${suite.server.issuer}/account/signed-out`);

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', state: 'passkey', nonce: 'n-passkey', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: 'passkey', expectedNonce: 'n-passkey' });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, suite.sub);
    assert.deepEqual(claims.amr, ['hwk', 'user', 'mfa'], 'a device-bound key, the person verified by the authenticator');
    assert.equal(claims.acr, 'phrh', 'phishing-resistant, the key kept on one device');

    // The account console, signed in through the same session, says how.
    await page.goto(`${suite.server.issuer}/account`);
    await page.waitForURL(`${suite.server.issuer}/account`);
    assert.match(await page.locator('#sessions + ul').innerText(), /signed in with a passkey kept on one device/);
    assert.match(await page.locator('#passkeys + p + ul').innerText(), /last used .* UTC/);
    await context.close();
  });
});
