import { verifyClientAssertion } from './client-assertion.js';
import type { ClientAuthMethod, PresentedCredentials } from './types.js';

function assertionOf(credentials: PresentedCredentials): string {
  if (credentials.method !== 'client_assertion') throw new TypeError('JWT client authentication: wrong credentials');
  return credentials.assertion;
}

/**
 * `client_secret_jwt`: a JWT signed with HMAC under the client secret.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export const clientSecretJwt: ClientAuthMethod = {
  method: 'client_secret_jwt',
  presents: 'client_assertion',
  async verify(client, credentials, ctx) {
    await verifyClientAssertion(client, assertionOf(credentials), ctx);
  },
};

/**
 * `private_key_jwt`: a JWT signed with a private key whose public half the client registered
 * (`jwks` or `jwks_uri`).
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export const privateKeyJwt: ClientAuthMethod = {
  method: 'private_key_jwt',
  presents: 'client_assertion',
  async verify(client, credentials, ctx) {
    await verifyClientAssertion(client, assertionOf(credentials), ctx);
  },
};
