import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigInput } from '../../src/core/config.js';
import {
  ALICE, assertOAuthError, basicAuth, codeFlowTokens, ISSUER, postForm, SEED_SECRET, testProvider, type TestProvider,
} from '../../test/helpers/index.js';
import { createMemoryStorage } from '../storage/memory/index.js';

const GRANTS = ['authorization_code', 'refresh_token'];
const PUBLIC = { client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: GRANTS };
const WEB = { client_id: 'app', client_secret: SEED_SECRET, grant_types: GRANTS };
const ROTATING_WEB = { client_id: 'rotating', client_secret: SEED_SECRET, grant_types: GRANTS, refresh_token_rotation: true };

function setup(config: ConfigInput = {}): Promise<TestProvider> {
  return testProvider({ clients: [PUBLIC, WEB, ROTATING_WEB], accounts: [ALICE], config });
}

function refresh(tp: TestProvider, refreshToken: unknown, client_id = 'spa', extra: Record<string, string> = {}) {
  const fields = { grant_type: 'refresh_token', refresh_token: String(refreshToken), ...extra };
  return client_id === 'spa'
    ? postForm(tp, '/token', { ...fields, client_id })
    : postForm(tp, '/token', fields, { authorization: basicAuth(client_id, SEED_SECRET) });
}

