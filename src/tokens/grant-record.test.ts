import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ClientRecord, LONGEST_ACCESS_TOKEN_SECONDS, type TokenRecord } from '../storage/types.js';
import { grantRecord } from './grant-record.js';

const client = { client_id: 'web' } as ClientRecord;
const subject = { client, sub: 'alice', scopes: ['openid', 'profile'], grant_id: 'g1', grant_type: 'authorization_code', sid: 's1' };
const token = (extra: Partial<TokenRecord>): TokenRecord => ({ token_digest: 'd', kind: 'access_token', client_id: 'web', sub: 'alice', scope: 'openid', grant_id: 'g1', issued_at: 0, expires_at: 60, ...extra });

test('grantRecord: who gave it to whom from which session, until a token of it can end', () => {
  // With refresh tokens: their absolute end, and an access token made by a refresh just before it.
  const record = grantRecord(subject, [token({ expires_at: 3600 }), token({ kind: 'refresh_token', expires_at: 86_400, grant_expires_at: 2_592_000 })]);
  assert.deepEqual(record, { grant_id: 'g1', client_id: 'web', sub: 'alice', sid: 's1', offline: false, expires_at: 2_592_000 + LONGEST_ACCESS_TOKEN_SECONDS });
  // Without: the longest-lived token.
  assert.equal(grantRecord(subject, [token({ expires_at: 3600 }), token({ expires_at: 7200 })]).expires_at, 7200);
});

test('grantRecord: offline only for the offline_access scope itself', () => {
  assert.equal(grantRecord({ ...subject, scopes: ['openid', 'offline_access'] }, [token({})]).offline, true);
  assert.equal(grantRecord({ ...subject, scopes: ['openid', 'offline_accessory', 'offlineXaccess'] }, [token({})]).offline, false);
  const { sid: _sid, ...sessionless } = subject;
  assert.equal('sid' in grantRecord(sessionless, [token({})]), false);
});
