/**
 * The admin API as a Web `fetch`: the routes of `routes.ts` under `<issuer>/admin/api`, each
 * authenticated (`authenticateAdmin`), its query and JSON body validated against the operation's
 * schemas, and every error answered as JSON `{ error, error_description[, field, errors] }` with
 * the right status — never a stack trace.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { z } from 'zod';
import type { ProviderContext } from '../../core/context.js';
import { InvalidRequest, OAuthError } from '../../core/errors.js';
import { MAX_FORM_BYTES, toParams } from '../../http/params.js';
import { InvalidCursor } from '../../storage/types.js';
import type { RequestInfo } from '../../core/router.js';
import { observeRequests, type ObservedEnv } from '../../observability/observe-requests.js';
import { authenticateAdmin } from './authenticate.js';
import { InvalidInput, type FieldError } from './errors.js';
import type { AdminContext, AdminOperation } from './operation.js';
import { ADMIN_API_PATH, type AdminRoute } from './routes.js';

/** Headers of every admin API response: never cached, never sniffed, never framed. */
const API_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
} as const;

/** The admin API application. */
export interface AdminApi {
  fetch(request: Request, info?: RequestInfo): Promise<Response>;
  /** The same, called in process by the admin console: observed as the console's own request, not again. */
  call(request: Request): Promise<Response>;
}

/**
 * Builds the admin API over `routes`. Each request is observed like the protocol's
 * (`x-request-id`, metrics, a log line by route pattern).
 */
export function createAdminApi(routes: readonly AdminRoute[], admin: AdminContext): AdminApi {
  const { ctx } = admin;
  const root = new Hono<ObservedEnv>({ strict: false });
  root.use('*', observeRequests(ctx));
  const app = root.basePath(`${ctx.urls.basePath}${ADMIN_API_PATH}`);
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    const honoPath = route.path.replace(/\{(\w+)\}/g, ':$1');
    app.on([route.method], [honoPath], async (c) => runOperation(route.operation, c.req.raw, c.req.param() as Record<string, string>, admin, c.env.requestId));
    methodsByPath.set(honoPath, [...(methodsByPath.get(honoPath) ?? []), route.method]);
  }
  for (const [path, methods] of methodsByPath) {
    app.all(path, (c) => errorResponse(new InvalidRequest(`method not allowed; use ${methods.join(' or ')}`), ctx, c.env.requestId, 405, { allow: methods.join(', ') }));
  }
  root.notFound(() => send(404, { error: 'not_found', error_description: 'no such admin API endpoint' }));
  root.onError((error, c) => errorResponse(error, ctx, c.env.requestId));
  return {
    fetch: async (request, info = {}) => root.fetch(request, { ...info, requestId: randomUUID() }),
    call: async (request) => root.fetch(request, { requestId: randomUUID(), inProcess: true }),
  };
}

async function runOperation(operation: AdminOperation, request: Request, params: Record<string, string>, admin: AdminContext, requestId: string): Promise<Response> {
  try {
    const { actor, responseHeaders } = await authenticateAdmin(request, admin.ctx);
    const query = parseInput(operation.query, toParams(new URL(request.url).searchParams), 'query');
    const body = operation.body === undefined ? undefined : parseInput(operation.body, await readJson(request), 'body', operation.bodyError);
    const result = await operation.handle({ params, query, body, actor }, admin);
    return operation.response.status === 204 ? new Response(null, { status: 204, headers: new Headers({ ...API_HEADERS, ...responseHeaders }) }) : send(operation.response.status, result, responseHeaders);
  } catch (error) {
    return errorResponse(error, admin.ctx, requestId);
  }
}

/**
 * `value` validated by `schema`.
 * @throws InvalidInput naming every bad field.
 */
export function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'query' | 'body', error?: string): T {
  if (schema === undefined) return {} as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = parsed.error.issues.map((issue) => {
    // An unknown field of a strict object is named by its key.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({ field: [...issue.path, ...(key === undefined ? [] : [key])].join('.') || where, message: issue.message.toLowerCase() }));
  }).flat();
  throw new InvalidInput(errors, error);
}

/**
 * The request's JSON body.
 * @throws InvalidRequest for another content type, an oversized body or invalid JSON.
 */
async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new InvalidRequest('content type must be application/json', { field: 'body' });
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) throw new InvalidRequest('request body is too large', { field: 'body' });
  if (text.includes('\u0000')) throw new InvalidRequest('the body contains a NUL character', { field: 'body' });
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidRequest('the body is not valid JSON', { field: 'body' });
  }
}

/** An error as the admin API answers it; a fault of ours is logged with a request id and answered 500. */
function errorResponse(error: unknown, ctx: ProviderContext, requestId: string, status?: number, headers: Record<string, string> = {}): Response {
  if (error instanceof InvalidCursor) error = new InvalidRequest('cursor is not one this list gave out', { field: 'cursor' });
  if (error instanceof OAuthError) {
    const body = {
      error: error.error,
      error_description: error.description,
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(error instanceof InvalidInput ? { errors: error.errors } : {}),
    };
    return send(status ?? error.status, body, { ...headers, ...error.headers, ...(error.wwwAuthenticate ? { 'www-authenticate': error.wwwAuthenticate } : {}) });
  }
  ctx.logger.error({ err: error, requestId }, 'admin API: unhandled error');
  return send(500, { error: 'server_error', error_description: `the server could not complete the request (request id ${requestId})` });
}

function send(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: new Headers({ ...API_HEADERS, ...headers }) });
}
