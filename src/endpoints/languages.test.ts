/**
 * The pages' languages end to end in process: the operator offers some (`uiLocales`), an
 * authorization's pages speak the one its `ui_locales` or the browser prefers, and so do the
 * messages the engine puts on them, the device and logout pages, the mails of a sign-in and the
 * pages their links open. With one language offered (the default), English whatever is asked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MailMessage } from '../core/mailer.js';
import { CookieJar, formAction, hiddenInput, runBrowserlessFlow } from '../../test/helpers/browserless.js';
import { ALICE, authorizeUrl, ISSUER, testProvider, type TestProvider } from '../../test/helpers/index.js';

const OFFERED = { uiLocales: 'en,de,fr' };
const AUTHORIZE = { client_id: 'app', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid email offline_access', prompt: 'consent' };

async function setup(config: Record<string, unknown> = OFFERED) {
  const mails: MailMessage[] = [];
  const tp = await testProvider({ accounts: [ALICE], clients: [{ client_id: 'app', client_name: 'Photo Book' }], config, host: { mailer: { send: async (mail) => void mails.push(mail) } } });
  return { tp, mails };
}

/** A browser whose every request says `Accept-Language: acceptLanguage`. */
function browserOf(tp: TestProvider, acceptLanguage?: string) {
  return (request: Request) => {
    if (acceptLanguage !== undefined) request.headers.set('accept-language', acceptLanguage);
    return tp.provider.fetch(request, { remoteAddress: '198.51.100.9' });
  };
}

/** The page an authorization shows first (its login page), with its browser's cookies. */
async function firstPage(tp: TestProvider, params: Record<string, string>, acceptLanguage?: string): Promise<{ jar: CookieJar; status: number; text: string }> {
  const jar = new CookieJar();
  const flow = await runBrowserlessFlow(browserOf(tp, acceptLanguage), authorizeUrl({ ...AUTHORIZE, ...params }), { jar });
  return { jar, status: flow.response.status, text: await flow.response.text() };
}

/** POSTs `form` to the page's first form, as `acceptLanguage`'s browser. */
async function submit(tp: TestProvider, jar: CookieJar, page: string, form: Record<string, string>, acceptLanguage?: string) {
  const request = new Request(new URL(formAction(page), ISSUER), { method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf_token: hiddenInput(page, 'csrf_token') ?? '', ...form }), redirect: 'manual' });
  const response = await browserOf(tp, acceptLanguage)(request);
  jar.store(response);
  return { response, text: await response.text() };
}

const htmlLang = (page: string) => /<html lang="([^"]+)"/.exec(page)?.[1];
const title = (page: string) => /<title>([^<]*)<\/title>/.exec(page)?.[1];

