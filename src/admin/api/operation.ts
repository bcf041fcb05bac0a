/**
 * The shape of one admin API operation: what it reads (query, body), what it answers, and its
 * handler. The route table (`routes.ts`) maps method and path to operations; the application
 * (`app.ts`) validates input against the schemas before a handler runs, and the OpenAPI document
 * (`openapi.ts`) is built from the same schemas, so that what is documented is what is enforced.
 */
import type { z } from 'zod';
import type { ProviderContext } from '../../core/context.js';
import type { Actor } from './authenticate.js';

/** What an operation's handler may use besides its input. */
export interface AdminContext {
  readonly ctx: ProviderContext;
  /** Resolves once every audit event emitted so far is stored (admin writes await it). */
  flushAudit(): Promise<void>;
}

/** A validated request, as the handler sees it. */
export interface AdminInput<Q, B> {
  /** Path parameters, decoded (`/clients/{client_id}` → `{ client_id }`). */
  params: Readonly<Record<string, string>>;
  query: Q;
  body: B;
  /** Who is calling: an admin user or an admin client. */
  actor: Actor;
}

/** The success answer of an operation, as documented. */
export interface AdminResponseSpec {
  status: 200 | 201 | 204;
  description: string;
  /** The JSON body; none for 204. */
  schema?: z.ZodType;
}

/** One operation of the admin API. */
export interface AdminOperation<Q = unknown, B = unknown> {
  /** OpenAPI operationId, e.g. `listClients`. */
  operationId: string;
  summary: string;
  /** OpenAPI tag: the resource it belongs to. */
  tag: AdminTag;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The error code of a body that fails `body` (default `invalid_request`). */
  bodyError?: string;
  response: AdminResponseSpec;
  /** Answers with the response body (ignored for 204). @throws OAuthError for a client-side fault. */
  handle(input: AdminInput<Q, B>, admin: AdminContext): Promise<unknown>;
}

/** The resources of the admin API, in the order the document lists them. */
export const ADMIN_TAGS = ['meta', 'clients', 'users', 'consents', 'sessions', 'keys', 'resource servers', 'upstream providers', 'initial access tokens', 'audit events', 'metrics'] as const;

export type AdminTag = (typeof ADMIN_TAGS)[number];

/** Defines an operation with its input types inferred from its schemas. */
export function operation<Q = Record<string, never>, B = undefined>(definition: AdminOperation<Q, B>): AdminOperation<Q, B> {
  return definition;
}
