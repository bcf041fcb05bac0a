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

/**
 * The security headers of every page, as a flat name/value list, in both of the provider's paths
 * (the router and the direct one): the CSP above; no referrer; never framed; the resource kept
 * to its origin (CORP, origin-keyed agent cluster); no MIME sniffing, DNS prefetching, IE
 * downloads opened in place, Flash/PDF cross-domain policies or the XSS auditor; HSTS under an
 * https issuer. A page that sets one of them itself (front-channel logout, its CSP) keeps its own.
 */
export function pageSecurityHeaders(pages: Pages, issuer: string): readonly string[] {
  return [
    'content-security-policy', serializeCsp(pageCspDirectives(pages)),
    'cross-origin-resource-policy', 'same-origin',
    'origin-agent-cluster', '?1',
    'referrer-policy', 'no-referrer',
    ...(issuer.startsWith('https:') ? ['strict-transport-security', 'max-age=31536000'] : []),
    'x-content-type-options', 'nosniff',
    'x-dns-prefetch-control', 'off',
    'x-download-options', 'noopen',
    'x-frame-options', 'DENY',
    'x-permitted-cross-domain-policies', 'none',
    'x-xss-protection', '0',
  ];
}

/** The names of `headers` (a flat name/value list), lower-cased. */
function headerNames(headers: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < headers.length; i += 2) names.add(headers[i]!.toLowerCase());
  return names;
}

/** `own` (a flat name/value list) and each of `pageHeaders` whose name is not among them. */
export function withPageHeaders(own: readonly string[], pageHeaders: readonly string[]): string[] {
  const set = headerNames(own);
  const lines = [...own];
  for (let i = 0; i < pageHeaders.length; i += 2) if (!set.has(pageHeaders[i]!)) lines.push(pageHeaders[i]!, pageHeaders[i + 1]!);
  return lines;
}
