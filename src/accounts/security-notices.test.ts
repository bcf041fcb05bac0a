/**
 * Security notices by mail: every change to how an account signs in is told to its verified
 * address — by whom and when — and an email change to the address it had; nothing to an
 * unverified address, nothing without a mailer, and no answer waits for a mail.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminClientToken, callAdmin } from '../../test/helpers/admin.js';
import { consoleGet, consolePost, signInToConsole } from '../../test/helpers/console.js';
import { ALICE, testProvider, type TestProvider } from '../../test/helpers/index.js';
import type { MailMessage } from '../core/mailer.js';
import { accountMessagesFor } from '../account/messages/index.js';

const PASSWORD = String(ALICE.password);

async function setup(options: { emailVerified?: boolean; send?: (mail: MailMessage) => Promise<void> } = {}) {
  const mails: MailMessage[] = [];
  const tp = await testProvider({ accounts: [{ ...ALICE, email_verified: options.emailVerified ?? true }], host: { mailer: { send: options.send ?? (async (mail) => void mails.push(mail)) } } });
  const alice = await signInToConsole(tp, 'alice', PASSWORD, { console: 'account' });
  return { tp, alice, mails };
}

/** Lets the background lookups and hand-offs of notices finish. */
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

const subOf = async (tp: TestProvider) => (await tp.provider.context.storage.accounts.findByUsername('alice'))!.sub;

