/**
 * Validation of client metadata (RFC 7591 §2, OpenID Connect Dynamic Client Registration §2) into
 * the `ClientMetadata` latchkey stores. Used by `latchkey clients create` and, later, by the
 * registration endpoint and the admin API.
 */
import { z } from '../util/zod.js';
import { allowedGroupsSchema } from '../accounts/groups.js';
import { UPSTREAM_ID } from '../upstreams/upstream-id.js';
import { DECRYPTION_ALGORITHMS, isDecryptionAlgorithm, isSigningAlgorithm, SIGNING_ALGORITHMS, DEFAULT_SIGNING_ALGORITHM } from '../keys/algorithms.js';
import type { ClientMetadata } from '../storage/types.js';
import { assertionAlgorithmsFor, PRIVATE_KEY_JWT_ALGORITHMS, SECRET_JWT_ALGORITHMS } from '../client-auth/assertion-algorithms.js';
import { DEVICE_CODE_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from './grant-types.js';
import { normalizeResponseType, responseTypeParts, RESPONSE_TYPES, returnsTokens, type ResponseType } from './response-types.js';
import { InvalidClientMetadata, InvalidRedirectUri } from './errors.js';
import { canEncryptTo, CONTENT_ENCRYPTION_ALGORITHMS, ENCRYPTABLE_RESPONSES, KEY_ENCRYPTION_ALGORITHMS } from '../keys/encryption-algorithms.js';
import type { JWK } from 'jose';

/** The token endpoint authentication methods latchkey implements. */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'] as const;

/**
 * The grant types a client may be registered for. `implicit` is not a grant of the token endpoint:
 * it stands for the response types that return tokens from the authorization endpoint.
 */
export const SUPPORTED_GRANT_TYPES = ['authorization_code', 'implicit', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a client with this method authenticates with a secret (private_key_jwt and none do not). */
export function usesClientSecret(metadata: { token_endpoint_auth_method: string }): boolean {
  return metadata.token_endpoint_auth_method !== 'none' && metadata.token_endpoint_auth_method !== 'private_key_jwt';
}

/**
 * Whether latchkey keeps the client's secret itself, sealed, besides its digest: only for the
 * clients whose HMAC signatures it checks — `client_secret_jwt` assertions, request objects
 * signed with `HS*`.
 */
export function keepsSealedSecret(metadata: { token_endpoint_auth_method: string; request_object_signing_alg?: string | undefined }): boolean {
  return metadata.token_endpoint_auth_method === 'client_secret_jwt' || (metadata.request_object_signing_alg?.startsWith('HS') ?? false);
}

/** A public client: one with no credentials of its own (`token_endpoint_auth_method: none`, RFC 6749 §2.1). */
export function isPublicClient(client: Pick<ClientMetadata, 'token_endpoint_auth_method'>): boolean {
  return client.token_endpoint_auth_method === 'none';
}

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

/** A JWK Set of public keys (RFC 7517 §5): no private or symmetric key material. */
const publicJwks = z.object({
  keys: z
    .array(z.record(z.string(), z.unknown()).refine((jwk) => typeof jwk.kty === 'string', 'each key needs a kty'))
    .min(1)
    .max(20)
    .refine((keys) => keys.every((jwk) => jwk.kty !== 'oct' && jwk.d === undefined), 'must hold public keys only'),
});

/** RFC 7591 §2 client metadata as latchkey reads it; `parseClientMetadata` adds the rules across fields. */
export const clientMetadataSchema = z.object({
  redirect_uris: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().default('client_secret_basic'),
  grant_types: z.array(z.string()).min(1).default(['authorization_code']),
  response_types: z.array(z.string()).optional(),
  application_type: z.enum(['web', 'native']).default('web'),
  client_name: z.string().min(1).max(255).optional(),
  client_uri: httpUrl.optional(),
  logo_uri: httpUrl.optional(),
  policy_uri: httpUrl.optional(),
  tos_uri: httpUrl.optional(),
  contacts: z.array(z.string().min(1).max(255)).optional(),
  scope: z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be space-separated scope tokens').optional(),
  id_token_signed_response_alg: z.string().default(DEFAULT_SIGNING_ALGORITHM),
  post_logout_redirect_uris: z.array(z.string()).optional(),
  refresh_token_rotation: z.boolean().optional(),
  skip_consent: z.boolean().optional(),
  allowed_groups: allowedGroupsSchema.optional(),
  allowed_upstreams: z.array(z.string().regex(UPSTREAM_ID, 'must be upstream provider ids')).max(100).optional(),
  backchannel_logout_uri: z.string().optional(),
  backchannel_logout_session_required: z.boolean().optional(),
  frontchannel_logout_uri: z.string().optional(),
  frontchannel_logout_session_required: z.boolean().optional(),
  jwks: publicJwks.optional(),
  jwks_uri: httpUrl.optional(),
  token_endpoint_auth_signing_alg: z.string().optional(),
  introspection_signed_response_alg: z.string().optional(),
  authorization_signed_response_alg: z.string().optional(),
  userinfo_signed_response_alg: z.string().optional(),
  id_token_encrypted_response_alg: z.string().optional(),
  id_token_encrypted_response_enc: z.string().optional(),
  userinfo_encrypted_response_alg: z.string().optional(),
  userinfo_encrypted_response_enc: z.string().optional(),
  authorization_encrypted_response_alg: z.string().optional(),
  authorization_encrypted_response_enc: z.string().optional(),
  subject_type: z.enum(['public', 'pairwise']).default('public'),
  sector_identifier_uri: httpUrl.optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  dpop_bound_access_tokens: z.boolean().optional(),
  request_object_signing_alg: z.string().optional(),
  // RFC 7591 §2: the software's identifier and version, the same for every instance of it.
  software_id: z.string().min(1).max(255).optional(),
  software_version: z.string().min(1).max(255).optional(),
  // RFC 7591 §2.3: kept as it was verified (at /register only), and shown unmodified.
  software_statement: z.string().max(16_384).optional(),
  request_object_encryption_alg: z.string().optional(),
  request_object_encryption_enc: z.string().optional(),
  request_uris: z.array(z.string().max(512, 'must be at most 512 characters (OIDC Core §6.2)')).max(16).optional(),
  require_signed_request_object: z.boolean().optional(),
  authorization_details_types: z.array(z.string().min(1).max(255)).max(32).optional(),
  default_acr_values: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,255}$/, 'must be acr values without spaces')).min(1).max(16).optional(),
  default_max_age: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  require_auth_time: z.boolean().optional(),
});

