/**
 * The account console in a real browser (Chromium, JavaScript disabled) against the real server:
 * a person who signed in to an application opens /account without signing in again, changes
 * their password, removes the application's access (openid-client's refresh then fails), signs
 * out, and signs in again with the new password only; two-step verification, and a step-up to it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, pageWithoutJavaScript } from '../helpers/browser.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const skip = browserSkipReason();
const NEW_PASSWORD = 'a brand new passphrase';

describe('browser: the account console in Chromium', { skip }, () => {
  const suite = serverForSuite();
  let browser: Browser;
  let config: client.Configuration;

  before(async () => {
    const created = await suite.server.createClient({ client_name: 'Photo App', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'] });
    config = await client.discovery(new URL(suite.server.issuer), created.client_id!, undefined, client.ClientSecretBasic(created.client_secret!), { execute: [client.allowInsecureRequests] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, password: string): Promise<void> {
    await page.locator('input[autocomplete="username"]').fill('alice');
    await page.locator('input[autocomplete="current-password"]').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('browser: from an application to /account; change the password; remove the application; sign out; only the new password signs in', async () => {
    const page = await pageWithoutJavaScript(browser, REDIRECT_URI);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile offline_access', prompt: 'consent', state: 'photos', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    await signIn(page, E2E_PASSWORD);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: 'photos' });
    assert.ok(tokens.refresh_token, 'offline access: a refresh token');

    // The login session carries over: no login page on the way to the console.
    await page.goto(`${suite.server.issuer}/account`);
    await page.waitForURL(`${suite.server.issuer}/account`);
    assert.equal(await page.title(), 'Your account');
    assert.ok(await page.getByText('Photo App', { exact: true }).isVisible(), 'the application is listed');
    assert.ok(await page.getByText('This browser').isVisible());

    await page.getByRole('link', { name: 'Change password' }).click();
    await page.locator('input[autocomplete="current-password"]').fill('not the password');
    await page.locator('input[autocomplete="new-password"]').first().fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'The current password is wrong.');
    await page.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
    await page.locator('input[autocomplete="new-password"]').first().fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${suite.server.issuer}/account?notice=**`);
    assert.match((await page.getByRole('status').textContent()) ?? '', /Your password is changed/);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.access_token, 'the application works until its access is removed');
    await page.getByRole('button', { name: 'Remove access of Photo App' }).click();
    await page.waitForURL(`${suite.server.issuer}/account?notice=application-removed`);
    assert.ok(await page.getByText('You have not allowed any application.').isVisible());
    await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token ?? tokens.refresh_token), (error: client.ResponseBodyError) => error.error === 'invalid_grant', 'the refresh token is revoked');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${suite.server.issuer}/account/signed-out`);
    assert.ok(await page.getByText('You are signed out.').isVisible());

    await page.getByRole('link', { name: 'Sign in again' }).click();
    await signIn(page, E2E_PASSWORD);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /wrong|incorrect|invalid/i, 'the old password no longer signs in');
    await signIn(page, NEW_PASSWORD);
    await page.waitForURL(`${suite.server.issuer}/account`);
    assert.equal(await page.title(), 'Your account');
  });

  test('browser: two-step verification set up in /account with the key on the page; the next login asks for the code; the ID token says amr pwd otp mfa', async () => {
    const page = await pageWithoutJavaScript(browser, REDIRECT_URI);
    await page.goto(`${suite.server.issuer}/account`);
    await signIn(page, NEW_PASSWORD);
    await page.waitForURL(`${suite.server.issuer}/account`);
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
    assert.ok(await page.getByRole('img', { name: 'QR code of your new authenticator key' }).isVisible(), 'the QR code');
    const key = ((await page.locator('code.key').textContent()) ?? '').replace(/\s/g, '');
    const authenticator = new TOTP({ secret: Secret.fromBase32(key) });
    await page.getByLabel('The code your app shows now').fill(authenticator.generate());
    await page.getByRole('button', { name: 'Turn on' }).click();
    assert.equal(await page.locator('ol.recovery-codes li').count(), 10, 'the recovery codes, shown once');
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await page.waitForURL(`${suite.server.issuer}/account?notice=two-step-on`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${suite.server.issuer}/account/signed-out`);

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 'mfa', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    await signIn(page, NEW_PASSWORD);
    assert.equal(await page.title(), 'Two-step verification');
    const code = page.locator('input[autocomplete="one-time-code"]');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /not right/);
    // The code of the next step: the one of this step may have been typed on the setup page.
    await code.fill(authenticator.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: 'mfa' });
    assert.deepEqual(tokens.claims()?.amr, ['pwd', 'otp', 'mfa']);
  });

  test('browser: step-up — signed in with a password, then two-step verification turned on; an application asking acr_values 2fa gets only the code page, and openid-client reads acr 2fa', async () => {
    await suite.server.createUser('carol', E2E_PASSWORD);
    const page = await pageWithoutJavaScript(browser, REDIRECT_URI);
    await page.goto(`${suite.server.issuer}/account`);
    await page.locator('input[autocomplete="username"]').fill('carol');
    await page.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${suite.server.issuer}/account`);
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
    const authenticator = new TOTP({ secret: Secret.fromBase32(((await page.locator('code.key').textContent()) ?? '').replace(/\s/g, '')) });
    await page.getByLabel('The code your app shows now').fill(authenticator.generate());
    await page.getByRole('button', { name: 'Turn on' }).click();
    assert.equal(await page.locator('ol.recovery-codes li').count(), 10, 'the recovery codes, shown once');
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await page.waitForURL(`${suite.server.issuer}/account?notice=two-step-on`);

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 'step-up', acr_values: 'urn:latchkey:loa:2fa', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    assert.equal(await page.title(), 'Two-step verification', 'the session\'s password stands: only the code is asked');
    assert.equal(await page.locator('input[autocomplete="current-password"]').count(), 0);
    await page.locator('input[autocomplete="one-time-code"]').fill(authenticator.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: 'step-up' });
    assert.equal(tokens.claims()?.acr, 'urn:latchkey:loa:2fa');
    assert.deepEqual(tokens.claims()?.amr, ['pwd', 'otp', 'mfa']);
  });
});
