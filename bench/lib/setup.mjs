// What both servers of the benchmark share: the client (its id, its 256-bit secret, grants,
// scopes, redirect URI, ID token algorithm), the two resource servers, the account and its
// password, the PKCE pair, the peer's signing keys, and one set of token lifetimes.
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { hashPassword } from '../../dist/accounts/password.js';

/** Everything both servers share: the client, its secret, the keys of the peer, the account. */
export async function createSetup({ idTokenAlg }) {
  const password = 'correct horse battery staple';
  const verifier = randomBytes(32).toString('base64url');
  const peerKeys = [];
  for (const alg of ['RS256', 'ES256']) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    peerKeys.push({ ...(await exportJWK(privateKey)), kid: `${alg.toLowerCase()}-bench`, alg, use: 'sig' });
  }
  return {
    masterSecret: randomBytes(32).toString('base64url'),
    client: {
      client_id: 'bench-client',
      // 256 bits, as `latchkey clients create` generates them.
      client_secret: randomBytes(32).toString('base64url'),
      redirect_uris: ['http://127.0.0.1:9/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile email offline_access api:read',
      id_token_signed_response_alg: idTokenAlg,
      refresh_token_rotation: true,
    },
    resources: [
      { resource: 'https://api.bench.example/es256', scope: 'api:read', alg: 'ES256' },
      { resource: 'https://api.bench.example/rs256', scope: 'api:read', alg: 'RS256' },
    ],
    account: {
      sub: 'bench-user',
      username: 'alice',
      password,
      password_hash: await hashPassword(password),
      claims: { email: 'alice@example.com', email_verified: true, name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', preferred_username: 'alice' },
    },
    credentials: { username: 'alice', password },
    pkce: { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') },
    peerKeys,
    // One set of lifetimes for both servers (latchkey's defaults; codes live long enough to be
    // minted before a sample).
    ttl: { accessToken: 3600, idToken: 3600, authorizationCode: 300, refreshToken: 1_209_600, grant: 2_592_000, session: 86_400, interaction: 1800 },
  };
}
