/**
 * The account console in the person's language: the browser's (`Accept-Language`) until they pick
 * one under Language, then theirs (their `locale` claim) whatever the browser asks; its notices,
 * its refusals (its own and the new password's rules, shared with the sign-in) and its pages of
 * one message; English, as before, with one language offered.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consoleGet, consolePost, signInToConsole } from '../../test/helpers/console.js';
import { ALICE, asHtml, ISSUER, testProvider } from '../../test/helpers/index.js';
import { messagesFor } from '../i18n/index.js';
import { accountMessagesFor } from './messages/index.js';

const PASSWORD = String(ALICE.password);
const de = accountMessagesFor('de');
const fr = accountMessagesFor('fr');
const en = accountMessagesFor('en');

/** A line of German Recent activity saying `what`, at any time, done by the person. */
function activityLine(what: string): RegExp {
  const [before, after] = asHtml(de.activity.line(what, '\u0000', false)).split('\u0000');
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<li>${literal(before!)}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC${literal(after!)}</li>`);
}

async function setup(uiLocales: string) {
  const tp = await testProvider({ accounts: [{ ...ALICE, email: 'alice@example.com', email_verified: true }], config: { uiLocales } });
  return { tp, alice: await signInToConsole(tp, 'alice', PASSWORD, { console: 'account' }) };
}

describe('account console: in the person\'s language', () => {
  test('the browser\'s language until one is picked; then the picked one, whatever the browser asks: pages, notices, refusals', async () => {
    const { tp, alice } = await setup('en,de,fr');
    const french = { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' };

    const before = await consoleGet(tp, alice, '/account', french);
    assert.equal(before.response.status, 200);
    assert.match(before.text, /<html lang="fr">/);
    assert.match(before.text, new RegExp(`<h1>${asHtml(fr.overview.title)}</h1>`));
    assert.match(before.text, new RegExp(asHtml(fr.overview.saveProfile)));
    assert.match(before.text, new RegExp(asHtml(fr.overview.languageLabel)));
    assert.match((await consoleGet(tp, alice, '/account')).text, /<html lang="en">[\s\S]*<h1>Your account<\/h1>/, 'no preference: the default');

    const saved = await consolePost(tp, alice, '/account/language', { locale: 'de' }, { headers: french });
    assert.equal(saved.response.status, 303);
    const after = await consoleGet(tp, alice, saved.response.headers.get('location')!.replace(ISSUER, ''), french);
    assert.match(after.text, /<html lang="de">/, 'the person\'s choice over the browser\'s');
    assert.match(after.text, new RegExp(`role="status">\\s*${asHtml(de.notices['language-saved'])}`));
    assert.match(after.text, new RegExp(`<h1>${asHtml(de.overview.title)}</h1>`));
    assert.match(after.text, /<option value="de" lang="de" selected="">Deutsch<\/option>/);
    assert.match(after.text, new RegExp(`<h2 id="activity">${asHtml(de.activity.title)}</h2>`));
    assert.match(after.text, activityLine(de.activity.languageChanged), 'the change just made, in German');
    assert.match(after.text, activityLine(de.activity.signedIn(de.activity.thisConsole)), 'the console itself named in German');

    // Refusals in German: the console's own, and the new password's rules, which the sign-in's catalog words.
    const profile = await consolePost(tp, alice, '/account/profile', { name: 'x'.repeat(256), given_name: '', family_name: '', email: 'not an address' }, { headers: french });
    assert.equal(profile.response.status, 400);
    assert.match(profile.text, new RegExp(`role="alert">${asHtml(de.refused.profileProblems([de.refused.nameTooLong(255), de.refused.emailNotValid]))}<`));
    const wrong = await consolePost(tp, alice, '/account/password', { current_password: 'not it', new_password: 'a new long passphrase', confirm_password: 'a new long passphrase' });
    assert.equal(wrong.response.status, 401);
    assert.match(wrong.text, new RegExp(asHtml(de.refused.currentPasswordWrong)));
    assert.match(wrong.text, new RegExp(`<h1>${asHtml(de.password.change)}</h1>`));
    const differ = await consolePost(tp, alice, '/account/password', { current_password: PASSWORD, new_password: 'a new long passphrase', confirm_password: 'another one' });
    assert.equal(differ.response.status, 400);
    assert.match(differ.text, new RegExp(asHtml(messagesFor('de').errors.newPasswordsDiffer)));
    const language = await consolePost(tp, alice, '/account/language', { locale: 'pt' });
    assert.equal(language.response.status, 400);
    assert.match(language.text, new RegExp(asHtml(de.refused.languageNotOffered)));

    // A form not from this session, and a page that is not there.
    const forged = await consolePost(tp, alice, '/account/profile', { name: 'Mallory' }, { csrfToken: 'forged' });
    assert.equal(forged.response.status, 403);
    assert.match(forged.text, new RegExp(`<h1>${asHtml(de.message.formRefusedTitle)}</h1>`));
    assert.equal((await tp.provider.context.storage.accounts.findByUsername('alice'))!.name, ALICE.name, 'nothing changed');
    const missing = await consoleGet(tp, alice, '/account/nowhere', french);
    assert.equal(missing.response.status, 404);
    assert.match(missing.text, new RegExp(`<html lang="fr">[\\s\\S]*${asHtml(fr.message.notFound)}`), 'a page without the person: the browser\'s language');

    // Back to the default: the browser's again.
    await consolePost(tp, alice, '/account/language', { locale: '' });
    assert.match((await consoleGet(tp, alice, '/account', french)).text, /<html lang="fr">/);
  });

  test('pages before a sign-in speak the browser\'s language: a sign-in answer this browser did not start, signed out', async () => {
    const tp = await testProvider({ accounts: [ALICE], config: { uiLocales: 'en,fr' } });
    const failed = await tp.provider.fetch(new Request(`${ISSUER}/account/callback?code=x&state=y`, { headers: { 'accept-language': 'fr' } }));
    assert.equal(failed.status, 400);
    const text = await failed.text();
    assert.match(text, /<html lang="fr">/);
    assert.match(text, new RegExp(asHtml(fr.message.signInFailed(fr.message.signInNotStarted))));
    const signedOut = await tp.provider.fetch(new Request(`${ISSUER}/account/signed-out`, { headers: { 'accept-language': 'fr' } }));
    assert.match(await signedOut.text(), new RegExp(`<h1>${asHtml(fr.message.signedOutTitle)}</h1>`));
  });

  test('with one language offered (the default configuration), English whatever the browser or the locale claim asks', async () => {
    const tp = await testProvider({ accounts: [{ ...ALICE, claims: { locale: 'de' } }] });
    const alice = await signInToConsole(tp, 'alice', PASSWORD, { console: 'account' });
    const page = await consoleGet(tp, alice, '/account', { 'accept-language': 'de' });
    assert.match(page.text, /<html lang="en">/);
    assert.match(page.text, new RegExp(`<h1>${en.overview.title}</h1>`));
    assert.doesNotMatch(page.text, /name="locale"/, 'nothing to pick');
  });
});
