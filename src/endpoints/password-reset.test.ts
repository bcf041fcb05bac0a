/**
 * Password reset by mail: "Forgot your password?" on the login page (with a mailer), a link to
 * the account's address that sets a new password once, every session of the account signed out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBuiltinAccounts } from '../accounts/builtin-accounts.js';
import type { Accounts } from '../accounts/types.js';
import type { MailMessage } from '../core/mailer.js';
import { createMemoryStorage } from '../storage/memory/index.js';
import { CookieJar, formAction, hiddenInput, runBrowserlessFlow } from '../../test/helpers/browserless.js';
import { ALICE, authorizeUrl, ISSUER, testProvider, type TestProvider } from '../../test/helpers/index.js';

const BOB = { username: 'bob', password: 'bob-password-long' };
const NEW_PASSWORD = 'a new password for alice';
const ADDRESS = '198.51.100.7';

async function setup(config: Record<string, unknown> = {}) {
  const mails: MailMessage[] = [];
  const tp = await testProvider({ accounts: [ALICE, BOB], clients: [{ client_id: 'app' }], config, host: { mailer: { send: async (mail) => void mails.push(mail) } } });
  return { tp, mails };
}

/** The login page of a new authorization in `jar`. */
async function loginPage(tp: TestProvider, jar = new CookieJar()): Promise<{ jar: CookieJar; text: string }> {
  const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), { jar });
  return { jar, text: await flow.response.text() };
}

/** A page of the provider, in the browser `jar`, from `address`. */
async function browse(tp: TestProvider, jar: CookieJar, url: string, form?: Record<string, string>): Promise<{ response: Response; text: string }> {
  const init: RequestInit = form === undefined ? { headers: { cookie: jar.header() } } : { method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) };
  const response = await tp.provider.fetch(new Request(new URL(url, ISSUER), init), { remoteAddress: ADDRESS });
  jar.store(response);
  return { response, text: await response.text() };
}

/** Asks for a reset link for `username` from the login page `page`: the answer. */
async function askForLink(tp: TestProvider, page: { jar: CookieJar; text: string }, username: string) {
  const forgotUrl = /<a href="([^"]+\/forgot)">Forgot your password\?<\/a>/.exec(page.text)?.[1];
  assert.ok(forgotUrl, 'the login page links to "Forgot your password?"');
  const form = await browse(tp, page.jar, forgotUrl);
  return browse(tp, page.jar, formAction(form.text), { csrf_token: hiddenInput(form.text, 'csrf_token')!, username });
}

/** The link in a mail. */
function linkIn(mail: MailMessage): string {
  const link = /^(https:\/\/op\.test\/password-reset\?token=[\w-]+)$/m.exec(mail.text)?.[1];
  assert.ok(link, mail.text);
  return link;
}

