/** Test helpers: an in-process provider on memory storage with a fixed clock, and request builders. */
import assert from 'node:assert/strict';
import { createAccount, type NewAccount } from '../../src/accounts/create-account.js';
import type { Accounts } from '../../src/accounts/types.js';
import { registerClient } from '../../src/core/client-registration.js';
import type { ConfigInput } from '../../src/core/config.js';
import type { EventSink } from '../../src/core/events.js';
import { createProvider, type Provider, type ProviderOptions } from '../../src/library/create-provider.js';
import type { OutboundTransport } from '../../src/http/outbound.js';
import { ensureKeys } from '../../src/keys/rotation.js';
import { createMemoryStorage } from '../../src/storage/memory/index.js';
import type { AccountRecord, ClientRecord, KeyRecord, Storage } from '../../src/storage/types.js';
import { fixedClock, type FixedClock } from '../../src/util/clock.js';

import { CookieJar, runBrowserlessFlow } from './browserless.js';

export { CookieJar, runBrowserlessFlow, hiddenInput, formAction, type FlowResult } from './browserless.js';

/** The issuer of in-process test providers. */
export const ISSUER = 'https://op.test';

/** A test client: RFC 7591 metadata plus an optional fixed client_id / client_secret. */
export type TestClient = Record<string, unknown> & { client_id: string; client_secret?: string };

export interface TestProvider {
  provider: Provider;
  clock: FixedClock;
  clients: ClientRecord[];
  accounts: AccountRecord[];
  /** Every event emitted, in order. */
  events: { name: string; data: Readonly<Record<string, unknown>> }[];
}

/** A master secret for tests only. */
const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/**
 * One set of keys per test process (a current and a next key per algorithm, sealed under
 * TEST_SECRET), given to every provider whose storage has none: six RSA key pairs cost a second
 * of CPU, which every test would otherwise spend before its first request. Generating keys is
 * tested where it is the subject (`src/keys/keys.test.ts`, the e2e servers).
 */
let testKeys: Promise<KeyRecord[]> | undefined;
async function seedKeys(storage: Storage): Promise<void> {
  testKeys ??= (async () => {
    const scratch = createMemoryStorage({ clock: fixedClock(0) });
    return ensureKeys(scratch, TEST_SECRET, fixedClock(0));
  })();
  if ((await storage.keys.list()).length > 0) return;
  for (const key of await testKeys) await storage.keys.insert({ ...key });
}

/**
 * An in-process provider on memory storage with a fixed clock. Clients default to a
 * confidential web client with redirect URI `https://rp.example/cb`.
 */
export async function testProvider(options: {
  now?: string | number;
  clients?: TestClient[];
  accounts?: NewAccount[];
  config?: ConfigInput;
  outboundTransport?: OutboundTransport;
  /** Storage over the test clock; default: memory. */
  storage?: (clock: FixedClock) => Promise<Storage>;
  /** Host-application parts: its own accounts, its own login and consent pages, its mailer. */
  host?: Pick<ProviderOptions, 'accounts' | 'interactionUrl' | 'pages' | 'mailer'>;
  logger?: ProviderOptions['logger'];
} = {}): Promise<TestProvider> {
  const clock = fixedClock(options.now ?? '2030-01-01T00:00:00Z');
  const storage = (await options.storage?.(clock)) ?? createMemoryStorage({ clock });
  await seedKeys(storage);
  const events: TestProvider['events'] = [];
  const sink: EventSink = { emit: (name, data) => events.push({ name, data }) };
  const provider = await createProvider({
    issuer: ISSUER,
    secret: TEST_SECRET,
    ...options.config,
    storage,
    clock,
    events: sink,
    sweepIntervalSeconds: 0,
    // Tests write the per-minute counts when they choose: provider.metrics.flush().
    metricsFlushIntervalSeconds: 0,
    ...options.host,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.outboundTransport === undefined ? {} : { outboundTransport: options.outboundTransport }),
  });
  const clients: ClientRecord[] = [];
  for (const client of options.clients ?? []) {
    const { client: record } = await registerClient({ redirect_uris: ['https://rp.example/cb'], ...client }, { storage, clock, secret: TEST_SECRET });
    clients.push(record);
  }
  const accounts: AccountRecord[] = [];
  for (const account of options.accounts ?? []) accounts.push(await createAccount(account, storage, clock));
  return { provider, clock, clients, accounts, events };
}

/** `text` as the pages' HTML writes it (Hono's JSX escaping), to find a message on a page. */
export function asHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** `Authorization: Basic …` with client_id and secret form-encoded first (RFC 6749 §2.3.1). */
export function basicAuth(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** An `application/x-www-form-urlencoded` body. */
export function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

/** A POST to the token endpoint of the test issuer. */
export function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`${ISSUER}/token`, { method: 'POST', headers, body: form(fields) });
}

