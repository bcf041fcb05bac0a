/**
 * The languages latchkey's pages speak, and which one a request gets.
 *
 * The operator offers some of the shipped languages (`uiLocales`, the first the default); a
 * request gets the first offered language among those the person prefers: the authorization or
 * logout request's `ui_locales` (OIDC Core §3.1.2.1, in order), then the browser's
 * `Accept-Language` (RFC 9110 §12.5.4, by weight). A preference for a regional variant
 * (`de-CH`) is met by its language (`de`). Nothing offered preferred: the default.
 */
import { de } from './de.js';
import { en, type Messages } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { nl } from './nl.js';

export type { Messages } from './en.js';

/** Every language latchkey ships a catalog of, by its BCP 47 tag. */
export const CATALOGS: Readonly<Record<string, Messages>> = { en, de, es, fr, it, nl };

/** The shipped languages' tags. */
export const SHIPPED_LANGUAGES: readonly string[] = Object.keys(CATALOGS);

/** The catalog of `lang` (an offered language), English when there is none. */
export function messagesFor(lang: string | undefined): Messages {
  return lang !== undefined && Object.hasOwn(CATALOGS, lang) ? CATALOGS[lang]! : en;
}

/** At most this many preferences are read of a request: a long list is someone's noise. */
const MOST_PREFERENCES = 16;

/** What a request says of its languages. */
export interface LanguagePreferences {
  /** `ui_locales`: space-separated BCP 47 tags, most preferred first. */
  uiLocales?: string | undefined;
  /** The `Accept-Language` header. */
  acceptLanguage?: string | null | undefined;
}

/**
 * The language a request gets: the first of `offered` the person prefers (`ui_locales` first,
 * then `Accept-Language`), else `offered[0]`.
 */
export function chooseLanguage(offered: readonly string[], asked: LanguagePreferences): string {
  const fallback = offered[0] ?? 'en';
  if (offered.length <= 1) return fallback;
  for (const tag of [...uiLocalesOf(asked.uiLocales), ...acceptedLanguagesOf(asked.acceptLanguage)]) {
    const found = offeredLanguageFor(offered, tag);
    if (found !== undefined) return found;
  }
  return fallback;
}

/**
 * The offered language meeting a preference for `tag` (`de-AT`; `fr_CA` as a `locale` claim may
 * spell it): itself, or its primary language; undefined when none is offered.
 */
export function offeredLanguageFor(offered: readonly string[], tag: string): string | undefined {
  const wanted = tag.toLowerCase().replaceAll('_', '-');
  const exact = offered.find((lang) => lang.toLowerCase() === wanted);
  if (exact !== undefined) return exact;
  const primary = wanted.split('-')[0];
  return offered.find((lang) => lang.toLowerCase() === primary);
}

/** A language tag as a preference may carry one (`*` is none: it prefers nothing in particular). */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

function uiLocalesOf(uiLocales: string | undefined): string[] {
  if (uiLocales === undefined) return [];
  return uiLocales.split(' ').filter((tag) => LANGUAGE_TAG.test(tag)).slice(0, MOST_PREFERENCES);
}

/** `Accept-Language`'s tags, the heaviest first (equal weights in their order), without those of weight 0. */
function acceptedLanguagesOf(header: string | null | undefined): string[] {
  if (!header) return [];
  const ranges: { tag: string; weight: number; index: number }[] = [];
  for (const [index, part] of header.split(',').slice(0, MOST_PREFERENCES).entries()) {
    const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    if (!LANGUAGE_TAG.test(range)) continue;
    const q = parameters.find((parameter) => /^q=/i.test(parameter));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(weight) && weight > 0 && weight <= 1) ranges.push({ tag: range, weight, index });
  }
  return ranges.sort((a, b) => b.weight - a.weight || a.index - b.index).map((range) => range.tag);
}
