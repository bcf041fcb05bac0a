/** Rich authorization requests (RFC 9396): `authorization_details` from the request to the token, its introspection and its JWT. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify, UnsecuredJWT } from 'jose';
import { parseConfig, type ConfigInput } from '../core/config.js';
import { parseResourceServer } from '../core/resource-servers.js';
import {
  ALICE,
  assertOAuthError,
  authorizeUrl,
  basicAuth,
  CookieJar,
  formAction,
  hiddenInput,
  ISSUER,
  obtainCode,
  postForm,
  runBrowserlessFlow,
  SEED_SECRET,
  testProvider,
  type TestProvider,
} from '../../test/helpers/index.js';

const CB = 'https://rp.example/cb';
const PAYMENTS = 'https://payments.example/api';
const NOW = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

/** A payment initiation type after the one RFC 9396 §2 uses as its example: the schema an administrator would give. */
const PAYMENT_SCHEMA = {
  type: 'object',
  required: ['type', 'instructedAmount', 'creditorName'],
  properties: {
    type: { const: 'payment_initiation' },
    locations: { type: 'array', items: { type: 'string' } },
    actions: { type: 'array', items: { enum: ['initiate', 'status', 'cancel'] } },
    instructedAmount: {
      type: 'object',
      required: ['currency', 'amount'],
      properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' }, amount: { type: 'string', pattern: '^[0-9]+(\\.[0-9]{2})?$' } },
      additionalProperties: false,
    },
    creditorName: { type: 'string', maxLength: 140 },
    creditorAccount: { type: 'object', properties: { iban: { type: 'string' } }, required: ['iban'] },
  },
  additionalProperties: false,
};
const TYPES = { payment_initiation: PAYMENT_SCHEMA, account_information: true };

const PAYMENT = {
  type: 'payment_initiation',
  locations: ['https://payments.example/api/payments'],
  actions: ['initiate', 'status'],
  instructedAmount: { currency: 'EUR', amount: '123.50' },
  creditorName: 'Merchant A <b>Shop</b>',
  creditorAccount: { iban: 'DE02100100109307118603' },
};
const ACCOUNTS = { type: 'account_information', actions: ['list_accounts'], datatypes: ['balances'] };

const APP = { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'], refresh_token_rotation: true, authorization_details_types: ['payment_initiation', 'account_information'] };
/** Registered for no type. */
const PLAIN = { client_id: 'plain', client_secret: SEED_SECRET, grant_types: ['authorization_code'] };
const SERVICE = { client_id: 'service', client_secret: SEED_SECRET, grant_types: ['client_credentials'], redirect_uris: [], scope: 'payments:read', authorization_details_types: ['account_information'] };

async function setup(config: ConfigInput = { authorizationDetailsTypes: TYPES }): Promise<TestProvider> {
  const tp = await testProvider({ clients: [APP, PLAIN, SERVICE], accounts: [ALICE], config });
  await tp.provider.context.storage.resourceServers.create(parseResourceServer({ resource: PAYMENTS, scope: 'payments:read', access_token_format: 'jwt', access_token_signing_alg: 'ES256' }, tp.clock));
  return tp;
}

function details(...objects: unknown[]): string {
  return JSON.stringify(objects);
}

function authorize(tp: TestProvider, params: Record<string, string>, jar?: CookieJar): Promise<Response> {
  return tp.provider.fetch(new Request(authorizeUrl({ response_type: 'code', redirect_uri: CB, client_id: 'app', scope: 'openid', ...params }), { headers: jar ? { cookie: jar.header() } : {}, redirect: 'manual' }));
}

/** The error an authorization request was answered with at the redirect URI. */
function redirectError(response: Response): Record<string, string> {
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, CB);
  return Object.fromEntries(location.searchParams);
}

/** Alice signs in and stops at the consent page: its HTML, and a function that allows. */
async function consentPage(tp: TestProvider, params: Record<string, string>, jar = new CookieJar()) {
  const result = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', redirect_uri: CB, client_id: 'app', scope: 'openid', ...params }), {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    jar,
  });
  const html = await result.response.text();
  assert.ok(html.includes('value="allow"'), `the consent page, not ${result.response.status} ${html.slice(0, 200)}`);
  const allow = async (): Promise<string> => {
    let response = await tp.provider.fetch(
      new Request(formAction(html), { method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf_token: hiddenInput(html, 'csrf_token')!, decision: 'allow' }), redirect: 'manual' }),
    );
    for (let hop = 0; hop < 5 && !response.headers.get('location')?.startsWith(CB); hop += 1) {
      jar.store(response);
      response = await tp.provider.fetch(new Request(new URL(response.headers.get('location')!, ISSUER), { headers: { cookie: jar.header() }, redirect: 'manual' }));
    }
    const code = new URL(response.headers.get('location')!).searchParams.get('code');
    assert.ok(code, `a code, not ${response.headers.get('location')}`);
    return code;
  };
  return { html, allow, jar };
}

