/** The `latchkey` CLI against the same SQLite database as a running server. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { runBrowserlessFlow } from '../helpers/browserless.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

describe('cli: latchkey commands on a running server\'s database', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server?.close();
  });

  test('cli: users create → the account as JSON with its sub, no password hash', async () => {
    const result = await server.cli(
      ['users', 'create', '--username', 'carol', '--email', 'carol@example.com', '--email-verified', '--name', 'Carol C', '--given-name', 'Carol', '--family-name', 'C', '--password-stdin'],
      'a long enough password\n',
    );
    assert.equal(result.code, 0, result.stderr);
    const account = JSON.parse(result.stdout);
    assert.match(account.sub, /^[0-9a-f-]{36}$/);
    assert.equal(account.username, 'carol');
    assert.equal(account.email, 'carol@example.com');
    assert.equal(account.email_verified, true);
    assert.equal(account.given_name, 'Carol');
    assert.equal(account.password_hash, undefined);
  });

  test('cli: users create with a taken username (any case) → exit 1 and a clear message', async () => {
    await server.cli(['users', 'create', '--username', 'dave', '--password-stdin'], 'a long enough password');
    const result = await server.cli(['users', 'create', '--username', 'DAVE', '--password-stdin'], 'a long enough password');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'latchkey: username DAVE is taken\n');
  });

  test('cli: users create with a short password → exit 1', async () => {
    const result = await server.cli(['users', 'create', '--username', 'erin', '--password-stdin'], 'short');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'latchkey: password must have at least 8 characters\n');
  });

  test('cli: users create --group, repeated → the account in those groups; a bad name → exit 1 and why', async () => {
    const result = await server.cli(['users', 'create', '--username', 'frank', '--group', 'staff', '--group', 'on-call', '--group', 'staff'], '');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).groups, ['staff', 'on-call']);
    const bad = await server.cli(['users', 'create', '--username', 'gina', '--group', ' padded'], '');
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'latchkey: a group name must not start or end with a space\n');
  });

  test('cli: users import — accounts moved from other systems keep their passwords (bcrypt, PBKDF2), sign in on the server, and are rehashed with argon2id; a bad line, a bad hash and a taken username are refused alone', async () => {
    const registration = await server.createClient({ redirect_uris: ['http://localhost:3000/callback'] });
    await server.createUser('sam', 'a long enough password');
    const signsIn = async (username: string, password: string) => {
      const url = `${server.issuer}/authorize?${new URLSearchParams({ client_id: registration.client_id!, response_type: 'code', redirect_uri: 'http://localhost:3000/callback', scope: 'openid' })}`;
      return (await runBrowserlessFlow(fetch, url, { credentials: { username, password }, decision: 'allow' })).redirect?.searchParams.get('code') != null;
    };
    const lines = [
      // bcrypt of "correct horse battery staple" by Apache's htpasswd -B; PBKDF2-SHA512 of it by Python's hashlib, as a PHC string.
      { username: 'kim', email: 'kim@example.com', email_verified: true, groups: ['staff'], password_hash: '$2y$10$PUqAeRpuDiiv1181IMevE.aIpw6/JjL5n2D5qzIb7Uu1ifYMFiiVy' },
      { username: 'lou', password_hash: '$pbkdf2-sha512$i=27500$MDEyMzQ1Njc4OWFiY2RlZg$bdzRjVYmJl9bVXA9HlolOgA+HSBKPy8dlrl1UidyQIpGVK5DldTolyH4k1D6RI/ThSOP/AmQppIjgKTzvAknYw' },
      { username: 'max', password: 'a long enough password', disabled: true },
      'not json',
      { username: 'ned', password_hash: '$1$saltsalt$md5cryptisnotaccepted' },
      { username: 'sam', password: 'a long enough password' },
      { username: 'oli', shoe_size: 44 },
    ].map((line) => (typeof line === 'string' ? line : JSON.stringify(line)));
    const result = await server.cli(['users', 'import'], `${lines.join('\n')}\n\n`);
    assert.equal(result.code, 1, 'some were refused');
    assert.match(result.stderr, /4 of 7 accounts were refused/);
    const outcome = JSON.parse(result.stdout);
    assert.equal(outcome.created, 3);
    assert.deepEqual(outcome.skipped, []);
    assert.deepEqual(outcome.refused.map((entry: { line: number; username?: string }) => [entry.line, entry.username]), [[4, undefined], [5, 'ned'], [6, 'sam'], [7, 'oli']]);
    assert.equal(outcome.refused[0].error, 'not valid JSON');
    assert.match(outcome.refused[1].error, /password_hash must be an argon2 PHC string/);
    assert.equal(outcome.refused[2].error, 'username sam is taken');
    assert.match(outcome.refused[3].error, /shoe_size/);

    const kim = JSON.parse((await server.cli(['users', 'show', 'kim'])).stdout);
    assert.deepEqual([kim.email, kim.email_verified, kim.groups, kim.has_password], ['kim@example.com', true, ['staff'], true]);
    assert.equal(JSON.parse((await server.cli(['users', 'show', 'max'])).stdout).disabled, true);
    assert.equal(await signsIn('kim', 'correct horse battery stapler'), false);
    assert.equal(await signsIn('kim', 'correct horse battery staple'), true);
    assert.equal(await signsIn('lou', 'correct horse battery staple'), true);
    assert.equal(await signsIn('max', 'a long enough password'), false, 'imported disabled');
    // Signed in once, each now has an argon2id hash of the same password.
    const database = new BetterSqlite3(join(server.dir, 'latchkey.db'), { readonly: true });
    const hashes = database.prepare("SELECT username, password_hash FROM accounts WHERE username IN ('kim', 'lou') ORDER BY username").all() as { username: string; password_hash: string }[];
    database.close();
    assert.deepEqual(hashes.map((row) => [row.username, row.password_hash.startsWith('$argon2id$v=19$m=12288,t=3,p=1$')]), [['kim', true], ['lou', true]]);
    assert.equal(await signsIn('kim', 'correct horse battery staple'), true);

    // Again, with --skip-existing and as a JSON array: the taken usernames are skipped, not refused.
    const again = await server.cli(['users', 'import', '--skip-existing'], JSON.stringify([{ username: 'KIM', password: 'a long enough password' }, { username: 'pat', password_hash: '$2y$10$PUqAeRpuDiiv1181IMevE.aIpw6/JjL5n2D5qzIb7Uu1ifYMFiiVy' }]));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { created: 1, skipped: [{ line: 1, username: 'KIM' }], refused: [] });

    // One account from a hash on standard input.
    const one = await server.cli(['users', 'create', '--username', 'quinn', '--password-hash-stdin'], '$pbkdf2-sha512$i=27500$MDEyMzQ1Njc4OWFiY2RlZg$bdzRjVYmJl9bVXA9HlolOgA+HSBKPy8dlrl1UidyQIpGVK5DldTolyH4k1D6RI/ThSOP/AmQppIjgKTzvAknYw\n');
    assert.equal(one.code, 0, one.stderr);
    assert.equal(await signsIn('quinn', 'correct horse battery staple'), true);
    // And an existing account's password replaced by a hash from elsewhere.
    const updated = await server.cli(['users', 'update', 'sam', '--password-hash-stdin'], '$2y$10$PUqAeRpuDiiv1181IMevE.aIpw6/JjL5n2D5qzIb7Uu1ifYMFiiVy\n');
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(await signsIn('sam', 'a long enough password'), false);
    assert.equal(await signsIn('sam', 'correct horse battery staple'), true);
    const badHash = await server.cli(['users', 'update', 'sam', '--password-hash-stdin'], '{SSHA}c2FsdGVkaGFzaA==\n');
    assert.equal(badHash.code, 1);
    assert.match(badHash.stderr, /^latchkey: password_hash must be an argon2 PHC string/);
    const both = await server.cli(['users', 'create', '--username', 'rae', '--password-stdin', '--password-hash-stdin'], 'x');
    assert.equal(both.code, 1);
    assert.equal(both.stderr, 'latchkey: --password-stdin and --password-hash-stdin are exclusive: give one\n');
  });

  test('cli: users create without --username → usage error, exit 2', async () => {
    const result = await server.cli(['users', 'create', '--password-stdin'], 'a long enough password');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /required option '--username <username>' not specified/);
  });

  test('cli: users update changes only what its options name, with the admin API\'s rules; show and list read it back', async () => {
    await server.createUser('heidi', 'a long enough password', ['--email', 'heidi@example.com', '--email-verified', '--group', 'staff']);
    const show = async (username: string) => JSON.parse((await server.cli(['users', 'show', username])).stdout) as Record<string, unknown>;

    const updated = await server.cli(['users', 'update', 'HEIDI', '--group', 'on-call', '--group', 'k8s:admins', '--admin', '--name', 'Heidi H']);
    assert.equal(updated.code, 0, updated.stderr);
    const heidi = JSON.parse(updated.stdout);
    assert.deepEqual(heidi.groups, ['on-call', 'k8s:admins'], 'replaced');
    assert.deepEqual(heidi.roles, ['admin']);
    assert.equal(heidi.name, 'Heidi H');
    assert.equal(heidi.email_verified, true, 'untouched');
    assert.equal(heidi.password_hash, undefined);
    assert.deepEqual(await show('heidi'), heidi);

    const members = async (group: string) => (JSON.parse((await server.cli(['users', 'list', '--group', group])).stdout) as { username: string }[]).map((user) => user.username);
    assert.deepEqual(await members('k8s:admins'), ['heidi']);
    assert.equal((await members('staff')).includes('heidi'), false, 'no longer in staff');
    assert.ok((JSON.parse((await server.cli(['users', 'list', '--search', 'heidi@'])).stdout) as { username: string }[]).some((user) => user.username === 'heidi'));

    const moved = JSON.parse((await server.cli(['users', 'update', 'heidi', '--no-groups', '--no-admin', '--email', 'heidi@new.example'])).stdout);
    assert.deepEqual(moved.groups, []);
    assert.deepEqual(moved.roles, []);
    assert.equal(moved.email, 'heidi@new.example');
    assert.equal(moved.email_verified, false, 'a new address is unverified');

    for (const [args, message] of [
      [['--group', 'say "hi"'], 'latchkey: groups: a group name must not contain control characters, double quotes or backslashes\n'],
      [['--email', 'not an address'], 'latchkey: email: Invalid email address\n'],
      [['--group', 'x', '--no-groups'], 'latchkey: --group and --no-groups contradict each other\n'],
      [['--rename', 'carol'], 'latchkey: username carol is taken\n'],
    ] as const) {
      const refused = await server.cli(['users', 'update', 'heidi', ...args]);
      assert.equal(refused.code, 1, args.join(' '));
      assert.equal(refused.stderr, message);
    }
    assert.deepEqual(await show('heidi'), moved, 'nothing changed');
    const short = await server.cli(['users', 'update', 'heidi', '--password-stdin'], 'short\n');
    assert.equal(short.stderr, 'latchkey: password must have at least 8 characters\n');
    const unknown = await server.cli(['users', 'show', 'nobody']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'latchkey: no user nobody\n');
  });

  test('cli: users export → the account\'s data as one JSON document (no secret), recorded in the audit log with actor cli; an unknown one → exit 1', async () => {
    const sub = await server.createUser('judy', 'judy-long-password', ['--email', 'judy@example.test', '--name', 'Judy Hopps']);
    const result = await server.cli(['users', 'export', 'judy']);
    assert.equal(result.code, 0, result.stderr);
    const data = JSON.parse(result.stdout) as { issuer: string; account: Record<string, unknown>; sign_in: Record<string, unknown>; activity: Array<{ type: string; by?: string }> };
    assert.equal(data.issuer, server.issuer);
    assert.deepEqual([data.account.sub, data.account.username, data.account.email, data.account.name], [sub, 'judy', 'judy@example.test', 'Judy Hopps']);
    assert.equal(data.sign_in.password, true);
    assert.deepEqual(data.activity.map((event) => [event.type, event.by]), [['user.created', 'administrator']], 'made from the command line');
    assert.doesNotMatch(result.stdout, /\$argon2|password_hash/);
    const again = JSON.parse((await server.cli(['users', 'export', 'judy'])).stdout) as { activity: Array<{ type: string }> };
    assert.deepEqual(again.activity.map((event) => event.type), ['user.exported', 'user.created'], 'the first export is on record');
    const unknown = await server.cli(['users', 'export', 'nobody']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'latchkey: no user nobody\n');
  });

  test('cli: users disable revokes what the account was given and its logins fail; enable lets it back; delete frees the username', async () => {
    const sub = await server.createUser('ivan', 'ivan-long-password');
    const registration = await server.createClient({ redirect_uris: ['http://localhost:3000/callback'], grant_types: ['authorization_code', 'refresh_token'] });
    const basic = `Basic ${Buffer.from(`${registration.client_id}:${registration.client_secret}`).toString('base64')}`;
    const login = async () => {
      const url = `${server.issuer}/authorize?${new URLSearchParams({ client_id: registration.client_id!, response_type: 'code', redirect_uri: 'http://localhost:3000/callback', scope: 'openid' })}`;
      return runBrowserlessFlow(fetch, url, { credentials: { username: 'ivan', password: 'ivan-long-password' }, decision: 'allow' });
    };
    const code = (await login()).redirect!.searchParams.get('code')!;
    const tokens = (await (await fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000/callback' }) })).json()) as Record<string, string>;
    assert.equal(typeof tokens.refresh_token, 'string');

    const disabled = await server.cli(['users', 'disable', 'ivan']);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal(JSON.parse(disabled.stdout).disabled, true);
    const refreshed = await fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }) });
    assert.equal(refreshed.status, 400, 'the refresh token is revoked');
    assert.equal((await login()).redirect, undefined, 'the login fails');

    assert.equal(JSON.parse((await server.cli(['users', 'enable', 'ivan'])).stdout).disabled, false);
    assert.ok((await login()).redirect?.searchParams.get('code'), 'signs in again');

    const deleted = await server.cli(['users', 'delete', 'ivan']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), { deleted: sub, username: 'ivan' });
    assert.equal((await server.cli(['users', 'show', 'ivan'])).code, 1);
    assert.notEqual(await server.createUser('ivan', 'ivan-long-password'), sub, 'the username is free: a new account');
  });

  test('cli: clients create → RFC 7591 response with the secret; list, show and delete', async () => {
    const created = await server.cli(['clients', 'create'], JSON.stringify({ client_name: 'CLI App', redirect_uris: ['https://app.example/cb'] }));
    assert.equal(created.code, 0, created.stderr);
    const registration = JSON.parse(created.stdout);
    assert.deepEqual(Object.keys(registration).sort(), [
      'application_type', 'client_id', 'client_id_issued_at', 'client_name', 'client_secret', 'client_secret_expires_at',
      'grant_types', 'id_token_signed_response_alg', 'redirect_uris', 'response_types', 'subject_type', 'token_endpoint_auth_method',
    ]);
    assert.equal(registration.client_secret_expires_at, 0);

    const listing = await server.cli(['clients', 'list']);
    assert.equal(listing.code, 0, listing.stderr);
    const list = JSON.parse(listing.stdout) as { client_id: string; client_secret?: string; client_secret_digest?: string }[];
    const listed = list.find((c) => c.client_id === registration.client_id);
    if (!listed) throw new Error('the new client is not listed');
    assert.equal(listed.client_secret, undefined);
    assert.equal(listed.client_secret_digest, undefined);

    const showing = await server.cli(['clients', 'show', registration.client_id]);
    assert.equal(showing.code, 0, showing.stderr);
    assert.equal(JSON.parse(showing.stdout).client_name, 'CLI App');

    const deleted = await server.cli(['clients', 'delete', registration.client_id]);
    assert.equal(deleted.code, 0);
    assert.deepEqual(JSON.parse(deleted.stdout), { deleted: registration.client_id });
    const missing = await server.cli(['clients', 'show', registration.client_id]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `latchkey: no client ${registration.client_id}\n`);

    // The running server no longer knows it either.
    const page = await fetch(`${server.issuer}/authorize?client_id=${registration.client_id}&response_type=code&redirect_uri=https://app.example/cb`);
    assert.equal(page.status, 400);
  });

  test('cli: clients create --file reads the metadata from a file', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = `${server.dir}/client.json`;
    writeFileSync(file, JSON.stringify({ client_id: 'from-file', redirect_uris: ['https://app.example/cb'] }));
    const result = await server.cli(['clients', 'create', '--file', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).client_id, 'from-file');
  });

  test('cli: clients create with invalid metadata → exit 1 with the RFC 7591 error', async () => {
    const cases: [string, string][] = [
      ['not json', 'latchkey: client metadata is not valid JSON'],
      [JSON.stringify({ redirect_uris: ['http://app.example/cb'] }), 'latchkey: invalid_redirect_uri: redirect URI http://app.example/cb must use https (http is allowed only on a loopback host)\n'],
      [JSON.stringify({ redirect_uris: ['https://app.example/cb'], client_secret: 'short' }), 'latchkey: invalid_client_metadata: client_secret must carry at least 128 bits of entropy (e.g. 32 random hex digits)\n'],
      [JSON.stringify({ client_id: 'dup', redirect_uris: ['https://app.example/cb'] }), ''],
      [JSON.stringify({ client_id: 'dup', redirect_uris: ['https://app.example/cb'] }), 'latchkey: invalid_client_metadata: client_id dup is already registered\n'],
    ];
    for (const [input, expected] of cases) {
      const result = await server.cli(['clients', 'create'], input);
      if (expected === '') {
        assert.equal(result.code, 0, result.stderr);
        continue;
      }
      assert.equal(result.code, 1, input);
      assert.ok(result.stderr.startsWith(expected), `${result.stderr} starts with ${expected}`);
    }
  });

  test('cli: keys list → a current and a next key per algorithm (signing and decryption); keys rotate → next becomes current and the server signs with it', async () => {
    const before = JSON.parse((await server.cli(['keys', 'list'])).stdout) as { kid: string; alg: string; state: string }[];
    const nextRs256 = before.find((k) => k.alg === 'RS256' && k.state === 'next')!;
    assert.ok(nextRs256);
    assert.deepEqual(before.filter((k) => k.state === 'current').map((k) => k.alg).sort(), ['ECDH-ES', 'ES256', 'EdDSA', 'PS256', 'RS256', 'RSA-OAEP-256']);

    const rotated = await server.cli(['keys', 'rotate', '--alg', 'RS256']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const after = JSON.parse(rotated.stdout) as { kid: string; alg: string; state: string }[];
    assert.equal(after.find((k) => k.kid === nextRs256.kid)!.state, 'current');
    assert.equal(after.filter((k) => k.alg === 'RS256' && k.state === 'previous').length, 1);
    assert.equal(after.filter((k) => k.alg === 'RS256' && k.state === 'next').length, 1);

    // The running server publishes the new next key (within its one-second key refresh).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const jwks = (await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    const newNext = after.find((k) => k.alg === 'RS256' && k.state === 'next')!;
    assert.ok(jwks.keys.some((k) => k.kid === newNext.kid));

    const bad = await server.cli(['keys', 'rotate', '--alg', 'HS256']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'latchkey: --alg must be one of RS256, PS256, ES256, EdDSA, RSA-OAEP-256, ECDH-ES\n');
  });

  test('cli: clients initial-token → a token the running server accepts once at /register; a bad --ttl → exit 1', async () => {
    const issued = await server.cli(['clients', 'initial-token']);
    assert.equal(issued.code, 0, issued.stderr);
    const { initial_access_token, expires_in } = JSON.parse(issued.stdout);
    assert.equal(expires_in, 86400);
    const register = () => fetch(`${server.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${initial_access_token}` },
      body: JSON.stringify({ grant_types: ['client_credentials'] }),
    });
    assert.equal((await register()).status, 201);
    assert.equal((await register()).status, 401);

    const bad = await server.cli(['clients', 'initial-token', '--ttl', '5']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--ttl must be a whole number of seconds from 60 to 2592000/);
  });

  test('cli: migrate → applies nothing new on an up-to-date database', async () => {
    const result = await server.cli(['migrate']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'migrations applied\n');
  });

  test('cli: resources create, list, show, delete; bad definitions and duplicates exit 1', async () => {
    const definition = { resource: 'https://orders.example/api', name: 'Orders API', scope: 'orders:read orders:write', access_token_format: 'jwt', access_token_ttl_seconds: 300 };
    const created = await server.cli(['resources', 'create'], JSON.stringify(definition));
    assert.equal(created.code, 0, created.stderr);
    const record = JSON.parse(created.stdout);
    assert.deepEqual({ ...record, created_at: undefined, updated_at: undefined }, { ...definition, created_at: undefined, updated_at: undefined });
    assert.equal(typeof record.created_at, 'number');

    const duplicate = await server.cli(['resources', 'create'], JSON.stringify(definition));
    assert.equal(duplicate.code, 1);
    assert.equal(duplicate.stderr, 'latchkey: resource server https://orders.example/api is already registered\n');
    const reserved = await server.cli(['resources', 'create'], JSON.stringify({ resource: 'https://x.example', scope: 'email' }));
    assert.equal(reserved.code, 1);
    assert.equal(reserved.stderr, 'latchkey: invalid_client_metadata: scope email is an end-user scope of latchkey, not an API scope\n');
    const unknownClient = await server.cli(['resources', 'create'], JSON.stringify({ resource: 'https://x.example', scope: 'x', client_id: 'nobody' }));
    assert.equal(unknownClient.code, 1);
    assert.equal(unknownClient.stderr, 'latchkey: client_id nobody is not a registered client\n');
    const notJson = await server.cli(['resources', 'create'], '{');
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /^latchkey: resource server definition is not valid JSON/);

    const listed = await server.cli(['resources', 'list']);
    assert.deepEqual(JSON.parse(listed.stdout).map((server: { resource: string }) => server.resource), ['https://orders.example/api']);
    const shown = await server.cli(['resources', 'show', 'https://orders.example/api']);
    assert.equal(JSON.parse(shown.stdout).name, 'Orders API');
    const deleted = await server.cli(['resources', 'delete', 'https://orders.example/api']);
    assert.equal(deleted.code, 0, deleted.stderr);
    const missing = await server.cli(['resources', 'show', 'https://orders.example/api']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'latchkey: no resource server https://orders.example/api\n');
  });

  test('cli: upstreams add (secret on standard input), list, show, update (secret removed), delete; a bad issuer → exit 1 naming the field', async () => {
    const added = await server.cli(['upstreams', 'add', '--id', 'corp', '--name', 'Corp SSO', '--issuer', 'https://idp.corp.example', '--client-id', 'latchkey-at-corp', '--client-secret-stdin'], 'corp-client-secret-0123456789\n');
    assert.equal(added.code, 0, added.stderr);
    const corp = JSON.parse(added.stdout);
    assert.deepEqual({ ...corp, created_at: undefined, updated_at: undefined }, {
      id: 'corp', name: 'Corp SSO', issuer: 'https://idp.corp.example', client_id: 'latchkey-at-corp', has_client_secret: true,
      scope: 'openid email profile', create_accounts: true, sync_profile: false, sync_groups: false, disabled: false, redirect_uri: `${server.issuer}/upstream/corp/callback`, created_at: undefined, updated_at: undefined,
    });
    assert.ok(!added.stdout.includes('corp-client-secret'), 'the secret is not printed');
    const lab = await server.cli(['upstreams', 'add', '--id', 'lab', '--name', 'Lab', '--issuer', 'http://127.0.0.1:9', '--client-id', 'lk', '--scope', 'openid email', '--no-create-accounts', '--sync-groups', '--disabled']);
    assert.equal(lab.code, 0, lab.stderr);
    const labView = JSON.parse(lab.stdout);
    assert.deepEqual([labView.has_client_secret, labView.create_accounts, labView.sync_profile, labView.sync_groups, labView.disabled], [false, false, false, true, true]);

    const listed = await server.cli(['upstreams', 'list']);
    assert.deepEqual((JSON.parse(listed.stdout) as { id: string }[]).map((upstream) => upstream.id), ['corp', 'lab']);
    assert.deepEqual(JSON.parse((await server.cli(['upstreams', 'show', 'corp'])).stdout), corp);

    const updated = await server.cli(['upstreams', 'update', 'corp', '--name', 'Corp Sign-In', '--no-client-secret', '--sync-profile', '--disabled']);
    assert.equal(updated.code, 0, updated.stderr);
    const changed = JSON.parse(updated.stdout);
    assert.deepEqual([changed.name, changed.has_client_secret, changed.sync_profile, changed.sync_groups, changed.disabled, changed.issuer], ['Corp Sign-In', false, true, false, true, 'https://idp.corp.example']);
    const labOff = JSON.parse((await server.cli(['upstreams', 'update', 'lab', '--no-sync-groups'])).stdout);
    assert.deepEqual([labOff.sync_groups, labOff.create_accounts], [false, false], 'only the option given changes');
    assert.deepEqual(JSON.parse((await server.cli(['upstreams', 'show', 'corp'])).stdout), changed);

    for (const [args, message] of [
      [['upstreams', 'add', '--id', 'bad', '--name', 'Bad', '--issuer', 'http://idp.example', '--client-id', 'x'], 'latchkey: issuer: must be https (plain http only on localhost, 127.0.0.1 or [::1])\n'],
      [['upstreams', 'add', '--id', 'Corp_1', '--name', 'Bad', '--issuer', 'https://idp.example', '--client-id', 'x'], 'latchkey: id: must be 1–63 lowercase letters, digits and hyphens, not starting with a hyphen\n'],
      [['upstreams', 'add', '--id', 'corp', '--name', 'Again', '--issuer', 'https://idp.example', '--client-id', 'x'], 'latchkey: upstream provider corp exists\n'],
      [['upstreams', 'update', 'corp', '--issuer', 'https://idp.example/?tenant=1'], 'latchkey: issuer: must have no query or fragment\n'],
      [['upstreams', 'update', 'corp', '--scope', 'email'], 'latchkey: scope: must include openid\n'],
      [['upstreams', 'show', 'nobody'], 'latchkey: no upstream provider nobody\n'],
    ] as const) {
      const refused = await server.cli([...args]);
      assert.notEqual(refused.code, 0, args.join(' '));
      assert.equal(refused.stderr, message);
    }
    assert.deepEqual(JSON.parse((await server.cli(['upstreams', 'show', 'corp'])).stdout), changed, 'nothing changed');

    const deleted = await server.cli(['upstreams', 'delete', 'corp']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout), { deleted: 'corp' });
    assert.equal((await server.cli(['upstreams', 'show', 'corp'])).code, 1);
    assert.equal((await server.cli(['upstreams', 'delete', 'corp'])).stderr, 'latchkey: no upstream provider corp\n');
    assert.deepEqual((JSON.parse((await server.cli(['upstreams', 'list'])).stdout) as { id: string }[]).map((upstream) => upstream.id), ['lab']);
  });

  test('cli: an unreachable Redis → exit 1 saying so', async () => {
    const { runCli } = await import('../helpers/server.js');
    const result = await runCli(['clients', 'list'], { ...server.env, LATCHKEY_REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /redisUrl \(LATCHKEY_REDIS_URL\): cannot connect: connect ECONNREFUSED 127\.0\.0\.1:1/);
  });

  test('cli: an invalid environment → every problem listed, exit 1', async () => {
    const { runCli } = await import('../helpers/server.js');
    const result = await runCli(['clients', 'list'], { ...server.env, LATCHKEY_PORT: 'x', LATCHKEY_ACCESS_TOKEN_TTL_SECONDS: '1' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /invalid configuration:\n {2}- port \(LATCHKEY_PORT\).*\n {2}- accessTokenTtlSeconds/);
  });

  test('cli: `npx latchkey` in the project root resolves to this project\'s CLI', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile('npx', ['--no-install', 'latchkey', '--help'], { cwd: ROOT, env: { ...process.env, npm_config_yes: 'false' } }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    assert.match(output, /^Usage: latchkey \[options\] \[command\]/);
    assert.match(output, /latchkey: OpenID Connect Provider and OAuth 2\.0 Authorization Server/);
  });
});