/**
 * Validates client metadata and applies the RFC 7591 defaults. Unknown fields are ignored
 * (RFC 7591 §2: the server MUST ignore metadata it does not understand).
 * @throws InvalidRedirectUri when a redirect URI is unacceptable.
 * @throws InvalidClientMetadata for any other invalid field.
 */
export function parseClientMetadata(input: unknown): ClientMetadata {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidClientMetadata('client metadata must be a JSON object');
  }
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    const message = `${where}: ${issue.message.toLowerCase()}`;
    if (issue.path[0] === 'redirect_uris') throw new InvalidRedirectUri(message, { field: where });
    throw new InvalidClientMetadata(message, { field: where });
  }
  const metadata = parsed.data;

  const method = metadata.token_endpoint_auth_method;
  if (!(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(method)) {
    throw new InvalidClientMetadata(`token_endpoint_auth_method ${method} is not supported`, { field: 'token_endpoint_auth_method' });
  }
  for (const grantType of metadata.grant_types) {
    if (!(SUPPORTED_GRANT_TYPES as readonly string[]).includes(grantType)) {
      throw new InvalidClientMetadata(`grant_type ${grantType} is not supported`, { field: 'grant_types' });
    }
  }
  // RFC 7591 §2 defaults response_types to ["code"]; a client without the authorization_code
  // grant has no use for it, so its default is none.
  const responseTypes = readResponseTypes(metadata.response_types ?? (metadata.grant_types.includes('authorization_code') ? ['code'] : []));
  // RFC 7591 §2.1, OIDC Registration §2: a response type containing code goes with the
  // authorization_code grant, one containing id_token or token with the implicit grant.
  const usesCode = metadata.grant_types.includes('authorization_code');
  if (usesCode !== responseTypes.some((type) => responseTypeParts(type).code)) {
    throw new InvalidClientMetadata('grant_types authorization_code and a response_type with code must be registered together', { field: 'response_types' });
  }
  const usesImplicit = metadata.grant_types.includes('implicit');
  const frontChannelTokens = responseTypes.some(returnsTokens);
  if (usesImplicit !== frontChannelTokens) {
    throw new InvalidClientMetadata('grant_types implicit and a response_type with id_token or token must be registered together', { field: 'response_types' });
  }
  for (const field of ['id_token_signed_response_alg', 'introspection_signed_response_alg', 'authorization_signed_response_alg', 'userinfo_signed_response_alg'] as const) {
    const alg = metadata[field];
    if (alg !== undefined && !isSigningAlgorithm(alg)) throw new InvalidClientMetadata(`${field} must be one of ${SIGNING_ALGORITHMS.join(', ')}`, { field });
  }
  checkAssertionMetadata(metadata);
  checkRequestObjectMetadata(metadata);
  checkEncryptionMetadata(metadata);
  // A refresh token comes only from a grant that issues one.
  if (metadata.grant_types.includes('refresh_token') && !usesCode && !metadata.grant_types.includes(DEVICE_CODE_GRANT_TYPE)) {
    throw new InvalidClientMetadata(`grant_type refresh_token needs a grant that issues refresh tokens (authorization_code or ${DEVICE_CODE_GRANT_TYPE})`, { field: 'grant_types' });
  }
  // RFC 6749 §4.4: only a confidential client may use the client credentials grant.
  // RFC 8693 §2.1: token exchange, likewise (a public client could be anyone holding a token).
  for (const grantType of ['client_credentials', TOKEN_EXCHANGE_GRANT_TYPE]) {
    if (metadata.grant_types.includes(grantType) && method === 'none') {
      throw new InvalidClientMetadata(`grant_type ${grantType} needs an authenticating client (token_endpoint_auth_method other than none)`, { field: 'grant_types' });
    }
  }

  const redirectUris = metadata.redirect_uris ?? [];
  if ((usesCode || usesImplicit) && redirectUris.length === 0) throw new InvalidRedirectUri(`redirect_uris is required for the ${usesCode ? 'authorization_code' : 'implicit'} grant`, { field: 'redirect_uris' });
  redirectUris.forEach((uri, i) => checkRedirectUri(uri, metadata.application_type, `redirect_uris.${i}`));
  if (frontChannelTokens && metadata.application_type === 'web') {
    // OIDC Registration §2: web clients that receive tokens at the redirect URI register https
    // URIs only, and not on localhost.
    for (const uri of redirectUris) {
      const url = new URL(uri);
      if (url.protocol !== 'https:' || LOOPBACK_HOSTS.has(url.hostname)) {
        throw new InvalidRedirectUri(`redirect URI ${uri} must use https on a host other than localhost for response types that return tokens`, { field: 'redirect_uris' });
      }
    }
  }
  (metadata.post_logout_redirect_uris ?? []).forEach((uri, i) => checkRedirectUri(uri, metadata.application_type, `post_logout_redirect_uris.${i}`));
  checkLogoutUris(metadata, redirectUris);
  checkSector(metadata, redirectUris);

  return {
    ...metadata,
    response_types: responseTypes,
    redirect_uris: redirectUris,
    token_endpoint_auth_method: method as ClientMetadata['token_endpoint_auth_method'],
  };
}

