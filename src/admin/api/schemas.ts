/**
 * The JSON shapes of the admin API, as zod schemas: input schemas validate requests; view
 * schemas document responses (and the tests check real responses against them).
 */
import { z } from '../../util/zod.js';
import { ACCOUNT_ROLES } from '../../accounts/create-account.js';
import { furtherClaimsSchema } from '../../accounts/further-claims.js';
import { groupsSchema } from '../../accounts/groups.js';
import { clientMetadataSchema } from '../../core/client-metadata.js';

const epochSeconds = z.number().int().describe('epoch seconds');

/** `?limit=&cursor=`: the paging of every list. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('at most this many items (1 to 200)'),
  cursor: z.string().min(1).max(1000).optional().describe('the `next_cursor` of the previous page'),
});

/** A page of `item`s; `next_cursor` is absent on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().optional().describe('pass as `cursor` for the next page; absent on the last page'),
  });
}

/** A client as the admin API shows it: RFC 7591 §3.2.1 information, never a secret or digest. */
export const clientView = clientMetadataSchema
  .extend({
    client_id: z.string(),
    client_id_issued_at: epochSeconds,
    client_secret_expires_at: epochSeconds.describe('0: the secret does not expire'),
    updated_at: epochSeconds,
    disabled: z.boolean(),
    has_secret: z.boolean().describe('whether the client authenticates with a client secret'),
  })
  .describe('A registered client');

/** A client with its new secret: the only answer that shows one. */
export const clientWithSecretView = clientView.extend({
  client_secret: z.string().optional().describe('shown once; store it now'),
});

/** What the admin may send beyond RFC 7591 metadata when registering a client. */
export const clientCreateBody = clientMetadataSchema
  .partial()
  .extend({
    client_id: z.string().optional().describe('fix the client_id (default: 128 random bits)'),
    client_secret: z.string().optional().describe('fix the secret (at least 128 bits of entropy; default: 256 random bits)'),
    disabled: z.boolean().optional(),
  })
  .passthrough()
  .describe('RFC 7591 client metadata; unknown fields are ignored');

/** A partial change of a client: the fields given replace the client's; `null` removes one. */
export const clientPatchBody = z
  .record(z.string(), z.unknown())
  .describe('RFC 7591 metadata fields to change, and/or `disabled`; null removes an optional field');

const optionalText = z.string().min(1).max(255);

/** A built-in account as the admin API shows it: never its password hash. */
/** A user's passkey as the admin API shows it: what it is called and when it was used, not its key. */
export const passkeyView = z.object({
  id: z.string().describe('the credential id (base64url)'),
  name: z.string(),
  synced: z.boolean().describe('the key may be synced to the user\'s other devices (a password manager) rather than kept on one'),
  created_at: epochSeconds,
  last_used_at: epochSeconds.optional(),
});

/** A user's data as one document (`accounts/account-data.ts`): free-form by design, it follows what latchkey holds. */
export const userDataView = z.record(z.string(), z.unknown()).describe('account, sign_in (never a secret), applications, sessions, activity; times in ISO 8601 UTC');

