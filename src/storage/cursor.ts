/**
 * List cursors: opaque base64url strings over the key of the last item of a page — one column
 * (`encodeCursor`) or several (`encodeKeyCursor`, e.g. expiry then id). Shared by the backends so
 * that every list pages alike.
 */
import { InvalidCursor } from './types.js';

/** A cursor over a one-column key. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key of a one-column cursor. */
export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** A cursor over a composite key (several columns), e.g. (expires_at, id). */
export function encodeKeyCursor(key: readonly (string | number)[]): string {
  return encodeCursor(JSON.stringify(key));
}

/**
 * The key of a composite cursor, checked against the types it must have.
 * @throws InvalidCursor
 */
export function decodeKeyCursor<T extends readonly ('string' | 'number')[]>(cursor: string, types: T): { [I in keyof T]: T[I] extends 'number' ? number : string } {
  let key: unknown;
  try {
    key = JSON.parse(decodeCursor(cursor));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(key) || key.length !== types.length || key.some((part, i) => typeof part !== types[i])) throw new InvalidCursor();
  return key as { [I in keyof T]: T[I] extends 'number' ? number : string };
}
