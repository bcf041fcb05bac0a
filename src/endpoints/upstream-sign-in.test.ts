/**
 * Signing in at an upstream OpenID Provider: the upstream is a real latchkey server over HTTP
 * (its own accounts, client and consent page), latchkey in process its relying party.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { consoleGet, consolePost, signInToConsole } from '../../test/helpers/console.js';
import { createAccount } from '../accounts/create-account.js';
import { ALICE, authorizeUrl, basicAuth, CookieJar, formAction, hiddenInput, ISSUER, PKCE, runBrowserlessFlow, SEED_SECRET, testProvider, type TestProvider } from '../../test/helpers/index.js';
import { E2E_PASSWORD, startTestServer, type TestServer } from '../../test/helpers/server.js';
import { codeOf, enroll } from '../../test/helpers/two-step.js';
import { newUpstream } from '../upstreams/upstream-input.js';
import { inProcessBrowser } from '../../test/helpers/in-process-browser.js';

const CB = 'https://rp.example/cb';
const APP = { client_id: 'app', client_secret: SEED_SECRET };
const CALLBACK = `${ISSUER}/upstream/corp/callback`;

let upstream: TestServer;
let corpClient: Record<string, string>;

before(async () => {
  upstream = await startTestServer();
  await upstream.createUser('carol', E2E_PASSWORD, ['--email', 'carol@corp.example', '--email-verified', '--name', 'Carol Corp']);
  await upstream.createUser('dana', E2E_PASSWORD, ['--email', 'dana@corp.example']);
  await upstream.createUser('erin', E2E_PASSWORD);
  corpClient = await upstream.createClient({ client_name: 'Downstream', redirect_uris: [CALLBACK], token_endpoint_auth_method: 'client_secret_basic' });
});

after(async () => {
  await upstream?.close();
});

/** latchkey in process, with the upstream `corp` defined as `fields` say (and the app's metadata `clientFields`). */
async function setup(fields: Record<string, unknown> = {}, clientFields: Record<string, unknown> = {}): Promise<TestProvider> {
  const tp = await testProvider({ now: new Date().toISOString(), clients: [{ ...APP, ...clientFields }], accounts: [ALICE] });
  const ctx = tp.provider.context;
  const body = { id: 'corp', name: 'Corp', issuer: upstream.issuer, client_id: corpClient.client_id!, client_secret: corpClient.client_secret!, ...fields };
  await ctx.storage.upstreams.create(await newUpstream(body, ctx.config.secret!, ctx.clock.now()));
  return tp;
}

/** A browser at latchkey (its jar), and one at the upstream (its own jar: both servers' cookies have the same names). */
function browser(tp: TestProvider, upstreamJar = new CookieJar()) {
  const atLatchkey = inProcessBrowser(tp, { stopAt: CB });
  /** Signs in at the upstream as `username` (its login and consent pages): the callback URL it sends the browser to. */
  const atUpstream = async (location: string, username: string): Promise<string> => {
    const flow = await runBrowserlessFlow((request) => fetch(request), location, { credentials: { username, password: E2E_PASSWORD }, decision: 'allow', jar: upstreamJar });
    assert.ok(flow.redirect, `the upstream sends the browser back (${flow.response.status})`);
    return flow.redirect.href;
  };
  return { ...atLatchkey, upstreamJar, atUpstream };
}

/** Starts an authorization of the app: the login page. */
async function loginPage(b: ReturnType<typeof browser>) {
  const page = await b.follow(await b.get(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid profile email', nonce: 'n-1', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' })));
  assert.equal(page.status, 200);
  return page.text();
}

/** The action of the login page's "Sign in with …" form of upstream `id`. */
function upstreamAction(html: string, id = 'corp'): string | undefined {
  return new RegExp(`action="([^"]*/upstream/${id})"`).exec(html)?.[1];
}

/** Presses "Sign in with Corp" on `html`: the answer (a redirect to the upstream). */
async function chooseUpstream(b: ReturnType<typeof browser>, html: string) {
  return b.post(upstreamAction(html)!, { csrf_token: hiddenInput(html, 'csrf_token')! });
}

