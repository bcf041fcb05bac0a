/** The device authorization grant against the real server, with openid-client as the device. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';

describe('e2e: device authorization grant on a real server', () => {
  let server: TestServer;
  let sub: string;

  before(async () => {
    // A 1-second polling interval keeps the test short; openid-client waits it between polls.
    server = await startTestServer({ LATCHKEY_DEVICE_POLL_INTERVAL_SECONDS: '1' });
    sub = await server.createUser('alice', PASSWORD);
  });

  after(async () => {
    await server?.close();
  });

  test('e2e: openid-client — initiateDeviceAuthorization, the user approves at /device, pollDeviceAuthorizationGrant', async () => {
    const created = await server.cli(['clients', 'create'], JSON.stringify({
      client_name: 'TV app', token_endpoint_auth_method: 'none', grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    }));
    assert.equal(created.code, 0, created.stderr);
    const { client_id } = JSON.parse(created.stdout);
    const config = await client.discovery(new URL(server.issuer), client_id, undefined, client.None(), { execute: [client.allowInsecureRequests] });

    const device = await client.initiateDeviceAuthorization(config, { scope: 'openid offline_access' });
    assert.equal(device.interval, 1);
    const polling = client.pollDeviceAuthorizationGrant(config, device);

    const flow = await runBrowserlessFlow(fetch, device.verification_uri_complete!, {
      userCode: device.user_code,
      credentials: { username: 'alice', password: PASSWORD },
      decision: 'allow',
    });
    assert.deepEqual(flow.pages, ['device', 'login', 'consent']);

    const tokens = await polling;
    assert.equal(tokens.claims()!.sub, sub);
    assert.ok(tokens.refresh_token);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    assert.equal(refreshed.claims()!.sub, sub);
  });
});
