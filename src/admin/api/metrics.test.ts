import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin } from '../../../test/helpers/admin.js';
import { ALICE, obtainCode, postForm, testProvider } from '../../../test/helpers/index.js';

const CLIENT = { client_id: 'shop', client_secret: 'shop-secret-0123456789abcdef0123456789' };

test('admin api: metrics/dashboard without a token → 401 invalid_token', async () => {
  const tp = await testProvider();
  const answer = await callAdmin(tp, undefined, 'GET', '/metrics/dashboard');
  assert.equal(answer.status, 401);
  assert.equal(answer.body.error, 'invalid_token');
});

test('admin api: metrics/dashboard → the last 60 minutes of tokens by grant, logins, sessions and HTTP responses, as documented', async () => {
  const tp = await testProvider({ accounts: [ALICE], clients: [CLIENT] });
  const token = await adminClientToken(tp); // a client_credentials token: counted too
  await postForm(tp, '/token', { grant_type: 'authorization_code', code: 'nope' }); // a 401: no client authentication
  const login = await obtainCode(tp, { client_id: 'shop', scope: 'openid' });
  assert.ok(login);

  const answer = await callAdmin(tp, token, 'GET', '/metrics/dashboard');
  assert.equal(answer.status, 200);
  const { minutes, series, totals, active_sessions, now } = answer.body;
  assert.equal(now, tp.clock.now());
  assert.equal(minutes.length, 60);
  assert.equal(minutes[59], now - (now % 60), 'the window ends at the current minute');
  assert.equal(minutes[0], minutes[59] - 59 * 60);
  assert.equal(totals.tokens_issued.client_credentials, 1);
  assert.equal(series.tokens_issued.client_credentials[59], 1);
  assert.equal(totals.logins.succeeded, 1);
  assert.equal(totals.sessions.started, 1);
  assert.equal(active_sessions, 1);
  assert.ok(totals.http.requests >= 5, `requests counted: ${totals.http.requests}`);
  assert.ok(totals.http.client_errors >= 1, 'the refused token request is a 4xx');
  assert.equal(totals.http.server_errors, 0);
});

test('admin api: metrics/dashboard?minutes= picks the window; out of range → 400 naming minutes', async () => {
  const tp = await testProvider();
  const token = await adminClientToken(tp);
  assert.equal((await callAdmin(tp, token, 'GET', '/metrics/dashboard?minutes=5')).body.minutes.length, 5);
  for (const minutes of ['0', '1441', 'ten']) {
    const answer = await callAdmin(tp, token, 'GET', `/metrics/dashboard?minutes=${minutes}`);
    assert.equal(answer.status, 400, minutes);
    assert.equal(answer.body.field, 'minutes');
  }
});
