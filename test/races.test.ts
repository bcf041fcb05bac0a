/**
 * The race suite: 100 concurrent redemptions of one single-use thing through the real endpoints,
 * on every backend available (memory, SQLite, and PostgreSQL and SQLite + Redis when their test
 * URLs are set). Exactly one request wins; every other gets the spec's error — except where the
 * losers' redemptions are replays that revoke the grant (a code, a device code): then no token of
 * it may work, and the one redemption that consumed it wins only when its tokens were stored
 * before that revocation (they are revoked with the grant).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ALICE, basicAuth, ISSUER, obtainCode, PKCE, postForm, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider } from './helpers/index.js';
import { testBackends } from './helpers/backends.js';

const RACERS = 100;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

type RaceAnswer = { status: number; error?: unknown; access_token?: unknown };

/** Runs `request` RACERS times at once; returns the status and `error` (or access token) of each answer. */
async function race(request: () => ReturnType<typeof postForm>): Promise<RaceAnswer[]> {
  const answers = await Promise.all(Array.from({ length: RACERS }, request));
  return answers.map(({ response, body }) => (response.status === 200 ? { status: 200, access_token: body.access_token } : { status: response.status, error: body.error }));
}

function assertOneWinner(answers: RaceAnswer[], status: number, error: string): void {
  const winners = answers.filter((answer) => answer.status === 200);
  const losers = answers.filter((answer) => answer.status !== 200);
  assert.equal(winners.length, 1, `exactly one winner, got ${winners.length}: ${JSON.stringify([...new Set(answers.map((answer) => JSON.stringify({ ...answer, access_token: undefined })))])}`);
  assert.equal(losers.length, RACERS - 1);
  for (const loser of losers) assert.deepEqual(loser, { status, error });
}

/**
 * A single-use code redeemed RACERS times at once: every redemption after the first is a replay,
 * which revokes the grant (RFC 6749 §4.1.2). At most one answer is a 200 — the redemption that
 * consumed the code, when its tokens were stored before the first replay revoked the grant — and
 * its access token no longer works; every other answer is invalid_grant.
 */
async function assertReplaysLeaveNothing(tp: TestProvider, answers: RaceAnswer[]): Promise<void> {
  const winners = answers.filter((answer) => answer.status === 200);
  const losers = answers.filter((answer) => answer.status !== 200);
  assert.ok(winners.length <= 1, `at most one winner, got ${winners.length}`);
  for (const loser of losers) assert.deepEqual(loser, { status: 400, error: 'invalid_grant' });
  for (const winner of winners) {
    const userinfo = await tp.provider.fetch(new Request(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${String(winner.access_token)}` } }));
    assert.equal(userinfo.status, 401, 'the tokens of a replayed code are revoked');
  }
  assert.ok(tp.events.some((event) => event.name.endsWith('_code.replayed')), 'the replays were detected');
}

for (const backend of testBackends()) {
  describe(`races on ${backend.name}`, async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const cleanups: (() => Promise<void>)[] = [];

    async function setup(): Promise<TestProvider> {
      const tp = await testProvider({
        clients: [
          { client_id: 'app', client_secret: SEED_SECRET, grant_types: ['authorization_code', 'refresh_token'], refresh_token_rotation: true },
          { client_id: 'tv', token_endpoint_auth_method: 'none', grant_types: [DEVICE_GRANT] },
          { client_id: 'signer', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] }, grant_types: ['client_credentials'], scope: 'api' },
        ],
        accounts: [ALICE],
        // Rotation without a grace window: a second redemption is a replay, not a retry.
        config: { refreshTokenReuseGraceSeconds: 0 },
        storage: async (clock) => {
          const opened = await backend.open(clock);
          cleanups.push(opened.cleanup);
          return opened.storage;
        },
      });
      cleanups.unshift(() => tp.provider.close());
      return tp;
    }

    after(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    test(`${backend.name}: one authorization code redeemed ${RACERS} times at once → no token of it works; one 200 at most, the rest invalid_grant`, async () => {
      const tp = await setup();
      const code = await obtainCode(tp, { client_id: 'app', scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
      const answers = await race(() =>
        postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', code_verifier: PKCE.code_verifier }, { authorization: basicAuth('app', SEED_SECRET) }));
      await assertReplaysLeaveNothing(tp, answers);
    });

    test(`${backend.name}: one rotated refresh token redeemed ${RACERS} times at once → one 200, the rest invalid_grant`, async () => {
      const tp = await setup();
      const code = await obtainCode(tp, { client_id: 'app', scope: 'openid' });
      const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth('app', SEED_SECRET) });
      const answers = await race(() => postForm(tp, '/token', { grant_type: 'refresh_token', refresh_token: String(body.refresh_token) }, { authorization: basicAuth('app', SEED_SECRET) }));
      assertOneWinner(answers, 400, 'invalid_grant');
    });

    test(`${backend.name}: one approved device code polled ${RACERS} times at once → no token of it works; one 200 at most, the rest invalid_grant`, async () => {
      const tp = await setup();
      const device = (await postForm(tp, '/device_authorization', { client_id: 'tv', scope: 'openid' })).body;
      const approved = await runBrowserlessFlow((request) => tp.provider.fetch(request), `${ISSUER}/device`, {
        userCode: String(device.user_code),
        credentials: { username: String(ALICE.username), password: String(ALICE.password) },
        decision: 'allow',
      });
      assert.deepEqual(approved.pages, ['device', 'login', 'consent']);
      const answers = await race(() => postForm(tp, '/token', { grant_type: DEVICE_GRANT, device_code: String(device.device_code), client_id: 'tv' }));
      await assertReplaysLeaveNothing(tp, answers);
    });

    test(`${backend.name}: one client assertion (one jti) presented ${RACERS} times at once → one 200, the rest invalid_client`, async () => {
      const tp = await setup();
      const now = tp.clock.now();
      const assertion = await new SignJWT({ jti: 'the-only-one' })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('signer').setSubject('signer').setAudience(ISSUER).setIssuedAt(now).setExpirationTime(now + 60)
        .sign(privateKey);
      const answers = await race(() => postForm(tp, '/token', { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion }));
      assertOneWinner(answers, 401, 'invalid_client');
    });
  });
}
