/** Client ID metadata documents: an https URL as client_id, its metadata fetched from that URL. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import type { OutboundTransport } from '../http/outbound.js';
import { ALICE, authorizeUrl, CookieJar, ISSUER, PKCE, postForm, runBrowserlessFlow, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { isMetadataDocumentUrl } from './client-id-metadata-document.js';

const CB = 'https://rp.example/cb';
const CLIENT_ID = 'https://app.example/oauth/client.json';
const DOCUMENT = { client_id: CLIENT_ID, client_name: 'Example App', redirect_uris: [CB], grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none' };

/** A provider whose outbound requests get `serve(url)`; `fetched` lists what was asked. */
async function setup(serve: (url: string) => Response, config: Record<string, unknown> = { clientIdMetadataDocuments: true }) {
  const fetched: string[] = [];
  const transport: OutboundTransport = async (url) => {
    fetched.push(url.href);
    return serve(url.href);
  };
  const tp = await testProvider({ accounts: [ALICE], clients: [{ client_id: 'https://admin.example/app', client_secret: '37b1c4ff826f8d78bd45e25bad75a2c0' }], config, outboundTransport: transport });
  return { tp, fetched };
}

function json(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });
}

/** Alice signs in and allows; the consent page's HTML and the code. */
async function authorize(tp: TestProvider, client_id = CLIENT_ID) {
  let consent = '';
  const result = await runBrowserlessFlow(
    async (request) => {
      const response = await tp.provider.fetch(request);
      const text = response.headers.get('content-type')?.startsWith('text/html') ? await response.clone().text() : '';
      if (text.includes('value="allow"')) consent = text;
      return response;
    },
    authorizeUrl({ response_type: 'code', client_id, redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' }),
    { credentials: { username: String(ALICE.username), password: String(ALICE.password) }, decision: 'allow', jar: new CookieJar() },
  );
  return { consent, result, code: result.redirect?.searchParams.get('code') ?? undefined };
}

/** The error page an /authorize request gets before anything can be sent to the client. */
async function errorPage(tp: TestProvider, client_id: string): Promise<string> {
  const response = await tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id, redirect_uri: CB, scope: 'openid' }), { redirect: 'manual' }));
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null, 'never a redirect');
  return response.text();
}

