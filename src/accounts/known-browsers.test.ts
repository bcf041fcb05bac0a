/**
 * Sign-ins from a new browser: with a mailer, a sign-in from a browser the account had not used
 * before is told at its verified address; the first browser, a known one, an unverified address
 * or no mailer at all tell nothing (and without a mailer nothing is kept).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALICE, authorizeUrl, CookieJar, obtainCode, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import type { MailMessage } from '../core/mailer.js';
import { BROWSER_COOKIE } from './known-browsers.js';

async function setup(options: { emailVerified?: boolean; mailer?: boolean } = {}) {
  const mails: MailMessage[] = [];
  const tp = await testProvider({
    clients: [{ client_id: 'app', client_secret: SEED_SECRET }],
    accounts: [{ ...ALICE, email_verified: options.emailVerified ?? true }],
    ...(options.mailer === false ? {} : { host: { mailer: { send: async (mail: MailMessage) => void mails.push(mail) } } }),
  });
  return { tp, mails };
}

/** Alice signs in at the app in the browser `jar` (asked to log in again when it has a session), a `userAgent` if given. */
async function signIn(tp: TestProvider, jar: CookieJar, userAgent?: string): Promise<void> {
  if (userAgent === undefined) {
    await obtainCode(tp, { client_id: 'app', scope: 'openid', prompt: 'login' }, jar);
    return;
  }
  const fetch = (request: Request) => tp.provider.fetch(new Request(request, { headers: { ...Object.fromEntries(request.headers), 'user-agent': userAgent } }));
  const flow = await runBrowserlessFlow(fetch, authorizeUrl({ client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid', prompt: 'login' }), {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision: 'allow',
    jar,
  });
  assert.ok(flow.redirect?.searchParams.get('code'));
}

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Lets the background hand-offs of mails finish. */
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

const browserCookieOf = (jar: CookieJar) => /latchkey_browser=([^;]+)/.exec(jar.header())?.[1];
const newBrowserEvents = (tp: TestProvider) => tp.events.filter((event) => event.name === 'login.new_browser');

describe('sign-ins from a new browser', () => {
  test('the first browser is remembered without a word; the same one again says nothing; another one is told, once', async () => {
    const { tp, mails } = await setup();
    const laptop = new CookieJar();
    await signIn(tp, laptop);
    await settled();
    assert.equal(mails.length, 0, 'the first sign-in is no news');
    assert.match(browserCookieOf(laptop) ?? '', /^[A-Za-z0-9_-]{43}$/, 'the browser got its cookie');
    await signIn(tp, laptop);
    await settled();
    assert.equal(mails.length, 0, 'a known browser');

    const phone = new CookieJar();
    await signIn(tp, phone);
    await settled();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'alice@example.com');
    assert.equal(mails[0]!.subject, 'Security notice for alice at op.test');
    assert.match(mails[0]!.text, /^On the account alice at op\.test, someone signed in from a browser this account had not used before — on 2030-01-01 00:0\d UTC\.$/m);
    assert.match(mails[0]!.text, /If it was not, sign in at https:\/\/op\.test\/account and change your password/);
    await signIn(tp, new CookieJar(), FIREFOX_ON_LINUX);
    await settled();
    assert.match(mails[1]!.text, /someone signed in from a browser this account had not used before \(Firefox on Linux\) — on /, 'where from');
    mails.splice(1);
    assert.deepEqual(newBrowserEvents(tp).map((event) => event.data), [{ sub: tp.accounts[0]!.sub }, { sub: tp.accounts[0]!.sub }]);
    assert.ok(await tp.provider.context.storage.artifacts.find('known_browser', tp.accounts[0]!.sub), 'the account is marked as having signed in');

    await signIn(tp, phone);
    await signIn(tp, laptop);
    await settled();
    assert.equal(mails.length, 1, 'both known now');
  });

  test('a cookie that is not one latchkey made counts as a new browser, and is replaced', async () => {
    const { tp, mails } = await setup();
    await signIn(tp, new CookieJar());
    const forged = new CookieJar();
    forged.store(new Response(null, { headers: { 'set-cookie': `${BROWSER_COOKIE}=not-a-browser-value; Path=/` } }));
    await signIn(tp, forged);
    await settled();
    assert.equal(mails.length, 1);
    assert.notEqual(browserCookieOf(forged), 'not-a-browser-value');
  });

  test('a browser is remembered for the account, by account and browser together', async () => {
    const { tp, mails } = await setup();
    const shared = new CookieJar();
    await signIn(tp, new CookieJar());
    await signIn(tp, shared);
    await settled();
    assert.equal(mails.length, 1, 'the shared browser is new to alice');
    // Forget alice's browsers: the same cookie is unknown to the account again.
    const value = browserCookieOf(shared)!;
    const { digestSecret } = await import('../util/digest.js');
    await tp.provider.context.storage.artifacts.delete('known_browser', `${tp.accounts[0]!.sub} ${digestSecret(value)}`);
    await signIn(tp, shared);
    await settled();
    assert.equal(mails.length, 2, 'known by account and browser together, not by the browser alone');
  });

  test('a browser is remembered for 400 days from its last sign-in (kept anew at a sign-in a month on); past that it is new again', async () => {
    const { tp, mails } = await setup();
    const laptop = new CookieJar();
    await signIn(tp, new CookieJar());
    await signIn(tp, laptop);
    await settled();
    assert.equal(mails.length, 1);
    const id = async () => `${tp.accounts[0]!.sub} ${(await import('../util/digest.js')).digestSecret(browserCookieOf(laptop)!)}`;
    const seenAt = async () => (await tp.provider.context.storage.artifacts.find('known_browser', await id()))?.seen_at;
    const first = await seenAt();
    tp.clock.advance(86_400);
    await signIn(tp, laptop);
    assert.equal(await seenAt(), first, 'a day on: not written again');
    tp.clock.advance(30 * 86_400);
    await signIn(tp, laptop);
    assert.equal(await seenAt(), tp.clock.now(), 'a month on: kept anew');
    tp.clock.advance(399 * 86_400);
    await signIn(tp, laptop);
    await settled();
    assert.equal(mails.length, 1, '399 days after it was kept anew: still known');
    await signIn(tp, new CookieJar());
    await settled();
    assert.equal(mails.length, 2, 'a new browser 430 days after the last one: the account is still known to have signed in');
    tp.clock.advance(401 * 86_400);
    await signIn(tp, laptop);
    await settled();
    assert.equal(mails.length, 2, 'unused for 401 days, the account had forgotten every browser: a first sign-in again, no mail');
  });

  test('an unverified address, or no mailer: nothing is told, kept or set', async () => {
    for (const options of [{ emailVerified: false }, { mailer: false }]) {
      const { tp, mails } = await setup(options);
      const first = new CookieJar();
      await signIn(tp, first);
      await signIn(tp, new CookieJar());
      await settled();
      assert.equal(mails.length, 0, JSON.stringify(options));
      assert.equal(browserCookieOf(first), undefined, 'no cookie');
      assert.equal(await tp.provider.context.storage.artifacts.find('known_browser', tp.accounts[0]!.sub), undefined, 'nothing kept');
      assert.equal(newBrowserEvents(tp).length, 0);
    }
  });
});
