/** Pairwise subject identifiers (OIDC Core §8) and sector_identifier_uri validation (OIDC Registration §5). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { parseResourceServer } from '../core/resource-servers.js';
import type { OutboundTransport } from '../http/outbound.js';
import {
  ALICE,
  authorizeUrl,
  basicAuth,
  CookieJar,
  ISSUER,
  obtainCode,
  postForm,
  SEED_SECRET,
  testProvider,
  type TestProvider,
} from '../../test/helpers/index.js';

const PAIRWISE = { client_id: 'pairwise', client_secret: SEED_SECRET, subject_type: 'pairwise', redirect_uris: ['https://rp.example/cb'] };
/** Same sector (same redirect host) as PAIRWISE. */
const SIBLING = { client_id: 'sibling', client_secret: SEED_SECRET, subject_type: 'pairwise', redirect_uris: ['https://rp.example/other-cb'] };
/** Another sector. */
const STRANGER = { client_id: 'stranger', client_secret: SEED_SECRET, subject_type: 'pairwise', redirect_uris: ['https://elsewhere.example/cb'] };
const PUBLIC = { client_id: 'public', client_secret: SEED_SECRET };

function setup(outboundTransport?: OutboundTransport): Promise<TestProvider> {
  return testProvider({
    clients: [PAIRWISE, SIBLING, STRANGER, PUBLIC],
    accounts: [ALICE],
    config: { registration: 'open' },
    ...(outboundTransport === undefined ? {} : { outboundTransport }),
  });
}

/** Code flow for `client`; returns its token response and the ID token's claims. */
async function tokensFor(tp: TestProvider, client: { client_id: string; redirect_uris?: string[] }, jar = new CookieJar()) {
  const redirect_uri = client.redirect_uris?.[0] ?? 'https://rp.example/cb';
  const code = await obtainCode(tp, { client_id: client.client_id, scope: 'openid email', redirect_uri }, jar);
  const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri }, { authorization: basicAuth(client.client_id, SEED_SECRET) });
  const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
  const { payload } = await jwtVerify(String(body.id_token), jwks, { issuer: ISSUER, audience: client.client_id, currentDate: new Date(tp.clock.now() * 1000) });
  return { body, claims: payload };
}

describe('pairwise subjects', () => {
  test('one sub per sector: the same for clients of one sector, another for another sector, the account id for public clients', async () => {
    const tp = await setup();
    const account = tp.accounts[0]!.sub;
    const pairwise = (await tokensFor(tp, PAIRWISE)).claims.sub;
    const sibling = (await tokensFor(tp, SIBLING)).claims.sub;
    const stranger = (await tokensFor(tp, STRANGER)).claims.sub;
    const publicSub = (await tokensFor(tp, PUBLIC)).claims.sub;
    assert.equal(publicSub, account);
    assert.match(String(pairwise), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(pairwise, account);
    assert.equal(sibling, pairwise, 'same sector, same sub');
    assert.notEqual(stranger, pairwise, 'another sector, another sub');
    assert.equal((await tokensFor(tp, PAIRWISE)).claims.sub, pairwise, 'stable');
  });

  test('userinfo and introspection speak of the same pairwise sub as the ID token', async () => {
    const tp = await setup();
    const { body, claims } = await tokensFor(tp, PAIRWISE);
    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(body.access_token)}` } }));
    const info = (await userinfo.json()) as Record<string, unknown>;
    assert.equal(info.sub, claims.sub);
    assert.equal(info.email, ALICE.email);
    const introspection = await postForm(tp, '/introspect', { token: String(body.access_token) }, { authorization: basicAuth('pairwise', SEED_SECRET) });
    assert.equal(introspection.body.sub, claims.sub);
  });

  test('a JWT access token for a resource server carries the same pairwise sub as the ID token', async () => {
    const tp = await setup();
    await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: 'https://api.example', scope: 'api:read', access_token_format: 'jwt' }, tp.clock));
    const code = await obtainCode(tp, { client_id: 'pairwise', scope: 'openid api:read', resource: 'https://api.example' });
    const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('pairwise', SEED_SECRET) });
    const idSub = decodeJwt(String(body.id_token)).sub;
    assert.notEqual(idSub, tp.accounts[0]!.sub);
    assert.equal(decodeJwt(String(body.access_token)).sub, idSub);
  });

  test('a pairwise id_token_hint names the signed-in user: prompt=none answers, and logout needs no confirmation', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    const { body } = await tokensFor(tp, PAIRWISE, jar);
    const silent = await tp.provider.fetch(new Request(authorizeUrl({
      client_id: 'pairwise', redirect_uri: 'https://rp.example/cb', response_type: 'code', scope: 'openid email', prompt: 'none', id_token_hint: String(body.id_token),
    }), { headers: { cookie: jar.header() } }));
    assert.equal(silent.status, 302);
    assert.ok(new URL(silent.headers.get('location')!).searchParams.get('code'), 'a code, not login_required');

    const logout = await tp.provider.fetch(new Request(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: String(body.id_token) })}`, { headers: { cookie: jar.header() } }));
    assert.equal(logout.status, 200);
    assert.doesNotMatch(await logout.text(), /Sign out\?/, 'no confirmation page');
  });
});