/**
 * OIDC Core §8.1: a pairwise client's sector is the host of its `sector_identifier_uri` (https,
 * checked against its contents by `verifySectorIdentifierUri`) or else the host of its redirect
 * URIs, which must then all share one host.
 * @throws InvalidClientMetadata
 */
function checkSector(metadata: z.infer<typeof clientMetadataSchema>, redirectUris: readonly string[]): void {
  const uri = metadata.sector_identifier_uri;
  if (uri !== undefined && !uri.startsWith('https:')) throw new InvalidClientMetadata('sector_identifier_uri must use https', { field: 'sector_identifier_uri' });
  if (metadata.subject_type !== 'pairwise' || uri !== undefined) return;
  const hosts = new Set(redirectUris.map((redirectUri) => new URL(redirectUri).host));
  if (hosts.size === 0) throw new InvalidClientMetadata('a pairwise client without redirect URIs needs a sector_identifier_uri', { field: 'sector_identifier_uri' });
  if (hosts.size > 1) throw new InvalidClientMetadata('a pairwise client with redirect URIs on several hosts needs a sector_identifier_uri', { field: 'sector_identifier_uri' });
}

/**
 * Normalizes registered response types (parts in any order), without duplicates.
 * @throws InvalidClientMetadata for a type latchkey does not implement.
 */
function readResponseTypes(values: readonly string[]): ResponseType[] {
  const types: ResponseType[] = [];
  for (const value of values) {
    const type = normalizeResponseType(value);
    if (type === undefined) throw new InvalidClientMetadata(`response_type ${value} is not supported (supported: ${RESPONSE_TYPES.join(', ')})`, { field: 'response_types' });
    if (!types.includes(type)) types.push(type);
  }
  return types;
}

/**
 * JWT client authentication (RFC 7523, OIDC Core §9): `private_key_jwt` needs the client's keys
 * (`jwks` or `jwks_uri`, never both: RFC 7591 §2); `token_endpoint_auth_signing_alg` must suit
 * the method; `jwks_uri` must be https.
 * @throws InvalidClientMetadata
 */
