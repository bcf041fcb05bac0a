import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin } from '../../../test/helpers/admin.js';
import { ALICE, assertOAuthError, basicAuth, codeFlowTokens, obtainCode, postForm, SEED_SECRET, testProvider } from '../../../test/helpers/index.js';

async function setup() {
  const tp = await testProvider({
    clients: [
      { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] },
      { client_id: 'blog', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] },
    ],
    accounts: [ALICE],
  });
  return { tp, token: await adminClientToken(tp), sub: tp.accounts[0]!.sub };
}

async function isActive(tp: Awaited<ReturnType<typeof setup>>['tp'], client_id: string, token: string): Promise<boolean> {
  const { body } = await postForm(tp, '/introspect', { token }, { authorization: basicAuth(client_id, SEED_SECRET) });
  return body.active === true;
}

test('admin consents: list by user and by client; revoking one revokes the tokens of that client only', async () => {
  const { tp, token, sub } = await setup();
  const app = await codeFlowTokens(tp, 'app');
  const blog = await codeFlowTokens(tp, 'blog');
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/consents?sub=${sub}`)).body.items.map((c: { client_id: string }) => c.client_id), ['app', 'blog']);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/consents?client_id=blog')).body.items.map((c: { sub: string }) => c.sub), [sub]);

  assert.equal((await callAdmin(tp, token, 'DELETE', `/consents/${sub}/app`)).status, 204);
  assert.equal(await isActive(tp, 'app', String(app.access_token)), false);
  const refreshed = await postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(app.refresh_token) }, { authorization: basicAuth('app', SEED_SECRET) });
  assert.equal(refreshed.body.error, 'invalid_grant');
  assert.equal(await isActive(tp, 'blog', String(blog.access_token)), true);
  assert.deepEqual((await callAdmin(tp, token, 'GET', `/consents?sub=${sub}`)).body.items.map((c: { client_id: string }) => c.client_id), ['blog']);
  assert.deepEqual((await callAdmin(tp, token, 'DELETE', `/consents/${sub}/app`)).body, { error: 'not_found', error_description: `no consent of ${sub} to app` });
});

test('admin consents: a code issued before the consent was withdrawn yields nothing', async () => {
  const { tp, token, sub } = await setup();
  const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
  assert.equal((await callAdmin(tp, token, 'DELETE', `/consents/${sub}/app`)).status, 204);
  const exchanged = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', SEED_SECRET) });
  assertOAuthError(exchanged.response, exchanged.body, 400, 'invalid_grant', 'authorization code is invalid');
});

test('admin sessions: list, end → 204; the session’s tokens are revoked; unknown → 404', async () => {
  const { tp, token, sub } = await setup();
  const app = await codeFlowTokens(tp, 'app');
  const sessions = await callAdmin(tp, token, 'GET', '/sessions');
  assert.equal(sessions.body.items.length, 1);
  assert.equal(sessions.body.items[0].sub, sub);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/sessions?sub=someone-else')).body, { items: [] });

  const id = sessions.body.items[0].id as string;
  assert.equal((await callAdmin(tp, token, 'DELETE', `/sessions/${id}`)).status, 204);
  assert.deepEqual((await callAdmin(tp, token, 'GET', '/sessions')).body, { items: [] });
  assert.equal(await isActive(tp, 'app', String(app.access_token)), false);
  assert.deepEqual((await callAdmin(tp, token, 'DELETE', `/sessions/${id}`)).body, { error: 'not_found', error_description: `no session ${id}` });
  const ended = tp.events.find((event) => event.name === 'session.ended');
  assert.equal(ended?.data.actor, 'client:ops-robot');
});
