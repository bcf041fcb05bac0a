/**
 * `requireVerifiedEmail`: an account whose address is not confirmed does not sign in — its right
 * password sends a link to the address and brings back the login page saying so; once the link is
 * used, the same sign-in goes on. Self-registration then asks for the address. A host's own pages
 * hear of it in `details(uid)`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MailMessage } from '../core/mailer.js';
import type { Accounts } from '../accounts/types.js';
import { ALICE, asHtml, authorizeUrl, CookieJar, formAction, hiddenInput, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { inProcessBrowser, type InProcessBrowser } from '../../test/helpers/in-process-browser.js';
import type { ConfigInput } from '../core/config.js';
import { messagesFor } from '../i18n/index.js';
import { consolePost, signInToConsole } from '../../test/helpers/console.js';

const CB = 'https://rp.example/cb';
const APP = { client_id: 'app', client_secret: SEED_SECRET, skip_consent: true };
const BOB = { username: 'bob', password: 'bob has a long password', email: 'bob@example.com', email_verified: false };
const CAROL = { username: 'carol', password: 'carol has a long password' };

async function setup(config: ConfigInput = { requireVerifiedEmail: true }) {
  const mails: MailMessage[] = [];
  const tp = await testProvider({ accounts: [ALICE, BOB, CAROL], clients: [APP], config, host: { mailer: { send: async (mail) => void mails.push(mail) } } });
  return { tp, mails };
}

const mailsSent = () => new Promise((resolve) => setImmediate(resolve));

/** A browser stopping at the client. */
function browser(tp: TestProvider): InProcessBrowser {
  return inProcessBrowser(tp, { stopAt: CB });
}

/** The confirmation link of a mail, opened and confirmed. */
async function confirmLinkOf(tp: TestProvider, mail: MailMessage): Promise<void> {
  const link = /^(https:\/\/op\.test\/verify-email\?token=[\w-]+)$/m.exec(mail.text)?.[1];
  assert.ok(link, mail.text);
  const page = await (await tp.provider.fetch(new Request(link))).text();
  const confirmed = await tp.provider.fetch(new Request(formAction(page), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: hiddenInput(page, 'token')! }) }));
  assert.equal(confirmed.status, 200);
}

