/**
 * The response types of the authorization endpoint (OAuth 2.0 Multiple Response Type Encoding
 * Practices, OIDC Core §3). `code` is the default and the only one a client gets without asking;
 * the implicit (`id_token`, `id_token token`) and hybrid (`code id_token`, `code token`,
 * `code id_token token`) types return tokens from the authorization endpoint and are enabled per
 * client by registering them. The bare OAuth `token` type is not offered (RFC 9700 §2.1.2).
 */

/** Every response type latchkey implements, in the canonical order of their parts. */
export const RESPONSE_TYPES = ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'] as const;

export type ResponseType = (typeof RESPONSE_TYPES)[number];

/**
 * The response modes latchkey implements: Multiple Response Types §2.1, Form Post Response Mode,
 * and their JWT-secured forms (JARM §2.3), where the response is one signed JWT, `response`.
 */
export const RESPONSE_MODES = ['query', 'fragment', 'form_post', 'query.jwt', 'fragment.jwt', 'form_post.jwt'] as const;

export type ResponseMode = (typeof RESPONSE_MODES)[number];

/** What a request may ask for: a mode, or JARM's `jwt` — the JWT form of the response type's default mode (JARM §2.3.4). */
export const REQUESTABLE_RESPONSE_MODES: readonly string[] = [...RESPONSE_MODES, 'jwt'];

/** Whether a mode sends the response as a signed JWT (JARM), and the mode that carries it. */
export function jwtResponseMode(mode: ResponseMode): { jwt: boolean; carrier: 'query' | 'fragment' | 'form_post' } {
  const [carrier, suffix] = mode.split('.') as ['query' | 'fragment' | 'form_post', string | undefined];
  return { jwt: suffix === 'jwt', carrier };
}

const PART_ORDER = ['code', 'id_token', 'token'];

/**
 * The canonical spelling of a response type: its space-separated parts in any order (Multiple
 * Response Types §3: the order does not matter), each once. Undefined for an unknown type.
 */
export function normalizeResponseType(value: string): ResponseType | undefined {
  const parts = value.split(' ');
  if (new Set(parts).size !== parts.length || parts.some((part) => !PART_ORDER.includes(part))) return undefined;
  const canonical = parts.sort((a, b) => PART_ORDER.indexOf(a) - PART_ORDER.indexOf(b)).join(' ');
  return (RESPONSE_TYPES as readonly string[]).includes(canonical) ? (canonical as ResponseType) : undefined;
}

/** The parts of a response type. */
export function responseTypeParts(type: ResponseType): { code: boolean; idToken: boolean; token: boolean } {
  const parts = type.split(' ');
  return { code: parts.includes('code'), idToken: parts.includes('id_token'), token: parts.includes('token') };
}

/** Whether the authorization endpoint itself returns a token (ID token or access token) for this type. */
export function returnsTokens(type: ResponseType): boolean {
  return type !== 'code';
}

/**
 * The default response mode (Multiple Response Types §2.1, §5): `query` for `code`, `fragment`
 * for every type that returns tokens — those must never be sent in a query string, where they
 * would land in server logs and Referer headers.
 */
export function defaultResponseMode(type: ResponseType): 'query' | 'fragment' {
  return returnsTokens(type) ? 'fragment' : 'query';
}