describe('languages of the pages', () => {
  test('discovery lists the offered languages as ui_locales_supported; the default offers English only', async () => {
    const { tp } = await setup();
    assert.deepEqual((await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()).ui_locales_supported, ['en', 'de', 'fr']);
    const plain = await setup({});
    assert.deepEqual((await (await plain.tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()).ui_locales_supported, ['en']);
  });

  test('ui_locales picks the login page\'s language, before the browser\'s; a refused password is told in it; the page keeps its contract (autocomplete, field names)', async () => {
    const { tp } = await setup();
    const page = await firstPage(tp, { ui_locales: 'de-DE fr' }, 'fr');
    assert.equal(page.status, 200);
    assert.equal(htmlLang(page.text), 'de');
    assert.equal(title(page.text), 'Anmelden');
    assert.match(page.text, /weiter zu Photo Book/);
    assert.match(page.text, /<label for="password">Passwort<\/label>/);
    assert.match(page.text, /autocomplete="username"/);
    assert.match(page.text, /autocomplete="current-password"/);
    const refused = await submit(tp, page.jar, page.text, { username: 'alice', password: 'wrong password!' });
    assert.equal(refused.response.status, 401);
    assert.match(refused.text, /<p class="alert" role="alert">Der Benutzername oder das Passwort ist falsch\.<\/p>/);
    assert.equal(htmlLang(refused.text), 'de', 'the language is the interaction\'s: the POST said nothing of it');
  });

  test('Accept-Language picks it without ui_locales: French login, then the consent page with its scopes in French; Autoriser still answers decision=allow', async () => {
    const { tp } = await setup();
    const page = await firstPage(tp, {}, 'fr-CH, fr;q=0.9, en;q=0.8');
    assert.equal(htmlLang(page.text), 'fr');
    assert.equal(title(page.text), 'Se connecter');
    const consent = await submit(tp, page.jar, page.text, { username: 'alice', password: String(ALICE.password) });
    assert.equal(consent.response.status, 303);
    const consentPage = await browserOf(tp)(new Request(new URL(consent.response.headers.get('location')!, ISSUER), { headers: { cookie: page.jar.header() } }));
    const text = await consentPage.text();
    assert.equal(htmlLang(text), 'fr');
    assert.match(text, /<h1>Autoriser Photo Book\u202F\?<\/h1>|<h1>Autoriser Photo Book ?\?<\/h1>/);
    assert.match(text, /<li>Votre adresse e-mail/);
    assert.match(text, /<button type="submit" name="decision" value="allow">Autoriser<\/button>/);
    assert.match(text, /<button type="submit" name="decision" value="deny" class="secondary">Refuser<\/button>/);
    const allowed = await submit(tp, page.jar, text, { decision: 'allow' });
    assert.equal(allowed.response.status, 303);
    assert.ok(new URL(allowed.response.headers.get('location')!).searchParams.get('code'), 'a code for the client');
  });

  test('nothing offered that is asked for, or only English offered: English, and <html lang="en"> — not the language asked for', async () => {
    const { tp } = await setup();
    const italian = await firstPage(tp, { ui_locales: 'it' }, 'es, it');
    assert.equal(htmlLang(italian.text), 'en');
    assert.equal(title(italian.text), 'Sign in');
    const plain = await setup({});
    const german = await firstPage(plain.tp, { ui_locales: 'de' }, 'de');
    assert.equal(htmlLang(german.text), 'en');
    assert.equal(title(german.text), 'Sign in');
    assert.match(german.text, /<button type="submit">Sign in<\/button>/);
  });

  test('an error page of the authorization endpoint (an unknown client): the request\'s ui_locales, else the browser\'s; the protocol\'s description in English', async () => {
    const { tp } = await setup();
    const asked = await browserOf(tp, 'fr')(new Request(authorizeUrl({ ...AUTHORIZE, client_id: 'nobody', ui_locales: 'de' })));
    const text = await asked.text();
    assert.equal(asked.status, 400);
    assert.equal(htmlLang(text), 'de');
    assert.equal(title(text), 'Es ist ein Fehler aufgetreten');
    assert.match(text, /<code>invalid_request<\/code>/);
    const browser = await browserOf(tp, 'fr')(new Request(authorizeUrl({ ...AUTHORIZE, client_id: 'nobody' })));
    assert.equal(htmlLang(await browser.text()), 'fr');
  });

  test('the device page speaks the browser\'s language, and its refusal too', async () => {
    const { tp } = await setup({ ...OFFERED });
    const page = await browserOf(tp, 'de')(new Request(`${ISSUER}/device`));
    const text = await page.text();
    assert.equal(htmlLang(text), 'de');
    assert.equal(title(text), 'Gerät verbinden');
    assert.match(text, /name="user_code"/);
    const jar = new CookieJar();
    jar.store(page);
    const refused = await submit(tp, jar, text, { user_code: 'WRONG-CODE' }, 'de');
    assert.equal(refused.response.status, 400);
    assert.match(refused.text, /role="alert">Dieser Code ist ungültig/);
  });

  test('the logout page speaks the logout request\'s ui_locales (RP-Initiated Logout §2), and so does the page after it', async () => {
    const { tp } = await setup();
    const jar = new CookieJar();
    const flow = await runBrowserlessFlow(browserOf(tp), authorizeUrl(AUTHORIZE), { jar, credentials: { username: 'alice', password: String(ALICE.password) }, decision: 'allow' });
    assert.ok(flow.redirect?.searchParams.get('code'), 'signed in');
    const confirm = await browserOf(tp, 'en')(new Request(`${ISSUER}/end_session?${new URLSearchParams({ client_id: 'app', ui_locales: 'fr' })}`, { headers: { cookie: jar.header() } }));
    jar.store(confirm);
    const text = await confirm.text();
    assert.equal(htmlLang(text), 'fr');
    assert.equal(title(text), 'Se déconnecter\u202F?', 'no id_token_hint: the person is asked first');
    assert.match(text, /value="logout">Se déconnecter<\/button>/);
    const after = await submit(tp, jar, text, { decision: 'stay', logout_request: hiddenInput(text, 'logout_request')! }, 'de');
    assert.equal(htmlLang(after.text), 'fr', 'the request\'s language, not the next browser request\'s');
    assert.equal(title(after.text), 'Session toujours ouverte');
  });

  test('a password reset asked on a German sign-in: the mail in German, its link\'s page in German, its refusals too', async () => {
    const { tp, mails } = await setup();
    const page = await firstPage(tp, { ui_locales: 'de' });
    const forgotUrl = /<a href="([^"]+\/forgot)">Passwort vergessen\?<\/a>/.exec(page.text)?.[1];
    assert.ok(forgotUrl, 'the login page links to its "Forgot your password?" in German');
    const forgotPage = await browserOf(tp)(new Request(new URL(forgotUrl, ISSUER), { headers: { cookie: page.jar.header() } }));
    const forgotText = await forgotPage.text();
    assert.equal(htmlLang(forgotText), 'de');
    const sent = await submit(tp, page.jar, forgotText, { username: 'alice' });
    assert.equal(htmlLang(sent.text), 'de');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, 'Neues Passwort für alice bei op.test festlegen');
    const link = /^(https:\/\/op\.test\/password-reset\?token=[\w-]+)$/m.exec(mails[0]!.text)?.[1];
    assert.ok(link, mails[0]!.text);
    const resetPage = await browserOf(tp, 'fr')(new Request(link));
    const resetText = await resetPage.text();
    assert.equal(htmlLang(resetText), 'de', 'the mail\'s language, whatever this browser says');
    const differ = await submit(tp, new CookieJar(), resetText, { token: hiddenInput(resetText, 'token')!, password: 'a new password here', password_confirmation: 'another one here' });
    assert.equal(differ.response.status, 400);
    assert.match(differ.text, /role="alert">Die neuen Passwörter stimmen nicht überein\.<\/p>/);
    const unknown = await browserOf(tp, 'fr')(new Request(`${ISSUER}/password-reset?token=nope`));
    const unknownText = await unknown.text();
    assert.equal(unknown.status, 400);
    assert.equal(htmlLang(unknownText), 'fr', 'a link that works no more: the browser\'s language');
    assert.match(unknownText, /Ce lien de réinitialisation/);
  });

  test('LATCHKEY_UI_LOCALES: shipped languages only, at least one', async () => {
    await assert.rejects(testProvider({ config: { uiLocales: 'en,pt' } }), /uiLocales.*each must be a language latchkey's pages speak: en, de, es, fr, it, nl/s);
    await assert.rejects(testProvider({ config: { uiLocales: ' , ' } }), /uiLocales.*at least one/s);
    const { tp } = await setup({ uiLocales: ' FR de ' });
    const metadata = await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json();
    assert.deepEqual(metadata.ui_locales_supported, ['fr', 'de'], 'trimmed, lower-cased, in order: French the default');
    assert.equal(title((await firstPage(tp, {}, 'it')).text), 'Se connecter');
  });
});
