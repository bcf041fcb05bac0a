/**
 * Confirming email addresses by mail: a link goes to a new address (self-registration, a change
 * in the account console, or asked for again); opening it asks, **Confirm** sets
 * `email_verified`, once, and only for the address it was sent to.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MailMessage } from '../core/mailer.js';
import { CookieJar, formAction, hiddenInput, runBrowserlessFlow } from '../../test/helpers/browserless.js';
import { consoleGet, consolePost, signInToConsole } from '../../test/helpers/console.js';
import { ALICE, authorizeUrl, ISSUER, testProvider, type TestProvider } from '../../test/helpers/index.js';

async function setup(config: Record<string, unknown> = {}) {
  const mails: MailMessage[] = [];
  const tp = await testProvider({ accounts: [ALICE], clients: [{ client_id: 'app' }], config, host: { mailer: { send: async (mail) => void mails.push(mail) } } });
  return { tp, mails };
}

const mailsSent = () => new Promise((resolve) => setImmediate(resolve));

/** The confirmation link of a mail. */
function linkIn(mail: MailMessage): string {
  const link = /^(https:\/\/op\.test\/verify-email\?token=[\w-]+)$/m.exec(mail.text)?.[1];
  assert.ok(link, mail.text);
  return link;
}

/** Opens `link` and presses Confirm: both answers. */
async function confirm(tp: TestProvider, link: string) {
  const opened = await tp.provider.fetch(new Request(link));
  const page = await opened.text();
  if (opened.status !== 200) return { opened, page, confirmed: undefined };
  const confirmed = await tp.provider.fetch(new Request(formAction(page), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: hiddenInput(page, 'token')! }) }));
  return { opened, page, confirmed: { response: confirmed, text: await confirmed.text() } };
}

const verified = async (tp: TestProvider) => (await tp.provider.context.storage.accounts.findByUsername('alice'))!.email_verified;

describe('email confirmation', () => {
  test('email confirmation: a changed address in the account console gets a link; opening it confirms nothing, Confirm does — once, and only for the address it was sent to', async () => {
    const { tp, mails } = await setup();
    const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
    const saved = await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', email: 'alice@wonderland.example' });
    assert.equal(saved.response.headers.get('location'), '/account?notice=profile-saved-confirm-email');
    await mailsSent();
    // The address the account had (verified) hears of the change: a security notice.
    const confirmations = () => mails.filter((mail) => mail.subject.startsWith('Confirm'));
    assert.deepEqual(mails.filter((mail) => mail.subject.startsWith('Security notice')).map((mail) => mail.to), ['alice@example.com']);
    assert.equal(confirmations().length, 1);
    assert.deepEqual([confirmations()[0]!.to, confirmations()[0]!.subject], ['alice@wonderland.example', 'Confirm your email address for alice at op.test']);
    assert.equal(await verified(tp), false);

    const { opened, page, confirmed } = await confirm(tp, linkIn(confirmations()[0]!));
    assert.equal(opened.status, 200);
    assert.match(page, /Is <strong>alice@wonderland\.example<\/strong> the email address of alice\?/);
    assert.match(confirmed!.text, /<strong>alice@wonderland\.example<\/strong> is confirmed as the email address of alice\./);
    assert.equal(await verified(tp), true);
    const sub = tp.accounts[0]!.sub;
    assert.deepEqual(tp.events.filter((e) => e.name === 'user.email_verified').map((e) => e.data), [{ sub }]);
    assert.equal((await confirm(tp, linkIn(confirmations()[0]!))).opened.status, 400, 'once');

    // A link for an address changed since confirms nothing.
    tp.clock.advance(61);
    await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', email: 'first@wonderland.example' });
    tp.clock.advance(61);
    await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', email: 'second@wonderland.example' });
    await mailsSent();
    const stale = await confirm(tp, linkIn(confirmations()[1]!));
    assert.equal(stale.confirmed?.response.status, 400);
    assert.match(stale.confirmed!.text, /This confirmation link does not work any more/);
    assert.equal(await verified(tp), false);
    tp.clock.advance(24 * 3600 + 1);
    assert.equal((await confirm(tp, linkIn(confirmations()[2]!))).opened.status, 400, 'a day on');
  });

  test('email confirmation: "Send a confirmation link" for an unverified address, at most one a minute; without a mailer neither the button nor the page', async () => {
    const { tp, mails } = await setup();
    const account = (await tp.provider.context.storage.accounts.findByUsername('alice'))!;
    await tp.provider.context.storage.accounts.update({ ...account, email_verified: false });
    const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
    assert.match((await consoleGet(tp, alice, '/account')).text, /Send a confirmation link/);
    assert.equal((await consolePost(tp, alice, '/account/email/confirm', {})).response.headers.get('location'), '/account?notice=confirmation-sent');
    assert.equal((await consolePost(tp, alice, '/account/email/confirm', {})).response.headers.get('location'), '/account?notice=confirmation-not-sent');
    await mailsSent();
    assert.equal(mails.length, 1);
    assert.equal((await confirm(tp, linkIn(mails[0]!))).confirmed?.response.status, 200);
    assert.doesNotMatch((await consoleGet(tp, alice, '/account')).text, /Send a confirmation link/, 'confirmed: nothing to send');
    tp.clock.advance(61);
    assert.equal((await consolePost(tp, alice, '/account/email/confirm', {})).response.headers.get('location'), '/account?notice=confirmation-not-sent', 'not even asked directly');

    const without = await testProvider({ accounts: [{ ...ALICE, email_verified: false }] });
    const plain = await signInToConsole(without, 'alice', String(ALICE.password), { console: 'account' });
    assert.doesNotMatch((await consoleGet(without, plain, '/account')).text, /Send a confirmation link/);
    assert.equal((await without.provider.fetch(new Request(`${ISSUER}/verify-email?token=x`))).status, 404);
  });

  test('email confirmation: a person registering with an address gets a link to it', async () => {
    const { tp, mails } = await setup({ selfRegistration: true });
    const jar = new CookieJar();
    const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid', prompt: 'create' }), { jar });
    const form = await flow.response.text();
    const password = 'a long enough passphrase';
    await tp.provider.fetch(new Request(formAction(form), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf_token: hiddenInput(form, 'csrf_token')!, username: 'mallory', email: 'mallory@example.com', password, password_confirmation: password }),
    }));
    await mailsSent();
    assert.deepEqual(mails.map((mail) => mail.to), ['mallory@example.com']);
    assert.match(mails[0]!.text, /the account mallory at op\.test/);
  });
});
