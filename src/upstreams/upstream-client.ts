/**
 * latchkey as the relying party of an upstream OpenID Provider: its metadata discovered (and kept
 * for ten minutes), the authorization request sent with PKCE (S256), a state and a nonce, and the
 * callback's code redeemed and its ID token checked — issuer, audience, nonce, times and
 * signature (OIDC Core §3.1.3.7) — through `oauth4webapi`. The upstream was named by an
 * administrator: it may live on a private network, and may be plain http on a loopback host
 * (development), which the admin API allows nowhere else.
 */
import type * as Oauth from 'oauth4webapi';
import type { UpstreamProfileRecord, UpstreamProviderRecord } from '../storage/types.js';
import { randomToken } from '../util/random.js';
import { groupName, MAX_GROUPS } from '../accounts/groups.js';

/**
 * oauth4webapi, loaded at the first upstream sign-in: a server that offers none does not carry it
 * (2.4 MB of resident memory at start, measured alone).
 */
let loaded: Promise<typeof Oauth> | undefined;
function library(): Promise<typeof Oauth> {
  return (loaded ??= import('oauth4webapi'));
}

/** How long an upstream may take to answer one request. */
const TIMEOUT_MS = 10_000;
/** How long discovered metadata is used before it is discovered again. */
const METADATA_SECONDS = 600;

/** What an upstream said of the person who signed in there. */
export type UpstreamProfile = UpstreamProfileRecord;

/**
 * The upstream could not be reached, or answered what a conforming provider would not — or, with
 * `denied`, answered with an error: the person or the upstream refused.
 */
export class UpstreamError extends Error {
  readonly denied: boolean;

  constructor(message: string, options?: ErrorOptions & { denied?: boolean }) {
    super(message, options);
    this.name = 'UpstreamError';
    this.denied = options?.denied === true;
  }
}

/** Secrets of one authorization request, kept server-side until its callback. */
export interface UpstreamRequestSecrets {
  state: string;
  nonce: string;
  code_verifier: string;
}

/** Whether `issuer` is plain http on a loopback host: allowed for development only. */
export function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The options of every request to an upstream: a timeout, and plain http where it is allowed. */
interface RequestOptions {
  [Oauth.customFetch]: (url: string, init: RequestInit) => Promise<Response>;
  [Oauth.allowInsecureRequests]?: boolean;
}

function requestOptions(oauth: typeof Oauth, issuer: string): RequestOptions {
  return {
    [oauth.customFetch]: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
    ...(isLoopbackHttp(issuer) ? { [oauth.allowInsecureRequests]: true } : {}),
  };
}

/** Each issuer's metadata while fresh, and its key set as oauth4webapi keeps it (fetched again for an unknown `kid`). */
const discovered = new Map<string, { server: Oauth.AuthorizationServer; until: number }>();
const keySets = new Map<string, Oauth.JWKSCacheInput>();

/** The upstream's metadata (OIDC Discovery, then RFC 8414's location), from the cache while fresh. */
export async function upstreamMetadata(upstream: Pick<UpstreamProviderRecord, 'issuer'>, now: number): Promise<Oauth.AuthorizationServer> {
  const oauth = await library();
  const cached = discovered.get(upstream.issuer);
  if (cached !== undefined && cached.until > now) return cached.server;
  const issuer = new URL(upstream.issuer);
  let server: Oauth.AuthorizationServer;
  try {
    server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(oauth, upstream.issuer) }));
  } catch (error) {
    throw new UpstreamError(`the metadata of ${upstream.issuer} could not be read: ${reason(oauth, error)}`, { cause: error });
  }
  if (server.authorization_endpoint === undefined || server.token_endpoint === undefined) {
    throw new UpstreamError(`${upstream.issuer} advertises no authorization or token endpoint`);
  }
  discovered.set(upstream.issuer, { server, until: now + METADATA_SECONDS });
  return server;
}

/** Fresh secrets for one authorization request: 256 random bits each. */
export function newRequestSecrets(): UpstreamRequestSecrets {
  return { state: randomToken(), nonce: randomToken(), code_verifier: randomToken() };
}

