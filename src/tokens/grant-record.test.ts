import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LONGEST_ACCESS_TOKEN_SECONDS } from '../storage/types.js';
import { fixedClock } from '../util/clock.js';
import { grantRecord } from './grant-record.js';

const ctx = { clock: fixedClock(1000), config: { refreshTokenTtlSeconds: 2_592_000 } };
const authorization = { grant_id: 'g1', client_id: 'web', sub: 'alice', sid: 's1', scopes: ['openid', 'profile'] };

test('grantRecord: who gave it to whom in which session, kept as long as a token of it can live', () => {
  // The code redeemed at its last second, a refresh token's absolute end from then, and an access
  // token a last refresh makes just before that end.
  assert.deepEqual(grantRecord(authorization, { redeemWithinSeconds: 60, refreshable: true }, ctx), {
    grant_id: 'g1', client_id: 'web', sub: 'alice', sid: 's1', offline: false, expires_at: 1000 + 60 + 2_592_000 + LONGEST_ACCESS_TOKEN_SECONDS,
  });
  // Without refresh tokens: the longest an access token from the redemption can live.
  assert.equal(grantRecord(authorization, { redeemWithinSeconds: 60, refreshable: false }, ctx).expires_at, 1000 + 60 + LONGEST_ACCESS_TOKEN_SECONDS);
});

test('grantRecord: offline only for the offline_access scope itself; no session, no sid', () => {
  const lifetime = { redeemWithinSeconds: 60, refreshable: true };
  assert.equal(grantRecord({ ...authorization, scopes: ['openid', 'offline_access'] }, lifetime, ctx).offline, true);
  assert.equal(grantRecord({ ...authorization, scopes: ['openid', 'offline_accessory', 'offlineXaccess'] }, lifetime, ctx).offline, false);
  const { sid: _sid, ...sessionless } = authorization;
  assert.equal('sid' in grantRecord(sessionless, lifetime, ctx), false);
});
