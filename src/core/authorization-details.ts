/**
 * Rich authorization requests (RFC 9396): `authorization_details`, a JSON array of objects that
 * each say, by their `type`, what the client wants to do — a payment of this amount to that
 * account, reading these documents — where a scope can only name a kind of access.
 *
 * The types latchkey accepts, and what an object of each must look like, are the administrator's
 * (`authorizationDetailsTypes`: a JSON Schema per type); a client uses the types it is registered
 * for (`authorization_details_types`). What was granted travels with the grant: the code, the
 * tokens' rows, the token response, the JWT access token and introspection.
 */
import { z } from '../util/zod.js';
import type { ClientRecord } from '../storage/types.js';
import type { Config } from './config.js';
import { InvalidAuthorizationDetails } from './errors.js';

/**
 * One authorization detail (RFC 9396 §2): its `type`, the common fields §2.2 defines when present,
 * and whatever else its type defines. Kept exactly as the client sent it.
 */
export interface AuthorizationDetail {
  type: string;
  locations?: string[];
  actions?: string[];
  datatypes?: string[];
  identifier?: string;
  privileges?: string[];
  [field: string]: unknown;
}

/** At most this many objects in one request: a consent page lists every one. */
const MAX_DETAILS = 16;
/** The parameter's length, as JSON: the bound a request object has too. */
export const MAX_AUTHORIZATION_DETAILS_LENGTH = 16 * 1024;

/** RFC 9396 §2.2: the common fields whose value is an array of strings. */
const STRING_ARRAY_FIELDS = ['locations', 'actions', 'datatypes', 'privileges'] as const;

const compiled = new WeakMap<Config['authorizationDetailsTypes'], Map<string, z.ZodType>>();

/** The configured types, each with its schema made into a validator once per configuration. */
function validatorsOf(config: Pick<Config, 'authorizationDetailsTypes'>): Map<string, z.ZodType> {
  const types = config.authorizationDetailsTypes;
  let validators = compiled.get(types);
  if (!validators) {
    validators = new Map(Object.entries(types).map(([type, schema]) => [type, z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])]));
    compiled.set(types, validators);
  }
  return validators;
}

/** OAuth metadata `authorization_details_types_supported` (RFC 9396 §10): the configured types. */
export function supportedAuthorizationDetailsTypes(config: Pick<Config, 'authorizationDetailsTypes'>): string[] {
  return Object.keys(config.authorizationDetailsTypes);
}

/**
 * Reads and checks `authorization_details` as a request carries it (JSON text), for `client`.
 * Undefined when absent. RFC 9396 §5: `invalid_authorization_details` when
 * - it is not a JSON array of 1 to 16 objects, each with a string `type`;
 * - a type is not one latchkey offers, or not one the client is registered for
 *   (`authorization_details_types`);
 * - a common field (§2.2) has the wrong shape: `locations` absolute URIs, `actions`,
 *   `datatypes`, `privileges` strings, `identifier` a string;
 * - an object does not satisfy its type's JSON Schema (unknown fields, wrong types, missing ones).
 * @throws InvalidAuthorizationDetails
 * @see https://www.rfc-editor.org/rfc/rfc9396#section-5
 */
export function readAuthorizationDetails(value: string | undefined, client: ClientRecord, config: Pick<Config, 'authorizationDetailsTypes'>): AuthorizationDetail[] | undefined {
  if (value === undefined) return undefined;
  if (value.length > MAX_AUTHORIZATION_DETAILS_LENGTH) throw new InvalidAuthorizationDetails(`authorization_details is longer than ${MAX_AUTHORIZATION_DETAILS_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidAuthorizationDetails('authorization_details must be a JSON array');
  }
  if (!Array.isArray(parsed)) throw new InvalidAuthorizationDetails('authorization_details must be a JSON array');
  if (parsed.length === 0) throw new InvalidAuthorizationDetails('authorization_details must hold at least one object');
  if (parsed.length > MAX_DETAILS) throw new InvalidAuthorizationDetails(`authorization_details may hold at most ${MAX_DETAILS} objects`);
  const validators = validatorsOf(config);
  const allowed = client.authorization_details_types ?? [];
  return parsed.map((detail, index) => checkDetail(detail, `authorization_details[${index}]`, validators, allowed));
}

function checkDetail(detail: unknown, where: string, validators: Map<string, z.ZodType>, allowed: readonly string[]): AuthorizationDetail {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new InvalidAuthorizationDetails(`${where} must be a JSON object`);
  const fields = detail as Record<string, unknown>;
  const type = fields.type;
  if (typeof type !== 'string' || type === '') throw new InvalidAuthorizationDetails(`${where}.type must be a non-empty string`);
  const validator = validators.get(type);
  if (!validator) throw new InvalidAuthorizationDetails(`${where}.type ${type} is not supported`);
  if (!allowed.includes(type)) throw new InvalidAuthorizationDetails(`${where}.type ${type} is not registered for this client (authorization_details_types)`);
  for (const name of STRING_ARRAY_FIELDS) {
    const entries = fields[name];
    if (entries === undefined) continue;
    if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'string')) throw new InvalidAuthorizationDetails(`${where}.${name} must be an array of strings`);
    if (name === 'locations' && !entries.every(isAbsoluteUri)) throw new InvalidAuthorizationDetails(`${where}.locations must be absolute URIs`);
  }
  if (fields.identifier !== undefined && typeof fields.identifier !== 'string') throw new InvalidAuthorizationDetails(`${where}.identifier must be a string`);
  const result = validator.safeParse(detail);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    throw new InvalidAuthorizationDetails(`${where}${path}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`);
  }
  // The object as sent (a schema's parse may drop fields it does not name).
  return detail as AuthorizationDetail;
}

function isAbsoluteUri(value: string): boolean {
  return URL.canParse(value) && !value.includes('#');
}

/**
 * RFC 9396 §6.1: `authorization_details` at the token endpoint asks for an access token with less
 * than the grant holds. Each requested object must be one of the granted ones, exactly (latchkey
 * knows no type's semantics to tell a narrower object apart: an object is granted as a whole).
 * Undefined when the request has none: the token gets everything granted.
 * @throws InvalidAuthorizationDetails
 */
export function narrowAuthorizationDetails(
  value: string | undefined,
  granted: readonly AuthorizationDetail[] | undefined,
  client: ClientRecord,
  config: Pick<Config, 'authorizationDetailsTypes'>,
): AuthorizationDetail[] | undefined {
  const requested = readAuthorizationDetails(value, client, config);
  if (requested === undefined) return granted === undefined ? undefined : [...granted];
  const grantedKeys = new Set((granted ?? []).map(canonicalJson));
  requested.forEach((detail, index) => {
    if (!grantedKeys.has(canonicalJson(detail))) throw new InvalidAuthorizationDetails(`authorization_details[${index}] was not granted`);
  });
  return requested;
}

/** JSON with every object's keys in order: two objects that are equal as JSON values give the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
