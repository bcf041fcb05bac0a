import type { ProviderContext } from '../core/context.js';
import type { ProtocolRequest } from '../http/protocol-request.js';
import { chooseLanguage, messagesFor, offeredLanguageFor, type Messages } from '../i18n/index.js';

/**
 * The language a page answering `browser`'s request speaks: of those offered (`uiLocales`), the
 * first the request's `ui_locales` names, else the first the browser's `Accept-Language` does.
 */
export function languageOfRequest(browser: ProtocolRequest, ctx: ProviderContext, uiLocales?: string): string {
  return chooseLanguage(ctx.config.uiLocales, { uiLocales, acceptLanguage: browser.headers.get('accept-language') });
}

/** What the pages of `interaction` say, in its language. */
export function messagesOf(interaction: { record: { lang?: string | undefined } }): Messages {
  return messagesFor(interaction.record.lang);
}

/** The members of a page's input that say its language: `lang`, and `uiLocales` as the request asked. */
export function languageOf(interaction: { record: { lang?: string | undefined; request: { ui_locales?: string | undefined } } }): { lang?: string; uiLocales?: string } {
  const { lang, request } = interaction.record;
  return { ...(lang === undefined ? {} : { lang }), ...(request.ui_locales === undefined ? {} : { uiLocales: request.ui_locales }) };
}

/** The language of the page a mailed link opens: the mail's, else the browser's. */
export function languageOfLink(record: { lang?: string | undefined }, browser: ProtocolRequest, ctx: ProviderContext): string {
  return record.lang !== undefined && ctx.config.uiLocales.includes(record.lang) ? record.lang : languageOfRequest(browser, ctx);
}

/** The offered language an account's `locale` claim (`de-AT`, `fr_CA`) asks for; undefined when it has none or none is offered. */
export function accountLanguageOf(account: { claims?: Record<string, unknown> | undefined }, offered: readonly string[]): string | undefined {
  const locale = account.claims?.locale;
  return typeof locale === 'string' ? offeredLanguageFor(offered, locale) : undefined;
}

/** The language of mails to `account` outside a sign-in (security notices, links asked for in the account console): its `locale` claim's, else the default. */
export function languageOfAccount(account: { claims?: Record<string, unknown> | undefined }, ctx: Pick<ProviderContext, 'config'>): string {
  return accountLanguageOf(account, ctx.config.uiLocales) ?? ctx.config.uiLocales[0] ?? 'en';
}
