/** A token response's rows are stored together, with the write that belongs with them, before it is returned. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALICE, SEED_SECRET, testProvider } from '../../test/helpers/index.js';
import type { TokenRecord } from '../storage/types.js';
import { findToken } from './find-token.js';
import { issueTokens } from './issue-tokens.js';
import { newOpaqueToken } from './token-key.js';
import type { EndUserTokenSubject } from './types.js';

async function setup() {
  const tp = await testProvider({ clients: [{ client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'] }], accounts: [ALICE] });
  const subject: EndUserTokenSubject = {
    client: tp.clients[0]!, sub: tp.accounts[0]!.sub, scopes: ['openid', 'profile'], grant_id: 'g1', grant_type: 'authorization_code', auth_time: tp.clock.now(), amr: ['pwd'],
  };
  const ctx = tp.provider.context;
  // Every row the issue writes, as it is handed to storage.
  const inserted: TokenRecord[] = [];
  const insert = ctx.storage.tokens.insert;
  ctx.storage.tokens.insert = (record) => (inserted.push(record), insert(record));
  return { tp, ctx, subject, inserted };
}

test('issueTokens: storeWith is waited for; when it resolves, both token rows are stored and the event is told', async () => {
  const { tp, ctx, subject } = await setup();
  let stored = false;
  const response = await issueTokens(subject, { refreshToken: { grant_expires_at: tp.clock.now() + 3600 }, storeWith: () => new Promise((resolve) => setTimeout(() => resolve(void (stored = true)), 20)) }, ctx);
  assert.equal(stored, true);
  assert.ok(response.id_token && response.refresh_token);
  assert.equal((await findToken(response.access_token, ctx))?.kind, 'access_token');
  assert.equal((await findToken(response.refresh_token, ctx))?.kind, 'refresh_token');
  assert.deepEqual(tp.events.map((event) => event.name), ['access_token.issued']);
});

test('issueTokens: a failing storeWith fails the issue — no response, no event — after the other writes have settled', async () => {
  const { tp, ctx, subject, inserted } = await setup();
  await assert.rejects(issueTokens(subject, { refreshToken: { grant_expires_at: tp.clock.now() + 3600 }, storeWith: async () => { throw new Error('disk full'); } }, ctx), /disk full/);
  assert.deepEqual(inserted.map((record) => record.kind), ['access_token', 'refresh_token']);
  for (const record of inserted) assert.ok(await ctx.storage.tokens.find(record.token_digest), 'the token rows were written all the same: nothing is left running');
  assert.deepEqual(tp.events, []);
});

test('issueTokens: a given refresh token value is the one stored; a stored one is handed out again without a row of its own', async () => {
  const { tp, ctx, subject, inserted } = await setup();
  const value = newOpaqueToken();
  const minted = await issueTokens(subject, { refreshToken: { grant_expires_at: tp.clock.now() + 3600, value } }, ctx);
  assert.equal(minted.refresh_token, value);
  assert.equal((await findToken(value, ctx))?.kind, 'refresh_token');

  inserted.length = 0;
  const again = await issueTokens(subject, { refreshToken: { stored: value } }, ctx);
  assert.equal(again.refresh_token, value);
  assert.notEqual(again.access_token, minted.access_token);
  assert.deepEqual(inserted.map((record) => record.kind), ['access_token']);
});
