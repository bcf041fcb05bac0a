/**
 * The `claims` request parameter (OIDC Core §5.5): a JSON object whose `userinfo` and `id_token`
 * members ask for individual claims, each `null` or `{ essential, value, values }`.
 */
import { z } from '../util/zod.js';
import { SCOPE_CLAIMS, SUPPORTED_CLAIMS } from '../accounts/claims.js';
import type { RequestedClaims } from '../storage/types.js';
import { InvalidRequest } from './errors.js';

const claimRequest = z.union([
  z.null(),
  z.object({ essential: z.boolean().optional(), value: z.unknown().optional(), values: z.array(z.unknown()).optional() }),
]);

const claimsSchema = z.object({
  userinfo: z.record(z.string(), claimRequest).optional(),
  id_token: z.record(z.string(), claimRequest).optional(),
});

/**
 * Reads a `claims` parameter into the names latchkey will release, per target, and the `sub`
 * value the request demands (§5.5.1.1). Claims latchkey does not know are ignored, as are other
 * members (§5.5: members not understood MUST be ignored); `essential` changes nothing, because a
 * claim the account lacks is simply absent (§5.5.1: not an error), and `value` / `values` of
 * claims other than `sub` are requests, not filters.
 * @throws InvalidRequest when the parameter is not such a JSON object.
 */
export function parseClaimsRequest(value: string | undefined): RequestedClaims | undefined {
  if (value === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new InvalidRequest('claims must be a JSON object');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InvalidRequest('claims must be a JSON object');
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidRequest(`claims.${issue.path.join('.')}: ${issue.message.toLowerCase()}`);
  }
  const requested: RequestedClaims = {};
  for (const target of ['userinfo', 'id_token'] as const) {
    const members = parsed.data[target];
    if (members === undefined) continue;
    const names = Object.keys(members).filter((name) => name !== 'sub' && SUPPORTED_CLAIMS.includes(name));
    if (names.length > 0) requested[target] = names;
  }
  const sub = parsed.data.id_token?.sub?.value;
  if (sub !== undefined) {
    if (typeof sub !== 'string') throw new InvalidRequest('claims.id_token.sub.value must be a string');
    requested.sub = sub;
  }
  return requested;
}

/** What a `claims` parameter asks of the ID token's `acr` (§5.5.1.1): its values, preferred first, and whether they are essential. */
export interface AcrClaimRequest {
  values: string[];
  essential: boolean;
}

/**
 * The `claims` parameter's `id_token.acr` request, when it names values (`value` or `values`);
 * an `acr` asked for without values is just the claim, which ID tokens carry anyway.
 * @throws InvalidRequest when the values are not strings. Call after `parseClaimsRequest`.
 */
export function parseAcrClaimRequest(value: string | undefined): AcrClaimRequest | undefined {
  if (value === undefined) return undefined;
  const acr = claimsSchema.safeParse(JSON.parse(value)).data?.id_token?.acr;
  if (acr === undefined || acr === null) return undefined;
  const values = acr.values ?? (acr.value === undefined ? [] : [acr.value]);
  if (!values.every((item): item is string => typeof item === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]{1,255}$/.test(item))) {
    throw new InvalidRequest('claims.id_token.acr values must be acr values (strings without spaces)');
  }
  return values.length === 0 ? undefined : { values, essential: acr.essential === true };
}

/** The individually requested claim names that `scopes` do not already release: what consent must cover. */
export function claimsBeyondScopes(requested: RequestedClaims | undefined, scopes: readonly string[]): string[] {
  if (requested === undefined) return [];
  const released = new Set(scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []));
  const names = new Set([...(requested.userinfo ?? []), ...(requested.id_token ?? [])]);
  return [...names].filter((name) => !released.has(name));
}
