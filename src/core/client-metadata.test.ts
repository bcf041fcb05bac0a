import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClientMetadata } from './client-metadata.js';
import { estimateSecretEntropyBits, generateClientSecret, isStrongEnoughSecret } from './client-secret.js';
import { InvalidClientMetadata, InvalidRedirectUri } from './errors.js';

test('client metadata: minimal input → RFC 7591 defaults', () => {
  assert.deepEqual(parseClientMetadata({ redirect_uris: ['https://rp.example/cb'] }), {
    redirect_uris: ['https://rp.example/cb'],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    application_type: 'web',
    id_token_signed_response_alg: 'RS256',
    subject_type: 'public',
  });
});

test('client metadata: unknown fields are ignored (RFC 7591 §2)', () => {
  const metadata = parseClientMetadata({ redirect_uris: ['https://rp.example/cb'], software_statement_x: 1 });
  assert.equal((metadata as unknown as Record<string, unknown>).software_statement_x, undefined);
});

function rejects(input: unknown, kind: typeof InvalidRedirectUri | typeof InvalidClientMetadata, message: string) {
  assert.throws(() => parseClientMetadata(input), (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.equal((error as Error).message, message);
    return true;
  });
}

test('client metadata: redirect URIs that are not acceptable → invalid_redirect_uri', () => {
  rejects({}, InvalidRedirectUri, 'redirect_uris is required for the authorization_code grant');
  rejects({ redirect_uris: ['/relative'] }, InvalidRedirectUri, 'redirect URI /relative is not an absolute URI');
  rejects({ redirect_uris: ['https://rp.example/cb#frag'] }, InvalidRedirectUri, 'redirect URI https://rp.example/cb#frag must not have a fragment');
  rejects({ redirect_uris: ['http://rp.example/cb'] }, InvalidRedirectUri, 'redirect URI http://rp.example/cb must use https (http is allowed only on a loopback host)');
  rejects({ redirect_uris: ['com.example.app:/cb'] }, InvalidRedirectUri, 'redirect URI com.example.app:/cb must use https (private-use schemes need application_type native)');
  rejects({ redirect_uris: ['https://user:pw@rp.example/cb'] }, InvalidRedirectUri, 'redirect URI https://user:pw@rp.example/cb must not carry credentials');
  rejects({ redirect_uris: 'https://rp.example/cb' }, InvalidRedirectUri, 'redirect_uris: invalid input: expected array, received string');
});

test('client metadata: loopback http and native private-use schemes are accepted', () => {
  assert.doesNotThrow(() => parseClientMetadata({ redirect_uris: ['http://localhost:3000/cb', 'http://127.0.0.1/cb'] }));
  assert.doesNotThrow(() => parseClientMetadata({ application_type: 'native', redirect_uris: ['com.example.app:/cb'] }));
  rejects({ application_type: 'native', redirect_uris: ['javascript:alert(1)'] }, InvalidRedirectUri, 'redirect URI javascript:alert(1) must use https');
});

test('client metadata: a client_credentials-only client needs no redirect URI and gets no response type', () => {
  const metadata = parseClientMetadata({ grant_types: ['client_credentials'], scope: 'api:read api:write' });
  assert.deepEqual(metadata.grant_types, ['client_credentials']);
  assert.deepEqual(metadata.response_types, []);
  assert.deepEqual(metadata.redirect_uris, []);
});

