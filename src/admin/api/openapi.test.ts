/**
 * The OpenAPI document against the routes the admin API really answers: every documented
 * operation is routed (never "no such endpoint", never 405), no other method is answered on a
 * documented path, the document is well-formed OpenAPI 3.1, and its request schemas are the ones
 * enforced.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClientToken, callAdmin } from '../../../test/helpers/admin.js';
import { ISSUER, testProvider } from '../../../test/helpers/index.js';
import { ADMIN_API_ROUTES } from './routes.js';

type Operation = { operationId: string; tags: string[]; parameters?: { name: string; in: string; required: boolean }[]; requestBody?: { content: { 'application/json': { schema: { required?: string[] } } } }; responses: Record<string, { content?: unknown; $ref?: string }> };
type Document = { openapi: string; tags: { name: string }[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }; servers: { url: string }[] };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

async function setup() {
  const tp = await testProvider();
  const token = await adminClientToken(tp);
  const answer = await callAdmin(tp, token, 'GET', '/openapi.json');
  assert.equal(answer.status, 200);
  return { tp, token, document: answer.body as Document };
}

test('openapi: the document needs an admin token like every admin route', async () => {
  const { tp } = await setup();
  assert.equal((await callAdmin(tp, undefined, 'GET', '/openapi.json')).status, 401);
});

test('openapi: a well-formed OpenAPI 3.1 document — unique operationIds, declared tags, path parameters, resolvable references', async () => {
  const { document } = await setup();
  assert.equal(document.openapi, '3.1.0');
  assert.deepEqual(document.servers, [{ url: `${ISSUER}/admin/api` }]);
  assert.ok(document.components.securitySchemes.latchkey);
  const tags = new Set(document.tags.map((tag) => tag.name));
  const ids = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      assert.ok((METHODS as readonly string[]).includes(method), `${path}: ${method}`);
      assert.ok(!ids.has(operation.operationId), `duplicate operationId ${operation.operationId}`);
      ids.add(operation.operationId);
      for (const tag of operation.tags) assert.ok(tags.has(tag), `${operation.operationId}: undeclared tag ${tag}`);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
      assert.deepEqual(declared, templated, `${operation.operationId}: path parameters`);
      for (const response of Object.values(operation.responses)) {
        for (const ref of JSON.stringify(response).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) assert.ok(document.components.schemas[ref[1]!], `${operation.operationId}: unresolved $ref ${ref[1]}`);
      }
      assert.ok(Object.keys(operation.responses).some((status) => status.startsWith('2')), `${operation.operationId}: a success response`);
    }
  }
  assert.equal(ids.size, ADMIN_API_ROUTES.length);
});

test('openapi: every documented operation is routed, and no undocumented method answers on a documented path', async () => {
  const { tp, token, document } = await setup();
  for (const [template, operations] of Object.entries(document.paths)) {
    const path = template.replace(/\{\w+\}/g, 'no-such-id');
    for (const method of METHODS) {
      const documented = operations[method] !== undefined;
      const answer = await callAdminRaw(tp, token, method.toUpperCase(), path, method === 'get' || method === 'delete' ? undefined : {});
      if (documented) {
        assert.notEqual(answer.status, 405, `${method} ${template} is documented but refused`);
        assert.notDeepEqual(answer.body, { error: 'not_found', error_description: 'no such admin API endpoint' }, `${method} ${template} is documented but not routed`);
      } else {
        assert.equal(answer.status, 405, `${method} ${template} answers but is not documented`);
      }
    }
  }
  assert.deepEqual((await callAdminRaw(tp, token, 'GET', '/undocumented')).body, { error: 'not_found', error_description: 'no such admin API endpoint' });
});

test('openapi: the required fields of each documented request body are the ones the API enforces', async () => {
  const { tp, token, document } = await setup();
  let checked = 0;
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const required = operations[method]?.requestBody?.content['application/json'].schema.required;
      if (required === undefined || required.length === 0) continue;
      const answer = await callAdminRaw(tp, token, method.toUpperCase(), template.replace(/\{\w+\}/g, 'no-such-id'), {});
      if (answer.status === 404) continue; // the resource is looked up first
      assert.equal(answer.status, 400, `${method} ${template} with {}`);
      const named = (answer.body.errors as { field: string }[]).map((error) => error.field);
      for (const field of required) assert.ok(named.includes(field), `${method} ${template}: documented as required, not enforced: ${field}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 3, `checked ${checked} operations`);
});

/** An admin API call without the documented-schema check of `callAdmin` (these probe the edges). */
async function callAdminRaw(tp: Awaited<ReturnType<typeof setup>>['tp'], token: string, method: string, path: string, body?: unknown) {
  const response = await tp.provider.fetch(new Request(`${ISSUER}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}