/** Lets the link made and the mail handed on after an answer be sent. */
const mailsSent = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('password reset', () => {
  test('password reset: only with a mailer; the same answer for an account, an unknown name and an account without an address; one mail, to the account\'s address, at most once a minute', async () => {
    const without = await testProvider({ accounts: [ALICE], clients: [{ client_id: 'app' }] });
    assert.doesNotMatch((await loginPage(without)).text, /Forgot your password/);
    assert.equal((await without.provider.fetch(new Request(`${ISSUER}/password-reset?token=x`))).status, 404);

    const { tp, mails } = await setup();
    const page = await loginPage(tp);
    const forgotUrl = /<a href="([^"]+\/forgot)">/.exec(page.text)![1]!;
    const forged = await browse(tp, page.jar, forgotUrl, { csrf_token: 'forged', username: 'alice' });
    assert.equal(forged.response.status, 400, 'a form without the interaction\'s CSRF token');
    const answers = [];
    for (const username of ['alice', 'nobody', 'bob']) {
      const { response, text } = await askForLink(tp, page, username);
      assert.equal(response.status, 200);
      answers.push(/<p role="status">([^<]+)<\/p>/.exec(text)?.[1]);
    }
    assert.equal(new Set(answers).size, 1, 'one answer for all three');
    assert.match(answers[0]!, /If that is the username or the email address of an account, a link to set a new password is on its way to the account’s address\. Open it in the next 30 minutes\./);
    await mailsSent();
    assert.equal(mails.length, 1, 'bob has no address, nobody is nobody');
    assert.equal(mails[0]!.to, 'alice@example.com');
    assert.equal(mails[0]!.subject, 'Set a new password for alice at op.test');
    linkIn(mails[0]!);
    const sub = tp.accounts[0]!.sub;
    assert.deepEqual(tp.events.filter((e) => e.name === 'user.password_reset_requested').map((e) => e.data), [{ sub, address: ADDRESS }]);

    await askForLink(tp, page, 'alice');
    await mailsSent();
    assert.equal(mails.length, 1, 'no second mail within the minute');
    tp.clock.advance(61);
    await askForLink(tp, page, 'alice');
    await mailsSent();
    assert.equal(mails.length, 2);
  });

  test('password reset: the link sets a new password once — the old one no longer signs in, every session ends, failed logins are forgiven; used, expired or superseded links do not work', async () => {
    const { tp, mails } = await setup({ loginMaxFailuresPerAccount: 2 });
    const signedIn = new CookieJar();
    await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), { jar: signedIn, credentials: { username: 'alice', password: String(ALICE.password) }, decision: 'allow' });
    const sub = tp.accounts[0]!.sub;
    assert.equal((await tp.provider.context.storage.artifacts.list('session', { owner: sub, limit: 10 })).items.length, 1);
    for (const wrong of ['guess one', 'guess two']) await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), { credentials: { username: 'alice', password: wrong } });

    const unverified = (await tp.provider.context.storage.accounts.findBySub(sub))!;
    await tp.provider.context.storage.accounts.update({ ...unverified, email_verified: false });
    const page = await loginPage(tp);
    await askForLink(tp, page, 'alice');
    await mailsSent();
    const link = linkIn(mails[0]!);
    const form = await browse(tp, new CookieJar(), link);
    assert.equal(form.response.status, 200);
    assert.equal(form.response.headers.get('referrer-policy'), 'no-referrer', 'the token in the URL goes nowhere else');
    assert.match(form.text, /For <strong>alice<\/strong>/);
    assert.match(form.text, /autocomplete="new-password"/);
    const token = hiddenInput(form.text, 'token')!;
    const mismatch = await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token, password: NEW_PASSWORD, password_confirmation: 'something else' });
    assert.equal(mismatch.response.status, 400);
    assert.match(mismatch.text, /The new passwords do not match\./);
    const done = await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(done.response.status, 200);
    assert.match(done.text, /The password of alice is changed, and every session of the account is signed out\./);
    const next = /<a href="([^"]+)">Sign in with the new password<\/a>/.exec(done.text)?.[1];
    assert.equal(next, `${formAction(page.text).replace(/\/login$/, '')}/login`, 'back to the sign-in that asked');
    assert.equal((await tp.provider.context.storage.artifacts.list('session', { owner: sub, limit: 10 })).items.length, 0, 'signed out everywhere');
    assert.deepEqual(tp.events.filter((e) => e.name === 'user.password_set').at(-1)?.data, { sub, actor: `user:${sub}` });
    assert.equal((await tp.provider.context.storage.accounts.findBySub(sub))!.email_verified, true, 'the link came to the address: it is confirmed');

    assert.equal((await browse(tp, new CookieJar(), link)).response.status, 400, 'the link opens nothing once used');
    const again = await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token, password: 'yet another password', password_confirmation: 'yet another password' });
    assert.equal(again.response.status, 400);
    assert.match(again.text, /This password reset link does not work any more/);
    const login = (password: string) => runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' }), { credentials: { username: 'alice', password }, decision: 'allow' });
    assert.equal((await login(String(ALICE.password))).response.status, 401, 'the old password no longer signs in');
    assert.ok((await login(NEW_PASSWORD)).redirect?.searchParams.get('code'), 'the new one does, the failures before forgiven');

    tp.clock.advance(61);
    await askForLink(tp, page, 'alice');
    await mailsSent();
    tp.clock.advance(61);
    await askForLink(tp, page, 'alice');
    await mailsSent();
    // Between them, the sign-in with the new password from a new browser was told (a security notice).
    assert.deepEqual(mails.map((mail) => mail.subject), ['Set a new password for alice at op.test', 'Security notice for alice at op.test', 'Set a new password for alice at op.test', 'Set a new password for alice at op.test']);
    assert.match(mails[1]!.text, /someone signed in from a browser this account had not used before/);
    const [superseded, latest] = [mails[2]!, mails[3]!].map(linkIn);
    assert.equal((await browse(tp, new CookieJar(), latest!)).response.status, 200);
    const latestToken = new URL(latest!).searchParams.get('token')!;
    assert.equal((await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token: latestToken, password: NEW_PASSWORD + '!', password_confirmation: NEW_PASSWORD + '!' })).response.status, 200);
    assert.equal((await browse(tp, new CookieJar(), superseded!)).response.status, 200, 'still stored…');
    const supersededToken = new URL(superseded!).searchParams.get('token')!;
    const refused = await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token: supersededToken, password: 'the attacker password', password_confirmation: 'the attacker password' });
    assert.equal(refused.response.status, 400, '…but the password it was made for is gone');
    assert.ok((await login(NEW_PASSWORD + '!')).redirect?.searchParams.get('code'));

    tp.clock.advance(61);
    await askForLink(tp, page, 'alice');
    await mailsSent();
    tp.clock.advance(1801);
    assert.equal((await browse(tp, new CookieJar(), linkIn(mails.at(-1)!))).response.status, 400, 'half an hour on');
  });

  test('password reset by email address: each enabled account with it (ASCII case aside) is sent a link of its own naming its username; an address of nobody or of a disabled account only → the same answer, nothing sent', async () => {
    const shared = [
      { username: 'alice.work', password: 'alice-work-password', email: 'Alice@Example.com' },
      { username: 'carol', password: 'carol-password-long', email: 'alice@example.COM' },
      { username: 'dave', password: 'dave-password-long', email: 'dave@example.com' },
      { username: 'erin@example.com', password: 'erin-password-long', email: 'erin@example.com' },
    ];
    const mails: MailMessage[] = [];
    const tp = await testProvider({ accounts: [ALICE, BOB, ...shared], clients: [{ client_id: 'app' }], host: { mailer: { send: async (mail) => void mails.push(mail) } } });
    const storage = tp.provider.context.storage;
    const carol = (await storage.accounts.findByUsername('carol'))!;
    const dave = (await storage.accounts.findByUsername('dave'))!;
    await storage.accounts.update({ ...carol, disabled: true });
    await storage.accounts.update({ ...dave, disabled: true });
    const page = await loginPage(tp);
    const form = await browse(tp, page.jar, /<a href="([^"]+\/forgot)">/.exec(page.text)![1]!);
    assert.match(form.text, /<label for="username">Username or email address<\/label>/);

    const answers = [];
    for (const name of ['ALICE@example.com', 'nobody@example.com', 'dave@example.com']) {
      const { response, text } = await askForLink(tp, page, name);
      assert.equal(response.status, 200);
      answers.push(/<p role="status">([^<]+)<\/p>/.exec(text)?.[1]);
    }
    assert.equal(new Set(answers).size, 1, 'one answer for all three');
    await mailsSent();
    assert.deepEqual(mails.map((mail) => [mail.to, mail.subject]).sort(), [
      ['Alice@Example.com', 'Set a new password for alice.work at op.test'],
      ['alice@example.com', 'Set a new password for alice at op.test'],
    ], 'alice and alice.work, each at its own address; carol is disabled, dave is disabled');
    const aliceWorkMail = mails.find((mail) => mail.subject.includes('alice.work'))!;
    assert.match(aliceWorkMail.text, /for the account alice\.work at op\.test/, 'the mail names the account: a person who forgot the username too learns it');
    const aliceWork = (await storage.accounts.findByUsername('alice.work'))!;
    const reset = await browse(tp, new CookieJar(), linkIn(aliceWorkMail));
    assert.match(reset.text, /For <strong>alice\.work<\/strong>/, 'the link is the account\'s own');
    const token = hiddenInput(reset.text, 'token')!;
    await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal((await tp.provider.context.accounts.authenticate!('alice.work', NEW_PASSWORD))?.sub, aliceWork.sub);
    assert.equal(await tp.provider.context.accounts.authenticate!('alice', NEW_PASSWORD), undefined, 'alice\'s password stays');

    // An account whose username is its address: found both ways, sent one link.
    mails.length = 0;
    await askForLink(tp, page, 'Erin@example.com');
    await mailsSent();
    assert.deepEqual(mails.map((mail) => [mail.to, mail.subject]), [['erin@example.com', 'Set a new password for erin@example.com at op.test']]);
  });

  test('password reset: an account without a password (made from an upstream sign-in) is sent a link to set its first one — said so in the mail and the page, and told as first: true', async () => {
    const { tp, mails } = await setup();
    const now = tp.clock.now();
    await tp.provider.context.storage.accounts.create({ sub: 'sub-fed', username: 'fed', email: 'fed@example.com', email_verified: true, claims: {}, disabled: false, roles: [], created_at: now, updated_at: now });
    const page = await loginPage(tp);
    await askForLink(tp, page, 'fed');
    await mailsSent();
    const mail = mails.at(-1)!;
    assert.equal(mail.subject, 'Set a password for fed at op.test');
    assert.match(mail.text, /the account stays without a password/);
    const link = linkIn(mail);
    const form = await browse(tp, new CookieJar(), link);
    assert.match(form.text, /<h1>Set a password<\/h1>/);
    const token = hiddenInput(form.text, 'token')!;
    const done = await browse(tp, new CookieJar(), `${ISSUER}/password-reset`, { token, password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD });
    assert.equal(done.response.status, 200);
    assert.match(done.text, /The password of fed is set, and every session of the account is signed out\./);
    assert.deepEqual(tp.events.filter((e) => e.name === 'user.password_set').at(-1)?.data, { sub: 'sub-fed', actor: 'user:sub-fed', first: true });
    assert.ok((await tp.provider.context.storage.accounts.findBySub('sub-fed'))!.password_hash, 'it has one now');

    // Asked again, the account has a password: a new one, not a first.
    tp.clock.advance(61);
    await askForLink(tp, await loginPage(tp), 'fed');
    await mailsSent();
    assert.equal(mails.at(-1)!.subject, 'Set a new password for fed at op.test');
  });

  test('password reset: a mail server that fails changes nothing of the answer; the failure is logged', async () => {
    const warnings: unknown[] = [];
    const logger = { debug() {}, info() {}, warn: (...args: unknown[]) => void warnings.push(args), error() {} };
    const tp = await testProvider({ accounts: [ALICE], clients: [{ client_id: 'app' }], host: { mailer: { send: () => Promise.reject(new Error('connection refused')) } }, logger });
    const answer = await askForLink(tp, await loginPage(tp), 'alice');
    assert.equal(answer.response.status, 200);
    assert.match(answer.text, /a link to set a new password is on its way to the account’s address/);
    await mailsSent();
    assert.match(JSON.stringify(warnings), /password reset: the mail could not be sent/);
  });

  test('password reset: the answer does not wait on the account\'s lookup — its time tells nothing of whether the account exists', { timeout: 10_000 }, async () => {
    let builtin: Accounts | undefined;
    let lookups = 0;
    const accounts: Accounts = {
      disablingRevokesGrants: true,
      findById: (sub) => builtin!.findById(sub),
      authenticate: (username, password) => builtin!.authenticate!(username, password),
      claims: (sub, scopes, names) => builtin!.claims(sub, scopes, names),
      resetPassword: (sub, password, version) => builtin!.resetPassword!(sub, password, version),
      // A lookup that never ends: the answer must come all the same.
      findForPasswordReset: () => {
        lookups += 1;
        return new Promise(() => {});
      },
    };
    const tp = await testProvider({
      accounts: [ALICE],
      clients: [{ client_id: 'app' }],
      storage: async (clock) => {
        const storage = createMemoryStorage({ clock });
        builtin = createBuiltinAccounts(storage, clock, 'a secret of this test only');
        return storage;
      },
      host: { accounts, mailer: { send: async () => {} } },
    });
    const page = await loginPage(tp);
    const form = await browse(tp, page.jar, /<a href="([^"]+\/forgot)">/.exec(page.text)![1]!);
    assert.match(form.text, /<label for="username">Username<\/label>/, 'accounts that cannot be found by address: the page asks for the username');
    const answer = await askForLink(tp, page, 'alice@example.com');
    assert.equal(answer.response.status, 200);
    assert.match(answer.text, /If that is the username of an account with an email address, a link to set a new password is on its way there\./);
    await mailsSent();
    assert.equal(lookups, 1, 'the account was looked up (by username: the accounts find none by address), after the answer');
  });

  test('password reset: at most passwordResetMaxPerAddress asks per address and window → 429, nothing sent', async () => {
    const { tp, mails } = await setup({ passwordResetMaxPerAddress: 2 });
    const page = await loginPage(tp);
    assert.equal((await askForLink(tp, page, 'nobody')).response.status, 200);
    assert.equal((await askForLink(tp, page, 'nobody')).response.status, 200);
    const refused = await askForLink(tp, page, 'alice');
    assert.equal(refused.response.status, 429);
    assert.match(refused.text, /Too many reset links were asked for from your network/);
    await mailsSent();
    assert.equal(mails.length, 0);
  });
});
