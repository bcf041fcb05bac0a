/**
 * The account console's words: a catalog for every language the sign-in speaks, each saying all
 * the English one does; and which language a console page speaks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertSameMembers, assertSaysWhatItIsGiven } from '../../../test/helpers/catalogs.js';
import { SHIPPED_LANGUAGES } from '../../i18n/index.js';
import { accountEn } from './en.js';
import { ACCOUNT_CATALOGS, accountMessagesFor, consoleLanguage } from './index.js';

describe('account console: its words in every language', () => {
  test('a catalog for every shipped language, each with exactly the English one\'s members, none empty', () => {
    assert.deepEqual(Object.keys(ACCOUNT_CATALOGS), [...SHIPPED_LANGUAGES]);
    assertSameMembers(accountEn, ACCOUNT_CATALOGS);
  });

  test('every message function of every catalog says each text, number and list item it is given', () => {
    assertSaysWhatItIsGiven(ACCOUNT_CATALOGS);
  });

  test('a session signed in by no named method, and the conditional lines, read in every language', () => {
    for (const [lang, m] of Object.entries(ACCOUNT_CATALOGS)) {
      assert.notEqual(m.overview.signedInWith([]).trim(), '', `${lang}: a session without named methods`);
      assert.notEqual(m.overview.passkeyLine(true, 'A', 'B'), m.overview.passkeyLine(false, 'A', 'B'), `${lang}: synced or kept on one device`);
      assert.notEqual(m.overview.passkeyLine(true, 'A', undefined), m.overview.passkeyLine(true, 'A', 'B').replace('B', ''), `${lang}: never used says so`);
      assert.ok(!m.overview.sessionLine('how', undefined, 'U').includes('undefined'), `${lang}: no time of sign-in for another browser`);
      assert.ok(!m.overview.connectedLine('C', undefined).includes('undefined'), `${lang}: a connected sign-in never used`);
    }
  });

  test('accountMessagesFor: the catalog of a shipped language; English for anything else', () => {
    assert.equal(accountMessagesFor('nl'), ACCOUNT_CATALOGS.nl);
    assert.equal(accountMessagesFor(undefined), accountEn);
    assert.equal(accountMessagesFor('pt'), accountEn);
    assert.equal(accountMessagesFor('constructor'), accountEn, 'an object member is no language');
  });

  test('consoleLanguage: the account\'s locale claim where offered, else the browser\'s, else the default', () => {
    const offered = ['en', 'de', 'fr'];
    assert.equal(consoleLanguage(offered, 'fr-CH, de;q=0.5', { claims: { locale: 'de_AT' } }), 'de', 'the person\'s own choice first');
    assert.equal(consoleLanguage(offered, 'fr-CH, de;q=0.5', { claims: { locale: 'nl' } }), 'fr', 'a claim not offered: the browser');
    assert.equal(consoleLanguage(offered, 'fr-CH, de;q=0.5', { claims: {} }), 'fr');
    assert.equal(consoleLanguage(offered, 'fr-CH, de;q=0.5'), 'fr', 'nobody signed in yet: the browser');
    assert.equal(consoleLanguage(offered, 'pt-BR', { claims: {} }), 'en', 'nothing offered asked for: the default');
    assert.equal(consoleLanguage(['en'], 'de', { claims: { locale: 'de' } }), 'en', 'one language offered');
  });
});
