/** Encodes bytes as unpadded base64url (RFC 4648 §5). */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** True when `value` is a non-empty string of base64url characters only. */
export function isBase64url(value: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value);
}
