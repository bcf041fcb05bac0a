import { createHmac } from 'node:crypto';
import type { ProviderContext } from '../core/context.js';
import type { ClientRecord } from '../storage/types.js';
import { derivedKey } from '../util/seal.js';

/** HKDF purpose of the key pairwise subjects are computed with. */
const PAIRWISE_PURPOSE = 'latchkey pairwise subjects v1';

/**
 * The sector of a pairwise client (OIDC Core §8.1): the host of its `sector_identifier_uri`, or
 * else the one host of its redirect URIs (registration guarantees there is exactly one).
 */
export function sectorOf(client: ClientRecord): string {
  const source = client.sector_identifier_uri ?? client.redirect_uris[0];
  if (source === undefined) throw new Error(`pairwise client ${client.client_id} has no sector`);
  return new URL(source).host;
}

/**
 * The `sub` a client sees for end-user `sub` (OIDC Core §8). For a `public` client, the account's
 * own identifier. For a `pairwise` client, HMAC-SHA-256 over the sector and the account identifier,
 * keyed from the master secret: stable for every client of the sector, unlinkable across sectors,
 * and not reversible without the secret.
 */
export function subjectFor(client: ClientRecord, sub: string, ctx: Pick<ProviderContext, 'config'>): string {
  if (client.subject_type !== 'pairwise') return sub;
  const secret = ctx.config.secret;
  if (secret === undefined) throw new Error('pairwise subjects need the master secret');
  return createHmac('sha256', derivedKey(secret, PAIRWISE_PURPOSE)).update(`${sectorOf(client)}\0${sub}`).digest('base64url');
}
