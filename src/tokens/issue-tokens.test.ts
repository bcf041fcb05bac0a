/** A token response's rows are stored together, with the write that belongs with them, before it is returned. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import { findToken } from './find-token.js';
import { issueTokens } from './issue-tokens.js';
import type { EndUserTokenSubject, TokenResponse } from './types.js';

async function setup() {
  const tp = await testProvider({ clients: [{ client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] }], accounts: [ALICE] });
  const subject: EndUserTokenSubject = {
    client: tp.clients[0]!, sub: tp.accounts[0]!.sub, scopes: ['openid', 'profile'], grant_id: 'g1', grant_type: 'authorization_code', auth_time: tp.clock.now(), amr: ['pwd'],
  };
  return { tp, ctx: tp.provider.context, subject };
}

test('issueTokens: storeWith gets the whole response; when it resolves, both token rows are stored and the event is told', async () => {
  const { tp, ctx, subject } = await setup();
  let given: TokenResponse | undefined;
  const response = await issueTokens(subject, { refreshToken: { grant_expires_at: tp.clock.now() + 3600 }, storeWith: async (r) => void (given = r) }, ctx);
  assert.deepEqual(given, response);
  assert.ok(response.id_token && response.refresh_token);
  assert.equal((await findToken(response.access_token, ctx))?.kind, 'access_token');
  assert.equal((await findToken(response.refresh_token, ctx))?.kind, 'refresh_token');
  assert.deepEqual(tp.events.map((event) => event.name), ['access_token.issued']);
});

test('issueTokens: a failing storeWith fails the issue — no response, no event — after the other writes have settled', async () => {
  const { tp, ctx, subject } = await setup();
  let accessToken: string | undefined;
  await assert.rejects(
    issueTokens(subject, { refreshToken: { grant_expires_at: tp.clock.now() + 3600 }, storeWith: async (r) => { accessToken = r.access_token; throw new Error('disk full'); } }, ctx),
    /disk full/,
  );
  assert.ok(accessToken);
  assert.ok(await findToken(accessToken, ctx), 'the token rows were written all the same: nothing is left running');
  assert.deepEqual(tp.events, []);
});
