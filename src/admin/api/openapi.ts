/**
 * The admin API as an OpenAPI 3.1 document, built from the route table and the same zod schemas
 * that validate requests (JSON Schema 2020-12, as OpenAPI 3.1 uses). Served at
 * `/admin/api/openapi.json`; a test checks it against the routes the application answers.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
import { z } from '../../util/zod.js';
import { ADMIN_SCOPE } from '../../core/scopes.js';
import type { EndpointUrls } from '../../core/urls.js';
import { ADMIN_TAGS } from './operation.js';
import type { AdminRoute } from './routes.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema, without the `$schema` header (it is embedded). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: {
    error: { type: 'string', description: 'invalid_request, invalid_token, insufficient_scope, not_found, conflict, invalid_client_metadata, invalid_redirect_uri, server_error …' },
    error_description: { type: 'string' },
    field: { type: 'string', description: 'the field the error is about, e.g. redirect_uris.0' },
    errors: {
      type: 'array',
      description: 'every field that failed validation',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Builds the document for `routes` served under `urls.issuer`. */
export function buildOpenApiDocument(routes: readonly AdminRoute[], urls: EndpointUrls): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, operation } of routes) {
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    const parameters = [
      ...pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description: 'percent-encoded' })),
      ...queryParameters(operation.query),
    ];
    const responses: Record<string, unknown> = {
      [operation.response.status]: operation.response.schema === undefined
        ? { description: operation.response.description }
        : { description: operation.response.description, content: { 'application/json': { schema: jsonSchema(operation.response.schema, 'output') } } },
      400: errorResponse('invalid input: `errors` names each bad field'),
      401: errorResponse('no access token, or an invalid, expired or revoked one (with a Bearer challenge)'),
      403: errorResponse(`the token lacks ${ADMIN_SCOPE}, or its holder is no longer an administrator`),
    };
    if (pathParams.length > 0) responses[404] = errorResponse('no such resource');
    if (method !== 'GET') responses[409] = errorResponse('conflicts with the current state');
    paths[path] ??= {};
    paths[path]![method.toLowerCase()] = {
      operationId: operation.operationId,
      summary: operation.summary,
      tags: [operation.tag],
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(operation.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } } } }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'latchkey admin API',
      version: '1',
      description: `Manage latchkey's clients, users, consents, sessions, keys, resource servers and initial access tokens, and read its audit log. Every operation needs a Bearer access token with the \`${ADMIN_SCOPE}\` scope.`,
    },
    servers: [{ url: `${urls.issuer}/admin/api` }],
    tags: ADMIN_TAGS.map((name) => ({ name })),
    security: [{ latchkey: [ADMIN_SCOPE] }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        latchkey: {
          type: 'oauth2',
          description: 'An admin client by client credentials, or an admin user by the authorization code flow.',
          flows: {
            clientCredentials: { tokenUrl: urls.token, scopes: { [ADMIN_SCOPE]: 'administer latchkey' } },
            authorizationCode: { authorizationUrl: urls.authorization, tokenUrl: urls.token, scopes: { [ADMIN_SCOPE]: 'administer latchkey' } },
          },
        },
      },
    },
  };
}

/** The fields of a query schema as OpenAPI query parameters. */
function queryParameters(schema: z.ZodType | undefined): Record<string, unknown>[] {
  if (schema === undefined) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return { name, in: 'query', required: object.required?.includes(name) ?? false, schema: propertySchema, ...(description === undefined ? {} : { description }) };
  });
}