function checkAssertionMetadata(metadata: z.infer<typeof clientMetadataSchema>): void {
  const method = metadata.token_endpoint_auth_method;
  if (metadata.jwks !== undefined && metadata.jwks_uri !== undefined) throw new InvalidClientMetadata('jwks and jwks_uri must not both be present', { field: 'jwks_uri' });
  if (method === 'private_key_jwt' && metadata.jwks === undefined && metadata.jwks_uri === undefined) {
    throw new InvalidClientMetadata('token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri', { field: 'jwks' });
  }
  if (metadata.jwks_uri !== undefined && !metadata.jwks_uri.startsWith('https:')) throw new InvalidClientMetadata('jwks_uri must use https', { field: 'jwks_uri' });
  const alg = metadata.token_endpoint_auth_signing_alg;
  if (alg !== undefined) {
    const allowed = assertionAlgorithmsFor(method);
    if (!allowed.includes(alg)) {
      throw new InvalidClientMetadata(allowed.length === 0
        ? `token_endpoint_auth_signing_alg applies only to client_secret_jwt and private_key_jwt`
        : `token_endpoint_auth_signing_alg must be one of ${allowed.join(', ')} for ${method}`, { field: 'token_endpoint_auth_signing_alg' });
    }
  }
}

/**
 * Request objects (RFC 9101): `request_object_signing_alg` is one latchkey verifies — a public-key
 * algorithm needs the client's keys (`jwks` or `jwks_uri`), HMAC a client secret — and is not
 * `none` for a client that must sign them (`require_signed_request_object`). Each of its
 * `request_uris` (OIDC Registration §2) is an absolute https URL (http on a loopback host, for
 * development), without credentials; its fragment, if any, is the object's digest. Its
 * `request_object_encryption_alg` and `_enc` are ones latchkey decrypts (the client says it may
 * encrypt with them; it may still send other supported ones, or plain objects: OIDC Registration §2).
 * @throws InvalidClientMetadata
 */
function checkRequestObjectMetadata(metadata: z.infer<typeof clientMetadataSchema>): void {
  (metadata.request_uris ?? []).forEach((uri, i) => checkRequestUri(uri, `request_uris.${i}`));
  const encryption = metadata.request_object_encryption_alg;
  if (encryption !== undefined && !isDecryptionAlgorithm(encryption)) {
    throw new InvalidClientMetadata(`request_object_encryption_alg must be one of ${DECRYPTION_ALGORITHMS.join(', ')}`, { field: 'request_object_encryption_alg' });
  }
  const content = metadata.request_object_encryption_enc;
  if (content !== undefined) {
    if (encryption === undefined) throw new InvalidClientMetadata('request_object_encryption_enc needs request_object_encryption_alg', { field: 'request_object_encryption_enc' });
    if (!(CONTENT_ENCRYPTION_ALGORITHMS as readonly string[]).includes(content)) {
      throw new InvalidClientMetadata(`request_object_encryption_enc must be one of ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`, { field: 'request_object_encryption_enc' });
    }
  }
  const alg = metadata.request_object_signing_alg;
  const field = 'request_object_signing_alg';
  if (alg === undefined) return;
  if (alg === 'none') {
    if (metadata.require_signed_request_object === true) throw new InvalidClientMetadata('request_object_signing_alg none contradicts require_signed_request_object', { field });
  } else if ((SECRET_JWT_ALGORITHMS as readonly string[]).includes(alg)) {
    if (!usesClientSecret(metadata)) throw new InvalidClientMetadata(`request_object_signing_alg ${alg} needs a client secret (token_endpoint_auth_method ${metadata.token_endpoint_auth_method} has none)`, { field });
  } else if ((PRIVATE_KEY_JWT_ALGORITHMS as readonly string[]).includes(alg)) {
    if (metadata.jwks === undefined && metadata.jwks_uri === undefined) throw new InvalidClientMetadata(`request_object_signing_alg ${alg} needs jwks or jwks_uri`, { field });
  } else {
    throw new InvalidClientMetadata(`request_object_signing_alg must be one of ${[...PRIVATE_KEY_JWT_ALGORITHMS, ...SECRET_JWT_ALGORITHMS, 'none'].join(', ')}`, { field });
  }
}

