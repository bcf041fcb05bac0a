/**
 * Password reset on the real server with a real SMTP server beside it (`smtp-server` on
 * 127.0.0.1, the mails read back with `mailparser`: `helpers/mail-catcher.ts`): "Forgot your password?" on the login page,
 * the mail through `LATCHKEY_SMTP_URL`, its link, the new password, and openid-client getting
 * tokens for a login with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { startMailCatcher, type MailCatcher } from '../helpers/mail-catcher.js';
import { formAction, hiddenInput, runBrowserlessFlow, CookieJar } from '../helpers/browserless.js';
import { E2E_PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

const NEW_PASSWORD = 'a password set from a mail';

describe('e2e: password reset by mail on a real server', () => {
  let catcher: MailCatcher;
  let server: TestServer;
  let sub: string;

  before(async () => {
    catcher = await startMailCatcher();
    server = await startTestServer({ LATCHKEY_SMTP_URL: catcher.url, LATCHKEY_MAIL_FROM: 'Example Accounts <accounts@example.test>' });
    sub = await server.createUser('dana', E2E_PASSWORD, ['--email', 'dana@example.test']);
  });

  after(async () => {
    await server?.close();
    await catcher?.close();
  });

  test('e2e: Forgot your password? with the account\'s address (another case) → a mail through SMTP → its link sets a new password → openid-client gets tokens for a login with it', async () => {
    const created = await server.createClient({ client_name: 'Notes', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'] });
    const config = await client.discovery(new URL(server.issuer), created.client_id!, undefined, client.ClientSecretBasic(created.client_secret!), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 'notes', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });

    const jar = new CookieJar();
    const atLogin = await runBrowserlessFlow(fetch, url.href, { jar });
    const login = await atLogin.response.text();
    const forgotUrl = /<a href="([^"]+)">Forgot your password\?<\/a>/.exec(login)?.[1];
    assert.ok(forgotUrl, 'the login page offers a reset: the server has an SMTP server');
    const forgot = await (await fetch(forgotUrl, { headers: { cookie: jar.header() } })).text();
    assert.match(forgot, /<label for="username">Username or email address<\/label>/);
    const sent = await fetch(formAction(forgot), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: hiddenInput(forgot, 'csrf_token')!, username: 'Dana@Example.test' }),
    });
    assert.equal(sent.status, 200);

    const mail = await waitFor('the reset mail', () => catcher.mails[0], 10_000);
    assert.equal(mail.from?.text, '"Example Accounts" <accounts@example.test>');
    assert.equal((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text, 'dana@example.test');
    assert.equal(mail.subject, `Set a new password for dana at ${new URL(server.issuer).host}`);
    const link = new RegExp(`${server.issuer}/password-reset\\?token=[\\w-]+`).exec(mail.text ?? '')?.[0];
    assert.ok(link, mail.text);

    const form = await (await fetch(link)).text();
    const done = await fetch(`${server.issuer}/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: hiddenInput(form, 'token')!, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD }),
    });
    const donePage = await done.text();
    assert.equal(done.status, 200, donePage);
    const back = /<a href="([^"]+)">Sign in with the new password<\/a>/.exec(donePage)?.[1];
    assert.ok(back, 'back to the sign-in that asked');

    const flow = await runBrowserlessFlow(fetch, back, { jar, credentials: { username: 'dana', password: NEW_PASSWORD }, decision: 'allow' });
    assert.ok(flow.redirect?.href.startsWith(REDIRECT_URI), flow.pages.join(','));
    const tokens = await client.authorizationCodeGrant(config, flow.redirect!, { pkceCodeVerifier: verifier, expectedState: 'notes' });
    assert.ok(tokens.access_token);
    assert.equal(tokens.claims()?.sub, sub);
  });

  test('e2e: signed in since from another browser → a security notice through SMTP naming the browser and the address', async () => {
    // The test above signed dana in once, at the address the reset link confirmed: that browser is known.
    const created = await server.createClient({ redirect_uris: [REDIRECT_URI] });
    const url = `${server.issuer}/authorize?${new URLSearchParams({ client_id: created.client_id!, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid' })}`;
    const firefox = (input: Request) => fetch(new Request(input, { headers: { ...Object.fromEntries(input.headers), 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' } }));
    const before = catcher.mails.length;
    const jar = new CookieJar();
    const flow = await runBrowserlessFlow(firefox, url, { jar, credentials: { username: 'dana', password: NEW_PASSWORD }, decision: 'allow' });
    assert.ok(flow.redirect?.searchParams.get('code'));
    assert.match(jar.header(), /latchkey_browser=[\w-]{43}/);
    const notice = await waitFor('the notice', () => catcher.mails.slice(before).find((mail) => /had not used before/.test(mail.text ?? '')), 10_000);
    assert.equal(notice.subject, `Security notice for dana at ${new URL(server.issuer).host}`);
    assert.match(notice.text ?? '', /someone signed in from a browser this account had not used before \(Firefox on Linux, from 127\.0\.0\.1\) — on \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);

    const again = await runBrowserlessFlow(firefox, `${url}&prompt=login`, { jar, credentials: { username: 'dana', password: NEW_PASSWORD }, decision: 'allow' });
    assert.ok(again.redirect?.searchParams.get('code'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(catcher.mails.slice(before).filter((mail) => /had not used before/.test(mail.text ?? '')).length, 1, 'that browser is known now');
  });
});
