/**
 * OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client
 * that was never registered here names itself with an https URL as its `client_id`, and that URL
 * serves its metadata as JSON. With `clientIdMetadataDocuments` on, latchkey fetches the document
 * when such a client first comes (and again once its copy is stale), checks it, and keeps it as a
 * client row — marked `client_id_metadata_document` — so that everything that reads clients by id
 * (tokens, consents, logout, the admin console, where an administrator can disable it) works as for
 * any other client.
 */
import type { ProviderContext } from '../core/context.js';
import { parseSelfAssertedMetadata } from '../core/client-registration.js';
import { InvalidRequest, OAuthError, TooManyRequests } from '../core/errors.js';
import { verifySectorIdentifierUri } from '../core/sector-identifier.js';
import { OutboundError, sendOutbound } from '../http/outbound.js';
import { countAgainstAddressQuota, isWithinAddressQuota } from '../interaction/login-throttle.js';
import { StorageConflict, type ClientRecord } from '../storage/types.js';

/** The authentication methods a client without a registration can use: none has a shared secret. */
const METHODS = ['none', 'private_key_jwt'];
/** A document is small: metadata, not keys by the hundred. */
const MAX_DOCUMENT_BYTES = 5 * 1024;
/** How long a fetched document is used without asking again: its Cache-Control max-age, within these bounds. */
const MIN_FRESH_SECONDS = 60;
const MAX_FRESH_SECONDS = 24 * 3600;
const DEFAULT_FRESH_SECONDS = 3600;

/** Per provider (its storage), until when (epoch seconds) each document it fetched is fresh. */
const freshness = new WeakMap<object, Map<string, number>>();

function freshUntil(ctx: ProviderContext): Map<string, number> {
  let map = freshness.get(ctx.storage);
  if (!map) freshness.set(ctx.storage, (map = new Map()));
  return map;
}

/**
 * Whether `clientId` has the shape of a metadata document URL: https, a path beyond `/`, no
 * credentials, query, fragment or dot segments.
 */
export function isMetadataDocumentUrl(clientId: string): boolean {
  if (!clientId.startsWith('https://') || !URL.canParse(clientId)) return false;
  const url = new URL(clientId);
  if (url.username || url.password || url.search || url.hash || clientId.includes('#') || clientId.includes('?')) return false;
  // A URL that parses back to itself is normalized: no dot segments, no default port, a lowercase host.
  return url.pathname !== '/' && url.href === clientId;
}

/**
 * The client `clientId` names: from storage, or — with `clientIdMetadataDocuments` on, for an
 * https URL that no administrator registered — from its metadata document, fetched when this
 * process has no fresh copy and stored as the client's row.
 * @throws InvalidRequest when the document cannot be fetched or is not acceptable (the reason says which).
 */
export function findClient(clientId: string, ctx: ProviderContext, address?: string): Promise<ClientRecord | undefined> {
  // The storage's own promise, as it is, when no document can be involved: every token request comes this way.
  if (!ctx.config.clientIdMetadataDocuments || !isMetadataDocumentUrl(clientId)) return ctx.storage.clients.find(clientId);
  return findDocumentClient(clientId, ctx, address);
}

/**
 * A document client, fetched when not stored or no longer fresh. A document never seen before is
 * a new client, made by an unauthenticated request: it counts against the quota of clients its
 * `address` may create per throttle window, as open dynamic registration does (the same counter).
 * @throws TooManyRequests past that quota (nothing fetched)
 */
async function findDocumentClient(clientId: string, ctx: ProviderContext, address: string | undefined): Promise<ClientRecord | undefined> {
  const stored = await ctx.storage.clients.find(clientId);
  if (stored && stored.client_id_metadata_document !== true) return stored;
  if (stored && (freshUntil(ctx).get(clientId) ?? 0) > ctx.clock.now()) return stored;
  if (!stored && !(await isWithinAddressQuota('clients', address, ctx))) {
    throw new TooManyRequests('too many clients registered from this address; try again later', ctx.config.loginThrottleWindowSeconds);
  }
  const client = await fetchClient(clientId, stored, ctx);
  if (!stored) await countAgainstAddressQuota('clients', address, ctx);
  return client;
}

