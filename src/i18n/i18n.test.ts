/**
 * The languages of the pages: which one a request gets, and that every catalog says all that the
 * English one does, with every value it is given.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CATALOGS, chooseLanguage, messagesFor, SHIPPED_LANGUAGES } from './index.js';
import { en } from './en.js';
import { assertSameMembers, assertSaysWhatItIsGiven } from '../../test/helpers/catalogs.js';

const OFFERED = ['en', 'de', 'fr'];

describe('i18n: choosing the language', () => {
  test('chooseLanguage: ui_locales first, in its order; then Accept-Language by weight; a region is met by its language; else the first offered', () => {
    assert.equal(chooseLanguage(OFFERED, {}), 'en');
    assert.equal(chooseLanguage(OFFERED, { uiLocales: 'fr de' }), 'fr');
    assert.equal(chooseLanguage(OFFERED, { uiLocales: 'it fr-CA de' }), 'fr', 'it is not offered; fr-CA is met by fr');
    assert.equal(chooseLanguage(OFFERED, { uiLocales: 'de', acceptLanguage: 'fr' }), 'de', 'ui_locales before the browser');
    assert.equal(chooseLanguage(OFFERED, { uiLocales: 'it', acceptLanguage: 'fr' }), 'fr', 'nothing of ui_locales offered: the browser');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'de-CH,de;q=0.9,en;q=0.8' }), 'de');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'en;q=0.5, fr;q=0.8, de;q=0.7' }), 'fr', 'by weight, not by place');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'it, fr, de' }), 'fr', 'equal weights: in their order');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'DE-at' }), 'de', 'tags are case-insensitive');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'fr;q=0, de;q=0.1' }), 'de', 'q=0: not acceptable');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: '*' }), 'en', '* prefers nothing in particular');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'it, es' }), 'en');
    assert.equal(chooseLanguage(['de', 'en'], { acceptLanguage: 'it' }), 'de', 'the first offered is the default');
    assert.equal(chooseLanguage(['en'], { uiLocales: 'de', acceptLanguage: 'fr' }), 'en', 'one language offered: always it');
  });

  test('chooseLanguage: what is not a language tag is passed over; a long list is read only so far', () => {
    assert.equal(chooseLanguage(OFFERED, { uiLocales: '<script> de' }), 'de');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: 'de;q=abc, fr;q=2, x y, en;q=0.3' }), 'en', 'weights that are not numbers in 0–1 are refused');
    assert.equal(chooseLanguage(OFFERED, { uiLocales: `${'xx '.repeat(16)}de` }), 'en', 'the seventeenth preference is not read');
    assert.equal(chooseLanguage(OFFERED, { acceptLanguage: `${'xx,'.repeat(16)}de` }), 'en');
  });

  test('messagesFor: the catalog of an offered language; English for anything else', () => {
    assert.equal(messagesFor('de'), CATALOGS.de);
    assert.equal(messagesFor('fr').consent.allow, 'Autoriser');
    assert.equal(messagesFor(undefined), en);
    assert.equal(messagesFor('pt'), en, 'not shipped');
    assert.equal(messagesFor('constructor'), en, 'an object member is no language');
  });
});

describe('i18n: the catalogs', () => {
  test('every shipped catalog has exactly the English one\'s members, each of the same kind, none empty but where English is', () => {
    assert.deepEqual(SHIPPED_LANGUAGES, ['en', 'de', 'es', 'fr', 'it', 'nl']);
    assertSameMembers(en, CATALOGS);
  });

  test('every message function of every catalog uses each text it is given, and every number', () => {
    assertSaysWhatItIsGiven(CATALOGS);
  });

  test('the mails keep their shape in every language: the link alone on its line', () => {
    for (const lang of SHIPPED_LANGUAGES) {
      const { mail } = CATALOGS[lang]!;
      for (const first of [true, false]) {
        const text = mail.resetText('alice', 'op.test', first, 30, 'https://op.test/password-reset?token=T');
        assert.match(text, /^https:\/\/op\.test\/password-reset\?token=T$/m, `${lang}: the reset link alone on its line`);
        assert.notEqual(mail.resetSubject('alice', 'op.test', first), '');
      }
      assert.notEqual(mail.resetText('alice', 'op.test', true, 30, 'L'), mail.resetText('alice', 'op.test', false, 30, 'L'), `${lang}: a first password is told as such`);
      assert.match(mail.confirmText('a@example.com', 'alice', 'op.test', 'https://op.test/verify-email?token=T'), /^https:\/\/op\.test\/verify-email\?token=T$/m);
    }
  });
});