/** Where to send the browser: the upstream's authorization endpoint with the request. */
export async function authorizationUrl(upstream: UpstreamProviderRecord, redirectUri: string, secrets: UpstreamRequestSecrets, now: number): Promise<string> {
  const server = await upstreamMetadata(upstream, now);
  const oauth = await library();
  const url = new URL(server.authorization_endpoint!);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', upstream.client_id);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', upstream.scope);
  url.searchParams.set('state', secrets.state);
  url.searchParams.set('nonce', secrets.nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(secrets.code_verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.href;
}

/** How latchkey authenticates at the upstream's token endpoint: with its secret as the upstream prefers, or as a public client. */
function clientAuthentication(oauth: typeof Oauth, server: Oauth.AuthorizationServer, clientSecret: string | undefined): Oauth.ClientAuth {
  if (clientSecret === undefined) return oauth.None();
  const methods = server.token_endpoint_auth_methods_supported;
  return methods !== undefined && !methods.includes('client_secret_basic') && methods.includes('client_secret_post') ? oauth.ClientSecretPost(clientSecret) : oauth.ClientSecretBasic(clientSecret);
}

/**
 * Checks the callback's parameters against the request (state; `iss` where the upstream sends it,
 * RFC 9207), redeems the code with the PKCE verifier and checks the ID token, then reads UserInfo
 * where the upstream has it (its `sub` must be the ID token's).
 * @throws UpstreamError — `denied` when the person or the upstream refused (an `error` came back).
 */
export async function redeemCallback(
  upstream: UpstreamProviderRecord,
  clientSecret: string | undefined,
  callback: URL,
  redirectUri: string,
  secrets: UpstreamRequestSecrets,
  now: number,
): Promise<UpstreamProfile> {
  const server = await upstreamMetadata(upstream, now);
  const oauth = await library();
  const client: Oauth.Client = { client_id: upstream.client_id };
  const options = requestOptions(oauth, upstream.issuer);
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(server, client, callback, secrets.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) throw new UpstreamError(`${upstream.issuer} answered ${error.error}`, { cause: error, denied: true });
    throw new UpstreamError(`the callback from ${upstream.issuer} does not answer this request: ${reason(oauth, error)}`, { cause: error });
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(server, client, clientAuthentication(oauth, server, clientSecret), parameters, redirectUri, secrets.code_verifier, options);
    const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce: secrets.nonce, requireIdToken: true });
    if (!keySets.has(upstream.issuer)) keySets.set(upstream.issuer, {});
    await oauth.validateApplicationLevelSignature(server, response, { ...options, [oauth.jwksCache]: keySets.get(upstream.issuer)! });
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    let info: Record<string, unknown> = {};
    if (server.userinfo_endpoint !== undefined) {
      info = await oauth.processUserInfoResponse(server, client, claims.sub, await oauth.userInfoRequest(server, client, tokens.access_token, options));
    }
    return profileOf({ ...claims, ...info, sub: claims.sub });
  } catch (error) {
    throw new UpstreamError(`the sign-in at ${upstream.issuer} could not be completed: ${reason(oauth, error)}`, { cause: error });
  }
}

/** The claims latchkey reads, where they have the type the standard gives them. */
function profileOf(claims: Record<string, unknown>): UpstreamProfile {
  const text = (name: string) => (typeof claims[name] === 'string' && claims[name] !== '' ? { [name]: claims[name] as string } : {});
  return {
    subject: claims.sub as string,
    ...text('email'),
    ...(typeof claims.email_verified === 'boolean' ? { email_verified: claims.email_verified } : {}),
    ...text('name'),
    ...text('given_name'),
    ...text('family_name'),
    ...text('preferred_username'),
    ...(Array.isArray(claims.groups) ? { groups: groupsOf(claims.groups) } : {}),
  };
}

/** The names of a `groups` claim latchkey takes as group names, each once, at most as many as an account may have; others are left out. */
function groupsOf(values: unknown[]): string[] {
  const names = values.filter((value): value is string => groupName.safeParse(value).success);
  return [...new Set(names)].slice(0, MAX_GROUPS);
}

function reason(oauth: typeof Oauth, error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