function checkRequestUri(uri: string, field: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidClientMetadata(`request URI ${uri} is not an absolute URI`, { field });
  }
  if (url.username || url.password) throw new InvalidClientMetadata(`request URI ${uri} must not carry credentials`, { field });
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new InvalidClientMetadata(`request URI ${uri} must use https (http is allowed only on a loopback host)`, { field });
  }
}

/**
 * Encrypted responses (OIDC Registration §2, JARM §3): each `…_encrypted_response_alg` is one
 * latchkey encrypts with, to a key the client registered (`jwks` must hold one that fits;
 * `jwks_uri` is read when a response is made); `…_enc` is a content encryption latchkey knows, and
 * only with its `alg`.
 * @throws InvalidClientMetadata
 */
function checkEncryptionMetadata(metadata: z.infer<typeof clientMetadataSchema>): void {
  for (const response of ENCRYPTABLE_RESPONSES) {
    const algField = `${response}_encrypted_response_alg` as const;
    const encField = `${response}_encrypted_response_enc` as const;
    const alg = metadata[algField];
    const enc = metadata[encField];
    if (enc !== undefined && alg === undefined) throw new InvalidClientMetadata(`${encField} needs ${algField}`, { field: encField });
    if (enc !== undefined && !(CONTENT_ENCRYPTION_ALGORITHMS as readonly string[]).includes(enc)) {
      throw new InvalidClientMetadata(`${encField} must be one of ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`, { field: encField });
    }
    if (alg === undefined) continue;
    if (!(KEY_ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) throw new InvalidClientMetadata(`${algField} must be one of ${KEY_ENCRYPTION_ALGORITHMS.join(', ')}`, { field: algField });
    if (metadata.jwks === undefined && metadata.jwks_uri === undefined) throw new InvalidClientMetadata(`${algField} needs jwks or jwks_uri (the client's encryption key)`, { field: algField });
    if (metadata.jwks !== undefined && !metadata.jwks.keys.some((jwk) => canEncryptTo(jwk as JWK, alg))) {
      throw new InvalidClientMetadata(`jwks has no key to encrypt to with ${alg} (use enc or none, ${alg.startsWith('RSA-') ? 'RSA' : 'EC or X25519/X448'})`, { field: algField });
    }
  }
}

/**
 * OIDC Back-Channel Logout §2.2 and Front-Channel Logout §2: absolute https URIs (http on a
 * loopback host for development), no fragment; a front-channel URI shares scheme, host and port
 * with a registered redirect URI.
 * @throws InvalidClientMetadata
 */
function checkLogoutUris(metadata: z.infer<typeof clientMetadataSchema>, redirectUris: readonly string[]): void {
  for (const field of ['backchannel_logout_uri', 'frontchannel_logout_uri'] as const) {
    const value = metadata[field];
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new InvalidClientMetadata(`${field} must be an absolute URI`, { field });
    }
    if (url.hash || value.includes('#')) throw new InvalidClientMetadata(`${field} must not have a fragment`, { field });
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      throw new InvalidClientMetadata(`${field} must use https (http is allowed only on a loopback host)`, { field });
    }
    if (field === 'frontchannel_logout_uri' && !redirectUris.some((uri) => new URL(uri).origin === url.origin)) {
      throw new InvalidClientMetadata('frontchannel_logout_uri must have the scheme, host and port of a registered redirect URI', { field });
    }
  }
}

/**
 * A redirect URI must be absolute, without fragment (RFC 6749 §3.1.2) or credentials. Web
 * clients use https, or http on a loopback host for development; native clients may also use a
 * private-use scheme (RFC 8252 §7.1) or a loopback http URI (§7.3).
 * @throws InvalidRedirectUri
 */
export function checkRedirectUri(uri: string, applicationType: 'web' | 'native', field = 'redirect_uris'): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidRedirectUri(`redirect URI ${uri} is not an absolute URI`, { field });
  }
  if (url.hash || uri.includes('#')) throw new InvalidRedirectUri(`redirect URI ${uri} must not have a fragment`, { field });
  if (url.username || url.password) throw new InvalidRedirectUri(`redirect URI ${uri} must not carry credentials`, { field });
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    // Codes sent over plain http to another host can be read on the network.
    if (LOOPBACK_HOSTS.has(url.hostname)) return;
    throw new InvalidRedirectUri(`redirect URI ${uri} must use https (http is allowed only on a loopback host)`, { field });
  }
  if (applicationType === 'native' && !['javascript:', 'data:', 'file:', 'vbscript:'].includes(url.protocol)) return;
  throw new InvalidRedirectUri(`redirect URI ${uri} must use https${applicationType === 'web' ? ' (private-use schemes need application_type native)' : ''}`, { field });
}