const signInPage = (b: InProcessBrowser) => b.open(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid email', state: 's' }));

describe('requireVerifiedEmail', () => {
  test('an unconfirmed address: the right password signs nobody in, mails a link, and the login page names the address; once confirmed, the same sign-in goes on to a code', async () => {
    const { tp, mails } = await setup();
    const b = browser(tp);
    const login = await (await signInPage(b)).text();
    const held = await b.submit(login, { username: 'bob', password: BOB.password });
    assert.equal(held.status, 200);
    const page = await held.text();
    assert.ok(page.includes(asHtml(messagesFor('en').errors.confirmEmailFirst('bob@example.com'))), page);
    assert.match(page, /role="alert">Confirm your email address first: we sent a link to bob@example\.com\. Open it, then sign in again\.</);
    assert.ok(![...b.jar.values.keys()].some((name) => name.startsWith('latchkey_session')), 'no session');
    assert.deepEqual(tp.events.filter((event) => event.name === 'login.email_unconfirmed').map((event) => event.data.client_id), ['app']);
    assert.ok(!tp.events.some((event) => event.name === 'login.succeeded'), 'nobody signed in');
    await mailsSent();
    assert.deepEqual(mails.map((mail) => [mail.to, mail.subject]), [['bob@example.com', 'Confirm your email address for bob at op.test']]);

    // Again within the minute: the same page, no second mail.
    const again = await b.submit(page, { username: 'bob', password: BOB.password });
    assert.ok((await again.text()).includes('we sent a link to bob@example.com'));
    await mailsSent();
    assert.equal(mails.length, 1, 'one link a minute');

    await confirmLinkOf(tp, mails[0]!);
    // Used once: opened again, it says how to get another.
    const link = /^(https:\/\/op\.test\/verify-email\?token=[\w-]+)$/m.exec(mails[0]!.text)![1]!;
    const spent = await tp.provider.fetch(new Request(link));
    assert.equal(spent.status, 400);
    assert.ok((await spent.text()).includes(asHtml(messagesFor('en').errors.confirmationLinkUnusableSignIn)));
    const done = await b.submit(page, { username: 'bob', password: BOB.password });
    assert.equal(done.status, 303);
    const callback = new URL(done.headers.get('location')!);
    assert.equal(`${callback.origin}${callback.pathname}`, CB);
    assert.ok(callback.searchParams.get('code'), 'the sign-in went on');
  });

  test('a wrong password says only that: nothing about the address, no mail', async () => {
    const { tp, mails } = await setup();
    const b = browser(tp);
    const page = await (await b.submit(await (await signInPage(b)).text(), { username: 'bob', password: 'not it at all' })).text();
    assert.match(page, /The username or password is incorrect\./);
    assert.doesNotMatch(page, /bob@example\.com/);
    await mailsSent();
    assert.equal(mails.length, 0);
  });

  test('a confirmed address, or none at all, signs in as always', async () => {
    const { tp, mails } = await setup();
    for (const [username, password] of [['alice', String(ALICE.password)], ['carol', CAROL.password]] as const) {
      const b = browser(tp);
      const done = await b.submit(await (await signInPage(b)).text(), { username, password });
      assert.equal(done.status, 303, username);
      assert.ok(new URL(done.headers.get('location')!).searchParams.get('code'), username);
    }
    await mailsSent();
    assert.equal(mails.length, 0);
  });

  test('off (the default): an unconfirmed address signs in as before', async () => {
    const { tp } = await setup({});
    const b = browser(tp);
    const done = await b.submit(await (await signInPage(b)).text(), { username: 'bob', password: BOB.password });
    assert.ok(new URL(done.headers.get('location')!).searchParams.get('code'));
  });

  test('self-registration asks for the address; the new account signs in once it is confirmed — one mail', async () => {
    const { tp, mails } = await setup({ requireVerifiedEmail: true, selfRegistration: true });
    const b = browser(tp);
    const registration = await (await b.open(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', prompt: 'create' }))).text();
    assert.match(registration, /<label for="email">Email<\/label><input type="email" id="email" name="email" autocomplete="email" value="" required=""/);
    const person = { username: 'dora', password: 'dora has a long password', password_confirmation: 'dora has a long password' };
    const refused = await b.submit(registration, person);
    assert.equal(refused.status, 400);
    const refusedPage = await refused.text();
    assert.match(refusedPage, /Enter your email address: we send a link to confirm it\./);
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('dora'), undefined, 'nothing made');

    const held = await b.submit(refusedPage, { ...person, email: 'dora@example.com' });
    assert.equal(held.status, 200);
    const page = await held.text();
    assert.match(page, /we sent a link to dora@example\.com/);
    assert.match(page, /autocomplete="current-password"/, 'the login page, not the registration page again');
    assert.ok(await tp.provider.context.storage.accounts.findByUsername('dora'), 'the account is made');
    await mailsSent();
    assert.deepEqual(mails.map((mail) => mail.to), ['dora@example.com'], 'one mail');
    await confirmLinkOf(tp, mails[0]!);
    const done = await b.submit(page, { username: 'dora', password: person.password });
    assert.ok(new URL(done.headers.get('location')!).searchParams.get('code'));
  });

  test('a new address in the account console takes effect once its link is used: until then the account keeps (and signs in with) the confirmed one; then the old one hears of the change', async () => {
    const { tp, mails } = await setup();
    const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
    const account = async () => (await tp.provider.context.storage.accounts.findByUsername('alice'))!;
    const saved = await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', email: 'alice@new.example' });
    assert.equal(saved.response.headers.get('location'), '/account?notice=email-change-pending');
    assert.deepEqual([(await account()).email, (await account()).email_verified], ['alice@example.com', true], 'kept until confirmed');
    await mailsSent();
    assert.deepEqual(mails.map((mail) => [mail.to, mail.subject]), [['alice@new.example', 'Confirm your email address for alice at op.test']], 'the link, and no notice yet: nothing changed');

    // Meanwhile alice signs in as before.
    const b = browser(tp);
    assert.equal((await b.submit(await (await signInPage(b)).text(), { username: 'alice', password: String(ALICE.password) })).status, 303);

    await confirmLinkOf(tp, mails[0]!);
    assert.deepEqual([(await account()).email, (await account()).email_verified], ['alice@new.example', true]);
    await mailsSent();
    const changeNotices = mails.filter((mail) => /the email address was changed from alice@example\.com/.test(mail.text));
    assert.deepEqual(changeNotices.map((mail) => [mail.to, mail.subject]), [['alice@example.com', 'Security notice for alice at op.test']], 'the old address is told, once');
    const sub = (await account()).sub;
    assert.ok(tp.events.some((event) => event.name === 'user.updated' && JSON.stringify(event.data) === JSON.stringify({ sub, fields: ['email', 'email_verified'], actor: `user:${sub}` })));

    // A link for a change from an address the account no longer has changes nothing.
    tp.clock.advance(61);
    await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', email: 'first@new.example' });
    tp.clock.advance(61);
    await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', email: 'second@new.example' });
    await mailsSent();
    const links = mails.filter((mail) => mail.subject.startsWith('Confirm'));
    await confirmLinkOf(tp, links[2]!);
    assert.equal((await account()).email, 'second@new.example');
    const stale = /^(https:\/\/op\.test\/verify-email\?token=[\w-]+)$/m.exec(links[1]!.text)![1]!;
    const page = await (await tp.provider.fetch(new Request(stale))).text();
    const refused = await tp.provider.fetch(new Request(formAction(page), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: hiddenInput(page, 'token')! }) }));
    assert.equal(refused.status, 400);
    assert.equal((await account()).email, 'second@new.example', 'unchanged');
  });

  test('refused at start without a mailer to send the links', async () => {
    await assert.rejects(testProvider({ config: { requireVerifiedEmail: true } }), /requireVerifiedEmail needs a mailer/);
  });

  test('a host\'s own pages: the login held back, the browser sent to the host\'s page, details(uid) naming the address', async () => {
    const HOST_PAGE = 'https://app.test/login';
    const verified = new Set<string>();
    const accounts: Accounts = {
      async findById(sub) {
        return sub === 'user-7' ? { sub, username: 'grace', ...(verified.has(sub) ? {} : { unconfirmedEmail: 'grace@example.com' }) } : undefined;
      },
      async claims(sub) {
        return sub === 'user-7' ? { sub } : undefined;
      },
      async verifyEmail(sub) {
        verified.add(sub);
        return true;
      },
    };
    const mails: MailMessage[] = [];
    const tp = await testProvider({ clients: [APP], config: { requireVerifiedEmail: true }, host: { accounts, interactionUrl: (uid) => `${HOST_PAGE}?uid=${uid}`, mailer: { send: async (mail) => void mails.push(mail) } } });
    const jar = new CookieJar();
    const started = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid' })));
    jar.store(started);
    const uid = new URL(started.headers.get('location')!).searchParams.get('uid')!;
    const { redirectTo } = await tp.provider.interactions.finish(uid, { login: { accountId: 'user-7', amr: ['pwd'] } });
    const resumed = await tp.provider.fetch(new Request(redirectTo, { headers: { cookie: jar.header() } }));
    assert.equal(resumed.status, 303);
    assert.equal(resumed.headers.get('location'), `${HOST_PAGE}?uid=${uid}`);
    assert.equal((await tp.provider.interactions.details(uid)).unconfirmedEmail, 'grace@example.com');
    await mailsSent();
    assert.deepEqual(mails.map((mail) => mail.to), ['grace@example.com']);
  });
});
