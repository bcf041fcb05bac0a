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
  assert.deepEqual(grantRecord(authorization, 60, ctx), { grant_id: 'g1', client_id: 'web', sub: 'alice', sid: 's1', offline: false, expires_at: 1000 + 60 + 2_592_000 + LONGEST_ACCESS_TOKEN_SECONDS });
});

test('grantRecord: offline only for the offline_access scope itself; no session, no sid', () => {
  assert.equal(grantRecord({ ...authorization, scopes: ['openid', 'offline_access'] }, 60, ctx).offline, true);
  assert.equal(grantRecord({ ...authorization, scopes: ['openid', 'offline_accessory', 'offlineXaccess'] }, 60, ctx).offline, false);
  const { sid: _sid, ...sessionless } = authorization;
  assert.equal('sid' in grantRecord(sessionless, 60, ctx), false);
});
