import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ISSUER, testProvider } from '../../test/helpers/index.js';

const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256', 'HS384', 'HS512'];

test('discovery: /.well-known/openid-configuration → the metadata of what is implemented', async () => {
  const { provider } = await testProvider();
  const response = await provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`));
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await response.json(), {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    userinfo_endpoint: `${ISSUER}/userinfo`,
    jwks_uri: `${ISSUER}/jwks`,
    revocation_endpoint: `${ISSUER}/revoke`,
    introspection_endpoint: `${ISSUER}/introspect`,
    registration_endpoint: `${ISSUER}/register`,
    device_authorization_endpoint: `${ISSUER}/device_authorization`,
    end_session_endpoint: `${ISSUER}/end_session`,
    pushed_authorization_request_endpoint: `${ISSUER}/par`,
    require_pushed_authorization_requests: false,
    scopes_supported: ['openid', 'profile', 'email', 'address', 'phone', 'groups', 'offline_access'],
    response_types_supported: ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post', 'query.jwt', 'fragment.jwt', 'form_post.jwt', 'jwt'],
    authorization_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'implicit'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    userinfo_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    id_token_encryption_alg_values_supported: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'],
    id_token_encryption_enc_values_supported: ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'],
    userinfo_encryption_alg_values_supported: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'],
    userinfo_encryption_enc_values_supported: ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'],
    authorization_encryption_alg_values_supported: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'],
    authorization_encryption_enc_values_supported: ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'],
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    code_challenge_methods_supported: ['S256'],
    dpop_signing_alg_values_supported: ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'],
    claims_supported: [
      'sub', 'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
      'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at', 'email', 'email_verified', 'address',
      'phone_number', 'phone_number_verified', 'groups',
    ],
    claim_types_supported: ['normal'],
    ui_locales_supported: ['en'],
    acr_values_supported: ['urn:latchkey:loa:1fa', 'urn:latchkey:loa:2fa', 'phr', 'phrh'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    claims_parameter_supported: true,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256', 'HS384', 'HS512', 'none'],
    request_object_encryption_alg_values_supported: ['RSA-OAEP-256', 'ECDH-ES'],
    request_object_encryption_enc_values_supported: ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'],
    require_signed_request_object: false,
    request_uri_parameter_supported: true,
    require_request_uri_registration: true,
  });
});

test('discovery: /.well-known/oauth-authorization-server (RFC 8414) → the same document', async () => {
  const { provider } = await testProvider();
  const oidc = await (await provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json();
  const oauth = await (await provider.fetch(new Request(`${ISSUER}/.well-known/oauth-authorization-server`))).json();
  assert.deepEqual(oauth, oidc);
});

test('jwks: /jwks → public keys only, one current and one next per algorithm: signing keys and the decryption keys request objects are encrypted to', async () => {
  const { provider } = await testProvider();
  const response = await provider.fetch(new Request(`${ISSUER}/jwks`));
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
  const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
  assert.equal(keys.length, 12);
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA', 'RSA-OAEP-256', 'ECDH-ES']) assert.equal(keys.filter((k) => k.alg === alg).length, 2, alg);
  for (const key of keys) {
    assert.equal(key.use, ['RSA-OAEP-256', 'ECDH-ES'].includes(String(key.alg)) ? 'enc' : 'sig');
    assert.equal(typeof key.kid, 'string');
    for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[privateMember], undefined);
  }
});

test('health: /health/live and /health/ready → 200', async () => {
  const { provider } = await testProvider();
  assert.equal((await provider.fetch(new Request(`${ISSUER}/health/live`))).status, 200);
  assert.deepEqual(await (await provider.fetch(new Request(`${ISSUER}/health/ready`))).json(), { status: 'ok' });
});

test('router: unknown path → 404 JSON', async () => {
  const { provider } = await testProvider();
  const response = await provider.fetch(new Request(`${ISSUER}/nope`));
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { error: 'not_found', error_description: 'no such endpoint' });
});
