// The cases of the benchmark: what one request of each is, on any of the servers, and what it
// needs minted beforehand. Endpoint paths come from each server's discovery document, so the
// same case runs on latchkey and on the peer unchanged.
import { runFlow, CookieJar } from './browserless.mjs';

const FORM = 'application/x-www-form-urlencoded';

/** A server as the cases see it: its endpoints, the client's Basic header, a logged-in browser. */
export async function describeTarget(server, setup) {
  const metadata = await (await fetch(`${server.base}/.well-known/openid-configuration`)).json();
  const path = (url) => new URL(url).pathname;
  return {
    ...server,
    endpoints: {
      token: path(metadata.token_endpoint),
      introspection: path(metadata.introspection_endpoint),
      userinfo: path(metadata.userinfo_endpoint),
      jwks: path(metadata.jwks_uri),
      authorization: metadata.authorization_endpoint,
    },
    basic: `Basic ${Buffer.from(`${encodeURIComponent(setup.client.client_id)}:${encodeURIComponent(setup.client.client_secret)}`).toString('base64')}`,
    /** A browser with a session and a remembered consent: /authorize answers it with a code at once. */
    jar: undefined,
  };
}

function authorizeUrl(target, setup, extra = {}) {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: setup.client.client_id,
    redirect_uri: setup.client.redirect_uris[0],
    scope: 'openid profile email',
    state: 'bench-state',
    nonce: 'bench-nonce',
    code_challenge: setup.pkce.challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return `${target.endpoints.authorization}?${params}`;
}

/**
 * Mints `count` authorization codes through the real flow: one login with consent, then one
 * /authorize per code in that browser session (the user has consented already, so the answer
 * is the redirect with a code), 16 at a time. Should a flow stop (oidc-provider can lose the
 * session's grant to concurrent updates of one session, then asks for consent again, and
 * concurrent interactions overwrite each other's cookie in the shared jar), the session is
 * started again — once for all the flows that found it stale — and the code minted in the new one.
 * `ownSession`: the codes come from a login of their own, not the session the pools share — for a
 * token that must outlive the pools: when a sample outruns its pool, wrk sends the last code
 * again, and oidc-provider then revokes the grant of that session, every token of it included.
 */
export async function mintCodes(target, setup, count, { ownSession = false } = {}) {
  const redirectUri = setup.client.redirect_uris[0];
  const login = () => {
    const jar = new CookieJar();
    return runFlow(authorizeUrl(target, setup), { jar, credentials: setup.credentials, redirectUri }).then(() => jar);
  };
  if (ownSession) target = { ...target, session: login() };
  target.session ??= login();
  const mintOne = async (retries) => {
    const session = target.session;
    try {
      const redirect = await runFlow(authorizeUrl(target, setup), { jar: await session, redirectUri });
      const code = redirect.searchParams.get('code');
      if (!code) throw new Error(`${target.name}: no code in ${redirect.href}`);
      return code;
    } catch (error) {
      if (retries === 0) throw error;
      if (target.session === session) target.session = login();
      return mintOne(retries - 1);
    }
  };
  const codes = [];
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      next += 1;
      codes.push(await mintOne(3));
    }
  }));
  return codes;
}

function exchangeBody(code, setup) {
  return new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: setup.client.redirect_uris[0], code_verifier: setup.pkce.verifier }).toString();
}

async function postToken(target, body) {
  const response = await fetch(`${target.base}${target.endpoints.token}`, { method: 'POST', headers: { authorization: target.basic, 'content-type': FORM }, body });
  const json = await response.json();
  if (response.status !== 200) throw new Error(`${target.name}: token endpoint answered ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const tokenRequest = (target, body) => ({ method: 'POST', path: target.endpoints.token, headers: { authorization: target.basic, 'content-type': FORM }, body });

/**
 * Every case. `request(target)` is the one request of a fixed case; `pool` mints one body per
 * request; `chain` mints the first token of each connection's chain; `flow` is a whole login.
 * `goal` is the issue's target: a ratio to the peer, to the raw ceiling, or logins per second.
 */
export const CASES = [
  {
    id: 'client_credentials',
    title: 'client_credentials, opaque (SQLite)',
    goal: { peer: 3.0, raw: 0.28 },
    request: (t) => tokenRequest(t, 'grant_type=client_credentials&scope=api%3Aread'),
  },
  {
    id: 'client_credentials_jwt_es256',
    title: 'client_credentials, JWT ES256',
    goal: { peer: 2.5 },
    request: (t, setup) => tokenRequest(t, `grant_type=client_credentials&scope=api%3Aread&resource=${encodeURIComponent(setup.resources[0].resource)}`),
  },
  {
    id: 'client_credentials_jwt_rs256',
    title: 'client_credentials, JWT RS256',
    goal: { peer: 1.8 },
    request: (t, setup) => tokenRequest(t, `grant_type=client_credentials&scope=api%3Aread&resource=${encodeURIComponent(setup.resources[1].resource)}`),
  },
  {
    id: 'authorization_code',
    title: 'authorization code exchange',
    goal: { peer: 3.0 },
    pool: async (t, setup, count) => (await mintCodes(t, setup, count)).map((code) => exchangeBody(code, setup)),
    request: (t) => tokenRequest(t, undefined),
  },
  {
    id: 'refresh_token',
    title: 'refresh_token with rotation',
    goal: { peer: 3.0 },
    chain: async (t, setup, connections) => {
      const codes = await mintCodes(t, setup, 3 * connections);
      const tokens = await Promise.all(codes.map(async (code) => (await postToken(t, exchangeBody(code, setup))).refresh_token));
      return { initial: tokens, bodyPrefix: 'grant_type=refresh_token&refresh_token=', field: 'refresh_token' };
    },
    request: (t) => tokenRequest(t, undefined),
  },
  {
    id: 'introspection',
    title: 'introspection of an opaque token',
    goal: { peer: 3.0 },
    prepare: async (t) => ({ token: (await postToken(t, 'grant_type=client_credentials&scope=api%3Aread')).access_token }),
    request: (t, _setup, data) => ({ method: 'POST', path: t.endpoints.introspection, headers: { authorization: t.basic, 'content-type': FORM }, body: `token=${encodeURIComponent(data.token)}` }),
  },
  {
    id: 'userinfo',
    title: 'userinfo',
    goal: { peer: 3.0 },
    prepare: async (t, setup) => {
      const [code] = await mintCodes(t, setup, 1, { ownSession: true });
      return { token: (await postToken(t, exchangeBody(code, setup))).access_token };
    },
    request: (t, _setup, data) => ({ method: 'GET', path: t.endpoints.userinfo, headers: { authorization: `Bearer ${data.token}` } }),
  },
  {
    id: 'discovery',
    title: 'discovery',
    goal: { raw: 0.8 },
    request: () => ({ method: 'GET', path: '/.well-known/openid-configuration' }),
  },
  {
    id: 'jwks',
    title: 'JWKS',
    goal: { raw: 0.8 },
    request: (t) => ({ method: 'GET', path: t.endpoints.jwks }),
  },
  {
    id: 'login',
    title: 'browserless login (argon2id), logins/s',
    goal: { perSecond: 80 },
    flow: (t, setup) => ({ authorizeUrl: authorizeUrl(t, setup, { prompt: 'consent' }), redirectUri: setup.client.redirect_uris[0], credentials: setup.credentials }),
  },
];