/** A 32-hex-digit secret (128 bits), the shape of the seed's client secret. */
export const SEED_SECRET = '37b1c4ff826f8d78bd45e25bad75a2c0';

/** A valid PKCE pair: code_challenge = base64url(SHA-256(code_verifier)). */
export const PKCE = {
  code_verifier: 'dBjftJeZ4CK-8j1hz2w6nN5M2vT8t0vZ0Ln4jbqyX3U',
  code_challenge: 'dd1ky3bfml1u8FE6nt19EyhtM9DbcGoU7-avRXlDi1g',
} as const;

/** The test account most tests log in with. */
export const ALICE: NewAccount = {
  username: 'alice',
  password: 'correct horse battery staple',
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
};

/** The sub of `hostAccounts`' one account. */
export const HOST_SUB = 'host-user-1';

/**
 * Accounts a host application keeps itself (ALICE's username and password, a sub of its own), and
 * the subs it has removed since: the engine is not told, it must ask (`Accounts.findById`).
 */
export function hostAccounts(): Accounts & { gone: Set<string> } {
  const gone = new Set<string>();
  const account = { sub: HOST_SUB, username: String(ALICE.username) };
  return {
    gone,
    async findById(sub) {
      return sub === HOST_SUB && !gone.has(sub) ? account : undefined;
    },
    async authenticate(username, password) {
      return username === ALICE.username && password === ALICE.password ? account : undefined;
    },
    async claims(sub) {
      return sub === HOST_SUB && !gone.has(sub) ? { sub } : undefined;
    },
  };
}

/**
 * Has `account` disabled just before the next grant is stored in `tp`: after the disabling revoked
 * the account's grants, before this one is there — an administrator disabling the account in the
 * moment its authorization is answered.
 */
export function disableBeforeNextGrant(tp: TestProvider, account: AccountRecord): void {
  const { storage } = tp.provider.context;
  const insertGrant = storage.tokens.insertGrant;
  storage.tokens.insertGrant = async (grant) => {
    storage.tokens.insertGrant = insertGrant;
    await storage.accounts.update({ ...account, disabled: true });
    return insertGrant.call(storage.tokens, grant);
  };
}

/** An authorization URL of the test issuer. */
export function authorizeUrl(params: Record<string, string>): string {
  return `${ISSUER}/authorize?${new URLSearchParams(params)}`;
}

/**
 * Runs the authorization flow in process (login as ALICE, Allow) and returns the code the
 * client received.
 */
export async function obtainCode(
  tp: TestProvider,
  params: Record<string, string>,
  jar: CookieJar = new CookieJar(),
): Promise<string> {
  const result = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorizeUrl({ response_type: 'code', redirect_uri: 'https://rp.example/cb', ...params }), {
    credentials: { username: String(ALICE.username), password: String(ALICE.password) },
    decision: 'allow',
    jar,
  });
  const code = result.redirect?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${result.response.status} ${result.redirect?.href ?? (await result.response.text())}`);
  return code;
}

/** A form POST to `path` of the test issuer; the JSON body when there is one. */
export async function postForm(
  tp: TestProvider,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ response: Response; body: Record<string, unknown>; text: string }> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`, { method: 'POST', headers, body: form(fields) }));
  const text = await response.text();
  const isJson = /^application\/json\b/.test(response.headers.get('content-type') ?? '');
  return { response, text, body: isJson && text !== '' ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Asserts an RFC 6749 §5.2 error response: status, no-store, and exactly `error` + `error_description`. */
export function assertOAuthError(response: Response, body: unknown, status: number, error: string, description: string): void {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  assert.deepEqual(body, { error, error_description: description });
}

/**
 * Runs the code flow for `client_id` (a confidential client with secret SEED_SECRET, or a public
 * one with PKCE) and returns the token response.
 */
export async function codeFlowTokens(
  tp: TestProvider,
  client_id: string,
  options: { scope?: string; public?: boolean } = {},
): Promise<Record<string, unknown>> {
  const scope = options.scope ?? 'openid profile email';
  if (options.public) {
    const code = await obtainCode(tp, { client_id, scope, code_challenge: PKCE.code_challenge, code_challenge_method: 'S256' });
    const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb', client_id, code_verifier: PKCE.code_verifier });
    return body;
  }
  const code = await obtainCode(tp, { client_id, scope });
  const { body } = await postForm(tp, '/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://rp.example/cb' }, { authorization: basicAuth(client_id, SEED_SECRET) });
  return body;
}