/** From the login page to back at latchkey's callback, signed in at the upstream as `username`: the callback's answer, followed within latchkey. */
async function viaUpstream(b: ReturnType<typeof browser>, username: string) {
  const chosen = await chooseUpstream(b, await loginPage(b));
  assert.equal(chosen.status, 303);
  return b.follow(await b.get(await b.atUpstream(chosen.headers.get('location')!, username)));
}

/** Allows on latchkey's consent page when it shows, then redeems the code: the ID token's claims. */
async function finish(tp: TestProvider, b: ReturnType<typeof browser>, response: Response) {
  let current = await b.follow(response);
  if (current.status === 200) {
    const html = await current.text();
    assert.match(html, /value="allow"/, 'the consent page');
    current = await b.follow(await b.post(formAction(html), { csrf_token: hiddenInput(html, 'csrf_token')!, decision: 'allow' }));
  }
  const code = new URL(current.headers.get('location')!).searchParams.get('code');
  assert.ok(code, `a code for the app (${current.headers.get('location')})`);
  const token = await tp.provider.fetch(
    new Request(`${ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth('app', SEED_SECRET), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: PKCE.code_verifier }),
    }),
  );
  assert.equal(token.status, 200);
  return decodeJwt(((await token.json()) as { id_token: string }).id_token);
}

describe('upstream sign-in', () => {
  test('a first sign-in makes an account of the identity (its verified address, its name), the next finds it; the request to the upstream has PKCE, a state and a nonce', async () => {
    const tp = await setup();
    const b = browser(tp);
    const html = await loginPage(b);
    assert.match(html, /Sign in with Corp/);
    assert.ok(html.indexOf('autocomplete="current-password"') < html.indexOf('Sign in with Corp'), 'the password form stays the first form');
    const chosen = await chooseUpstream(b, html);
    assert.equal(chosen.status, 303);
    const request = new URL(chosen.headers.get('location')!);
    assert.equal(request.origin + request.pathname, `${upstream.issuer}/authorize`);
    assert.equal(request.searchParams.get('redirect_uri'), CALLBACK);
    assert.equal(request.searchParams.get('client_id'), corpClient.client_id);
    assert.equal(request.searchParams.get('scope'), 'openid email profile');
    assert.equal(request.searchParams.get('code_challenge_method'), 'S256');
    for (const name of ['state', 'nonce', 'code_challenge']) assert.ok((request.searchParams.get(name) ?? '').length >= 43, `${name}: 256 random bits`);
    const cookie = chosen.headers.getSetCookie().find((line) => line.startsWith('latchkey_upstream='));
    assert.match(cookie ?? '', /Path=\/upstream\/; .*HttpOnly/i, 'the uid rides to the callback in a cookie of its own');

    const back = await b.get(await b.atUpstream(request.href, 'carol'));
    assert.equal(back.status, 303, 'back to the login page, away from the callback\'s code');
    const login = await b.get(back.headers.get('location')!);
    assert.equal(login.status, 200);
    const notice = await login.text();
    assert.match(notice, /Your Corp account \(carol@corp\.example\) is not connected to an account here yet/);
    assert.ok(back.headers.getSetCookie().some((line) => /^latchkey_upstream=;/.test(line) && /Max-Age=0/i.test(line)), 'its cookie cleared');
    const create = /action="([^"]*\/upstream-account)"/.exec(notice)?.[1];
    assert.ok(create, 'a new account may be made of it');
    const claims = await finish(tp, b, await b.post(create, { csrf_token: hiddenInput(notice, 'csrf_token')! }));
    const account = await tp.provider.context.storage.accounts.findByUsername('carol');
    assert.ok(account, 'named after the upstream username');
    assert.equal(claims.sub, account.sub);
    assert.deepEqual(claims.amr, ['fed']);
    assert.equal(account.email, 'carol@corp.example');
    assert.equal(account.email_verified, true, 'the upstream said it is verified');
    assert.equal(account.name, 'Carol Corp');
    assert.equal(account.password_hash, undefined, 'no password here');
    assert.ok(tp.events.some((event) => event.name === 'account.registered' && event.data.sub === account.sub && event.data.upstream === 'corp'));

    // Another browser here, the same one at the upstream (signed in there, consent remembered on both sides).
    const again = browser(tp, b.upstreamJar);
    const second = await finish(tp, again, await viaUpstream(again, 'carol'));
    assert.equal(second.sub, account.sub, 'the same account');
    assert.equal((await tp.provider.context.storage.accounts.findUpstreamIdentity('corp', (await tp.provider.context.storage.accounts.upstreamIdentities(account.sub))[0]!.subject))?.last_used_at, tp.clock.now());
    assert.equal((await tp.provider.context.storage.accounts.list({ limit: 10 })).items.length, 2, 'alice and carol: no second account');
  });

  test('idp_hint naming an enabled upstream skips the login page, once: back from it, the login page; an unknown, a disabled or no hint → the login page; a session already signed in is used', async () => {
    const tp = await setup();
    const hinted = (hint: string, extra: Record<string, string> = {}) =>
      authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', nonce: 'n-1', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', idp_hint: hint, ...extra });
    const b = browser(tp);
    const toInteraction = await b.get(hinted('corp'));
    const interactionUrl = toInteraction.headers.get('location')!;
    const started = await b.follow(toInteraction);
    assert.equal(started.status, 303, 'no login page: straight to the upstream');
    const request = new URL(started.headers.get('location')!);
    assert.equal(request.origin + request.pathname, `${upstream.issuer}/authorize`);
    assert.equal(request.searchParams.get('redirect_uri'), CALLBACK);
    assert.ok(started.headers.getSetCookie().some((line) => line.startsWith('latchkey_upstream=')), 'the callbacks\' cookie, as for the button');
    // The interaction's page again (a reload, the back button): the login page — the hint is followed once.
    const reloaded = await b.get(interactionUrl);
    assert.equal(reloaded.status, 200);
    assert.match(await reloaded.text(), /Sign in with Corp/);

    // Back with an identity connected to no account: the login page says so — the hint is not followed again.
    const back = await b.follow(await b.get(await b.atUpstream(request.href, 'carol')));
    assert.equal(back.status, 200);
    const notice = await back.text();
    assert.match(notice, /Your Corp account \(carol@corp\.example\) is not connected to an account here yet/);
    assert.match(notice, /autocomplete="current-password"/, 'the login page');
    const create = /action="([^"]*\/upstream-account)"/.exec(notice)![1]!;
    const claims = await finish(tp, b, await b.post(create, { csrf_token: hiddenInput(notice, 'csrf_token')! }));
    assert.deepEqual(claims.amr, ['fed']);

    // Signed in here: the session is used, the upstream not asked.
    const signedIn = await b.follow(await b.get(hinted('corp')));
    assert.ok(signedIn.headers.get('location')!.startsWith(CB), `the code, from the session (${signedIn.headers.get('location')})`);
    const loginAsked = await b.follow(await b.get(hinted('corp', { prompt: 'login' })));
    assert.equal(new URL(loginAsked.headers.get('location')!).origin, new URL(upstream.issuer).origin, 'prompt=login: a login is needed, the hint is followed');

    for (const hint of ['nope', 'Corp', '']) {
      const fresh = browser(tp);
      const page = await fresh.follow(await fresh.get(hinted(hint)));
      assert.equal(page.status, 200, `idp_hint=${hint}: a hint, not a requirement`);
      assert.match(await page.text(), /Sign in with Corp/);
    }
    const corp = (await tp.provider.context.storage.upstreams.find('corp'))!;
    await tp.provider.context.storage.upstreams.update({ ...corp, disabled: true });
    const fresh = browser(tp);
    const disabled = await fresh.follow(await fresh.get(hinted('corp')));
    assert.equal(disabled.status, 200, 'a disabled upstream is not followed');
    assert.doesNotMatch(await disabled.text(), /Sign in with Corp/);
  });

  test('a client\'s allowed_upstreams: only those are offered — another is not drawn, not started, not hinted, and its callback is refused once the client no longer offers it; a client may not set them itself', async () => {
    const only = await setup({}, { allowed_upstreams: ['lab'] });
    const b = browser(only);
    const html = await loginPage(b);
    assert.doesNotMatch(html, /Sign in with Corp/, 'corp is not one of the client\'s');
    const forced = await b.post(`${formAction(html).replace(/\/login$/, '')}/upstream/corp`, { csrf_token: hiddenInput(html, 'csrf_token')! });
    assert.equal(forced.status, 400, 'a start of it is refused');
    assert.match(await forced.text(), /That way of signing in is not offered any more/);
    const hinted = await b.follow(await b.get(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256', idp_hint: 'corp' })));
    assert.equal(hinted.status, 200, 'its hint is ignored: the login page');

    // Offered when the sign-in starts, no longer when it comes back: refused, nobody signed in.
    const tp = await setup();
    const c = browser(tp);
    const chosen = await chooseUpstream(c, await loginPage(c));
    assert.equal(chosen.status, 303);
    const app = (await tp.provider.context.storage.clients.find('app'))!;
    await tp.provider.context.storage.clients.update({ ...app, allowed_upstreams: [] });
    const back = await c.get(await c.atUpstream(chosen.headers.get('location')!, 'carol'));
    assert.equal(back.status, 400);
    assert.match(await back.text(), /That way of signing in is not offered any more/);
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('carol'), undefined);

    const open = await testProvider({ config: { registration: 'open' } });
    const refused = await open.provider.fetch(new Request(`${ISSUER}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [CB], allowed_upstreams: [] }) }));
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'invalid_client_metadata', error_description: 'allowed_upstreams can be set only by an administrator' });
  });

  test('an identity connected to no account waits ten minutes: no account is made of it after', async () => {
    const tp = await setup();
    const b = browser(tp);
    const notice = await (await viaUpstream(b, 'dana')).text();
    tp.clock.advance(601);
    const late = await b.post(/action="([^"]*\/upstream-account)"/.exec(notice)![1]!, { csrf_token: hiddenInput(notice, 'csrf_token')! });
    assert.equal(late.status, 400);
    assert.match(await late.text(), /No new account can be made of that sign-in/);
    assert.equal(await tp.provider.context.storage.accounts.findByUsername('dana'), undefined);
  });

  test('an address given unverified stays unverified; a taken username is numbered', async () => {
    const tp = await setup();
    await tp.provider.context.storage.accounts.create({ ...tp.accounts[0]!, sub: 'other', username: 'dana' });
    const b = browser(tp);
    const back = await viaUpstream(b, 'dana');
    const notice = await back.text();
    const claims = await finish(tp, b, await b.post(/action="([^"]*\/upstream-account)"/.exec(notice)![1]!, { csrf_token: hiddenInput(notice, 'csrf_token')! }));
    const account = await tp.provider.context.storage.accounts.findBySub(String(claims.sub));
    assert.equal(account?.username, 'dana-2');
    assert.equal(account?.email, 'dana@corp.example');
    assert.equal(account?.email_verified, false);
  });

  test('signing in here with a password connects the identity; where the upstream makes no accounts, none is offered', async () => {
    const tp = await setup({ create_accounts: false });
    const b = browser(tp);
    const back = await viaUpstream(b, 'erin');
    const notice = await back.text();
    assert.match(notice, /Your Corp account is not connected to an account here yet\. Sign in below to\s+connect it\./);
    assert.doesNotMatch(notice, /upstream-account/, 'no new account offered');
    const asked = await b.post(formAction(notice).replace(/\/login$/, '/upstream-account'), { csrf_token: hiddenInput(notice, 'csrf_token')! });
    assert.equal(asked.status, 400, 'nor made when asked anyway');
    assert.match(await asked.text(), /No new account can be made of that sign-in/);
    const alice = tp.accounts[0]!;
    const retried = await (await viaUpstream(b, 'erin')).text();
    const claims = await finish(tp, b, await b.post(formAction(retried), { csrf_token: hiddenInput(retried, 'csrf_token')!, username: 'alice', password: String(ALICE.password) }));
    assert.equal(claims.sub, alice.sub);
    assert.deepEqual(claims.amr, ['pwd']);
    const [identity] = await tp.provider.context.storage.accounts.upstreamIdentities(alice.sub);
    assert.equal(identity?.upstream_id, 'corp');
    assert.ok(tp.events.some((event) => event.name === 'user.upstream_connected' && event.data.sub === alice.sub && event.data.actor === `user:${alice.sub}`));

    // The upstream is now a way in to alice's account.
    const later = browser(tp, b.upstreamJar);
    const next = await finish(tp, later, await viaUpstream(later, 'erin'));
    assert.equal(next.sub, alice.sub);
    assert.deepEqual(next.amr, ['fed']);
    assert.equal(tp.accounts.length, 1);
    assert.equal((await tp.provider.context.storage.accounts.list({ limit: 10 })).items.length, 1, 'no account made');
  });

  test('a step up of a session begun at an upstream: the code is its second step — amr fed, otp, mfa, not pwd', async () => {
    const tp = await setup();
    const alice = tp.accounts[0]!;
    await tp.provider.context.storage.accounts.connectUpstreamIdentity({ upstream_id: 'corp', subject: await upstreamSub('carol'), sub: alice.sub, created_at: tp.clock.now() });
    const b = browser(tp);
    assert.deepEqual((await finish(tp, b, await viaUpstream(b, 'carol'))).amr, ['fed']);
    const { key } = await enroll(tp, await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' }));
    const asked = await b.follow(await b.get(authorizeUrl({ response_type: 'code', client_id: 'app', redirect_uri: CB, scope: 'openid', nonce: 'n-2', acr_values: 'urn:latchkey:loa:2fa', code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' })));
    const page = await asked.text();
    assert.match(page, /autocomplete="one-time-code"/, 'the code asked of the signed-in session');
    const claims = await finish(tp, b, await b.post(formAction(page), { csrf_token: hiddenInput(page, 'csrf_token')!, code: codeOf(tp, key, 1) }));
    assert.equal(claims.sub, alice.sub);
    assert.deepEqual(claims.amr, ['fed', 'otp', 'mfa']);
  });

  test('two-step verification is asked after the upstream too: amr fed, otp, mfa', async () => {
    const tp = await setup();
    const alice = tp.accounts[0]!;
    const { key } = await enroll(tp, await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' }));
    await tp.provider.context.storage.accounts.connectUpstreamIdentity({ upstream_id: 'corp', subject: await upstreamSub('carol'), sub: alice.sub, created_at: tp.clock.now() });
    const b = browser(tp);
    const back = await viaUpstream(b, 'carol');
    const page = await back.text();
    assert.match(page, /autocomplete="one-time-code"/, 'the code page');
    const claims = await finish(tp, b, await b.post(formAction(page), { csrf_token: hiddenInput(page, 'csrf_token')!, code: codeOf(tp, key, 1) }));
    assert.equal(claims.sub, alice.sub);
    assert.deepEqual(claims.amr, ['fed', 'otp', 'mfa']);
  });

  test('an upstream that keeps accounts in step: names, address and groups set from it at creation (groups) and at every sign-in; one that does not leaves them', async () => {
    const tp = await setup({ scope: 'openid email profile groups', sync_profile: true, sync_groups: true });
    const atUpstream = async (args: string[]) => assert.equal((await upstream.cli(['users', 'update', 'carol', ...args])).code, 0);
    await atUpstream(['--group', 'eng', '--group', 'ops']);
    try {
      const b = browser(tp);
      const notice = await (await viaUpstream(b, 'carol')).text();
      const claims = await finish(tp, b, await b.post(/action="([^"]*\/upstream-account)"/.exec(notice)![1]!, { csrf_token: hiddenInput(notice, 'csrf_token')! }));
      const { accounts } = tp.provider.context.storage;
      assert.deepEqual((await accounts.findBySub(String(claims.sub)))?.groups, ['eng', 'ops'], 'its groups at creation');

      await atUpstream(['--name', 'Carol Renamed', '--email', 'carol@new.example', '--email-verified', '--group', 'eng']);
      const later = browser(tp, b.upstreamJar);
      await finish(tp, later, await viaUpstream(later, 'carol'));
      const synced = await accounts.findBySub(String(claims.sub));
      assert.deepEqual([synced?.name, synced?.email, synced?.email_verified, synced?.groups], ['Carol Renamed', 'carol@new.example', true, ['eng']]);
      const updated = tp.events.find((event) => event.name === 'user.updated');
      assert.deepEqual(updated?.data, { sub: claims.sub, fields: ['email', 'name', 'groups'], actor: 'upstream:corp' });

      await atUpstream(['--no-groups']);
      const none = browser(tp, b.upstreamJar);
      await finish(tp, none, await viaUpstream(none, 'carol'));
      assert.equal((await accounts.findBySub(String(claims.sub)))?.groups, undefined, 'in no group there: in none here');

      // Each kept in step alone.
      const record = (await tp.provider.context.storage.upstreams.find('corp'))!;
      const signInWith = async (sync: { sync_profile: boolean; sync_groups: boolean }) => {
        await tp.provider.context.storage.upstreams.update({ ...record, ...sync });
        const next = browser(tp, b.upstreamJar);
        await finish(tp, next, await viaUpstream(next, 'carol'));
        const account = await accounts.findBySub(String(claims.sub));
        return [account?.name, account?.groups];
      };
      await atUpstream(['--name', 'Carol Elsewhere', '--group', 'ops']);
      assert.deepEqual(await signInWith({ sync_profile: false, sync_groups: true }), ['Carol Renamed', ['ops']], 'groups alone');
      await atUpstream(['--no-groups']);
      assert.deepEqual(await signInWith({ sync_profile: true, sync_groups: false }), ['Carol Elsewhere', ['ops']], 'names alone');
      await atUpstream(['--name', 'Carol Corp', '--group', 'eng']);
      assert.deepEqual(await signInWith({ sync_profile: false, sync_groups: false }), ['Carol Elsewhere', ['ops']], 'neither: left as they were');
    } finally {
      await atUpstream(['--name', 'Carol Corp', '--email', 'carol@corp.example', '--email-verified', '--no-groups']);
    }
  });

  test('the account console connects an identity at an upstream to the signed-in account, once; one connected to another account stays there', async () => {
    const tp = await setup();
    const alice = await signInToConsole(tp, 'alice', String(ALICE.password), { console: 'account' });
    assert.match((await consoleGet(tp, alice, '/account')).text, /Connect Corp/);
    let callbackCookie: Response | undefined;
    const cookieOf = (response: Response | undefined) => /latchkey_upstream=([^;]+)/.exec(response!.headers.getSetCookie().join('\n'))![1]!;
    /** Presses Connect Corp in `person`'s console and signs in at the upstream as `username`: the callback's answer. */
    const connect = async (person: typeof alice, username: string) => {
      const started = await consolePost(tp, person, '/account/upstreams/connect', { upstream: 'corp' });
      assert.equal(started.response.status, 303);
      callbackCookie = started.response;
      person.jar.store(started.response);
      const flow = await runBrowserlessFlow((request) => fetch(request), started.response.headers.get('location')!, { credentials: { username, password: E2E_PASSWORD }, decision: 'allow', jar: new CookieJar() });
      const back = await tp.provider.fetch(new Request(flow.redirect!.href, { headers: { cookie: person.jar.header() }, redirect: 'manual' }));
      person.jar.store(back);
      return { back, callback: flow.redirect!.href };
    };
    const { back, callback } = await connect(alice, 'erin');
    assert.equal(back.status, 303);
    assert.equal(back.headers.get('location'), `${ISSUER}/account?notice=upstream-connected`);
    const sub = tp.accounts[0]!.sub;
    assert.deepEqual((await tp.provider.context.storage.accounts.upstreamIdentities(sub)).map((identity) => identity.upstream_id), ['corp']);
    assert.ok(tp.events.some((event) => event.name === 'user.upstream_connected' && event.data.sub === sub && event.data.actor === `user:${sub}`));
    const page = (await consoleGet(tp, alice, '/account?notice=upstream-connected')).text;
    assert.match(page, /Connected: signing in there now signs you in here too/);
    assert.doesNotMatch(page, /Connect Corp/, 'connected: offered no more');
    assert.match(page, /aria-label="Disconnect Corp"/);
    assert.equal(alice.jar.values.has('latchkey_upstream'), false, 'its cookie cleared');
    const spent = /latchkey_upstream=([^;]+)/.exec((await consolePost(tp, alice, '/account/upstreams/connect', { upstream: 'corp' })).response.headers.getSetCookie().join('\n'));
    assert.equal(spent, null, 'connected: not started again');
    alice.jar.values.set('latchkey_upstream', cookieOf(callbackCookie));
    const replayed = await tp.provider.fetch(new Request(callback, { headers: { cookie: alice.jar.header() }, redirect: 'manual' }));
    assert.equal(replayed.status, 400, 'the callback once, its cookie put back');

    await createAccount({ username: 'bob', password: 'bob-password-long' }, tp.provider.context.storage, tp.clock);
    const bob = await signInToConsole(tp, 'bob', 'bob-password-long', { console: 'account' });
    const taken = await connect(bob, 'erin');
    assert.equal(taken.back.headers.get('location'), `${ISSUER}/account?notice=upstream-taken`);
    assert.equal(await tp.provider.context.storage.accounts.findUpstreamIdentity('corp', await upstreamSub('erin')).then((identity) => identity?.sub), sub, 'still alice\'s');
    assert.match((await consoleGet(tp, bob, '/account?notice=upstream-taken')).text, /connected to another account here, and stays so/);

    // Not offered (unknown, or disabled): not started. A callback at another upstream's path: the error page.
    assert.equal((await consolePost(tp, bob, '/account/upstreams/connect', { upstream: 'nope' })).response.headers.get('location'), '/account?notice=upstream-unavailable');
    const corpRecord = (await tp.provider.context.storage.upstreams.find('corp'))!;
    await tp.provider.context.storage.upstreams.create({ ...corpRecord, id: 'acme', name: 'Acme', disabled: true });
    assert.equal((await consolePost(tp, bob, '/account/upstreams/connect', { upstream: 'acme' })).response.headers.get('location'), '/account?notice=upstream-unavailable');
    const started = await consolePost(tp, bob, '/account/upstreams/connect', { upstream: 'corp' });
    bob.jar.store(started.response);
    const elsewhere = await tp.provider.fetch(new Request(`${ISSUER}/upstream/acme/callback?code=x&state=y`, { headers: { cookie: bob.jar.header() }, redirect: 'manual' }));
    assert.equal(elsewhere.status, 400);

    // Refused at the upstream: nothing connected.
    const again = await consolePost(tp, bob, '/account/upstreams/connect', { upstream: 'corp' });
    bob.jar.store(again.response);
    const state = new URL(again.response.headers.get('location')!).searchParams.get('state')!;
    const denied = await tp.provider.fetch(new Request(`${CALLBACK}?${new URLSearchParams({ error: 'access_denied', state, iss: upstream.issuer })}`, { headers: { cookie: bob.jar.header() }, redirect: 'manual' }));
    assert.equal(denied.headers.get('location'), `${ISSUER}/account?notice=upstream-not-connected`);
    assert.deepEqual(await tp.provider.context.storage.accounts.upstreamIdentities((await tp.provider.context.storage.accounts.findByUsername('bob'))!.sub), []);
  });

  test('refused and changing nothing: a replayed or forged callback, one from another browser, a refusal at the upstream, a disabled account, a disabled upstream', async () => {
    const tp = await setup();
    const alice = tp.accounts[0]!;
    await tp.provider.context.storage.accounts.connectUpstreamIdentity({ upstream_id: 'corp', subject: await upstreamSub('carol'), sub: alice.sub, created_at: tp.clock.now() });
    const b = browser(tp);
    const chosen = await chooseUpstream(b, await loginPage(b));
    const callback = await b.atUpstream(chosen.headers.get('location')!, 'carol');

    // Another browser (no cookie naming the interaction): the error page, no sign-in.
    const stranger = await tp.provider.fetch(new Request(callback, { redirect: 'manual' }));
    assert.equal(stranger.status, 400);
    assert.match(await stranger.text(), /started in another browser/);
    // A forged state in the right browser: refused, and the request's secrets are spent.
    const forged = new URL(callback);
    forged.searchParams.set('state', 'x'.repeat(43));
    const refused = await b.get(forged.href);
    assert.equal(refused.status, 502);
    assert.match(await refused.text(), /Signing in with Corp did not work/);
    assert.equal(b.jar.values.has('latchkey_session'), false, 'nobody signed in');
    assert.equal(b.jar.values.has('latchkey_upstream'), false, 'its cookie cleared');
    b.jar.values.set('latchkey_upstream', /latchkey_upstream=([^;]+)/.exec(chosen.headers.getSetCookie().join('\n'))![1]!);
    const replayed = await b.get(callback);
    assert.equal(replayed.status, 400, 'the real callback after a forged one, with the cookie put back: spent');
    assert.match(await replayed.text(), /That sign-in is over or was not started here/);

    // A callback at another upstream's path, or after ten minutes: refused.
    const other = await chooseUpstream(b, await loginPage(b));
    const otherCallback = new URL(await b.atUpstream(other.headers.get('location')!, 'carol'));
    await tp.provider.context.storage.upstreams.create({ ...(await tp.provider.context.storage.upstreams.find('corp'))!, id: 'acme', name: 'Acme' });
    const elsewhere = await b.get(`${ISSUER}/upstream/acme/callback${otherCallback.search}`);
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /That sign-in is over or was not started here/);
    b.jar.values.set('latchkey_upstream', /latchkey_upstream=([^;]+)/.exec(other.headers.getSetCookie().join('\n'))![1]!);
    tp.clock.advance(601);
    const late = await b.get(otherCallback.href);
    assert.equal(late.status, 400);
    assert.match(await late.text(), /That sign-in is over or was not started here/);
    assert.equal(b.jar.values.has('latchkey_session'), false);

    // Refused at the upstream.
    const denied = await chooseUpstream(b, await loginPage(b));
    const state = new URL(denied.headers.get('location')!).searchParams.get('state')!;
    const error = await b.get(`${CALLBACK}?${new URLSearchParams({ error: 'access_denied', state, iss: upstream.issuer })}`);
    assert.equal(error.status, 401);
    assert.match(await error.text(), /You did not sign in at Corp/);
    assert.ok(tp.events.some((event) => event.name === 'login.upstream_refused' && event.data.reason === 'denied'));

    // The account it is connected to disabled: refused.
    await tp.provider.context.storage.accounts.update({ ...alice, disabled: true });
    const disabled = await viaUpstream(b, 'carol');
    assert.equal(disabled.status, 403);
    assert.match(await disabled.text(), /may not sign in/);
    assert.equal(b.jar.values.has('latchkey_session'), false);

    // Without the form's CSRF token: neither sent to the upstream nor an account made.
    const form = await loginPage(b);
    const noToken = await b.post(upstreamAction(form)!, {});
    assert.equal(noToken.status, 400);
    assert.equal(noToken.headers.get('location'), null, 'not sent to the upstream');
    const noTokenAccount = await b.post(formAction(form).replace(/\/login$/, '/upstream-account'), {});
    assert.equal(noTokenAccount.status, 400);
    assert.match(await noTokenAccount.text(), /the form has expired/);

    // A disabled upstream: no button, and its start refused.
    const record = (await tp.provider.context.storage.upstreams.find('corp'))!;
    await tp.provider.context.storage.upstreams.update({ ...record, disabled: true });
    const page = await loginPage(b);
    assert.doesNotMatch(page, /Sign in with Corp/);
    const start = await b.post(formAction(page).replace(/\/login$/, '/upstream/corp'), { csrf_token: hiddenInput(page, 'csrf_token')! });
    assert.equal(start.status, 400);
    assert.match(await start.text(), /not offered any more/);
  });
});

/** The `sub` the upstream gives `username` (its ID token's, for this client). */
async function upstreamSub(username: string): Promise<string> {
  const found = await upstream.cli(['users', 'show', username]);
  return (JSON.parse(found.stdout) as { sub: string }).sub;
}
