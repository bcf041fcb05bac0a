/** Software statements at /register (RFC 7591 §2.3, §3.1.1): verified against an approved publisher's keys, their claims the client's metadata. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { registerClient, updateClient } from '../core/client-registration.js';
import type { ConfigInput } from '../core/config.js';
import type { OutboundTransport } from '../http/outbound.js';
import { ISSUER, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { digestSecret } from '../util/digest.js';

const publisher = await generateKeyPair('ES256', { extractable: true });
const rotated = await generateKeyPair('ES256', { extractable: true });
const stranger = await generateKeyPair('ES256', { extractable: true });
const PUBLISHER = 'https://publisher.example';
const REMOTE_PUBLISHER = 'https://remote-publisher.example';
const PUBLISHER_JWKS_URI = 'https://remote-publisher.example/jwks.json';
const publisherJwks = { keys: [{ ...(await exportJWK(publisher.publicKey)), kid: 'publisher-1' }] };

/** The test provider's clock. */
const NOW = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

/** What the publisher vouches for. */
const VOUCHED = { software_id: 'b7d9c0f4-shop', software_version: '4.2', client_name: 'Shop (vouched)', redirect_uris: ['https://shop.example/cb'] };

function statement(claims: JWTPayload = {}, options: { iss?: string; key?: CryptoKey; kid?: string } = {}): Promise<string> {
  return new SignJWT({ iss: options.iss ?? PUBLISHER, iat: NOW, exp: NOW + 3600, ...VOUCHED, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'publisher-1' })
    .sign(options.key ?? publisher.privateKey);
}

/** The remote publisher's JWK Set, as the test's transport serves it (changeable), and how often it was fetched. */
function publisherHost() {
  const served = { jwks: publisherJwks as { keys: unknown[] }, fetches: 0 };
  const transport: OutboundTransport = async (url) => {
    if (url.href !== PUBLISHER_JWKS_URI) return new Response('not found', { status: 404 });
    served.fetches += 1;
    return new Response(JSON.stringify(served.jwks), { headers: { 'content-type': 'application/json' } });
  };
  return { served, transport };
}

async function setup(config: ConfigInput = {}, transport?: OutboundTransport): Promise<TestProvider> {
  return testProvider({
    config: { softwareStatementIssuers: { [PUBLISHER]: publisherJwks, [REMOTE_PUBLISHER]: PUBLISHER_JWKS_URI }, ...config },
    ...(transport === undefined ? {} : { outboundTransport: transport }),
  });
}

async function register(tp: TestProvider, body: Record<string, unknown>, token?: string) {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  }));
  return { response, body: (await response.json()) as Record<string, unknown> };
}

async function initialToken(tp: TestProvider): Promise<string> {
  const token = `iat-${Math.random().toString(36).slice(2)}`;
  await tp.provider.context.storage.artifacts.put('initial_access_token', digestSecret(token), { issued_at: tp.clock.now() }, 3600);
  return token;
}

async function registeredClientIds(tp: TestProvider): Promise<string[]> {
  return (await tp.provider.context.storage.clients.list({ limit: 20 })).items.map((client) => client.client_id).filter((id) => !id.startsWith('latchkey-'));
}

