import { verifyClientSecret } from './client-secret.js';
import type { ClientAuthMethod } from './types.js';

/** `client_secret_post`: client_id and client_secret in the form body. @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 */
export const clientSecretPost: ClientAuthMethod = {
  method: 'client_secret_post',
  presents: 'client_secret_post',
  async verify(client, credentials, ctx) {
    if (credentials.method !== 'client_secret_post') throw new TypeError('clientSecretPost: wrong credentials');
    verifyClientSecret(client, credentials.client_secret, ctx.clock.now());
  },
};
