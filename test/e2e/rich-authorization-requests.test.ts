/**
 * Rich authorization requests (RFC 9396) against the real server (HTTP, SQLite file): the types
 * and their JSON Schemas from the environment, clients created by the real CLI; oauth4webapi and
 * openid-client as the clients.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { E2E_PASSWORD as PASSWORD, E2E_REDIRECT_URI as REDIRECT_URI, serverForSuite } from '../helpers/server.js';

const insecure = { [oauth.allowInsecureRequests]: true };

const TYPES = {
  payment_initiation: {
    type: 'object',
    required: ['type', 'instructedAmount', 'creditorName'],
    properties: {
      type: { const: 'payment_initiation' },
      actions: { type: 'array', items: { enum: ['initiate', 'status', 'cancel'] } },
      instructedAmount: { type: 'object', required: ['currency', 'amount'], properties: { currency: { type: 'string', pattern: '^[A-Z]{3}$' }, amount: { type: 'string' } }, additionalProperties: false },
      creditorName: { type: 'string' },
    },
    additionalProperties: false,
  },
  account_information: true,
};
const PAYMENT = { type: 'payment_initiation', actions: ['initiate'], instructedAmount: { currency: 'EUR', amount: '42.00' }, creditorName: 'Merchant A' };
const ACCOUNTS = { type: 'account_information', actions: ['list_accounts'] };

describe('e2e: rich authorization requests on a real server', () => {
  const e2e = serverForSuite({ LATCHKEY_AUTHORIZATION_DETAILS_TYPES: JSON.stringify(TYPES) });

  test('e2e: oauth4webapi — a payment pushed with PAR is approved on the consent page; the token response and introspection carry it', async () => {
    const registration = await e2e.server.createClient({ redirect_uris: [REDIRECT_URI], authorization_details_types: ['payment_initiation'] });
    const issuer = new URL(e2e.server.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    assert.deepEqual(as.authorization_details_types_supported, ['payment_initiation', 'account_information']);
    const rp: oauth.Client = { client_id: registration.client_id! };
    const auth = oauth.ClientSecretBasic(registration.client_secret!);
    const verifier = oauth.generateRandomCodeVerifier();
    const pushedResponse = await oauth.pushedAuthorizationRequest(as, rp, auth, {
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      authorization_details: JSON.stringify([PAYMENT]),
    }, insecure);
    const pushed = await oauth.processPushedAuthorizationResponse(as, rp, pushedResponse);

    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, request_uri: pushed.request_uri }).toString();
    let consentPage = '';
    const flow = await runBrowserlessFlow(
      async (request) => {
        const response = await fetch(request);
        const text = response.headers.get('content-type')?.startsWith('text/html') ? await response.clone().text() : '';
        if (text.includes('value="allow"')) consentPage = text;
        return response;
      },
      url.href,
      { credentials: { username: 'alice', password: PASSWORD }, decision: 'allow' },
    );
    assert.ok(consentPage.includes('payment_initiation') && consentPage.includes('42.00') && consentPage.includes('Merchant A'), 'the consent page shows the payment');

    const params = oauth.validateAuthResponse(as, rp, flow.redirect!);
    const result = await oauth.processAuthorizationCodeResponse(as, rp, await oauth.authorizationCodeGrantRequest(as, rp, auth, params, REDIRECT_URI, verifier, insecure));
    assert.deepEqual(result.authorization_details, [PAYMENT]);
    const introspection = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, auth, result.access_token, insecure));
    assert.equal(introspection.active, true);
    assert.deepEqual(introspection.authorization_details, [PAYMENT]);

    // A payment the schema refuses never reaches the user: PAR answers invalid_authorization_details.
    const refused = await oauth.pushedAuthorizationRequest(as, rp, auth, { redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', authorization_details: JSON.stringify([{ ...PAYMENT, instructedAmount: { currency: 'euro', amount: '1' } }]) }, insecure);
    await assert.rejects(oauth.processPushedAuthorizationResponse(as, rp, refused), (error: unknown) => (error as { error?: string }).error === 'invalid_authorization_details');
  });

  test('e2e: openid-client — client credentials with authorization_details; a type the client is not registered for is refused', async () => {
    const service = await e2e.server.createClient({ grant_types: ['client_credentials'], authorization_details_types: ['account_information'] });
    const config = await client.discovery(new URL(e2e.server.issuer), service.client_id!, undefined, client.ClientSecretBasic(service.client_secret!), { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(config, { authorization_details: JSON.stringify([ACCOUNTS]) });
    assert.deepEqual(tokens.authorization_details, [ACCOUNTS]);
    await assert.rejects(client.clientCredentialsGrant(config, { authorization_details: JSON.stringify([PAYMENT]) }), (error: unknown) => (error as { error?: string }).error === 'invalid_authorization_details');
  });
});
