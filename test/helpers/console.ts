/**
 * Console test helpers (the admin console, the account console): sign in in process the way a browser does (the
 * console's redirect to /authorize, latchkey's login page, the callback), then GET pages and
 * POST forms with the session's cookie, CSRF token and Origin.
 */
import assert from 'node:assert/strict';
import { CookieJar, hiddenInput, runBrowserlessFlow } from './browserless.js';
import { ISSUER, type TestProvider } from './index.js';

/** A signed-in console: its cookies and its CSRF token. */
export interface ConsoleSession {
  jar: CookieJar;
  csrfToken: string;
}

/**
 * Signs `username` in to a console (`/admin` by default, or `/account`) through latchkey's own
 * login page (and code page, given `oneTimeCode`). With the `jar` of a browser that has a login
 * session, no login page is shown.
 */
export async function signInToConsole(
  tp: TestProvider,
  username: string,
  password: string,
  options: { console?: 'admin' | 'account'; jar?: CookieJar; oneTimeCode?: () => string } = {},
): Promise<ConsoleSession> {
  const name = options.console ?? 'admin';
  const jar = options.jar ?? new CookieJar();
  const start = await tp.provider.fetch(new Request(`${ISSUER}/${name}`, { headers: { cookie: jar.header() } }));
  assert.equal(start.status, 302);
  jar.store(start);
  const flow = await runBrowserlessFlow((request) => tp.provider.fetch(request), start.headers.get('location')!, { credentials: { username, password }, decision: 'allow', jar, ...(options.oneTimeCode === undefined ? {} : { oneTimeCode: options.oneTimeCode }) });
  assert.ok(flow.redirect?.href.startsWith(`${ISSUER}/${name}/callback?`), `the flow ends at the console's callback: ${flow.redirect?.href}`);
  const callback = await tp.provider.fetch(new Request(flow.redirect!.href, { headers: { cookie: jar.header() } }));
  assert.equal(callback.status, 200, 'the callback answers its continue page');
  jar.store(callback);
  assert.ok(jar.values.has(`latchkey_${name}`), 'the callback sets the console session cookie');
  const home = await consoleGet(tp, { jar, csrfToken: '' }, name === 'admin' ? '/admin/clients' : '/account');
  const csrfToken = hiddenInput(home.text, 'csrf_token');
  assert.ok(csrfToken, 'every console page carries the CSRF token in its sign-out form');
  return { jar, csrfToken };
}

/** A console page (`headers`: more the browser sends, such as `accept-language`). */
export async function consoleGet(tp: TestProvider, session: ConsoleSession, path: string, headers: Record<string, string> = {}): Promise<{ response: Response; text: string }> {
  const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`, { headers: { ...headers, cookie: session.jar.header() } }));
  return { response, text: await response.text() };
}

/** A console form POST: with the session's CSRF token and the issuer's Origin unless told otherwise. */
export async function consolePost(
  tp: TestProvider,
  session: ConsoleSession,
  path: string,
  fields: Record<string, string | string[]>,
  options: { csrfToken?: string | null; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<{ response: Response; text: string }> {
  const body = new URLSearchParams();
  const token = options.csrfToken === undefined ? session.csrfToken : options.csrfToken;
  if (token !== null) body.append('csrf_token', token);
  for (const [name, value] of Object.entries(fields)) for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
  const headers: Record<string, string> = { ...options.headers, cookie: session.jar.header(), 'content-type': 'application/x-www-form-urlencoded' };
  const origin = options.origin === undefined ? ISSUER : options.origin;
  if (origin !== null) headers.origin = origin;
  const response = await tp.provider.fetch(new Request(`${ISSUER}${path}`, { method: 'POST', headers, body }));
  return { response, text: await response.text() };
}
