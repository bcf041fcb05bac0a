import { verifyClientSecret } from './client-secret.js';
import type { ClientAuthMethod } from './types.js';

/** `client_secret_basic`: HTTP Basic with the client_id and secret. @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 */
export const clientSecretBasic: ClientAuthMethod = {
  method: 'client_secret_basic',
  presents: 'client_secret_basic',
  async verify(client, credentials, ctx) {
    if (credentials.method !== 'client_secret_basic') throw new TypeError('clientSecretBasic: wrong credentials');
    verifyClientSecret(client, credentials.client_secret, ctx.clock.now());
  },
};
