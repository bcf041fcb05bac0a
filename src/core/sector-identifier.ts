import { DEFAULT_OUTBOUND_LIMITS, OutboundError, sendOutbound, webFetchTransport, type OutboundLimits, type OutboundTransport } from '../http/outbound.js';
import type { ClientMetadata } from '../storage/types.js';
import { InvalidClientMetadata } from './errors.js';

/** How registration fetches a client's `sector_identifier_uri`. */
export interface SectorFetch {
  transport: OutboundTransport;
  limits: OutboundLimits;
}

/** Web `fetch` under the default outbound limits (https only, timeout, size limit). */
export const DEFAULT_SECTOR_FETCH: SectorFetch = { transport: webFetchTransport, limits: DEFAULT_OUTBOUND_LIMITS };

/**
 * OIDC Registration §5 / Core §8.1: the document at `sector_identifier_uri` is a JSON array of
 * URIs that includes every redirect URI of the client — proof that the sector's owner lists this
 * client. Fetched under the outbound policy (https, timeout, size limit, private addresses refused
 * by the server's transport).
 * @throws InvalidClientMetadata when the document cannot be fetched, is not such an array, or
 * misses a redirect URI.
 */
export async function verifySectorIdentifierUri(metadata: ClientMetadata, fetcher: SectorFetch): Promise<void> {
  const uri = metadata.sector_identifier_uri;
  if (uri === undefined) return;
  let listed: unknown;
  try {
    const response = await sendOutbound(fetcher.transport, uri, { method: 'GET', headers: { accept: 'application/json' } }, fetcher.limits);
    if (response.status !== 200) throw new InvalidClientMetadata(`sector_identifier_uri answered ${response.status}`);
    listed = JSON.parse(response.body);
  } catch (error) {
    if (error instanceof InvalidClientMetadata) throw error;
    if (error instanceof OutboundError) throw new InvalidClientMetadata(`sector_identifier_uri could not be fetched: ${error.message}`, { cause: error });
    throw new InvalidClientMetadata('sector_identifier_uri must hold a JSON array of URIs', { cause: error });
  }
  if (!Array.isArray(listed) || !listed.every((entry) => typeof entry === 'string')) {
    throw new InvalidClientMetadata('sector_identifier_uri must hold a JSON array of URIs');
  }
  const missing = metadata.redirect_uris.filter((redirectUri) => !listed.includes(redirectUri));
  if (missing.length > 0) throw new InvalidClientMetadata(`sector_identifier_uri does not list redirect URI ${missing.join(', ')}`);
}
