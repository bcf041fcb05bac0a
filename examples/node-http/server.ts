/**
 * latchkey inside a bare `node:http` server: requests for the provider's paths go to
 * `provider.nodeListener`, the rest to the app. Here the issuer is the app's origin itself.
 *   npx tsx examples/node-http/server.ts      → http://localhost:3000
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createProvider } from 'latchkey';
import { createAppAccounts } from '../shared/app-accounts.js';
import { createAppPages, SIGN_IN_PATH, type PageAnswer } from '../shared/app-pages.js';
import { runWhenMain, type RunningExample } from '../shared/run.js';

export async function startExample(port: number): Promise<RunningExample> {
  const appUrl = `http://localhost:${port}`;
  const { accounts, checkPassword } = await createAppAccounts();
  const provider = await createProvider({
    issuer: appUrl,
    accounts,
    interactionUrl: (uid) => `${appUrl}${SIGN_IN_PATH}?uid=${encodeURIComponent(uid)}`,
  });
  const pages = createAppPages(provider, checkPassword, appUrl);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', appUrl);
    if (provider.handles(url.pathname)) return provider.nodeListener(req, res);
    const uid = url.searchParams.get('uid') ?? '';
    if (url.pathname === SIGN_IN_PATH && req.method === 'GET') return send(res, await pages.show(uid, req.headers.cookie));
    if (url.pathname === SIGN_IN_PATH && req.method === 'POST') return send(res, await pages.submit(uid, new URLSearchParams(await readBody(req)), req.headers.cookie));
    send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    provider,
    issuer: appUrl,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await provider.close();
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('body too large');
  }
  return body;
}

function send(res: ServerResponse, answer: PageAnswer): void {
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

await runWhenMain(import.meta.url, startExample);
