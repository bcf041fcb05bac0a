import { InvalidRequest } from '../core/errors.js';
import type { ProtocolRequest } from './protocol-request.js';

/**
 * Request parameters after the RFC 6749 §3.1 rules: a parameter sent without a value is treated
 * as omitted, and none appears twice.
 */
export type Params = Readonly<Record<string, string>>;

/** Largest form body accepted, in bytes; protocol requests are small. */
export const MAX_FORM_BYTES = 64 * 1024;

/**
 * Turns URL-encoded parameters into `Params`.
 * @throws InvalidRequest when a parameter is repeated (RFC 6749 §3.1, §3.2: MUST NOT be included
 * more than once), or when a name or value holds a NUL character: no protocol value has one, and
 * storage (PostgreSQL text) cannot keep one.
 */
export function toParams(search: URLSearchParams): Params {
  const params: Record<string, string> = Object.create(null);
  const seen = new Set<string>();
  for (const [name, value] of search) {
    if (name.includes('\u0000') || value.includes('\u0000')) throw new InvalidRequest(`parameter ${name.replaceAll('\u0000', '')} contains a NUL character`);
    if (seen.has(name)) throw new InvalidRequest(`parameter ${name} is repeated`);
    seen.add(name);
    // RFC 6749 §3.1: parameters sent without a value MUST be treated as if omitted.
    if (value !== '') params[name] = value;
  }
  return params;
}

/**
 * Reads an `application/x-www-form-urlencoded` body.
 * @throws InvalidRequest for another content type, an oversized body or a repeated parameter.
 */
export async function readForm(request: ProtocolRequest): Promise<Params> {
  const type = request.headers.get('content-type') ?? '';
  if (type.split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequest('content type must be application/x-www-form-urlencoded');
  }
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_FORM_BYTES) throw new InvalidRequest('request body is too large');
  return toParams(new URLSearchParams(body));
}

/** Reads the query string of a GET request. */
export function readQuery(request: ProtocolRequest): Params {
  return toParams(new URL(request.url).searchParams);
}

/**
 * The parameter's value.
 * @throws InvalidRequest when it is missing.
 */
export function requireParam(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined) throw new InvalidRequest(`missing required parameter: ${name}`);
  return value;
}
