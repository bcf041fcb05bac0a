/**
 * Upstream sign-in in a real browser (Chromium, JavaScript disabled) across two real servers on
 * two sites: latchkey at 127.0.0.1 with the upstream `corp` added by the CLI, and another latchkey
 * at localhost as that upstream. A relying party (openid-client) of the first gets the tokens of
 * an account made from the upstream identity; the cookies that carry the sign-in across the
 * cross-site redirects (SameSite=Lax, the callback's own path) are the browser's own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, pageWithoutJavaScript } from '../helpers/browser.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, startTestServer, type TestServer } from '../helpers/server.js';

const skip = browserSkipReason();

describe('browser: upstream sign-in in Chromium', { skip }, () => {
  let upstream: TestServer;
  let server: TestServer;
  let browser: Browser;
  let config: client.Configuration;

  before(async () => {
    [upstream, server] = await Promise.all([startTestServer({}, {}, 'localhost'), startTestServer()]);
    await upstream.createUser('carol', E2E_PASSWORD, ['--email', 'carol@corp.example', '--email-verified', '--name', 'Carol Corp']);
    const corp = await upstream.createClient({ client_name: 'Our latchkey', redirect_uris: [`${server.issuer}/upstream/corp/callback`] });
    const added = await server.cli(['upstreams', 'add', '--id', 'corp', '--name', 'Corp', '--issuer', upstream.issuer, '--client-id', corp.client_id!, '--client-secret-stdin'], `${corp.client_secret}\n`);
    assert.equal(added.code, 0, added.stderr);
    assert.equal((JSON.parse(added.stdout) as { redirect_uri: string }).redirect_uri, `${server.issuer}/upstream/corp/callback`);
    const app = await server.createClient({ client_name: 'Team App', redirect_uris: [REDIRECT_URI] });
    config = await client.discovery(new URL(server.issuer), app.client_id!, undefined, client.ClientSecretBasic(app.client_secret!), { execute: [client.allowInsecureRequests] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([server?.close(), upstream?.close()]);
  });

  /** Starts a sign-in at the app's request; the verifier and state to finish it with. */
  async function start(page: Page): Promise<{ verifier: string; state: string }> {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile email', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    return { verifier, state };
  }

  async function redeem(page: Page, request: { verifier: string; state: string }) {
    await page.waitForURL(`${REDIRECT_URI}**`);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: request.verifier, expectedState: request.state });
    return { tokens, userinfo: await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub) };
  }

  test('browser: "Sign in with Corp" → the upstream\'s login and consent → back, "Create a new account with Corp" → Allow → the app reads the new account; the next sign-in goes straight through', async () => {
    const page = await pageWithoutJavaScript(browser, REDIRECT_URI);
    const first = await start(page);
    await page.getByRole('button', { name: 'Sign in with Corp' }).click();
    assert.ok(page.url().startsWith(upstream.issuer), `at the upstream: ${page.url()}`);
    await page.locator('input[autocomplete="username"]').fill('carol');
    await page.locator('input[autocomplete="current-password"]').fill(E2E_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('status').waitFor();
    assert.match(page.url(), new RegExp(`^${server.issuer}/interaction/[^/]+/login$`), 'back at the login page, the callback\'s code out of the address bar');
    assert.match(await page.getByRole('status').innerText(), /Your Corp account \(carol@corp\.example\) is not connected to an account here yet/);
    await page.getByRole('button', { name: 'Create a new account with Corp' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    const { tokens, userinfo } = await redeem(page, first);
    assert.deepEqual(tokens.claims()!.amr, ['fed']);
    assert.equal(userinfo.preferred_username, 'carol');
    assert.equal(userinfo.email, 'carol@corp.example');
    assert.equal(userinfo.email_verified, true);
    assert.equal(userinfo.name, 'Carol Corp');
    const cookies = await page.context().cookies(server.issuer);
    assert.equal(cookies.find((cookie) => cookie.name === 'latchkey_upstream'), undefined, 'the callback cookie is gone');

    // Signed out at the app's server only: the upstream's session carries the next sign-in through.
    await page.context().clearCookies({ domain: '127.0.0.1' });
    const second = await start(page);
    await page.getByRole('button', { name: 'Sign in with Corp' }).click();
    const again = await redeem(page, second);
    assert.equal(decodeJwt(again.tokens.id_token!).sub, tokens.claims()!.sub, 'the same account, no page shown on the way');
    await page.context().close();
  });
});
