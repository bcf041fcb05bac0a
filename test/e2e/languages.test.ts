/**
 * The pages' languages on a real server (`LATCHKEY_UI_LOCALES=en,de,fr`) with a real relying-party
 * library: openid-client reads `ui_locales_supported`, asks for French pages with `ui_locales`,
 * and the French sign-in ends in tokens as any other; curl with `Accept-Language` gets the device
 * page in German.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as client from 'openid-client';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { curl, E2E_PASSWORD, E2E_REDIRECT_URI, serverForSuite } from '../helpers/server.js';

describe('e2e: languages of the pages on a real server', () => {
  const e2e = serverForSuite({ LATCHKEY_UI_LOCALES: 'en,de,fr' });

  test('e2e: openid-client — ui_locales_supported, ui_locales=fr-CA fr → the French login and consent pages, then the code, tokens and an ID token', async () => {
    const registration = await e2e.server.createClient({ client_name: 'Photo Book', redirect_uris: [E2E_REDIRECT_URI] });
    const config = await client.discovery(new URL(e2e.server.issuer), registration.client_id!, undefined, client.ClientSecretBasic(registration.client_secret!), {
      execute: [client.allowInsecureRequests],
    });
    assert.deepEqual(config.serverMetadata().ui_locales_supported, ['en', 'de', 'fr']);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: E2E_REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      ui_locales: 'fr-CA fr',
    });

    const seen: string[] = [];
    const watching = async (request: Request) => {
      const response = await fetch(request);
      if (response.headers.get('content-type')?.startsWith('text/html')) seen.push(/<title>([^<]*)<\/title>/.exec(await response.clone().text())?.[1] ?? '');
      return response;
    };
    const flow = await runBrowserlessFlow(watching, url.href, { credentials: { username: 'alice', password: E2E_PASSWORD }, decision: 'allow' });
    assert.deepEqual(flow.pages, ['login', 'consent']);
    assert.deepEqual(seen, ['Se connecter', 'Autoriser Photo Book\u202F?']);
    assert.ok(flow.redirect);
    const tokens = await client.authorizationCodeGrant(config, flow.redirect, { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: true });
    assert.equal(tokens.claims()?.sub, e2e.sub);
  });

  test('e2e: curl with Accept-Language: de-AT → the device page in German; without it, in English', async () => {
    const german = await curl(['-H', 'Accept-Language: de-AT, en;q=0.5', `${e2e.server.issuer}/device`]);
    assert.match(german, /<html lang="de">/);
    assert.match(german, /<title>Gerät verbinden<\/title>/);
    assert.match(german, /name="user_code"/);
    const english = await curl([`${e2e.server.issuer}/device`]);
    assert.match(english, /<html lang="en">/);
    assert.match(english, /<title>Connect a device<\/title>/);
  });
});
