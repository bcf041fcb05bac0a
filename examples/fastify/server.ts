/**
 * latchkey inside a Fastify app, through the framework-agnostic call: Fastify reads the request,
 * `provider.handle({ method, url, headers, body })` answers it as plain data. The provider lives
 * under `/oidc`; the app keeps its own users and its own sign-in page.
 *   npx tsx examples/fastify/server.ts        → http://localhost:3000/oidc
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createProvider, type PlainResponse } from 'latchkey';
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

  const app = Fastify();
  // Keep form and JSON bodies as the raw text: latchkey parses its own.
  app.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.all('/oidc/*', async (request, reply) => {
    const answer = await provider.handle({
      method: request.method,
      url: `${appUrl}${request.url}`,
      headers: singleValued(request.headers),
      ...(typeof request.body === 'string' ? { body: request.body } : {}),
      remoteAddress: request.ip,
    });
    return sendPlain(reply, answer);
  });
  app.get(SIGN_IN_PATH, async (request: FastifyRequest<{ Querystring: { uid?: string } }>, reply) =>
    send(reply, await pages.show(request.query.uid ?? '', request.headers.cookie)),
  );
  app.post(SIGN_IN_PATH, async (request: FastifyRequest<{ Querystring: { uid?: string } }>, reply) =>
    send(reply, await pages.submit(request.query.uid ?? '', new URLSearchParams(String(request.body ?? '')), request.headers.cookie)),
  );

  await app.listen({ port, host: '127.0.0.1' });
  return {
    provider,
    issuer: `${appUrl}/oidc`,
    close: async () => {
      await app.close();
      await provider.close();
    },
  };
}

/** Request headers as single strings (repeated ones joined, as HTTP allows). */
function singleValued(headers: FastifyRequest['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  return result;
}

/** latchkey's plain answer as a Fastify reply; `set-cookie` comes joined by newlines. */
function sendPlain(reply: FastifyReply, answer: PlainResponse): FastifyReply {
  const { 'set-cookie': cookies, ...headers } = answer.headers;
  reply.code(answer.status).headers(headers);
  if (cookies !== undefined) reply.header('set-cookie', cookies.split('\n'));
  return reply.send(answer.body);
}

function send(reply: FastifyReply, answer: PageAnswer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

await runWhenMain(import.meta.url, startExample);
