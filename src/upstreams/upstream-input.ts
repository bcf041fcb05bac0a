/**
 * An upstream provider as administrators define it (admin API, admin console, CLI): what each
 * field may be, and the view of one — never its secret.
 */
import { UPSTREAM_ID } from './upstream-id.js';
import { z } from '../util/zod.js';
import type { UpstreamProviderRecord } from '../storage/types.js';
import { sealUpstreamSecret, upstreamCallbackUrl } from './upstream-providers.js';
import { isLoopbackHttp } from './upstream-client.js';

const SCOPE_LIST = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

export const DEFAULT_UPSTREAM_SCOPE = 'openid email profile';

const issuerSchema = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value), 'must be an absolute URL')
  .refine((value) => !URL.canParse(value) || (!value.includes('#') && new URL(value).search === ''), 'must have no query or fragment')
  .refine((value) => !URL.canParse(value) || new URL(value).protocol === 'https:' || isLoopbackHttp(value), 'must be https (plain http only on localhost, 127.0.0.1 or [::1])');

/** Every field an administrator may set; `client_secret` in the clear, sealed before it is stored. */
export const upstreamFields = z.object({
  id: z
    .string()
    .regex(UPSTREAM_ID, 'must be 1–63 lowercase letters, digits and hyphens, not starting with a hyphen')
    .describe('names it in its callback URL, `{issuer}/upstream/{id}/callback`; cannot change'),
  name: z.string().trim().min(1, 'must not be empty').max(64).describe('what the login page calls it: "Sign in with {name}"'),
  issuer: issuerSchema.describe('its issuer identifier; its metadata is discovered from `{issuer}/.well-known/openid-configuration`'),
  client_id: z.string().min(1).max(255).describe('the client_id latchkey was given there'),
  client_secret: z.string().min(1).max(1024).describe('the client secret latchkey was given there (sealed at rest); absent: a public client, PKCE alone'),
  scope: z
    .string()
    .regex(SCOPE_LIST, 'must be space-separated scope tokens')
    .refine((value) => value.split(' ').includes('openid'), 'must include openid')
    .describe(`the scopes asked there (default \`${DEFAULT_UPSTREAM_SCOPE}\`)`),
  create_accounts: z.boolean().describe('a person whose identity there is connected to no account may create one (default true)'),
  sync_profile: z.boolean().describe("at every sign-in through it, the account's names and address are set to what it says (default false: taken once, when the account is made)"),
  sync_groups: z.boolean().describe("at every sign-in through it and when an account is made, the account's groups are set to its `groups` claim — none when it sends none (default false)"),
  disabled: z.boolean().describe('not offered on the login page; its callbacks refused (default false)'),
});

/** A new upstream: `id`, `name`, `issuer` and `client_id` required. */
export const upstreamCreateBody = upstreamFields.partial({ client_secret: true, scope: true, create_accounts: true, sync_profile: true, sync_groups: true, disabled: true }).strict();

/** A change: the fields given replace the upstream's; `client_secret: null` removes its secret; `id` cannot change. */
export const upstreamPatchBody = upstreamFields.omit({ id: true }).extend({ client_secret: upstreamFields.shape.client_secret.nullable() }).partial().strict();

/** An upstream as the admin API shows it. */
export const upstreamView = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  client_id: z.string(),
  has_client_secret: z.boolean().describe('whether latchkey authenticates there with a client secret'),
  scope: z.string(),
  create_accounts: z.boolean(),
  sync_profile: z.boolean(),
  sync_groups: z.boolean(),
  disabled: z.boolean(),
  redirect_uri: z.string().describe('the redirect URI to register there'),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});

export type UpstreamView = z.infer<typeof upstreamView>;

export function showUpstream(upstream: UpstreamProviderRecord, issuer: string): UpstreamView {
  const { sealed_client_secret, ...fields } = upstream;
  return { ...fields, has_client_secret: sealed_client_secret !== undefined, redirect_uri: upstreamCallbackUrl(issuer, upstream.id) };
}

/** A new upstream's record from a validated body. */
export async function newUpstream(body: z.infer<typeof upstreamCreateBody>, masterSecret: string, now: number): Promise<UpstreamProviderRecord> {
  const { client_secret, ...fields } = body;
  return {
    scope: DEFAULT_UPSTREAM_SCOPE,
    create_accounts: true,
    sync_profile: false,
    sync_groups: false,
    disabled: false,
    ...fields,
    ...(client_secret === undefined ? {} : { sealed_client_secret: await sealUpstreamSecret(client_secret, masterSecret) }),
    created_at: now,
    updated_at: now,
  };
}

/** `existing` with a validated change applied. */
export async function changedUpstream(existing: UpstreamProviderRecord, patch: z.infer<typeof upstreamPatchBody>, masterSecret: string, now: number): Promise<UpstreamProviderRecord> {
  const { client_secret, ...fields } = patch;
  const { sealed_client_secret, ...kept } = existing;
  const secret = client_secret === undefined ? sealed_client_secret : client_secret === null ? undefined : await sealUpstreamSecret(client_secret, masterSecret);
  return { ...kept, ...fields, ...(secret === undefined ? {} : { sealed_client_secret: secret }), updated_at: now };
}