describe('security notices', () => {
  test('a password changed in the account console is told to the verified address: what, when, from the account itself, what to do', async () => {
    const { tp, alice, mails } = await setup();
    const changed = await consolePost(tp, alice, '/account/password', { current_password: PASSWORD, new_password: 'another long passphrase', confirm_password: 'another long passphrase' });
    assert.equal(changed.response.status, 303);
    await settled();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'alice@example.com');
    assert.equal(mails[0]!.subject, 'Security notice for alice at op.test');
    assert.match(mails[0]!.text, /On the account alice at op\.test, the password was changed — on 2030-01-01 00:0\d UTC, from the account itself\./);
    assert.match(mails[0]!.text, /sign in at https:\/\/op\.test\/account and change your password/);
    assert.doesNotMatch(mails[0]!.text, /another long passphrase/);
  });

  test('a change by an administrator says so: a password set, the address changed through the admin API', async () => {
    const { tp, mails } = await setup();
    const token = await adminClientToken(tp);
    assert.equal((await callAdmin(tp, token, 'PUT', `/users/${await subOf(tp)}/password`, { password: 'set by the admin' })).status, 204);
    await settled();
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text, /the password was changed — on .* UTC, by an administrator\./);
    assert.equal((await callAdmin(tp, token, 'PATCH', `/users/${await subOf(tp)}`, { email: 'alice@new.example' })).status, 200);
    await settled();
    assert.equal(mails.length, 2);
    assert.equal(mails[1]!.to, 'alice@example.com', 'the address it had');
    assert.match(mails[1]!.text, /the email address was changed from alice@example\.com .* by an administrator\./);
  });

  test('a first password — set in the console or by an administrator where the account had none — is told as set, not changed', async () => {
    for (const by of ['console', 'admin'] as const) {
      const { tp, alice, mails } = await setup();
      const { password_hash: _hash, ...passwordless } = (await tp.provider.context.storage.accounts.findByUsername('alice'))!;
      await tp.provider.context.storage.accounts.update(passwordless);
      if (by === 'console') {
        assert.equal((await consolePost(tp, alice, '/account/password', { new_password: 'a first long passphrase', confirm_password: 'a first long passphrase' })).response.status, 303);
      } else {
        assert.equal((await callAdmin(tp, await adminClientToken(tp), 'PUT', `/users/${passwordless.sub}/password`, { password: 'set by the admin' })).status, 204);
      }
      await settled();
      assert.equal(mails.length, 1, by);
      assert.match(mails[0]!.text, /a password was set where the account had none: it now signs in with a password too — on .* UTC/, by);
      assert.ok(tp.events.some((event) => event.name === 'user.password_set' && event.data.first === true), by);
    }
  });

  test('an email change is told to the address the account had (verified), not the new one', async () => {
    const { tp, alice, mails } = await setup();
    const saved = await consolePost(tp, alice, '/account/profile', { name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', email: 'someone-else@example.net' });
    assert.equal(saved.response.status, 303);
    await settled();
    const notices = mails.filter((mail) => mail.subject.startsWith('Security notice'));
    assert.equal(notices.length, 1);
    assert.equal(notices[0]!.to, 'alice@example.com');
    assert.match(notices[0]!.text, /the email address was changed from alice@example\.com \(mail no longer comes here\)/);
    assert.doesNotMatch(notices[0]!.text, /someone-else/, 'the new address is not told');
  });

  test('a deleted account is told at the address it had — by whom, and to tell the administrator, not to sign in', async () => {
    const byItself = await setup();
    const deleted = await consolePost(byItself.tp, byItself.alice, '/account/delete', { current_password: PASSWORD, confirm: 'yes' });
    assert.equal(deleted.response.status, 200);
    assert.match(deleted.text, /The account alice is deleted/);
    await settled();
    const mine = byItself.mails.filter((mail) => /the account was deleted/.test(mail.text));
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.to, 'alice@example.com');
    assert.match(mine[0]!.text, /On the account alice at op\.test, the account was deleted — on .* UTC, from the account itself\./);
    assert.match(mine[0]!.text, /If it was not, tell your administrator at once: the account, its sign-ins and what it had allowed applications are gone/);
    assert.doesNotMatch(mine[0]!.text, /sign in at/);

    const byAdmin = await setup();
    const token = await adminClientToken(byAdmin.tp);
    assert.equal((await callAdmin(byAdmin.tp, token, 'DELETE', `/users/${await subOf(byAdmin.tp)}`)).status, 204);
    await settled();
    assert.match(byAdmin.mails.find((mail) => /the account was deleted/.test(mail.text))?.text ?? '', /, by an administrator\./);

    const unverified = await setup({ emailVerified: false });
    assert.equal((await callAdmin(unverified.tp, await adminClientToken(unverified.tp), 'DELETE', `/users/${await subOf(unverified.tp)}`)).status, 204);
    await settled();
    assert.equal(unverified.mails.length, 0);
  });

  test('an unverified address hears nothing: it may be anybody\'s', async () => {
    const { tp, alice, mails } = await setup({ emailVerified: false });
    await consolePost(tp, alice, '/account/password', { current_password: PASSWORD, new_password: 'another long passphrase', confirm_password: 'another long passphrase' });
    await consolePost(tp, alice, '/account/profile', { email: 'someone-else@example.net' });
    await settled();
    assert.deepEqual(mails.filter((mail) => mail.subject.startsWith('Security notice')), []);
  });

  test('no answer waits for a notice: a mail server that never answers changes nothing for the page', async () => {
    const { tp, alice } = await setup({ send: () => new Promise(() => {}) });
    const changed = await consolePost(tp, alice, '/account/password', { current_password: PASSWORD, new_password: 'another long passphrase', confirm_password: 'another long passphrase' });
    assert.equal(changed.response.status, 303);
  });

  test('a notice speaks the account\'s language — its locale claim, where offered (a region met by its language); else the default', async () => {
    const cases = [
      { locale: 'de-AT', offered: 'en,de,fr', subject: 'Sicherheitshinweis für alice bei op.test', text: /Das Passwort wurde geändert — am .* UTC, durch die Administration\./ },
      { locale: 'fr_CA', offered: 'en,de,fr', subject: 'Alerte de sécurité pour le compte alice sur op.test', text: /le mot de passe a été modifié — le .* UTC, par un administrateur\./ },
      { locale: 'it', offered: 'fr,en', subject: 'Alerte de sécurité pour le compte alice sur op.test', text: /connectez-vous sur https:\/\/op\.test\/account/ },
      { locale: 'de', offered: 'en', subject: 'Security notice for alice at op.test', text: /the password was changed — on .* UTC, by an administrator\./ },
      { locale: undefined, offered: 'de,en', subject: 'Sicherheitshinweis für alice bei op.test', text: /Falls Sie das waren, ist nichts weiter zu tun\./ },
    ];
    for (const { locale, offered, subject, text } of cases) {
      const mails: MailMessage[] = [];
      const tp = await testProvider({
        accounts: [{ ...ALICE, ...(locale === undefined ? {} : { claims: { locale } }) }],
        config: { uiLocales: offered },
        host: { mailer: { send: async (mail) => void mails.push(mail) } },
      });
      assert.equal((await callAdmin(tp, await adminClientToken(tp), 'PUT', `/users/${await subOf(tp)}/password`, { password: 'set by the admin' })).status, 204);
      await settled();
      assert.equal(mails.length, 1, `${locale}`);
      assert.equal(mails[0]!.subject, subject, `${locale} of ${offered}`);
      assert.match(mails[0]!.text, text, `${locale} of ${offered}`);
    }
  });

  test('the account console lets a person pick their notices\' language among those offered (their locale claim); one not offered is refused; none is the default; with one language offered, nothing to pick', async () => {
    const mails: MailMessage[] = [];
    const tp = await testProvider({ accounts: [ALICE], config: { uiLocales: 'en,de,nl' }, host: { mailer: { send: async (mail) => void mails.push(mail) } } });
    const alice = await signInToConsole(tp, 'alice', PASSWORD, { console: 'account' });
    const overview = await consoleGet(tp, alice, '/account');
    assert.match(overview.text, /<select id="locale" name="locale">/);
    assert.match(overview.text, /<option value="de" lang="de">Deutsch<\/option>/);
    assert.match(overview.text, /<option value="nl" lang="nl">Nederlands<\/option>/);

    const saved = await consolePost(tp, alice, '/account/language', { locale: 'nl' });
    assert.equal(saved.response.status, 303);
    assert.match(saved.response.headers.get('location')!, /notice=language-saved/);
    assert.equal((await tp.provider.context.storage.accounts.findByUsername('alice'))!.claims.locale, 'nl');
    assert.match((await consoleGet(tp, alice, '/account')).text, /<option value="nl" lang="nl" selected="">Nederlands<\/option>/);
    assert.ok(tp.events.some((event) => event.name === 'user.updated' && (event.data.fields as string[]).includes('locale')));

    const refused = await consolePost(tp, alice, '/account/language', { locale: 'pt' });
    assert.equal(refused.response.status, 400);
    assert.ok(refused.text.includes(accountMessagesFor('nl').refused.languageNotOffered), 'in the language picked: Dutch');
    assert.equal((await tp.provider.context.storage.accounts.findByUsername('alice'))!.claims.locale, 'nl', 'unchanged');

    await consolePost(tp, alice, '/account/password', { current_password: PASSWORD, new_password: 'another long passphrase', confirm_password: 'another long passphrase' });
    await settled();
    assert.equal(mails.at(-1)!.subject, 'Beveiligingsmelding voor alice bij op.test', 'the notice in the language picked');

    assert.match((await consolePost(tp, alice, '/account/language', { locale: '' })).response.headers.get('location')!, /notice=language-saved/);
    assert.equal((await tp.provider.context.storage.accounts.findByUsername('alice'))!.claims.locale, undefined, 'none: the default');

    // A regional claim (an administrator's) is shown as the language the notices are in.
    const stored = (await tp.provider.context.storage.accounts.findByUsername('alice'))!;
    await tp.provider.context.storage.accounts.update({ ...stored, claims: { ...stored.claims, locale: 'nl_BE' } });
    assert.match((await consoleGet(tp, alice, '/account')).text, /<option value="nl" lang="nl" selected="">Nederlands<\/option>/);

    const single = await setup();
    assert.doesNotMatch((await consoleGet(single.tp, single.alice, '/account')).text, /name="locale"/);
  });
});
