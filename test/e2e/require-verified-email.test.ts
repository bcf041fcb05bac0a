/**
 * Addresses confirmed before signing in (`LATCHKEY_REQUIRE_VERIFIED_EMAIL`) on the real server
 * with a real SMTP server beside it: an account whose address is unconfirmed gives its right
 * password and is signed in by nobody; the link comes through SMTP; confirmed, the same sign-in
 * goes on and openid-client gets tokens, and UserInfo says `email_verified: true`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { CookieJar, formAction, hiddenInput, runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

describe('e2e: addresses confirmed before signing in, on a real server', () => {
  let catcher: MailCatcher;
  let server: TestServer;
  let sub: string;

  before(async () => {
    catcher = await startMailCatcher();
    server = await startTestServer({ LATCHKEY_SMTP_URL: catcher.url, LATCHKEY_REQUIRE_VERIFIED_EMAIL: 'true' });
    sub = await server.createUser('erin', E2E_PASSWORD, ['--email', 'erin@example.test']);
  });

  after(async () => {
    await server?.close();
    await catcher?.close();
  });

  test('e2e: the right password of an unconfirmed address → the login page names it, the link comes by SMTP → confirmed, the same sign-in goes on → openid-client gets tokens, UserInfo email_verified true', async () => {
    const created = await server.createClient({ client_name: 'Notes', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'] });
    const config = await client.discovery(new URL(server.issuer), created.client_id!, undefined, client.ClientSecretBasic(created.client_secret!), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid email', state: 'notes', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });

    const jar = new CookieJar();
    const held = await runBrowserlessFlow(fetch, url.href, { jar, credentials: { username: 'erin', password: E2E_PASSWORD }, decision: 'allow' });
    assert.equal(held.redirect, undefined, 'no code for the client');
    const page = await held.response.text();
    assert.match(page, /role="alert">Confirm your email address first: we sent a link to erin@example\.test\. Open it, then sign in again\.</);
    assert.doesNotMatch(jar.header(), /latchkey_session/, 'nobody signed in');

    const mail = await waitFor('the confirmation mail', () => catcher.mails[0], 10_000);
    assert.equal((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text, 'erin@example.test');
    assert.equal(mail.subject, `Confirm your email address for erin at ${new URL(server.issuer).host}`);
    const link = new RegExp(`${server.issuer}/verify-email\\?token=[\\w-]+`).exec(mail.text ?? '')?.[0];
    assert.ok(link, mail.text);
    const ask = await (await fetch(link)).text();
    const confirmed = await fetch(formAction(ask), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: hiddenInput(ask, 'token')! }) });
    assert.match(await confirmed.text(), /<strong>erin@example\.test<\/strong> is confirmed as the email address of erin\./);

    // Back on the page the browser was left on: the same sign-in, now through to the client.
    const flow = await runBrowserlessFlow(fetch, formAction(page), { jar, credentials: { username: 'erin', password: E2E_PASSWORD }, decision: 'allow' });
    assert.ok(flow.redirect?.href.startsWith(REDIRECT_URI), flow.pages.join(','));
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier, expectedState: 'notes' });
    assert.equal(tokens.claims()?.sub, sub);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, sub);
    assert.deepEqual([userinfo.email, userinfo.email_verified], ['erin@example.test', true]);
  });
});
