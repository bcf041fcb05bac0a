/**
 * The account console's words in every shipped language (`src/i18n/`'s languages), and which
 * language a console page speaks: the person's own choice (their `locale` claim, set under
 * Language), else the browser's `Accept-Language`, among the languages the operator offers.
 */
import { accountLanguageOf } from '../../interaction/language.js';
import { chooseLanguage } from '../../i18n/index.js';
import { accountDe } from './de.js';
import { accountEn, type AccountMessages } from './en.js';
import { accountEs } from './es.js';
import { accountFr } from './fr.js';
import { accountIt } from './it.js';
import { accountNl } from './nl.js';

export type { AccountMessages } from './en.js';

/** The console's catalog of every shipped language, by its tag. */
export const ACCOUNT_CATALOGS: Readonly<Record<string, AccountMessages>> = { en: accountEn, de: accountDe, es: accountEs, fr: accountFr, it: accountIt, nl: accountNl };

/** What the console says in `lang`, English when there is no such catalog. */
export function accountMessagesFor(lang: string | undefined): AccountMessages {
  return lang !== undefined && Object.hasOwn(ACCOUNT_CATALOGS, lang) ? ACCOUNT_CATALOGS[lang]! : accountEn;
}

/**
 * The language of a console page: the signed-in person's `locale` claim where it names an
 * offered language, else the first offered language the browser accepts, else the default.
 */
export function consoleLanguage(offered: readonly string[], acceptLanguage: string | null, account?: { claims?: Record<string, unknown> | undefined }): string {
  return (account === undefined ? undefined : accountLanguageOf(account, offered)) ?? chooseLanguage(offered, { acceptLanguage });
}
