/**
 * latchkey inside a Hono app: Hono hands the Web Request to `provider.fetch` and returns its
 * Response. The provider lives under `/auth`; the app keeps its own users and sign-in page.
 *   npx tsx examples/hono/server.ts           → http://localhost:3000/auth
 */
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createProvider } from 'latchkey';
import { createAppAccounts } from '../shared/app-accounts.js';
import { createAppPages, SIGN_IN_PATH, type PageAnswer } from '../shared/app-pages.js';
import { runWhenMain, type RunningExample } from '../shared/run.js';

export async function startExample(port: number): Promise<RunningExample> {
  const appUrl = `http://localhost:${port}`;
  const { accounts, checkPassword } = await createAppAccounts();
  const provider = await createProvider({
    issuer: `${appUrl}/auth`,
    accounts,
    interactionUrl: (uid) => `${appUrl}${SIGN_IN_PATH}?uid=${encodeURIComponent(uid)}`,
  });
  const pages = createAppPages(provider, checkPassword, appUrl);
  const send = (c: Context, answer: PageAnswer) => c.body(answer.body, answer.status as 200, answer.headers);

  const app = new Hono();
  app.all('/auth/*', (c) => {
    const remoteAddress = getConnInfo(c).remote.address;
    return provider.fetch(c.req.raw, remoteAddress === undefined ? {} : { remoteAddress });
  });
  app.get(SIGN_IN_PATH, async (c) => send(c, await pages.show(c.req.query('uid') ?? '', c.req.header('cookie'))));
  app.post(SIGN_IN_PATH, async (c) => send(c, await pages.submit(c.req.query('uid') ?? '', new URLSearchParams(await c.req.text()), c.req.header('cookie'))));

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(started));
  });
  return {
    provider,
    issuer: `${appUrl}/auth`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await provider.close();
    },
  };
}

await runWhenMain(import.meta.url, startExample);
