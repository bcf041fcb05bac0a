/**
 * Admin API test helpers: tokens with the `latchkey:admin` scope, obtained the way real callers
 * obtain them (client credentials for an admin client, the code flow of the admin console for an
 * admin user), and a small JSON caller that also checks each answer against its documented schema.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { ADMIN_CLIENT_ID } from '../../src/admin/admin-client.js';
import { ADMIN_API_ROUTES } from '../../src/admin/api/routes.js';
import { registerClient } from '../../src/core/client-registration.js';
import { CookieJar, runBrowserlessFlow } from './browserless.js';
import { basicAuth, ISSUER, type TestProvider } from './index.js';

const ADMIN_SECRET = 'admin-secret-0123456789abcdef0123456789abcdef';

/** Registers an admin client (client credentials, `latchkey:admin`) and returns its access token. */
export async function adminClientToken(tp: TestProvider, client_id = 'ops-robot'): Promise<string> {
  const { storage, clock, config } = tp.provider.context;
  if (!(await storage.clients.find(client_id))) {
    await registerClient({ client_id, client_secret: ADMIN_SECRET, grant_types: ['client_credentials'], scope: 'latchkey:admin' }, { storage, clock, secret: config.secret! });
  }
  return clientCredentialsToken(tp, client_id, ADMIN_SECRET, 'latchkey:admin');
}

/** A client credentials access token. */
export async function clientCredentialsToken(tp: TestProvider, client_id: string, secret: string, scope?: string): Promise<string> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(client_id, secret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) }),
  }));
  const body = (await response.json()) as { access_token?: string };
  assert.ok(body.access_token, `no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * Logs `username` in through the admin console's client (code flow with PKCE, as the web UI
 * does) and returns the access token: it has `latchkey:admin` only if the account is an admin.
 */
export async function adminUserToken(tp: TestProvider, username: string, password: string): Promise<{ access_token: string; scope: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect_uri = `${ISSUER}/admin/callback`;
  const authorize = `${ISSUER}/authorize?${new URLSearchParams({ client_id: ADMIN_CLIENT_ID, response_type: 'code', redirect_uri, scope: 'openid latchkey:admin', code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz' })}`;
  const result = await runBrowserlessFlow((request) => tp.provider.fetch(request), authorize, { credentials: { username, password }, decision: 'allow', jar: new CookieJar() });
  const code = result.redirect?.searchParams.get('code');
  assert.ok(code, `no code; pages: ${result.pages.join(',')}`);
  const response = await tp.provider.fetch(new Request(`${ISSUER}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri, client_id: ADMIN_CLIENT_ID, code_verifier: verifier }),
  }));
  return (await response.json()) as { access_token: string; scope: string };
}

/** The answer of an admin API call. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * Calls the admin API in process. A success answer is checked against the operation's documented
 * response schema (the OpenAPI document is built from the same schemas), so a test fails when
 * the API answers something its document does not describe.
 */
export async function callAdmin(tp: TestProvider, token: string | undefined, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await tp.provider.fetch(new Request(`${ISSUER}/admin/api${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) }));
  const text = await response.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  if (response.status < 300) checkDocumented(method, path, response.status, parsed);
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Asserts that `body` is what the route's documentation says a `status` answer holds. */
function checkDocumented(method: string, path: string, status: number, body: unknown): void {
  const pathname = path.split('?')[0]!;
  const route = ADMIN_API_ROUTES.find((candidate) => candidate.method === method && new RegExp(`^${candidate.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(pathname));
  assert.ok(route, `no documented route for ${method} ${pathname}`);
  assert.equal(status, route.operation.response.status, `${method} ${pathname}: documented status`);
  if (route.operation.response.schema === undefined) {
    assert.equal(body, undefined, `${method} ${pathname}: documented without a body`);
    return;
  }
  const result = route.operation.response.schema.safeParse(body);
  assert.ok(result.success, `${method} ${pathname}: answer does not match its documented schema: ${result.success ? '' : JSON.stringify(result.error.issues)}`);
}
