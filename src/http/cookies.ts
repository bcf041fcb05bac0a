import { parse, serialize } from 'hono/utils/cookie';
import type { ProtocolRequest } from './protocol-request.js';

/** Attributes of a cookie latchkey sets. */
export interface CookieOptions {
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  /** Secure under an https issuer. */
  secure: boolean;
  sameSite: 'Lax' | 'Strict';
}

/** The value of cookie `name` in the request, if any. */
export function readCookie(request: ProtocolRequest, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  return parse(header, name)[name];
}

/** A `Set-Cookie` value: always HttpOnly (DESIGN: cookies are HttpOnly, SameSite, Secure under https). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return serialize(name, value, {
    path: options.path,
    maxAge: options.maxAge,
    httpOnly: true,
    secure: options.secure,
    sameSite: options.sameSite,
  });
}