describe('software statements (RFC 7591 §2.3)', () => {
  test('statement: an approved publisher\'s statement → its claims are the client\'s metadata, over what the request says beside it; the statement returned unmodified', async () => {
    const tp = await setup({ registration: 'open' });
    const software_statement = await statement();
    const { response, body } = await register(tp, { software_statement, client_name: 'What the request says', software_id: 'forged', redirect_uris: ['https://evil.example/cb'], grant_types: ['authorization_code', 'refresh_token'] });
    assert.equal(response.status, 201);
    assert.equal(body.client_name, 'Shop (vouched)');
    assert.equal(body.software_id, 'b7d9c0f4-shop');
    assert.equal(body.software_version, '4.2');
    assert.deepEqual(body.redirect_uris, ['https://shop.example/cb']);
    assert.deepEqual(body.grant_types, ['authorization_code', 'refresh_token'], 'what the statement does not say, the request may');
    assert.equal(body.software_statement, software_statement);
    assert.equal(body.iss, undefined, 'the JWT\'s own claims are not metadata');
    const stored = await tp.provider.context.storage.clients.find(String(body.client_id));
    assert.equal(stored?.software_statement, software_statement);
    // Read back through the client configuration endpoint (RFC 7592), as registered.
    const read = await tp.provider.fetch(new Request(String(body.registration_client_uri), { headers: { authorization: `Bearer ${String(body.registration_access_token)}` } }));
    assert.equal(((await read.json()) as Record<string, unknown>).software_statement, software_statement);
  });

  test('statement: a publisher known by its jwks_uri → its keys fetched (and fetched again for a key not seen yet: it rotated)', async () => {
    const host = publisherHost();
    const tp = await setup({ registration: 'open' }, host.transport);
    assert.equal((await register(tp, { software_statement: await statement({}, { iss: REMOTE_PUBLISHER }) })).response.status, 201);
    host.served.jwks = { keys: [{ ...(await exportJWK(rotated.publicKey)), kid: 'publisher-2' }] };
    tp.clock.advance(60);
    const afterRotation = await register(tp, { software_statement: await statement({}, { iss: REMOTE_PUBLISHER, key: rotated.privateKey, kid: 'publisher-2' }) });
    assert.equal(afterRotation.response.status, 201, JSON.stringify(afterRotation.body));
    assert.equal(host.served.fetches, 2);
  });

  test('statement: from anyone else, or not verifying → 400 unapproved_software_statement / invalid_software_statement, nothing registered', async () => {
    const tp = await setup({ registration: 'open' });
    const unsigned = new UnsecuredJWT({ ...VOUCHED }).setIssuer(PUBLISHER).setIssuedAt(NOW).encode();
    const cases: [unknown, string, string][] = [
      [await statement({}, { iss: 'https://someone-else.example', key: stranger.privateKey }), 'unapproved_software_statement', 'software statements of https://someone-else.example are not approved here'],
      [await new SignJWT({ ...VOUCHED }).setProtectedHeader({ alg: 'ES256' }).sign(publisher.privateKey), 'unapproved_software_statement', 'software_statement names no issuer (iss)'],
      [await statement({}, { key: stranger.privateKey }), 'invalid_software_statement', 'software_statement rejected: signature verification failed'],
      [await statement({}, { kid: 'publisher-9', key: stranger.privateKey }), 'invalid_software_statement', 'software_statement is signed with a key its publisher does not publish'],
      [unsigned, 'invalid_software_statement', 'software_statement must be signed with the publisher\'s key (RS, PS, ES 256–512 or EdDSA)'],
      [await statement({ exp: NOW - 120 }), 'invalid_software_statement', 'software_statement has expired'],
      [await statement({ nbf: NOW + 600 }), 'invalid_software_statement', 'software_statement is not valid yet (nbf)'],
      ['not-a-jwt', 'invalid_software_statement', 'software_statement is not a JWT'],
      [{ iss: PUBLISHER }, 'invalid_software_statement', 'software_statement must be a JWT'],
      [await statement({ redirect_uris: ['https://shop.example/cb#fragment'] }), 'invalid_redirect_uri', 'redirect URI https://shop.example/cb#fragment must not have a fragment'],
    ];
    for (const [software_statement, error, description] of cases) {
      const { response, body } = await register(tp, { software_statement, redirect_uris: ['https://rp.example/cb'] });
      assert.equal(response.status, 400, description);
      assert.deepEqual(body, { error, error_description: description });
    }
    assert.deepEqual(await registeredClientIds(tp), []);
  });

  test('registration software_statement: a statement registers without an initial access token; without one → 400; an initial access token alone is not enough', async () => {
    const tp = await setup({ registration: 'software_statement' });
    assert.equal((await register(tp, { software_statement: await statement() })).response.status, 201);
    const without = await register(tp, { redirect_uris: ['https://rp.example/cb'] }, await initialToken(tp));
    assert.equal(without.response.status, 400);
    assert.deepEqual(without.body, { error: 'invalid_software_statement', error_description: 'a software statement from an approved publisher is required to register a client here' });
    assert.equal((await registeredClientIds(tp)).length, 1);
  });

  test('registration initial_access_token: a statement does not replace the token; with one, it is verified and applied', async () => {
    const tp = await setup();
    assert.equal((await register(tp, { software_statement: await statement() })).response.status, 401);
    const { response, body } = await register(tp, { software_statement: await statement() }, await initialToken(tp));
    assert.equal(response.status, 201);
    assert.equal(body.software_id, 'b7d9c0f4-shop');
  });

  test('update (RFC 7592): a statement sent again is verified again and applied; a bad one changes nothing', async () => {
    const tp = await setup({ registration: 'open' });
    const { body: registered } = await register(tp, { software_statement: await statement() });
    const put = (body: Record<string, unknown>) => tp.provider.fetch(new Request(String(registered.registration_client_uri), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${String(registered.registration_access_token)}` },
      body: JSON.stringify({ client_id: registered.client_id, ...body }),
    }));
    const newer = await statement({ software_version: '4.3' });
    const updated = await put({ software_statement: newer, client_name: 'ignored beside the statement' });
    assert.equal(updated.status, 200);
    const shown = (await updated.json()) as Record<string, unknown>;
    assert.deepEqual([shown.software_version, shown.client_name, shown.software_statement], ['4.3', 'Shop (vouched)', newer]);
    const refused = await put({ software_statement: await statement({ software_version: '5.0' }, { key: stranger.privateKey }) });
    assert.equal(refused.status, 400);
    assert.equal((await tp.provider.context.storage.clients.find(String(registered.client_id)))?.software_version, '4.3');
  });

  test('an administrator\'s metadata: software_id and software_version kept, a software_statement ignored (only /register verifies one); an edit keeps the one a client registered with', async () => {
    const tp = await setup({ registration: 'open' });
    const { storage } = tp.provider.context;
    const deps = { storage, clock: tp.clock, secret: tp.provider.context.config.secret! };
    await registerClient({ client_id: 'admin-made', redirect_uris: ['https://rp.example/cb'], software_id: 'tool-1', software_version: '1.0', software_statement: await statement() }, deps, 'admin');
    const made = await storage.clients.find('admin-made');
    assert.deepEqual([made?.software_id, made?.software_version, made?.software_statement], ['tool-1', '1.0', undefined]);
    const software_statement = await statement();
    const { body } = await register(tp, { software_statement });
    const registered = (await storage.clients.find(String(body.client_id)))!;
    await updateClient(registered, { redirect_uris: ['https://shop.example/cb'], client_name: 'Renamed by an administrator', software_statement: 'forged' }, deps, 'admin');
    const edited = await storage.clients.find(registered.client_id);
    assert.deepEqual([edited?.client_name, edited?.software_statement], ['Renamed by an administrator', software_statement]);
  });

  test('configuration: softwareStatementIssuers a JSON object of publishers and their JWK Set URL or JWK Set; registration software_statement refused at start without any', async () => {
    await assert.rejects(testProvider({ config: { registration: 'software_statement' } }), /registration software_statement needs softwareStatementIssuers/);
    await assert.rejects(testProvider({ config: { softwareStatementIssuers: '{"https://p.example": "not a url"}' } }), /softwareStatementIssuers/);
    const fromEnvironment = await testProvider({ config: { softwareStatementIssuers: JSON.stringify({ [PUBLISHER]: publisherJwks }), registration: 'software_statement' } });
    assert.equal((await register(fromEnvironment, { software_statement: await statement() })).response.status, 201);
  });
});