describe('client ID metadata documents', () => {
  test('new document clients count against the address\'s quota of new clients (as open registration): past it → 429 before any fetch, at /authorize and at /par; a known one refetched is not counted; another address goes on', async () => {
    const document = (url: string) => json({ ...DOCUMENT, client_id: url }, { 'cache-control': 'max-age=60' });
    const { tp, fetched } = await setup((url) => document(url), { clientIdMetadataDocuments: true, registrationMaxPerAddress: 3 });
    const visit = (n: number, remoteAddress: string) =>
      tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', client_id: `https://app${n}.example/client.json`, redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' })), { remoteAddress });
    assert.equal((await visit(1, '198.51.100.7')).status, 303);
    assert.equal((await visit(2, '198.51.100.7')).status, 303);
    tp.clock.advance(61);
    assert.equal((await visit(1, '198.51.100.7')).status, 303, 'a stale copy is fetched again within the window');
    assert.equal((await visit(3, '198.51.100.7')).status, 303, 'the refetch was not counted as a new client');
    const refused = await visit(4, '198.51.100.7');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('location'), null, 'an error page, never a redirect');
    assert.match(await refused.text(), /too many clients registered from this address/);
    const par = await tp.provider.fetch(new Request(`${ISSUER}/par`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'https://app5.example/client.json', response_type: 'code', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' }) }), { remoteAddress: '198.51.100.7' });
    assert.equal(par.status, 429);
    assert.equal(((await par.json()) as { error: string }).error, 'temporarily_unavailable');
    assert.deepEqual(fetched, ['https://app1.example/client.json', 'https://app2.example/client.json', 'https://app1.example/client.json', 'https://app3.example/client.json'], 'nothing fetched past the quota');
    assert.equal((await visit(4, '198.51.100.8')).status, 303, 'another address');
    tp.clock.advance(61);
    assert.equal((await visit(2, '198.51.100.7')).status, 303, 'a known client is fetched again with the quota spent');
  });

  test('a public client known by its URL: fetched once, signs a user in with PKCE, the consent page names its host, the token and a refresh work; discovery says so', async () => {
    const { tp, fetched } = await setup(() => json(DOCUMENT));
    const metadata = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.equal(metadata.client_id_metadata_document_supported, true);

    const { consent, code } = await authorize(tp);
    assert.ok(consent.includes('Example App (app.example)'), 'the consent page names the client with its host');
    assert.ok(code, 'a code');
    const tokens = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, client_id: CLIENT_ID, code_verifier: PKCE.code_verifier });
    assert.equal(tokens.response.status, 200);
    const refreshed = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token), client_id: CLIENT_ID });
    assert.equal(refreshed.response.status, 200);
    assert.deepEqual(fetched, [CLIENT_ID], 'one fetch: the copy is fresh for an hour');

    const stored = await tp.provider.context.storage.clients.find(CLIENT_ID);
    assert.equal(stored?.client_id_metadata_document, true);
    assert.equal(stored?.client_name, 'Example App');
    assert.deepEqual(tp.events.find((event) => event.name === 'client.registered')?.data, { client_id: CLIENT_ID, origin: 'metadata_document' });
  });

  test('oauth4webapi as the client, its client_id the document URL: discovery, the code exchanged with PKCE, the ID token validated', async () => {
    const { tp } = await setup(() => json(DOCUMENT));
    const options = { [oauth.customFetch]: (url: string, init: RequestInit) => tp.provider.fetch(new Request(url, init)) };
    const issuer = new URL(ISSUER);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    assert.equal(as.client_id_metadata_document_supported, true);
    const rp: oauth.Client = { client_id: CLIENT_ID };
    const { code } = await authorize(tp);
    const callback = new URL(`${CB}?${new URLSearchParams({ code: code!, iss: ISSUER })}`);
    const params = oauth.validateAuthResponse(as, rp, callback);
    const result = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, oauth.None(), params, CB, PKCE.code_verifier, options));
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    assert.equal(claims.aud, CLIENT_ID);
    assert.equal(claims.sub, tp.accounts[0]!.sub);
  });

  test('a stale copy is fetched again (Cache-Control max-age): a redirect URI the document dropped no longer works; an administrator\'s disabling survives', async () => {
    let document: Record<string, unknown> = DOCUMENT;
    const { tp, fetched } = await setup(() => json(document, { 'cache-control': 'public, max-age=120' }));
    assert.ok((await authorize(tp)).code);
    document = { ...DOCUMENT, redirect_uris: ['https://rp.example/elsewhere'] };
    tp.clock.advance(60);
    assert.ok((await authorize(tp)).code, 'still fresh: the stored copy');
    tp.clock.advance(61);
    assert.match(await errorPage(tp, CLIENT_ID), /redirect_uri is not registered for this client/);
    assert.equal(fetched.length, 2);

    const stored = (await tp.provider.context.storage.clients.find(CLIENT_ID))!;
    await tp.provider.context.storage.clients.update({ ...stored, disabled: true });
    document = DOCUMENT;
    tp.clock.advance(121);
    assert.match(await errorPage(tp, CLIENT_ID), /disabled by the administrator/);
    assert.equal(fetched.length, 3, 'fetched again');
    assert.equal((await tp.provider.context.storage.clients.find(CLIENT_ID))?.disabled, true);
  });

  test('a document latchkey does not accept → an error page saying why, no client stored', async () => {
    const cases: [unknown, string][] = [
      [{ ...DOCUMENT, client_id: 'https://app.example/other.json' }, 'names another client_id than its URL'],
      [{ ...DOCUMENT, client_secret: 'shh' }, 'must not hold a client_secret'],
      [{ ...DOCUMENT, token_endpoint_auth_method: 'client_secret_basic' }, 'token_endpoint_auth_method must be none or private_key_jwt'],
      [{ ...DOCUMENT, skip_consent: true }, 'skip_consent can be set only by an administrator'],
      [[DOCUMENT], 'must be a JSON object'],
      [{ ...DOCUMENT, redirect_uris: ['http://evil.example/cb'] }, 'metadata document: redirect URI http://evil.example/cb must use https'],
    ];
    for (const [document, message] of cases) {
      const { tp } = await setup(() => json(document));
      assert.ok((await errorPage(tp, CLIENT_ID)).includes(message), message);
      assert.equal(await tp.provider.context.storage.clients.find(CLIENT_ID), undefined);
    }
    const answers: [() => Response, string][] = [
      [() => new Response('gone', { status: 404 }), 'answered 404'],
      [() => new Response('<html>', { status: 200 }), 'is not JSON'],
      [() => json({ ...DOCUMENT, padding: 'x'.repeat(6000) }), 'more than 5120 bytes'],
      [() => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/client.json' } }), 'redirected more than 0 times'],
    ];
    for (const [answer, message] of answers) {
      const { tp } = await setup(answer);
      assert.ok((await errorPage(tp, CLIENT_ID)).includes(message), message);
    }
  });

  test('what is not fetched: ids that are not document URLs, a client an administrator registered under a URL, and everything when the setting is off', async () => {
    for (const id of ['http://app.example/client.json', 'https://app.example/', 'https://app.example/c?x=1', 'https://app.example/a/../c', 'https://user@app.example/c', 'app']) {
      assert.equal(isMetadataDocumentUrl(id), false, id);
    }
    assert.equal(isMetadataDocumentUrl(CLIENT_ID), true);
    const { tp, fetched } = await setup(() => json(DOCUMENT));
    assert.match(await errorPage(tp, 'https://app.example/c?x=1'), /client_id is not a registered client/);
    await authorize(tp, 'https://admin.example/app');
    assert.deepEqual(fetched, [], 'no fetch for the administrator\'s client nor for a malformed id');

    const off = await setup(() => json(DOCUMENT), {});
    assert.match(await errorPage(off.tp, CLIENT_ID), /client_id is not a registered client/);
    assert.deepEqual(off.fetched, []);
  });
});
