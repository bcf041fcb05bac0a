import type { Pages } from '../interaction/pages.js';

/** CSP directives, in Hono's camelCase form: directive → sources. */
export type CspDirectives = Record<string, string[]>;

/**
 * The Content-Security-Policy of every page: nothing loads but the pages' own hashed inline
 * style and script and https/data images; no `<base>`; never framed (`frame-ancestors 'none'`).
 * `frameSrc` lets one page embed the given origins (the front-channel logout iframes).
 */
export function pageCspDirectives(pages: Pages, frameSrc: readonly string[] = []): CspDirectives {
  return {
    defaultSrc: ["'none'"],
    styleSrc: pages.cspSources.style,
    scriptSrc: pages.cspSources.script,
    imgSrc: ['https:', 'data:'],
    ...(frameSrc.length > 0 ? { frameSrc: [...frameSrc] } : {}),
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  };
}

/** The header value of `directives` (`default-src 'none'; style-src …`). */
export function serializeCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), ...sources].join(' '))
    .join('; ');
}