test('client metadata: JWT client authentication fields', () => {
  const base = { redirect_uris: ['https://rp.example/cb'] };
  const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] };
  assert.doesNotThrow(() => parseClientMetadata({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks }));
  assert.doesNotThrow(() => parseClientMetadata({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://rp.example/jwks', token_endpoint_auth_signing_alg: 'ES256' }));
  assert.doesNotThrow(() => parseClientMetadata({ ...base, token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'HS256' }));
  rejects({ ...base, token_endpoint_auth_method: 'private_key_jwt' }, InvalidClientMetadata, 'token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri');
  rejects({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks, jwks_uri: 'https://rp.example/jwks' }, InvalidClientMetadata, 'jwks and jwks_uri must not both be present');
  rejects({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://rp.example/jwks' }, InvalidClientMetadata, 'jwks_uri must use https');
  rejects({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, InvalidClientMetadata, 'jwks.keys: must hold public keys only');
  rejects({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks, token_endpoint_auth_signing_alg: 'HS256' }, InvalidClientMetadata, 'token_endpoint_auth_signing_alg must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA for private_key_jwt');
  rejects({ ...base, token_endpoint_auth_method: 'client_secret_jwt', token_endpoint_auth_signing_alg: 'RS256' }, InvalidClientMetadata, 'token_endpoint_auth_signing_alg must be one of HS256, HS384, HS512 for client_secret_jwt');
  rejects({ ...base, token_endpoint_auth_signing_alg: 'RS256' }, InvalidClientMetadata, 'token_endpoint_auth_signing_alg applies only to client_secret_jwt and private_key_jwt');
});

test('client metadata: logout URIs', () => {
  const base = { redirect_uris: ['https://rp.example/cb'] };
  assert.doesNotThrow(() => parseClientMetadata({ ...base, backchannel_logout_uri: 'https://api.rp.example/logout', frontchannel_logout_uri: 'https://rp.example/fc', frontchannel_logout_session_required: true }));
  assert.doesNotThrow(() => parseClientMetadata({ ...base, backchannel_logout_uri: 'http://127.0.0.1:4000/logout' }));
  rejects({ ...base, backchannel_logout_uri: 'http://rp.example/logout' }, InvalidClientMetadata, 'backchannel_logout_uri must use https (http is allowed only on a loopback host)');
  rejects({ ...base, backchannel_logout_uri: 'https://rp.example/logout#x' }, InvalidClientMetadata, 'backchannel_logout_uri must not have a fragment');
  rejects({ ...base, backchannel_logout_uri: 'logout' }, InvalidClientMetadata, 'backchannel_logout_uri must be an absolute URI');
  rejects({ ...base, frontchannel_logout_uri: 'https://other.example/fc' }, InvalidClientMetadata, 'frontchannel_logout_uri must have the scheme, host and port of a registered redirect URI');
  rejects({ ...base, backchannel_logout_session_required: 'yes' }, InvalidClientMetadata, 'backchannel_logout_session_required: invalid input: expected boolean, received string');
});

test('client metadata: unsupported values → invalid_client_metadata', () => {
  const base = { redirect_uris: ['https://rp.example/cb'] };
  rejects({ ...base, token_endpoint_auth_method: 'tls_client_auth' }, InvalidClientMetadata, 'token_endpoint_auth_method tls_client_auth is not supported');
  rejects({ ...base, grant_types: ['password'] }, InvalidClientMetadata, 'grant_type password is not supported');
  rejects({ ...base, grant_types: ['implicit'] }, InvalidClientMetadata, 'grant_types implicit and a response_type with id_token or token must be registered together');
  rejects({ ...base, response_types: ['token'] }, InvalidClientMetadata, 'response_type token is not supported (supported: code, id_token, id_token token, code id_token, code token, code id_token token)');
  rejects({ ...base, response_types: ['code code'] }, InvalidClientMetadata, 'response_type code code is not supported (supported: code, id_token, id_token token, code id_token, code token, code id_token token)');
  rejects({ ...base, grant_types: ['refresh_token'] }, InvalidClientMetadata, 'grant_type refresh_token needs a grant that issues refresh tokens (authorization_code or urn:ietf:params:oauth:grant-type:device_code)');
  rejects({ ...base, grant_types: ['client_credentials'], response_types: ['code'] }, InvalidClientMetadata, 'grant_types authorization_code and a response_type with code must be registered together');
  rejects({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }, InvalidClientMetadata, 'grant_type client_credentials needs an authenticating client (token_endpoint_auth_method other than none)');
  rejects({ ...base, introspection_signed_response_alg: 'HS256' }, InvalidClientMetadata, 'introspection_signed_response_alg must be one of RS256, PS256, ES256, EdDSA');
  rejects({ ...base, refresh_token_rotation: 'yes' }, InvalidClientMetadata, 'refresh_token_rotation: invalid input: expected boolean, received string');
  rejects({ ...base, id_token_signed_response_alg: 'none' }, InvalidClientMetadata, 'id_token_signed_response_alg must be one of RS256, PS256, ES256, EdDSA');
  assert.deepEqual(parseClientMetadata({ ...base, request_uris: ['https://rp.example/request.jwt#Dv3hLE2yKnlTYhVwqdVBn3pdKkt-BaB8DHt5C2BBBqw', 'http://127.0.0.1:4000/r'] }).request_uris, ['https://rp.example/request.jwt#Dv3hLE2yKnlTYhVwqdVBn3pdKkt-BaB8DHt5C2BBBqw', 'http://127.0.0.1:4000/r']);
  rejects({ ...base, request_uris: ['http://rp.example/request'] }, InvalidClientMetadata, 'request URI http://rp.example/request must use https (http is allowed only on a loopback host)');
  rejects({ ...base, request_uris: ['request.jwt'] }, InvalidClientMetadata, 'request URI request.jwt is not an absolute URI');
  rejects({ ...base, request_uris: ['https://user:pw@rp.example/r'] }, InvalidClientMetadata, 'request URI https://user:pw@rp.example/r must not carry credentials');
  rejects({ ...base, request_uris: [`https://rp.example/${'r'.repeat(512)}`] }, InvalidClientMetadata, 'request_uris.0: must be at most 512 characters (oidc core §6.2)');
  rejects({ ...base, request_uris: 'https://rp.example/r' }, InvalidClientMetadata, 'request_uris: invalid input: expected array, received string');
  assert.deepEqual(parseClientMetadata({ ...base, request_object_encryption_alg: 'ECDH-ES', request_object_encryption_enc: 'A256GCM' }).request_object_encryption_enc, 'A256GCM');
  rejects({ ...base, request_object_encryption_alg: 'RSA-OAEP' }, InvalidClientMetadata, 'request_object_encryption_alg must be one of RSA-OAEP-256, ECDH-ES');
  rejects({ ...base, request_object_encryption_alg: 'RSA-OAEP-256', request_object_encryption_enc: 'A192GCM' }, InvalidClientMetadata, 'request_object_encryption_enc must be one of A128CBC-HS256, A256CBC-HS512, A128GCM, A256GCM');
  rejects({ ...base, request_object_encryption_enc: 'A128GCM' }, InvalidClientMetadata, 'request_object_encryption_enc needs request_object_encryption_alg');
  rejects({ ...base, request_object_signing_alg: 'RS256' }, InvalidClientMetadata, 'request_object_signing_alg RS256 needs jwks or jwks_uri');
  rejects({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://rp.example/jwks', request_object_signing_alg: 'HS256' }, InvalidClientMetadata, 'request_object_signing_alg HS256 needs a client secret (token_endpoint_auth_method private_key_jwt has none)');
  rejects({ ...base, request_object_signing_alg: 'none', require_signed_request_object: true }, InvalidClientMetadata, 'request_object_signing_alg none contradicts require_signed_request_object');
  rejects({ ...base, request_object_signing_alg: 'RS1' }, InvalidClientMetadata, 'request_object_signing_alg must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512, none');
  rejects({ ...base, require_signed_request_object: 'yes' }, InvalidClientMetadata, 'require_signed_request_object: invalid input: expected boolean, received string');
  rejects({ ...base, subject_type: 'random' }, InvalidClientMetadata, 'subject_type: invalid option: expected one of "public"|"pairwise"');
  rejects({ ...base, sector_identifier_uri: 'http://rp.example/sector' }, InvalidClientMetadata, 'sector_identifier_uri must use https');
  rejects({ ...base, subject_type: 'pairwise', redirect_uris: ['https://a.example/cb', 'https://b.example/cb'] }, InvalidClientMetadata, 'a pairwise client with redirect URIs on several hosts needs a sector_identifier_uri');
  rejects({ subject_type: 'pairwise', grant_types: ['client_credentials'] }, InvalidClientMetadata, 'a pairwise client without redirect URIs needs a sector_identifier_uri');
  rejects({ ...base, client_uri: 'ftp://x' }, InvalidClientMetadata, 'client_uri: must be an http(s) url');
  rejects([], InvalidClientMetadata, 'client metadata must be a JSON object');
});

test('client secret: generated secrets carry 256 bits; weak supplied ones are refused', () => {
  const secret = generateClientSecret();
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(estimateSecretEntropyBits(secret) >= 256);
  assert.equal(isStrongEnoughSecret('37b1c4ff826f8d78bd45e25bad75a2c0'), true, '32 hex digits = 128 bits');
  assert.equal(isStrongEnoughSecret('37b1c4ff826f8d78bd45e25bad75a2c'), false, '31 hex digits');
  assert.equal(isStrongEnoughSecret('secret'), false);
  assert.equal(isStrongEnoughSecret('a'.repeat(100)), false, 'one repeated character');
});