describe('sector_identifier_uri', () => {
  const SECTOR_URI = 'https://sector.example/redirects.json';

  /** Serves `document` at SECTOR_URI with `status`, and records the requests. */
  function sectorHost(document: string, status = 200) {
    const requested: string[] = [];
    const transport: OutboundTransport = async (url) => {
      requested.push(url.href);
      if (url.href !== SECTOR_URI) return new Response('not found', { status: 404 });
      return new Response(document, { status, headers: { 'content-type': 'application/json' } });
    };
    return { transport, requested };
  }

  async function register(tp: TestProvider, metadata: Record<string, unknown>) {
    const response = await tp.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) }));
    return { response, body: (await response.json()) as Record<string, unknown> };
  }

  test('a document listing every redirect URI → registered; the sector is its host, shared across redirect hosts', async () => {
    const host = sectorHost(JSON.stringify(['https://one.example/cb', 'https://two.example/cb']));
    const tp = await setup(host.transport);
    const first = await register(tp, { redirect_uris: ['https://one.example/cb'], subject_type: 'pairwise', sector_identifier_uri: SECTOR_URI });
    assert.equal(first.response.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.sector_identifier_uri, SECTOR_URI);
    assert.equal(first.body.subject_type, 'pairwise');
    const second = await register(tp, { redirect_uris: ['https://two.example/cb'], subject_type: 'pairwise', sector_identifier_uri: SECTOR_URI });
    assert.equal(second.response.status, 201);
    assert.deepEqual(host.requested, [SECTOR_URI, SECTOR_URI]);

    const one = { client_id: String(first.body.client_id), redirect_uris: ['https://one.example/cb'] };
    const two = { client_id: String(second.body.client_id), redirect_uris: ['https://two.example/cb'] };
    const subOf = async (client: typeof one, secret: string) => {
      const code = await obtainCode(tp, { client_id: client.client_id, scope: 'openid', redirect_uri: client.redirect_uris[0]! });
      const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: client.redirect_uris[0]! }, { authorization: basicAuth(client.client_id, secret) });
      return decodeJwt(String(body.id_token)).sub;
    };
    assert.equal(await subOf(one, String(first.body.client_secret)), await subOf(two, String(second.body.client_secret)));
  });

  test('documents that do not vouch for the client → 400 invalid_client_metadata, nothing registered', async () => {
    const cases: [string, number, string][] = [
      [JSON.stringify(['https://other.example/cb']), 200, 'sector_identifier_uri does not list redirect URI https://one.example/cb'],
      [JSON.stringify({ redirect_uris: ['https://one.example/cb'] }), 200, 'sector_identifier_uri must hold a JSON array of URIs'],
      ['not json', 200, 'sector_identifier_uri must hold a JSON array of URIs'],
      ['[]', 404, 'sector_identifier_uri answered 404'],
    ];
    for (const [document, status, description] of cases) {
      const tp = await setup(sectorHost(document, status).transport);
      const { response, body } = await register(tp, { redirect_uris: ['https://one.example/cb'], subject_type: 'pairwise', sector_identifier_uri: SECTOR_URI });
      assert.equal(response.status, 400, description);
      assert.deepEqual(body, { error: 'invalid_client_metadata', error_description: description });
      assert.equal((await tp.provider.context.storage.clients.list({ limit: 10 })).items.length, 6, 'only the fixture clients and the two consoles\' own');
    }
  });

  test('an unreachable sector host → 400 invalid_client_metadata saying why', async () => {
    const tp = await setup(async () => {
      throw new TypeError('fetch failed');
    });
    const { response, body } = await register(tp, { redirect_uris: ['https://one.example/cb'], subject_type: 'pairwise', sector_identifier_uri: SECTOR_URI });
    assert.equal(response.status, 400);
    assert.deepEqual(body, { error: 'invalid_client_metadata', error_description: 'sector_identifier_uri could not be fetched: request to https://sector.example failed' });
  });
});
