import { ACR_LEVELS } from '../interaction/assurance.js';
import { SUPPORTED_CLAIMS } from '../accounts/claims.js';
import { ASSERTION_ALGORITHMS } from '../client-auth/assertion-algorithms.js';
import { supportedAuthorizationDetailsTypes } from '../core/authorization-details.js';
import type { ProviderContext } from '../core/context.js';
import { REQUESTABLE_RESPONSE_MODES, RESPONSE_TYPES } from '../core/response-types.js';
import { SUPPORTED_SCOPES } from '../core/scopes.js';
import { jsonPrebuilt } from '../http/responses.js';
import { DECRYPTION_ALGORITHMS, SIGNING_ALGORITHMS } from '../keys/algorithms.js';
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_ENCRYPTION_ALGORITHMS } from '../keys/encryption-algorithms.js';
import { REQUEST_OBJECT_ALGORITHMS } from '../interaction/request-object.js';
import { DPOP_ALGORITHMS } from '../tokens/dpop.js';
import type { Endpoint } from './types.js';

/**
 * The provider metadata: what this server supports, and only that. Built once per provider;
 * both discovery documents share it.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function buildProviderMetadata(ctx: Pick<ProviderContext, 'urls' | 'grants' | 'clientAuth' | 'config'>): Record<string, unknown> {
  const { urls } = ctx;
  const types = supportedAuthorizationDetailsTypes(ctx.config);
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorization,
    token_endpoint: urls.token,
    userinfo_endpoint: urls.userinfo,
    jwks_uri: urls.jwks,
    revocation_endpoint: urls.revocation,
    introspection_endpoint: urls.introspection,
    ...(ctx.config.registration === 'off' ? {} : { registration_endpoint: urls.registration }),
    device_authorization_endpoint: urls.deviceAuthorization,
    end_session_endpoint: urls.endSession,
    // RFC 9126 §5
    pushed_authorization_request_endpoint: urls.pushedAuthorizationRequest,
    require_pushed_authorization_requests: ctx.config.requirePushedAuthorizationRequests,
    scopes_supported: SUPPORTED_SCOPES,
    // The implicit and hybrid types work only for clients registered for them.
    response_types_supported: RESPONSE_TYPES,
    response_modes_supported: REQUESTABLE_RESPONSE_MODES,
    // JARM §4: the JWT response modes' signatures.
    authorization_signing_alg_values_supported: SIGNING_ALGORITHMS,
    // The token endpoint's grants, and `implicit` for the response types that return tokens.
    grant_types_supported: [...ctx.grants.keys(), 'implicit'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: SIGNING_ALGORITHMS,
    // OIDC Core §5.3.2: signed userinfo responses, for clients registered for them.
    userinfo_signing_alg_values_supported: SIGNING_ALGORITHMS,
    // OIDC Core §10.2, JARM §4: responses encrypted to the client's key, for clients registered so.
    id_token_encryption_alg_values_supported: KEY_ENCRYPTION_ALGORITHMS,
    id_token_encryption_enc_values_supported: CONTENT_ENCRYPTION_ALGORITHMS,
    userinfo_encryption_alg_values_supported: KEY_ENCRYPTION_ALGORITHMS,
    userinfo_encryption_enc_values_supported: CONTENT_ENCRYPTION_ALGORITHMS,
    authorization_encryption_alg_values_supported: KEY_ENCRYPTION_ALGORITHMS,
    authorization_encryption_enc_values_supported: CONTENT_ENCRYPTION_ALGORITHMS,
    token_endpoint_auth_methods_supported: [...ctx.clientAuth.keys()],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    revocation_endpoint_auth_methods_supported: [...ctx.clientAuth.keys()],
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    // RFC 7662 §2.1: the caller of introspection must authenticate, so `none` is not offered.
    introspection_endpoint_auth_methods_supported: [...ctx.clientAuth.keys()].filter((method) => method !== 'none'),
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    // RFC 9701 §7
    introspection_signing_alg_values_supported: SIGNING_ALGORITHMS,
    code_challenge_methods_supported: ['S256'],
    // RFC 9449 §5.1: DPoP proofs are accepted at the token and PAR endpoints and at /userinfo.
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    claims_supported: SUPPORTED_CLAIMS,
    // OIDC Discovery §3: the assurance levels latchkey's own logins reach (assurance.ts).
    acr_values_supported: ACR_LEVELS,
    claim_types_supported: ['normal'],
    // OIDC Discovery §3: the languages the pages speak (`ui_locales` picks among them).
    ui_locales_supported: ctx.config.uiLocales,
    // OIDC Prompt Create §4.2: `create` where people may create their own account.
    prompt_values_supported: ['none', 'login', 'consent', 'select_account', ...(ctx.config.selfRegistration ? ['create'] : [])],
    // RFC 9207: the `iss` parameter in every authorization response.
    authorization_response_iss_parameter_supported: true,
    // OIDC Back-Channel Logout §2.1 and Front-Channel Logout §2.1: `sid` is always sent.
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    // OIDC Core §5.5: userinfo and id_token members; `sub` values are honoured.
    claims_parameter_supported: true,
    // RFC 9101, OIDC Core §6.1: request objects by value, at /authorize and pushed to /par.
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: REQUEST_OBJECT_ALGORITHMS,
    // RFC 9101 §6.1: objects may be encrypted to latchkey's decryption keys (in the JWKS, use enc).
    request_object_encryption_alg_values_supported: DECRYPTION_ALGORITHMS,
    request_object_encryption_enc_values_supported: CONTENT_ENCRYPTION_ALGORITHMS,
    require_signed_request_object: ctx.config.requireSignedRequestObject,
    // OIDC Core §6.2: request objects by reference, fetched only from a URL the client registered
    // (`request_uris`). The request_uri of a pushed request is RFC 9126's, and needs no registration.
    request_uri_parameter_supported: true,
    require_request_uri_registration: true,
    // OAuth Client ID Metadata Document: an https URL may be a client_id.
    ...(ctx.config.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
    // RFC 9396 §10: the types `authorization_details` may hold (none configured: none offered).
    ...(types.length === 0 ? {} : { authorization_details_types_supported: types }),
  };
}

/**
 * `/.well-known/openid-configuration` (OIDC Discovery §4) and
 * `/.well-known/oauth-authorization-server` (RFC 8414 §3): the same metadata, serialized once.
 * `body` is that serialization (a host may answer with it directly: `Engine.prebuilt`).
 */
export function createDiscoveryEndpoint(ctx: Pick<ProviderContext, 'urls' | 'grants' | 'clientAuth' | 'config'>): Endpoint & { body: string } {
  const body = JSON.stringify(buildProviderMetadata(ctx));
  return Object.assign(async () => jsonPrebuilt(body, DISCOVERY_MAX_AGE_SECONDS), { body });
}

/** How long relying parties may cache the discovery documents. */
export const DISCOVERY_MAX_AGE_SECONDS = 300;
