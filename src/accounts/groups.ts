/**
 * Groups: the names of the groups a person belongs to ("engineering", "k8s:admins"), which
 * administrators give built-in accounts and latchkey tells applications — the `groups` claim,
 * released by the `groups` scope (the convention of Kubernetes, Dex and others) in ID tokens,
 * UserInfo, JWT access tokens (RFC 9068 §2.2.3.1) and introspection — and which a client may
 * require (`allowed_groups`): only members of one of them may use it.
 *
 * The engine reads an account's groups through the accounts port's `claims(sub, ['groups'])`,
 * so a host application's own accounts have groups by releasing that claim.
 */
import { z } from '../util/zod.js';
import type { ProviderContext } from '../core/context.js';
import type { ClientRecord } from '../storage/types.js';

/** The scope that releases the `groups` claim, and the claim's name. */
export const GROUPS = 'groups';

/** Whether a space-separated `scope` holds `groups` (without splitting it: introspection's hot path). */
export function grantsGroups(scope: string): boolean {
  return GROUPS_IN_SCOPE.test(scope);
}

const GROUPS_IN_SCOPE = /(?:^| )groups(?: |$)/;

/** Most groups an account belongs to, and a client may require one of. */
export const MAX_GROUPS = 100;

/**
 * A group's name: 1 to 128 characters, none of them a control character, a double quote or a
 * backslash (names travel in JSON and are matched as they are written), not starting or ending
 * with a space. Names are compared exactly: `Admins` is not `admins`.
 */
export const groupName = z
  .string()
  .min(1, 'a group name must not be empty')
  .max(128, 'a group name has at most 128 characters')
  .regex(/^[^\x00-\x1f\x7f"\\]+$/, 'a group name must not contain control characters, double quotes or backslashes')
  .refine((name) => name.trim() === name, 'a group name must not start or end with a space');

/** A list of at least `min` group names, each once (later repeats dropped), in the order given. */
function groupList(min: number, fewMessage?: string) {
  return z
    .array(groupName)
    .min(min, fewMessage)
    .max(MAX_GROUPS, `at most ${MAX_GROUPS} groups`)
    .transform((names) => [...new Set(names)]);
}

/** An account's groups. */
export const groupsSchema = groupList(0);

/** A client's `allowed_groups`: at least one (leaving the field out lets anyone in). */
export const allowedGroupsSchema = groupList(1, 'must name at least one group (leave allowed_groups out to let every account in)');

/**
 * The groups of `sub` as the accounts port releases them; an empty list when the account
 * releases none, undefined when it is gone or may no longer sign in.
 */
export async function groupsOf(sub: string, ctx: ProviderContext): Promise<string[] | undefined> {
  const claims = await ctx.accounts.claims(sub, [GROUPS]);
  if (claims === undefined) return undefined;
  const groups = claims[GROUPS];
  return Array.isArray(groups) ? groups.filter((name): name is string => typeof name === 'string') : [];
}

/**
 * Whether the end-user `sub` may use `client`: any one may, unless the client requires
 * membership of one of its `allowed_groups`. Reads the account only for such a client.
 */
export async function mayUseClient(client: ClientRecord, sub: string, ctx: ProviderContext): Promise<boolean> {
  const allowed = client.allowed_groups;
  if (allowed === undefined) return true;
  const groups = await groupsOf(sub, ctx);
  return groups !== undefined && groups.some((name) => allowed.includes(name));
}

/** The description of an end-user refused by `allowed_groups`, as the client is told it. */
export const NOT_IN_ALLOWED_GROUPS = 'the end-user is not a member of a group allowed to use this client';