async function userinfoStatus(tp: TestProvider, accessToken: unknown): Promise<number> {
  return (await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(accessToken)}` } }))).status;
}

describe('refresh tokens: rotation and reuse detection', () => {
  test('rotation: a public client gets a new refresh token on every refresh; the new one works', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const second = await refresh(tp, first.refresh_token);
    assert.equal(second.response.status, 200);
    assert.equal(typeof second.body.refresh_token, 'string');
    assert.notEqual(second.body.refresh_token, first.refresh_token);
    const third = await refresh(tp, second.body.refresh_token);
    assert.equal(third.response.status, 200);
    assert.notEqual(third.body.refresh_token, second.body.refresh_token);
  });

  test('rotation: a replaced refresh token presented after the grace window → invalid_grant, and the whole family is revoked', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const second = await refresh(tp, first.refresh_token);
    tp.clock.advance(11);
    const replay = await refresh(tp, first.refresh_token);
    assertOAuthError(replay.response, replay.body, 400, 'invalid_grant', 'refresh token is invalid');
    const successor = await refresh(tp, second.body.refresh_token);
    assertOAuthError(successor.response, successor.body, 400, 'invalid_grant', 'refresh token is invalid');
    assert.equal(await userinfoStatus(tp, first.access_token), 401);
    assert.equal(await userinfoStatus(tp, second.body.access_token), 401);
    assert.equal(tp.events.filter((e) => e.name === 'refresh_token.reused').length, 1);
  });

  test('rotation: the same refresh token redeemed again within the grace window → the same new refresh token, with an access token of its own', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const a = await refresh(tp, first.refresh_token);
    tp.clock.advance(9);
    const b = await refresh(tp, first.refresh_token);
    assert.equal(b.response.status, 200);
    assert.equal(b.body.refresh_token, a.body.refresh_token);
    assert.notEqual(b.body.access_token, a.body.access_token);
    assert.equal(typeof b.body.id_token, 'string');
    assert.equal(b.body.scope, a.body.scope);
    assert.equal(await userinfoStatus(tp, a.body.access_token), 200, 'the family lives on');
    assert.equal(await userinfoStatus(tp, b.body.access_token), 200);
    assert.deepEqual(tp.events.filter((e) => e.name.startsWith('refresh_token.')).map((e) => e.name), ['refresh_token.rotated', 'refresh_token.reused_within_grace']);
    const next = await refresh(tp, b.body.refresh_token);
    assert.equal(next.response.status, 200, 'the successor is spent once, as any refresh token');
    assert.notEqual(next.body.refresh_token, b.body.refresh_token);
  });

  test('rotation: within the grace window, a narrower scope still narrows the access token', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const a = await refresh(tp, first.refresh_token);
    const b = await refresh(tp, first.refresh_token, 'spa', { scope: 'openid' });
    assert.equal(b.body.refresh_token, a.body.refresh_token);
    assert.equal(b.body.scope, 'openid');
    const wider = await refresh(tp, first.refresh_token, 'spa', { scope: 'openid admin' });
    assertOAuthError(wider.response, wider.body, 400, 'invalid_scope', 'scope exceeds what was granted: admin');
  });

  test('rotation: when the new tokens cannot be stored, the refresh token is left as it was — 500, then the next redemption rotates it', async () => {
    let failRotation = false;
    const tp = await testProvider({
      clients: [PUBLIC],
      accounts: [ALICE],
      storage: async (clock) => {
        const storage = createMemoryStorage({ clock });
        const rotate = storage.tokens.rotate;
        storage.tokens.rotate = (...args) => (failRotation ? Promise.reject(new Error('disk full')) : rotate(...args));
        return storage;
      },
    });
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    failRotation = true;
    const failed = await refresh(tp, first.refresh_token);
    assert.equal(failed.response.status, 500);
    assert.equal(failed.body.error, 'server_error');
    assert.deepEqual(tp.events.filter((e) => e.name === 'access_token.issued' || e.name.startsWith('refresh_token.')).map((e) => e.name), ['access_token.issued'], 'only the code exchange issued anything');
    failRotation = false;
    const retried = await refresh(tp, first.refresh_token);
    assert.equal(retried.response.status, 200);
    assert.notEqual(retried.body.refresh_token, first.refresh_token);
    assert.equal(await userinfoStatus(tp, first.access_token), 200, 'the family was not revoked');
    assert.equal((await refresh(tp, retried.body.refresh_token)).response.status, 200);
    assert.equal(tp.events.filter((e) => e.name === 'refresh_token.reused').length, 0);
  });

  test('rotation: two concurrent redemptions of one refresh token → both succeed with the same new refresh token', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const [a, b] = await Promise.all([refresh(tp, first.refresh_token), refresh(tp, first.refresh_token)]);
    assert.equal(a.response.status, 200);
    assert.equal(b.response.status, 200);
    assert.equal(a.body.refresh_token, b.body.refresh_token);
    assert.equal(await userinfoStatus(tp, a.body.access_token), 200);
    assert.equal(await userinfoStatus(tp, b.body.access_token), 200);
    assert.equal((await refresh(tp, a.body.refresh_token)).response.status, 200);
  });

  test('rotation: grace window 0 → an immediate second redemption revokes the family', async () => {
    const tp = await setup({ refreshTokenReuseGraceSeconds: 0 });
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const second = await refresh(tp, first.refresh_token);
    const replay = await refresh(tp, first.refresh_token);
    assertOAuthError(replay.response, replay.body, 400, 'invalid_grant', 'refresh token is invalid');
    assert.equal((await refresh(tp, second.body.refresh_token)).response.status, 400);
  });

  test('rotation: a narrower scope narrows the access token; the new refresh token keeps the granted scope', async () => {
    const tp = await setup();
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    const narrow = await refresh(tp, first.refresh_token, 'spa', { scope: 'openid' });
    assert.equal(narrow.body.scope, 'openid');
    const wide = await refresh(tp, narrow.body.refresh_token);
    assert.equal(wide.body.scope, 'openid profile email');
  });

  test('rotation: a confidential client keeps its refresh token by default; refresh_token_rotation true makes it rotate', async () => {
    const tp = await setup();
    const web = await codeFlowTokens(tp, 'app');
    const kept = await refresh(tp, web.refresh_token, 'app');
    assert.equal(kept.body.refresh_token, undefined);
    assert.equal((await refresh(tp, web.refresh_token, 'app')).response.status, 200);

    const rotating = await codeFlowTokens(tp, 'rotating');
    const rotated = await refresh(tp, rotating.refresh_token, 'rotating');
    assert.equal(typeof rotated.body.refresh_token, 'string');
    tp.clock.advance(11);
    assert.equal((await refresh(tp, rotating.refresh_token, 'rotating')).response.status, 400);
  });
});

describe('refresh tokens: idle and absolute lifetimes', () => {
  test('lifetime: each use restarts the idle time; unused past it → invalid_grant', async () => {
    const tp = await setup({ refreshTokenIdleTtlSeconds: 600, refreshTokenTtlSeconds: 86_400 });
    const tokens = await codeFlowTokens(tp, 'app');
    tp.clock.advance(500);
    assert.equal((await refresh(tp, tokens.refresh_token, 'app')).response.status, 200);
    tp.clock.advance(500);
    assert.equal((await refresh(tp, tokens.refresh_token, 'app')).response.status, 200, 'idle time started again at the last use');
    tp.clock.advance(600);
    const idle = await refresh(tp, tokens.refresh_token, 'app');
    assertOAuthError(idle.response, idle.body, 400, 'invalid_grant', 'refresh token is invalid');
  });

  test('lifetime: rotated tokens never outlive the grant\'s absolute lifetime', async () => {
    const tp = await setup({ refreshTokenIdleTtlSeconds: 600, refreshTokenTtlSeconds: 1000 });
    const first = await codeFlowTokens(tp, 'spa', { public: true });
    tp.clock.advance(500);
    const second = await refresh(tp, first.refresh_token);
    assert.equal(second.response.status, 200);
    tp.clock.advance(501);
    const late = await refresh(tp, second.body.refresh_token);
    assertOAuthError(late.response, late.body, 400, 'invalid_grant', 'refresh token is invalid');
  });
});
