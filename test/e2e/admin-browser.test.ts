/**
 * The admin console in a real browser (Chromium) against a real server: an administrator made
 * by the CLI signs in through the console, registers a client in the UI, and that client — used
 * by a real relying-party library, openid-client, with the secret the UI showed once — completes
 * an authorization code flow; rotating the secret in the UI retires the old one at /token;
 * disabling a user in the UI makes that user's login fail; and the dashboard, screenshotted
 * after the traffic, draws its charts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN_PASSWORD = 'root-password-for-the-console';
const USER_PASSWORD = 'dana-password-long';
const REDIRECT_URI = 'http://localhost:3000/callback';
const skip = browserSkipReason();

describe('browser: the admin console in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let registered: { client_id: string; client_secret: string };

  before(async () => {
    server = await startTestServer();
    const root = await server.cli(['users', 'create', '--username', 'root', '--admin', '--password-stdin'], ADMIN_PASSWORD);
    assert.equal(root.code, 0, root.stderr);
    const dana = await server.cli(['users', 'create', '--username', 'dana', '--name', 'Dana Scully', '--password-stdin'], USER_PASSWORD);
    assert.equal(dana.code, 0, dana.stderr);
    browser = await launchChromium();
    // The console's own script runs here (the dashboard refresh, the copy buttons).
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    admin = await adminContext.newPage();
  });

  after(async () => {
    await adminContext?.close();
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.locator('input[autocomplete="username"]').fill(username);
    await page.locator('input[autocomplete="current-password"]').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** openid-client, configured for `secret` under the client the UI registered. */
  function relyingParty(secret: string): Promise<client.Configuration> {
    return client.discovery(new URL(server.issuer), registered.client_id, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
  }

  /** dana, in a fresh browser without JavaScript, goes through the flow openid-client starts; the callback's URL. */
  async function authorizeAsDana(config: client.Configuration, state: string, verifier: string): Promise<URL | 'login-failed'> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.route(`${REDIRECT_URI}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'relying party callback' }));
      const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      await page.goto(url.href);
      await signIn(page, 'dana', USER_PASSWORD);
      const outcome = await Promise.race([
        page.waitForURL(`${REDIRECT_URI}**`).then(() => 'callback' as const),
        page.getByRole('button', { name: 'Allow' }).waitFor().then(() => 'consent' as const),
        page.getByRole('alert').waitFor().then(() => 'login-failed' as const),
      ]);
      if (outcome === 'login-failed') return outcome;
      if (outcome === 'consent') {
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL(`${REDIRECT_URI}**`);
      }
      return new URL(page.url());
    } finally {
      await context.close();
    }
  }

  /** A whole code flow with openid-client and `secret`; the ID token's claims. */
  async function codeFlow(secret: string): Promise<client.IDToken> {
    const config = await relyingParty(secret);
    const state = client.randomState();
    const verifier = client.randomPKCECodeVerifier();
    const callback = await authorizeAsDana(config, state, verifier);
    assert.ok(callback instanceof URL, 'dana reaches the relying party');
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
    return tokens.claims()!;
  }

  test('browser admin: the administrator signs in through the console, on latchkey\'s login page', async () => {
    await admin.goto(`${server.issuer}/admin/clients`);
    assert.match(await admin.title(), /sign in/i);
    assert.ok((await admin.content()).includes('latchkey admin console'), 'the login page names the console');
    await signIn(admin, 'root', ADMIN_PASSWORD);
    await admin.waitForURL(`${server.issuer}/admin/clients`);
    await admin.getByRole('heading', { name: 'Clients' }).waitFor();
    assert.equal(await admin.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Clients' }).getAttribute('aria-current'), 'page');
  });

  test('browser admin: a client registered in the UI completes a code flow with openid-client, using the secret shown once', async () => {
    await admin.getByRole('link', { name: 'Register a client' }).click();
    await admin.getByLabel('Name', { exact: false }).first().fill('Console-made App');
    await admin.locator('#redirect_uris').fill(REDIRECT_URI);
    await admin.locator('#scope').fill('openid profile');
    await admin.getByRole('button', { name: 'Register client' }).click();
    await admin.getByText('shown this once').waitFor();
    const client_secret = (await admin.locator('#client-secret').innerText()).trim();
    const client_id = (await admin.locator('dt:text-is("client_id") + dd').first().innerText()).trim();
    registered = { client_id, client_secret };
    assert.match(client_secret, /^[\w-]{43}$/);
    assert.ok((await admin.content()).includes('Discovery-relevant settings'));

    const claims = await codeFlow(client_secret);
    assert.equal(claims.iss, server.issuer);
    assert.equal(claims.aud, client_id);
  });

  test('browser admin: rotating the secret in the UI — the old one fails at /token, the new one works', async () => {
    await admin.goto(`${server.issuer}/admin/clients/${encodeURIComponent(registered.client_id)}`);
    assert.ok(!(await admin.content()).includes(registered.client_secret), 'the detail page does not show the secret again');
    await admin.getByRole('button', { name: 'Rotate secret' }).click();
    await admin.getByText('shown this once').waitFor();
    const rotated = (await admin.locator('#client-secret').innerText()).trim();
    assert.notEqual(rotated, registered.client_secret);

    const token = (secret: string) => fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${registered.client_id}:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: REDIRECT_URI }),
    });
    const old = await token(registered.client_secret);
    assert.equal(old.status, 401);
    assert.equal((await old.json()).error, 'invalid_client');
    const fresh = await token(rotated);
    assert.equal((await fresh.json()).error, 'invalid_grant', 'the new secret authenticates (the code is what is wrong)');

    assert.equal((await codeFlow(rotated)).aud, registered.client_id);
    registered = { ...registered, client_secret: rotated };
  });

  test('browser admin: a user disabled in the UI can no longer log in', async () => {
    await admin.goto(`${server.issuer}/admin/users`);
    await admin.getByRole('searchbox', { name: /search/i }).fill('dana');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('link', { name: 'dana' }).click();
    await admin.getByRole('button', { name: 'Disable' }).click();
    await admin.getByRole('status').waitFor();
    assert.match(await admin.getByRole('status').innerText(), /disabled/);

    const config = await relyingParty(registered.client_secret);
    const outcome = await authorizeAsDana(config, client.randomState(), client.randomPKCECodeVerifier());
    assert.equal(outcome, 'login-failed');
  });

  test('browser admin: the dashboard after the traffic — a screenshot, its SVG charts, non-zero figures, refreshed live', async () => {
    await admin.goto(`${server.issuer}/admin`);
    await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const png = await admin.screenshot({ fullPage: true });
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.ok(png.length > 20_000, `a screenshot with content (${png.length} bytes)`);

    const charts = admin.locator('svg[role=img]');
    assert.equal(await charts.count(), 5);
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 200 && box.height > 60, 'each chart is drawn at a readable size');
      assert.ok((await chart.getAttribute('aria-label'))!.length > 20, 'and says what it shows');
    }
    assert.ok(await admin.locator('svg[role=img] polyline').count() >= 4, 'line charts have their polylines');
    assert.ok(await admin.locator('svg[role=img] rect').count() >= 1, 'the login bars are drawn');
    assert.match(await admin.locator('#chart-tokens + svg').getAttribute('aria-label') ?? '', /authorization_code [1-9]\d* in total/);

    const figure = async (label: string) => Number((await admin.locator(`[data-figure="${label}"]`).innerText()).trim());
    assert.ok(await figure('Tokens issued (last hour)') >= 2, 'the code flows issued tokens');
    assert.ok(await figure('Logins succeeded (last hour)') >= 3, 'root and dana logged in');
    assert.ok(await figure('Logins failed (last hour)') >= 1, "the disabled user's attempt failed");
    assert.ok(await figure('Active sessions (now)') >= 1);
    assert.ok(await figure('HTTP requests (last hour)') > 10);

    // The page's script refreshes the figures: more tokens show up without a reload.
    const before = await figure('Tokens issued (last hour)');
    const robot = await server.cli(['clients', 'create'], JSON.stringify({ grant_types: ['client_credentials'] }));
    const { client_id, client_secret } = JSON.parse(robot.stdout);
    for (let i = 0; i < 3; i += 1) {
      const answer = await fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` }, body: new URLSearchParams({ grant_type: 'client_credentials' }) });
      assert.equal(answer.status, 200);
    }
    await admin.waitForFunction((expected) => Number(document.querySelector('[data-figure="Tokens issued (last hour)"]')?.textContent) >= expected, before + 3, { timeout: 20_000 });
  });
});