async function fetchClient(url: string, stored: ClientRecord | undefined, ctx: ProviderContext): Promise<ClientRecord> {
  let document: unknown;
  let maxAge = DEFAULT_FRESH_SECONDS;
  try {
    const response = await sendOutbound(ctx.outbound.transport, url, { method: 'GET', headers: { accept: 'application/json' } }, { ...ctx.outbound.limits, maxBytes: MAX_DOCUMENT_BYTES, maxRedirects: 0 });
    if (response.status !== 200) throw new InvalidRequest(`the client's metadata document answered ${response.status}`);
    document = JSON.parse(response.body);
    maxAge = maxAgeOf(response.headers.get('cache-control'));
  } catch (error) {
    if (error instanceof InvalidRequest) throw error;
    if (error instanceof OutboundError) throw new InvalidRequest(`the client's metadata document could not be fetched: ${error.message}`, { cause: error });
    throw new InvalidRequest('the client\'s metadata document is not JSON', { cause: error });
  }
  const client = await clientFrom(url, document, stored, ctx);
  if (stored) await ctx.storage.clients.update(client);
  else {
    try {
      await ctx.storage.clients.create(client);
    } catch (error) {
      // Two first requests of the client at once: the other stored it a moment ago.
      if (!(error instanceof StorageConflict)) throw error;
      await ctx.storage.clients.update(client);
    }
  }
  freshUntil(ctx).set(url, ctx.clock.now() + maxAge);
  ctx.events.emit(stored ? 'client.updated' : 'client.registered', { client_id: url, origin: 'metadata_document' });
  return client;
}

/**
 * The client a document describes. It must be a JSON object whose `client_id` is its own URL,
 * with no secret (`client_secret`, a shared-secret method), `none` or `private_key_jwt`, and
 * metadata latchkey accepts as from dynamic registration (no `skip_consent`, latchkey's own
 * scopes only). An administrator's disabling survives a new copy of the document.
 * @throws InvalidRequest naming what is wrong
 */
async function clientFrom(url: string, document: unknown, stored: ClientRecord | undefined, ctx: ProviderContext): Promise<ClientRecord> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new InvalidRequest('the client\'s metadata document must be a JSON object');
  const fields = document as Record<string, unknown>;
  if (fields.client_id !== url) throw new InvalidRequest('the client\'s metadata document names another client_id than its URL');
  if (fields.client_secret !== undefined || fields.client_secret_expires_at !== undefined) throw new InvalidRequest('the client\'s metadata document must not hold a client_secret');
  const { client_id: _id, ...rest } = fields;
  const method = rest.token_endpoint_auth_method ?? 'none';
  if (typeof method !== 'string' || !METHODS.includes(method)) throw new InvalidRequest(`the client's metadata document: token_endpoint_auth_method must be ${METHODS.join(' or ')}`);
  let metadata;
  try {
    metadata = parseSelfAssertedMetadata({ ...rest, token_endpoint_auth_method: method });
    await verifySectorIdentifierUri(metadata, ctx.outbound);
  } catch (error) {
    // invalid_client_metadata, invalid_redirect_uri: said of the document, to the person at the page.
    if (error instanceof OAuthError) throw new InvalidRequest(`the client's metadata document: ${error.description}`, { cause: error });
    throw error;
  }
  const now = ctx.clock.now();
  return {
    ...metadata,
    client_id: url,
    client_id_issued_at: stored?.client_id_issued_at ?? now,
    client_secret_expires_at: 0,
    updated_at: now,
    client_id_metadata_document: true,
    ...(stored?.disabled ? { disabled: true } : {}),
  };
}

/** `max-age` of a Cache-Control header, within the bounds; the default without one. */
function maxAgeOf(cacheControl: string | null): number {
  const match = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? '');
  if (!match) return DEFAULT_FRESH_SECONDS;
  return Math.min(MAX_FRESH_SECONDS, Math.max(MIN_FRESH_SECONDS, Number(match[1])));
}