function redeem(tp: TestProvider, code: string, fields: Record<string, string> = {}) {
  return postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: CB, ...fields }, { authorization: basicAuth('app', SEED_SECRET) });
}

function refresh(tp: TestProvider, refresh_token: string, fields: Record<string, string> = {}) {
  return postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token, ...fields }, { authorization: basicAuth('app', SEED_SECRET) });
}

async function introspect(tp: TestProvider, token: string, client_id = 'app') {
  return (await postForm(tp, '/introspect', { token }, { authorization: basicAuth(client_id, SEED_SECRET) })).body;
}

describe('rich authorization requests (RFC 9396)', () => {
  test('code flow: the consent page shows every detail, the token response, introspection and the JWT access token carry them as sent', async () => {
    const tp = await setup();
    const { html, allow } = await consentPage(tp, { authorization_details: details(PAYMENT, ACCOUNTS), resource: PAYMENTS });
    for (const shown of ['payment_initiation', '123.50', 'EUR', 'initiate, status', 'DE02100100109307118603', 'account_information', 'list_accounts', 'balances']) {
      assert.ok(html.includes(shown), `the consent page shows ${shown}`);
    }
    assert.ok(html.includes('Merchant A &lt;b&gt;Shop&lt;/b&gt;') && !html.includes('<b>Shop</b>'), 'what the client sent is shown as text, never as markup');

    const code = await allow();
    const { response, body } = await redeem(tp, code);
    assert.equal(response.status, 200);
    assert.deepEqual(body.authorization_details, [PAYMENT, ACCOUNTS]);

    const jwks = createLocalJWKSet(await (await tp.provider.fetch(new Request(`${ISSUER}/jwks`))).json());
    const { payload } = await jwtVerify(String(body.access_token), jwks, { issuer: ISSUER, audience: PAYMENTS, currentDate: new Date(NOW * 1000) });
    assert.deepEqual(payload.authorization_details, [PAYMENT, ACCOUNTS]);
    assert.deepEqual((await introspect(tp, String(body.access_token))).authorization_details, [PAYMENT, ACCOUNTS]);
    assert.deepEqual((await introspect(tp, String(body.refresh_token))).authorization_details, [PAYMENT, ACCOUNTS]);
  });

  test('token endpoint: authorization_details asks for some of those granted (RFC 9396 §6) — at the code exchange and at a refresh; the refresh token keeps them all; one not granted is refused', async () => {
    const tp = await setup();
    const code = await (await consentPage(tp, { authorization_details: details(PAYMENT, ACCOUNTS) })).allow();
    const first = await redeem(tp, code, { authorization_details: details(ACCOUNTS) });
    assert.equal(first.response.status, 200);
    assert.deepEqual(first.body.authorization_details, [ACCOUNTS]);
    assert.deepEqual((await introspect(tp, String(first.body.access_token))).authorization_details, [ACCOUNTS]);
    assert.deepEqual((await introspect(tp, String(first.body.refresh_token))).authorization_details, [PAYMENT, ACCOUNTS], 'the refresh token holds the whole grant');

    // The same object with its keys in another order is the same object.
    const reordered = { creditorAccount: PAYMENT.creditorAccount, instructedAmount: { amount: '123.50', currency: 'EUR' }, creditorName: PAYMENT.creditorName, actions: PAYMENT.actions, locations: PAYMENT.locations, type: PAYMENT.type };
    const narrowed = await refresh(tp, String(first.body.refresh_token), { authorization_details: details(reordered) });
    assert.equal(narrowed.response.status, 200);
    assert.deepEqual(narrowed.body.authorization_details, [reordered]);
    const whole = await refresh(tp, String(narrowed.body.refresh_token));
    assert.deepEqual(whole.body.authorization_details, [PAYMENT, ACCOUNTS], 'without the parameter, everything granted');

    const more = { ...PAYMENT, instructedAmount: { currency: 'EUR', amount: '9999.00' } };
    const refused = await refresh(tp, String(whole.body.refresh_token), { authorization_details: details(more) });
    assertOAuthError(refused.response, refused.body, 400, 'invalid_authorization_details', 'authorization_details[0] was not granted');
    const stillGood = await refresh(tp, String(whole.body.refresh_token));
    assert.equal(stillGood.response.status, 200, 'a refused narrowing spends nothing');

    const code2 = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
    const notGranted = await redeem(tp, code2, { authorization_details: details(ACCOUNTS) });
    assertOAuthError(notGranted.response, notGranted.body, 400, 'invalid_authorization_details', 'authorization_details[0] was not granted');
  });

  test('consent: a request with authorization details asks every time — never from a remembered consent; prompt=none → consent_required', async () => {
    const tp = await setup();
    const jar = new CookieJar();
    await (await consentPage(tp, { authorization_details: details(ACCOUNTS) }, jar)).allow();
    // The scopes are remembered: a plain request goes straight back with a code…
    const plain = await authorize(tp, {}, jar);
    assert.ok(new URL(plain.headers.get('location')!).searchParams.get('code'), 'a code without a consent page');
    // …but the same details again are asked again.
    const again = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', redirect_uri: CB, client_id: 'app', scope: 'openid', authorization_details: details(ACCOUNTS) }), { jar });
    assert.ok((await again.response.text()).includes('account_information'), 'the consent page again');
    assert.deepEqual(redirectError(await authorize(tp, { prompt: 'none', authorization_details: details(ACCOUNTS) }, jar)), { error: 'consent_required', error_description: 'the end-user has not consented', iss: ISSUER });
  });

  test('authorize: malformed or unacceptable authorization_details → invalid_authorization_details at the redirect URI, nothing asked of the user', async () => {
    const tp = await setup();
    const cases: [Record<string, string>, string][] = [
      [{ authorization_details: '{"type":"account_information"}' }, 'authorization_details must be a JSON array'],
      [{ authorization_details: 'not json' }, 'authorization_details must be a JSON array'],
      [{ authorization_details: '[]' }, 'authorization_details must hold at least one object'],
      [{ authorization_details: details(...Array.from({ length: 17 }, () => ACCOUNTS)) }, 'authorization_details may hold at most 16 objects'],
      [{ authorization_details: details('account_information') }, 'authorization_details[0] must be a JSON object'],
      [{ authorization_details: details(ACCOUNTS, { actions: ['x'] }) }, 'authorization_details[1].type must be a non-empty string'],
      [{ authorization_details: details({ type: 'tax_filing' }) }, 'authorization_details[0].type tax_filing is not supported'],
      [{ client_id: 'plain', authorization_details: details(ACCOUNTS) }, 'authorization_details[0].type account_information is not registered for this client (authorization_details_types)'],
      [{ authorization_details: details({ ...ACCOUNTS, locations: ['not a uri'] }) }, 'authorization_details[0].locations must be absolute URIs'],
      [{ authorization_details: details({ ...ACCOUNTS, actions: 'list_accounts' }) }, 'authorization_details[0].actions must be an array of strings'],
      [{ authorization_details: details({ ...ACCOUNTS, identifier: 7 }) }, 'authorization_details[0].identifier must be a string'],
      [{ authorization_details: details({ ...PAYMENT, instructedAmount: { currency: 'euro', amount: '1' } }) }, 'authorization_details[0].instructedAmount.currency: invalid string: must match pattern /^[A-Z]{3}$/'],
      [{ authorization_details: details({ type: 'payment_initiation', creditorName: 'A' }) }, 'authorization_details[0].instructedAmount: invalid input: expected object, received undefined'],
      [{ authorization_details: details({ ...PAYMENT, remittance: 'x' }) }, 'authorization_details[0]: unrecognized key: "remittance"'],
      [{ authorization_details: JSON.stringify([{ ...ACCOUNTS, note: 'x'.repeat(16 * 1024) }]) }, 'authorization_details is longer than 16384 characters'],
    ];
    for (const [params, description] of cases) {
      assert.deepEqual(redirectError(await authorize(tp, params)), { error: 'invalid_authorization_details', error_description: description, iss: ISSUER }, description);
    }
    assert.equal(tp.events.filter((event) => event.name === 'authorization_code.issued').length, 0);
  });

  test('without configured types: discovery names none, and authorization_details is refused, not ignored', async () => {
    const tp = await setup({});
    const metadata = (await (await tp.provider.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))).json()) as Record<string, unknown>;
    assert.equal(metadata.authorization_details_types_supported, undefined);
    assert.deepEqual(redirectError(await authorize(tp, { authorization_details: details(ACCOUNTS) })), {
      error: 'invalid_authorization_details',
      error_description: 'authorization_details[0].type account_information is not supported',
      iss: ISSUER,
    });

    const configured = await setup();
    const listed = (await (await configured.provider.fetch(new Request(`${ISSUER}/.well-known/oauth-authorization-server`))).json()) as Record<string, unknown>;
    assert.deepEqual(listed.authorization_details_types_supported, ['payment_initiation', 'account_information']);
  });

  test('client credentials: the token carries the details the client sent, checked as at /authorize; a bad one issues nothing', async () => {
    const tp = await setup();
    const ok = await postForm(tp, '/token', { grant_type: 'client_credentials', authorization_details: details(ACCOUNTS) }, { authorization: basicAuth('service', SEED_SECRET) });
    assert.equal(ok.response.status, 200);
    assert.deepEqual(ok.body.authorization_details, [ACCOUNTS]);
    assert.deepEqual((await introspect(tp, String(ok.body.access_token), 'service')).authorization_details, [ACCOUNTS]);

    const before = tp.events.filter((event) => event.name === 'access_token.issued').length;
    const refused = await postForm(tp, '/token', { grant_type: 'client_credentials', authorization_details: details(PAYMENT) }, { authorization: basicAuth('service', SEED_SECRET) });
    assertOAuthError(refused.response, refused.body, 400, 'invalid_authorization_details', 'authorization_details[0].type payment_initiation is not registered for this client (authorization_details_types)');
    assert.equal(tp.events.filter((event) => event.name === 'access_token.issued').length, before);
  });

  test('a request object carries authorization_details as a JSON array (RFC 9396 §3)', async () => {
    const tp = await setup();
    const request = new UnsecuredJWT({ client_id: 'app', response_type: 'code', redirect_uri: CB, scope: 'openid', authorization_details: [ACCOUNTS] }).setIssuer('app').setAudience(ISSUER).encode();
    const { html, allow } = await consentPage(tp, { request });
    assert.ok(html.includes('list_accounts'), 'the consent page shows the object of the request object');
    const { body } = await redeem(tp, await allow());
    assert.deepEqual(body.authorization_details, [ACCOUNTS]);
  });

  test('device flow: the details are shown to the user who approves, and the device\'s tokens carry them', async () => {
    const tp = await setup();
    const started = await postForm(tp, '/device_authorization', { scope: 'openid', authorization_details: details(ACCOUNTS) }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(started.response.status, 200);
    const refused = await postForm(tp, '/device_authorization', { scope: 'openid', authorization_details: details({ type: 'tax_filing' }) }, { authorization: basicAuth('app', SEED_SECRET) });
    assertOAuthError(refused.response, refused.body, 400, 'invalid_authorization_details', 'authorization_details[0].type tax_filing is not supported');

    let consentHtml = '';
    const fetchAndLook = async (request: Request) => {
      const response = await tp.provider.fetch(request);
      const text = response.headers.get('content-type')?.startsWith('text/html') ? await response.clone().text() : '';
      if (text.includes('value="allow"')) consentHtml = text;
      return response;
    };
    await runBrowserlessFlow(fetchAndLook, `${ISSUER}/device`, { userCode: String(started.body.user_code), credentials: { username: String(ALICE.username), password: String(ALICE.password) }, decision: 'allow' });
    assert.ok(consentHtml.includes('account_information') && consentHtml.includes('list_accounts'), 'the approval page lists the details');
    const tokens = await postForm(tp, '/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(started.body.device_code) }, { authorization: basicAuth('app', SEED_SECRET) });
    assert.equal(tokens.response.status, 200);
    assert.deepEqual(tokens.body.authorization_details, [ACCOUNTS]);
  });

  test('configuration: types as a JSON object from the environment; a schema latchkey cannot apply is refused at start', () => {
    assert.deepEqual(parseConfig({ authorizationDetailsTypes: JSON.stringify(TYPES) } as ConfigInput).authorizationDetailsTypes, TYPES);
    assert.throws(() => parseConfig({ authorizationDetailsTypes: 'payment_initiation' } as ConfigInput), /authorizationDetailsTypes \(LATCHKEY_AUTHORIZATION_DETAILS_TYPES\): must be a JSON object/);
    assert.throws(() => parseConfig({ authorizationDetailsTypes: { payment_initiation: { type: 'money' } } } as ConfigInput), /payment_initiation: not a JSON Schema latchkey can apply/);
    assert.throws(() => parseConfig({ authorizationDetailsTypes: { payment_initiation: false } } as ConfigInput), /payment_initiation: false would accept nothing/);
  });
});
