// The peer: npm `oidc-provider` (the reference Node implementation), configured as equivalently to
// the latchkey of the benchmark as it allows:
// - the same client (client_secret_basic, the same secret, grants, scopes, redirect URI and ID
//   token algorithm), the same token lifetimes, refresh tokens always issued and always rotated;
// - JWT access tokens for the same two resource servers, ES256 and RS256 (resource indicators);
// - login and consent pages of our own (oidc-provider leaves them to the host): a CSRF token on
//   every form, the password checked with argon2id at the same parameters as latchkey;
// - storage in memory (latchkey writes to SQLite on disk: the peer's storage is the cheaper one):
//   oidc-provider's own in-memory adapter, without its 1000-entry cap (peer-adapter.mjs).
// Everything comes from the environment the harness sets: PORT, BENCH_PEER_CONFIG (a JSON file).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { verify } from '@node-rs/argon2';
import Provider from 'oidc-provider';
import { PeerMemoryAdapter } from './peer-adapter.mjs';

const port = Number(process.env.PORT);
/** { client, account: { sub, username, password_hash, claims }, keys: [private JWK], ttl, resources } */
const setup = JSON.parse(readFileSync(process.env.BENCH_PEER_CONFIG, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;

const resources = new Map(setup.resources.map((r) => [r.resource, r]));

const provider = new Provider(issuer, {
  adapter: PeerMemoryAdapter,
  clients: [setup.client],
  jwks: { keys: setup.keys },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read'],
  claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name', 'preferred_username'], email: ['email', 'email_verified'] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // No resource: an opaque token for /userinfo, as in latchkey.
      defaultResource: async () => undefined,
      useGrantedResource: async () => false,
      getResourceServerInfo: async (_ctx, resourceIndicator) => {
        const server = resources.get(resourceIndicator);
        if (!server) throw new Provider.errors.InvalidTarget();
        return {
          scope: server.scope,
          audience: server.resource,
          accessTokenTTL: setup.ttl.accessToken,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: server.alg } },
        };
      },
    },
  },
  ttl: {
    AccessToken: setup.ttl.accessToken,
    ClientCredentials: setup.ttl.accessToken,
    AuthorizationCode: setup.ttl.authorizationCode,
    IdToken: setup.ttl.idToken,
    RefreshToken: setup.ttl.refreshToken,
    Grant: setup.ttl.refreshToken,
    Session: setup.ttl.session,
    Interaction: setup.ttl.interaction,
  },
  // latchkey's LATCHKEY_REFRESH_TOKEN_ISSUANCE=always and refresh_token_rotation: true.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  findAccount: async (_ctx, sub) => (sub === setup.account.sub ? { accountId: sub, claims: async () => ({ sub, ...setup.account.claims }) } : undefined),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;
// The peer logs every server error through this event; a benchmark must not run silently broken.
provider.on('server_error', (_ctx, error) => process.stderr.write(`peer server_error: ${error.stack}\n`));

/** CSRF tokens of the interactions in progress, by uid (the peer has none of its own). */
const csrfTokens = new Map();

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(response, status, html) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(`<!doctype html><html lang="en"><body>${html}</body></html>`);
}

async function readForm(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** GET /interaction/:uid: the login form or the consent form; the POSTs that answer them. */
async function interaction(request, response, uid, action) {
  const details = await provider.interactionDetails(request, response);
  if (details.uid !== uid) return page(response, 400, 'interaction mismatch');
  if (request.method === 'GET') {
    const csrf = randomBytes(32).toString('base64url');
    csrfTokens.set(uid, csrf);
    setTimeout(() => csrfTokens.delete(uid), setup.ttl.interaction * 1000).unref();
    if (details.prompt.name === 'login') {
      return page(response, 200, `<form method="post" action="/interaction/${uid}/login"><input type="hidden" name="csrf_token" value="${csrf}">` +
        '<input name="username" autocomplete="username"><input name="password" type="password" autocomplete="current-password"><button>Sign in</button></form>');
    }
    return page(response, 200, `<form method="post" action="/interaction/${uid}/consent"><input type="hidden" name="csrf_token" value="${csrf}">` +
      `<p>${escape(details.params.scope)}</p><button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form>`);
  }
  const form = await readForm(request);
  if (!form.csrf_token || form.csrf_token !== csrfTokens.get(uid)) return page(response, 403, 'bad csrf token');
  csrfTokens.delete(uid);
  if (action === 'login') {
    const account = form.username === setup.account.username ? setup.account : undefined;
    const valid = await verify(account?.password_hash ?? setup.account.password_hash, form.password ?? '');
    if (!account || !valid) return page(response, 401, 'wrong username or password');
    return provider.interactionFinished(request, response, { login: { accountId: account.sub, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
  }
  if (form.decision !== 'allow') return provider.interactionFinished(request, response, { error: 'access_denied' }, { mergeWithLastSubmission: true });
  const { prompt, params, session } = details;
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  return provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/.exec(request.url ?? '');
  if (!match) return callback(request, response);
  interaction(request, response, match[1], match[2]).catch((error) => {
    process.stderr.write(`peer interaction error: ${error.stack}\n`);
    if (!response.headersSent) page(response, 500, 'error');
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => process.exit(0));
