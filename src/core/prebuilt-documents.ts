import { DISCOVERY_MAX_AGE_SECONDS } from '../endpoints/discovery.js';
import { JWKS_CONTENT_TYPE, JWKS_MAX_AGE_SECONDS } from '../endpoints/jwks.js';
import { prebuiltHeaders } from '../http/responses.js';
import { recordAnswer } from '../observability/observe-requests.js';
import type { ProviderContext } from './context.js';
import { CORS_RESPONSE_HEADERS } from './router.js';

/** An answer that does not depend on the request: status 200, these headers, this body. */
export interface PrebuiltDocument {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /**
   * Records the answer as the request pipeline records every other (metrics by route pattern, a
   * log line — at `debug`: relying parties and caches fetch these all the time); the adapter
   * calls it once the document is written, with the id it sent in `x-request-id`.
   */
  served(request: { method: string; requestId: string; durationSeconds: number; remoteAddress?: string }): void;
}

/** Logged at debug: relying parties and caches fetch these all the time. */
const AS_DOCUMENT = { operational: false, level: 'debug' } as const;

/**
 * The provider's static documents — both discovery documents and the JWKS — ready to be written
 * out as they are, by a host adapter that can skip the request pipeline for them
 * (server/node-listener.ts): the same bytes and headers as the endpoints' own answers, CORS
 * included. The JWKS is offered only while the keyring's copy is fresh; otherwise the request
 * takes the ordinary path, which reads the keys again. Paths are the routes' own, under the
 * issuer's path, with or without a trailing slash.
 */
export function createPrebuiltDocuments(discoveryBody: string, ctx: Pick<ProviderContext, 'urls' | 'keys' | 'metrics' | 'logger'>): (pathname: string) => PrebuiltDocument | undefined {
  /** What a document of route pattern `route` records when served. */
  const recorder =
    (route: string): PrebuiltDocument['served'] =>
    ({ method, requestId, durationSeconds, remoteAddress }) =>
      recordAnswer(ctx, { requestId, method, route, status: 200, durationSeconds, ...(remoteAddress === undefined ? {} : { remoteAddress }) }, AS_DOCUMENT);
  const discoveryHeaders = { ...prebuiltHeaders(DISCOVERY_MAX_AGE_SECONDS), ...CORS_RESPONSE_HEADERS };
  const discoveryBytes = Buffer.from(discoveryBody);
  const openidConfiguration: PrebuiltDocument = { headers: discoveryHeaders, body: discoveryBytes, served: recorder('/.well-known/openid-configuration') };
  const authorizationServer: PrebuiltDocument = { headers: discoveryHeaders, body: discoveryBytes, served: recorder('/.well-known/oauth-authorization-server') };
  const jwksHeaders = { ...prebuiltHeaders(JWKS_MAX_AGE_SECONDS, JWKS_CONTENT_TYPE), ...CORS_RESPONSE_HEADERS };
  const jwksServed = recorder('/jwks');
  let jwks: { text: string; document: PrebuiltDocument } | undefined;
  const base = ctx.urls.basePath;
  const documents = new Map<string, () => PrebuiltDocument | undefined>();
  const add = (path: string, document: () => PrebuiltDocument | undefined) => {
    documents.set(`${base}${path}`, document);
    documents.set(`${base}${path}/`, document);
  };
  add('/.well-known/openid-configuration', () => openidConfiguration);
  add('/.well-known/oauth-authorization-server', () => authorizationServer);
  add('/jwks', () => {
    const text = ctx.keys.freshJwks();
    if (text === undefined) return undefined;
    if (jwks?.text !== text) jwks = { text, document: { headers: jwksHeaders, body: Buffer.from(text), served: jwksServed } };
    return jwks.document;
  });
  return (pathname) => documents.get(pathname)?.();
}
