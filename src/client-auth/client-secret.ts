import { InvalidClient } from '../core/errors.js';
import type { ClientRecord } from '../storage/types.js';
import { matchesDigest } from '../util/digest.js';

/**
 * Checks a presented client secret: digest compared in constant time (DESIGN.md: secrets at rest
 * only as digests), and the secret must not have expired (RFC 7591 §3.2.1).
 * @throws InvalidClient
 */
export function verifyClientSecret(client: ClientRecord, presented: string, now: number): void {
  const stored = client.client_secret_digest;
  const matches = stored !== undefined && matchesDigest(presented, stored);
  if (!matches) throw new InvalidClient('client authentication failed', { cause: new Error('wrong client secret') });
  if (client.client_secret_expires_at !== 0 && client.client_secret_expires_at <= now) {
    throw new InvalidClient('client authentication failed', { cause: new Error('client secret expired') });
  }
}
