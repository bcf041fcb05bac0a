/**
 * Request objects by reference (OIDC Core §6.2, RFC 9101 §5.2): the browser carries `client_id`
 * and a `request_uri` — a URL of the client's — and the server fetches the request object from
 * there. The URL must be one the client registered (`request_uris`; discovery says
 * `require_request_uri_registration`), so that `/authorize` never becomes a way to make this
 * server fetch an address of a stranger's choosing. The fetch goes through the provider's outbound
 * policy (https, a timeout, no private or loopback address) and follows no redirect: the object
 * comes from the registered URL itself.
 *
 * A fragment on the `request_uri` is the base64url SHA-256 of the object (OIDC Core §6.2: how a
 * client says which version of a changing file it means); when there is one, the fetched object
 * must have that digest. The object is fetched at each use, never cached.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ProviderContext } from '../core/context.js';
import { InvalidRequestUri } from '../core/errors.js';
import { OutboundError, sendOutbound } from '../http/outbound.js';
import type { ClientRecord } from '../storage/types.js';
import { MAX_REQUEST_OBJECT_LENGTH } from './request-object.js';

/** OIDC Core §6.2: a `request_uri` SHOULD NOT exceed 512 ASCII characters. */
export const MAX_REQUEST_URI_LENGTH = 512;

/**
 * The request object `requestUri` (one `client` registered) refers to, fetched.
 * @throws InvalidRequestUri — the URL is not registered, could not be fetched, answered other than
 * 200 with a body, or does not match the digest in its fragment.
 */
export async function fetchRequestObject(requestUri: string, client: ClientRecord, ctx: ProviderContext): Promise<string> {
  if (!isRegistered(requestUri, client)) throw new InvalidRequestUri('request_uri is not registered for this client (request_uris)');
  let raw: string;
  try {
    const response = await sendOutbound(
      ctx.outbound.transport,
      withoutFragment(requestUri),
      { method: 'GET', headers: { accept: 'application/oauth-authz-req+jwt, application/jwt' } },
      // One byte more than an object may be: a longer answer is refused before it is all read.
      { ...ctx.outbound.limits, maxBytes: MAX_REQUEST_OBJECT_LENGTH + 1, maxRedirects: 0 },
    );
    if (response.status !== 200) throw new InvalidRequestUri(`request_uri answered with status ${response.status}`);
    raw = response.body;
  } catch (error) {
    if (error instanceof OutboundError) throw new InvalidRequestUri(`request_uri could not be fetched: ${error.message}`, { cause: error });
    throw error;
  }
  const fragment = fragmentOf(requestUri);
  if (fragment !== undefined && !digestMatches(raw, fragment)) throw new InvalidRequestUri('request_uri content does not match the SHA-256 digest in its fragment');
  // A file served as it was saved may end in a newline.
  const jwt = raw.trim();
  if (jwt === '') throw new InvalidRequestUri('request_uri answered with an empty body');
  return jwt;
}

/** Whether `requestUri`, fragment aside, is one of the client's `request_uris` (fragments aside too). */
function isRegistered(requestUri: string, client: ClientRecord): boolean {
  if (requestUri.length > MAX_REQUEST_URI_LENGTH) return false;
  const wanted = withoutFragment(requestUri);
  return (client.request_uris ?? []).some((registered) => withoutFragment(registered) === wanted);
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}

function fragmentOf(uri: string): string | undefined {
  const hash = uri.indexOf('#');
  return hash < 0 || hash === uri.length - 1 ? undefined : uri.slice(hash + 1);
}

function digestMatches(body: string, fragment: string): boolean {
  const expected = createHash('sha256').update(body).digest();
  const given = Buffer.from(fragment, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
