// Takes the screenshots of docs/admin.md: a temporary server with sample data (an administrator
// made by the CLI, clients, users, a resource server, some logins and token traffic), Debian's
// Chromium signed in to the admin console, one PNG per page under docs/images/; then the branded
// login page of docs/branding.md.
//   npm run docs:screenshots
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { ROOT, startTestServer } from '../test/helpers/server.js';

const ADMIN_PASSWORD = 'admin-password-for-screenshots';
const USER_PASSWORD = 'user-password-for-screenshots';
const REDIRECT_URI = 'http://localhost:3000/callback';

const server = await startTestServer();
try {
  const cli = async (args: string[], stdin: string) => {
    const result = await server.cli(args, stdin);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, string>;
  };
  await cli(['users', 'create', '--username', 'ada', '--name', 'Ada Lovelace', '--email', 'ada@example.com', '--admin', '--password-stdin'], ADMIN_PASSWORD);
  for (const [username, name] of [['grace', 'Grace Hopper'], ['alan', 'Alan Turing'], ['edsger', 'Edsger Dijkstra']] as const) {
    await cli(['users', 'create', '--username', username, '--name', name, '--email', `${username}@example.com`, '--email-verified', '--password-stdin'], USER_PASSWORD);
  }
  const shop = await cli(['clients', 'create'], JSON.stringify({ client_name: 'Example Shop', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile email offline_access' }));
  await cli(['clients', 'create'], JSON.stringify({ client_name: 'Mobile App', token_endpoint_auth_method: 'none', application_type: 'native', redirect_uris: ['com.example.app:/callback'] }));
  const robot = await cli(['clients', 'create'], JSON.stringify({ client_name: 'Billing Worker', grant_types: ['client_credentials'], scope: 'orders:read' }));
  await cli(['resources', 'create'], JSON.stringify({ resource: 'https://api.example.com/orders', name: 'Orders API', scope: 'orders:read orders:write', access_token_format: 'jwt' }));

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, colorScheme: 'light' });
  const page = await context.newPage();
  await page.route(`${REDIRECT_URI}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback' }));
  const signIn = async (target: Page, username: string, password: string) => {
    await target.locator('input[autocomplete="username"]').fill(username);
    await target.locator('input[autocomplete="current-password"]').fill(password);
    await target.getByRole('button', { name: 'Sign in' }).click();
  };

  // Traffic for the dashboard: logins (some failing), code flows, client credentials tokens.
  for (const username of ['grace', 'alan', 'edsger']) {
    const user = await browser.newContext();
    const flow = await user.newPage();
    await flow.route(`${REDIRECT_URI}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'callback' }));
    await flow.goto(`${server.issuer}/authorize?${new URLSearchParams({ client_id: shop.client_id!, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid profile', state: 'docs' })}`);
    await signIn(flow, username, 'wrong password');
    await flow.getByRole('alert').waitFor();
    await signIn(flow, username, USER_PASSWORD);
    await flow.getByRole('button', { name: 'Allow' }).click();
    await flow.waitForURL(`${REDIRECT_URI}**`);
    const code = new URL(flow.url()).searchParams.get('code')!;
    await fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${shop.client_id}:${shop.client_secret}`).toString('base64')}` }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }) });
    await user.close();
  }
  for (let i = 0; i < 12; i += 1) {
    await fetch(`${server.issuer}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${robot.client_id}:${robot.client_secret}`).toString('base64')}` }, body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'orders:read', resource: 'https://api.example.com/orders' }) });
  }

  await page.goto(`${server.issuer}/admin`);
  await signIn(page, 'ada', ADMIN_PASSWORD);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const shoot = async (name: string, path: string, options: { fullPage?: boolean } = {}) => {
    await page.goto(`${server.issuer}${path}`);
    await page.screenshot({ path: join(ROOT, 'docs/images', `${name}.png`), fullPage: options.fullPage ?? false });
    console.log(`docs/images/${name}.png`);
  };
  await shoot('admin-dashboard', '/admin', { fullPage: true });
  await shoot('admin-clients', '/admin/clients');
  await shoot('admin-client', `/admin/clients/${encodeURIComponent(shop.client_id!)}`, { fullPage: true });
  await shoot('admin-client-form', '/admin/clients/new');
  await shoot('admin-users', '/admin/users');
  const users = await page.goto(`${server.issuer}/admin/users?search=grace`);
  assert.ok(users?.ok());
  await page.getByRole('link', { name: 'grace' }).click();
  await page.screenshot({ path: join(ROOT, 'docs/images/admin-user.png'), fullPage: true });
  console.log('docs/images/admin-user.png');
  // One rotation, so that the keys page shows a previous key too.
  await page.goto(`${server.issuer}/admin/keys`);
  await page.getByRole('button', { name: 'Rotate RS256' }).click();
  await page.getByRole('status').waitFor();
  await shoot('admin-keys', '/admin/keys');
  await shoot('admin-audit-events', '/admin/audit-events');
  await browser.close();
} finally {
  await server.close();
}

// docs/branding.md: the login page of a server dressed in an organization's name, logo and colour.
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" rx="9" fill="#c2410c"/><text x="20" y="28" font-family="sans-serif" font-size="22" font-weight="700" fill="#fff" text-anchor="middle">E</text></svg>').toString('base64')}`;
const branded = await startTestServer({ LATCHKEY_BRAND_NAME: 'Example Accounts', LATCHKEY_BRAND_LOGO_URL: LOGO, LATCHKEY_BRAND_COLOR: '#c2410c' });
try {
  const created = await branded.cli(['clients', 'create'], JSON.stringify({ client_name: 'Example Shop', redirect_uris: [REDIRECT_URI] }));
  assert.equal(created.code, 0, created.stderr);
  const { client_id } = JSON.parse(created.stdout) as { client_id: string };
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 760, height: 640 }, deviceScaleFactor: 1, colorScheme: 'light' })).newPage();
  await page.goto(`${branded.issuer}/authorize?${new URLSearchParams({ client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid profile', state: 'docs' })}`);
  await page.screenshot({ path: join(ROOT, 'docs/images/branded-login.png') });
  console.log('docs/images/branded-login.png');
  await browser.close();
} finally {
  await branded.close();
}