export const userView = z.object({
  sub: z.string(),
  username: z.string(),
  email: z.string().optional(),
  email_verified: z.boolean(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  claims: z.record(z.string(), z.unknown()).describe('further OIDC standard claims (address, phone_number, locale …)'),
  disabled: z.boolean(),
  roles: z.array(z.enum(ACCOUNT_ROLES)),
  groups: z.array(z.string()).describe('the groups the user belongs to, released as the `groups` claim with the `groups` scope'),
  has_password: z.boolean(),
  two_step: z.boolean().describe('two-step verification (an authenticator app) is on'),
  passkeys: z.array(passkeyView).describe('the passkeys the user registered in the account console'),
  /** Only on a single user: whether failed logins lock the account now. */
  locked: z.boolean().optional().describe('shown on a single user: too many failed logins lock the account for now'),
  created_at: epochSeconds,
  updated_at: epochSeconds,
});

const username = z.string().min(1).max(255).regex(/^\S+$/, 'must not contain whitespace');
const password = z.string().min(8, 'must have at least 8 characters').max(1024, 'must have at most 1024 characters');

export const userCreateBody = z
  .object({
    username,
    password: password.optional(),
    password_hash: z
      .string()
      .max(1024)
      .optional()
      .describe('instead of password: the password as another system hashed it — argon2 (PHC string), bcrypt ($2a$/$2b$/$2y$) or PBKDF2 ($pbkdf2-sha256$i=…$salt$key); the account keeps its password and it is hashed again with argon2id at its first login'),
    email: z.email().optional(),
    email_verified: z.boolean().optional(),
    name: optionalText.optional(),
    given_name: optionalText.optional(),
    family_name: optionalText.optional(),
    claims: furtherClaimsSchema.optional(),
    roles: z.array(z.enum(ACCOUNT_ROLES)).optional(),
    groups: groupsSchema.optional().describe('the groups the user belongs to'),
    disabled: z.boolean().optional(),
  })
  .strict();

export const userPatchBody = z
  .object({
    username: username.optional(),
    email: z.email().nullable().optional(),
    email_verified: z.boolean().optional(),
    name: optionalText.nullable().optional(),
    given_name: optionalText.nullable().optional(),
    family_name: optionalText.nullable().optional(),
    claims: furtherClaimsSchema.optional().describe('replaces the further claims'),
    roles: z.array(z.enum(ACCOUNT_ROLES)).optional(),
    groups: groupsSchema.optional().describe('replaces the groups the user belongs to ([] for none)'),
    disabled: z.boolean().optional(),
  })
  .strict()
  .describe('the fields to change; null removes an optional one');

export const passwordBody = z.object({ password }).strict();

/**
 * An account's identity at an upstream provider as the admin API shows it: which upstream, the
 * person's `sub` there, the address it gave; not the account (the path names it).
 */
export const upstreamIdentityView = z.object({
  upstream_id: z.string().describe('the upstream provider (`/upstreams/{id}`)'),
  subject: z.string().describe("the person's `sub` at the upstream"),
  email: z.string().optional().describe('the address the upstream gave when the identity was connected'),
  created_at: epochSeconds.describe('when it was connected'),
  last_used_at: epochSeconds.optional().describe('the last sign-in through it'),
});

/** A group as the admin API lists it: its name and how many users belong to it. */
export const groupView = z.object({ name: z.string(), members: z.number().int().describe('how many users belong to it') });

export const consentView = z.object({
  sub: z.string(),
  client_id: z.string(),
  scope: z.string().describe('space-separated scopes granted'),
  claims: z.string().describe('space-separated claims granted one by one'),
  granted_at: epochSeconds,
});

export const sessionView = z.object({
  id: z.string().describe("the session's storage id (a digest of its cookie, not the cookie)"),
  sid: z.string(),
  sub: z.string(),
  auth_time: epochSeconds,
  amr: z.array(z.string()),
  acr: z.string().optional(),
  user_agent: z.string().optional().describe("the browser's User-Agent at the login (at most 256 characters)"),
  address: z.string().optional().describe('the address the login came from'),
  expires_at: epochSeconds,
});

export const keyView = z.object({
  kid: z.string(),
  alg: z.string(),
  state: z.enum(['next', 'current', 'previous', 'retired']).describe('next: published, not yet signing; current: signing; previous: published so that what it signed still verifies; retired: gone'),
  public_jwk: z.record(z.string(), z.unknown()),
  created_at: epochSeconds,
  updated_at: epochSeconds,
});

export const resourceServerView = z.object({
  resource: z.string(),
  name: z.string().optional(),
  access_token_format: z.enum(['opaque', 'jwt']),
  access_token_ttl_seconds: z.number().int().optional(),
  scope: z.string(),
  client_id: z.string().optional(),
  created_at: epochSeconds,
  updated_at: epochSeconds,
});

export const resourceServerBody = z
  .object({
    resource: z.string(),
    name: z.string().optional(),
    access_token_format: z.enum(['opaque', 'jwt']).optional(),
    access_token_ttl_seconds: z.number().int().optional(),
    scope: z.string(),
    client_id: z.string().optional(),
  })
  .describe('a resource server (RFC 8707): its identifier, API scopes, token format and lifetime');

export const initialAccessTokenView = z.object({
  id: z.string().describe("the token's storage id (a digest, not the token)"),
  issued_at: epochSeconds,
  expires_at: epochSeconds,
  issued_by: z.string().optional(),
});

export const auditEventView = z.object({
  id: z.string(),
  at: epochSeconds,
  type: z.string().describe('`<thing>.<past-tense verb>`: client.registered, user.disabled, login.failed …'),
  actor: z.string().describe('user:<sub>, client:<client_id>, cli, system or anonymous'),
  client_id: z.string().optional(),
  sub: z.string().optional(),
  target: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

const perMinute = z.array(z.number().int()).describe('one count per entry of `minutes`');

/** The dashboard's figures: per-minute series over a window, their totals, and active sessions. */
export const dashboardView = z.object({
  now: epochSeconds,
  minutes: z.array(epochSeconds).describe('start of each minute of the window, oldest first; the last is the current minute, still counting'),
  series: z.object({
    tokens_issued: z.record(z.string(), perMinute).describe('access tokens issued, by grant type (`implicit`: at /authorize)'),
    logins: z.object({ succeeded: perMinute, failed: perMinute, throttled: perMinute }),
    sessions: z.object({ started: perMinute, ended: perMinute }),
    http: z.object({ requests: perMinute, client_errors: perMinute.describe('4xx'), server_errors: perMinute.describe('5xx') }).describe('HTTP responses, health probes and metrics scrapes left out'),
  }),
  totals: z.object({
    tokens_issued: z.record(z.string(), z.number().int()),
    logins: z.object({ succeeded: z.number().int(), failed: z.number().int(), throttled: z.number().int() }),
    sessions: z.object({ started: z.number().int(), ended: z.number().int() }),
    http: z.object({ requests: z.number().int(), client_errors: z.number().int(), server_errors: z.number().int() }),
  }).describe('each series summed over the window'),
  active_sessions: z.number().int().describe('unexpired login sessions now'),
});
