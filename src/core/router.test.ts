/** What the router adds to every endpoint: CORS on cross-origin endpoints, and the body limit. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FORM_BYTES } from '../http/params.js';
import { basicAuth, ISSUER, SEED_SECRET, testProvider } from '../../test/helpers/index.js';

const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], redirect_uris: [] };

function token(headers: Record<string, string>, body: BodyInit, init: RequestInit = {}): Request {
  return new Request(`${ISSUER}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, ...init });
}

test('router: a cross-origin endpoint answers with CORS headers, success and error alike; other endpoints without', async () => {
  const { provider } = await testProvider({ clients: [SERVICE] });
  const ok = await provider.fetch(token({ authorization: basicAuth('service', SEED_SECRET), origin: 'https://spa.example' }, 'grant_type=client_credentials'));
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), '*');
  assert.equal(ok.headers.get('access-control-expose-headers'), 'WWW-Authenticate, DPoP-Nonce');
  assert.equal(ok.headers.get('cache-control'), 'no-store');

  const refused = await provider.fetch(token({ authorization: basicAuth('service', 'wrong'), origin: 'https://spa.example' }, 'grant_type=client_credentials'));
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('access-control-allow-origin'), '*', 'a script must be able to read the error');
  assert.equal(refused.headers.get('access-control-expose-headers'), 'WWW-Authenticate, DPoP-Nonce');
  assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);

  const introspection = await provider.fetch(new Request(`${ISSUER}/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('service', SEED_SECRET) }, body: 'token=x' }));
  assert.equal(introspection.status, 200);
  assert.equal(introspection.headers.get('access-control-allow-origin'), null, 'introspection is for resource servers, not browsers');
});

test('router: a CORS preflight → 204 with the allowed methods and headers', async () => {
  const { provider } = await testProvider();
  const response = await provider.fetch(new Request(`${ISSUER}/token`, {
    method: 'OPTIONS',
    headers: { origin: 'https://spa.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  }));
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.equal(response.headers.get('access-control-allow-methods'), 'GET,POST,PUT,DELETE');
  assert.equal(response.headers.get('access-control-allow-headers'), 'Authorization,Content-Type,DPoP');
  assert.equal(response.headers.get('access-control-max-age'), '600');
});

test(`router: a body over ${MAX_FORM_BYTES} bytes → 413, whether its length is declared or streamed`, async () => {
  const { provider } = await testProvider({ clients: [SERVICE] });
  const large = `grant_type=client_credentials&pad=${'x'.repeat(MAX_FORM_BYTES)}`;
  const declared = await provider.fetch(token({ authorization: basicAuth('service', SEED_SECRET), 'content-length': String(large.length) }, large));
  assert.equal(declared.status, 413);
  assert.deepEqual(await declared.json(), { error: 'invalid_request', error_description: 'request body is too large' });

  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(MAX_FORM_BYTES / 2)));
      controller.close();
    },
  });
  const streamed = await provider.fetch(token({ authorization: basicAuth('service', SEED_SECRET) }, stream, { duplex: 'half' } as RequestInit));
  assert.equal(streamed.status, 413);

  const small = await provider.fetch(token({ authorization: basicAuth('service', SEED_SECRET) }, 'grant_type=client_credentials'));
  assert.equal(small.status, 200);
});
