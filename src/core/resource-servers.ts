import { z } from '../util/zod.js';
import type { ProviderContext } from './context.js';
import { LONGEST_ACCESS_TOKEN_SECONDS, type ResourceServerRecord } from '../storage/types.js';
import type { Clock } from '../util/clock.js';
import { InvalidClientMetadata, InvalidTarget } from './errors.js';
import { SIGNING_ALGORITHMS } from '../keys/algorithms.js';
import { SUPPORTED_SCOPES } from './scopes.js';

const SCOPE_LIST = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

const definitionSchema = z.object({
  resource: z.string(),
  name: z.string().min(1).max(255).optional(),
  access_token_format: z.enum(['opaque', 'jwt']).default('opaque'),
  access_token_ttl_seconds: z.number().int().min(60).max(LONGEST_ACCESS_TOKEN_SECONDS).optional(),
  access_token_signing_alg: z.enum(SIGNING_ALGORITHMS).optional(),
  scope: z.string().regex(SCOPE_LIST, 'must be space-separated scope tokens'),
  client_id: z.string().min(1).max(255).optional(),
});

/**
 * Validates a resource server definition (`latchkey resources create`): `resource` an absolute
 * URI without fragment (RFC 8707 §2), a scope list that does not reuse latchkey's end-user
 * scopes, a token format and lifetime, and for JWT access tokens the algorithm they are signed
 * with (one latchkey signs with; RS256 when unset).
 * @throws InvalidClientMetadata
 */
export function parseResourceServer(input: unknown, clock: Clock): ResourceServerRecord {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidClientMetadata(`${issue.path.join('.') || 'resource server'}: ${issue.message.toLowerCase()}`);
  }
  const definition = parsed.data;
  checkResourceIdentifier(definition.resource, (message) => new InvalidClientMetadata(message));
  // An algorithm for tokens that are not signed would be silently ignored: say so instead.
  if (definition.access_token_signing_alg !== undefined && definition.access_token_format !== 'jwt') {
    throw new InvalidClientMetadata('access_token_signing_alg: applies only to access_token_format jwt');
  }
  const reserved = definition.scope.split(' ').filter((scope) => SUPPORTED_SCOPES.includes(scope));
  if (reserved.length > 0) throw new InvalidClientMetadata(`scope ${reserved.join(' ')} is an end-user scope of latchkey, not an API scope`);
  const now = clock.now();
  return { ...definition, created_at: now, updated_at: now } as ResourceServerRecord;
}

/** RFC 8707 §2: an absolute URI, no fragment. */
function checkResourceIdentifier(value: string, fail: (message: string) => Error): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail('resource must be an absolute URI');
  }
  if (url.hash || value.includes('#')) throw fail('resource must not have a fragment');
}

/**
 * The registered resource server a `resource` parameter names.
 * @throws InvalidTarget when it is malformed or not registered.
 */
export async function resolveResource(resource: string | undefined, ctx: ProviderContext): Promise<ResourceServerRecord | undefined> {
  if (resource === undefined) return undefined;
  const server = await ctx.storage.resourceServers.find(resource);
  if (server) return server;
  // A registered identifier was checked at registration; an unknown one is told apart: malformed or not registered.
  checkResourceIdentifier(resource, (message) => new InvalidTarget(message));
  throw new InvalidTarget('resource is not a registered resource server');
}
