/**
 * latchkey inside an Express app: the provider is mounted under `/oidc` (the issuer has that
 * path), the app keeps its own users and renders its own sign-in page.
 *   npx tsx examples/express/server.ts        → http://localhost:3000/oidc
 */
import express from 'express';
import { createProvider } from 'latchkey';
import { createAppAccounts } from '../shared/app-accounts.js';
import { createAppPages, SIGN_IN_PATH, type PageAnswer } from '../shared/app-pages.js';
import { runWhenMain, type RunningExample } from '../shared/run.js';

export async function startExample(port: number): Promise<RunningExample> {
  const appUrl = `http://localhost:${port}`;
  const { accounts, checkPassword } = await createAppAccounts();
  const provider = await createProvider({
    issuer: `${appUrl}/oidc`,
    accounts,
    interactionUrl: (uid) => `${appUrl}${SIGN_IN_PATH}?uid=${encodeURIComponent(uid)}`,
  });
  const pages = createAppPages(provider, checkPassword, appUrl);
  const send = (res: express.Response, answer: PageAnswer) => res.status(answer.status).set(answer.headers).send(answer.body);

  const app = express();
  // Before any body parser: latchkey reads its own request bodies.
  app.use('/oidc', provider.nodeListener);
  app.get(SIGN_IN_PATH, async (req, res) => send(res, await pages.show(String(req.query.uid ?? ''), req.headers.cookie)));
  app.post(SIGN_IN_PATH, express.urlencoded({ extended: false }), async (req, res) =>
    send(res, await pages.submit(String(req.query.uid ?? ''), new URLSearchParams(req.body as Record<string, string>), req.headers.cookie)),
  );
  app.get('/', (_req, res) => res.send('An Express app with an OpenID Provider at /oidc'));

  const server = app.listen(port);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    provider,
    issuer: `${appUrl}/oidc`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await provider.close();
    },
  };
}

await runWhenMain(import.meta.url, startExample);
