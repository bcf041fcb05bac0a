/**
 * latchkey's configuration: one table of fields, each with its config-file key, its environment
 * variable, its default and its meaning. `parseConfig()` validates once at startup, reports every
 * problem at once and returns a frozen `Config`. `docs/configuration.md` is generated from
 * `configFields` (`npm run docs:config`), and a test keeps the two in step.
 */
import { z } from '../util/zod.js';
import { SHIPPED_LANGUAGES } from '../i18n/index.js';
import { LONGEST_ACCESS_TOKEN_SECONDS, LONGEST_GRANT_SECONDS } from '../storage/types.js';

/** How `softwareStatementIssuers` is told to be written. */
const SOFTWARE_STATEMENT_ISSUERS_SHAPE = 'must be a JSON object of publishers (iss) and the URL of their JWK Set, or the JWK Set';

/** A colour the pages' brand may set (`brandColor`): `#rgb` or `#rrggbb` — nothing else ever reaches their stylesheet. */
export const BRAND_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** One configuration field: how it is named in each source and what it means. */
interface ConfigField<S extends z.ZodType> {
  /** Environment variable; the environment wins over the config file. */
  env: string;
  /** Read when `env` is unset (e.g. `PORT`, the platform convention). */
  fallbackEnv?: string;
  schema: S;
  /** Default as shown in the docs. */
  shownDefault: string;
  /** Meaning, unit and security notes; one paragraph of Markdown. */
  doc: string;
}

function field<S extends z.ZodType>(definition: ConfigField<S>): ConfigField<S> {
  return definition;
}

/** Accepts a number or a decimal string (environment variables are strings). */
function seconds(defaultValue: number, min: number, max: number) {
  return z.coerce.number().int().min(min).max(max).default(defaultValue);
}

/** Accepts a boolean or the strings true/false/1/0/yes/no/on/off. */
function flag(defaultValue: boolean) {
  return z
    .union([z.boolean(), z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off', ''] })])
    .default(defaultValue);
}

/** Every configuration field, by config-file key. */
export const configFields = {
  issuer: field({
    env: 'LATCHKEY_ISSUER',
    schema: z.url().default('http://localhost:8000'),
    shownDefault: '`http://localhost:8000`',
    doc: 'The issuer identifier (OIDC Discovery §3); every endpoint URL derives from it, and it may have a path (`https://example.com/auth`). Must be `https`, except on a loopback host (`localhost`, `127.0.0.1`, `[::1]`). No query or fragment; a trailing slash is removed.',
  }),
  port: field({
    env: 'LATCHKEY_PORT',
    fallbackEnv: 'PORT',
    schema: z.coerce.number().int().min(0).max(65535).default(8000),
    shownDefault: '`8000`',
    doc: 'TCP port the server listens on. `PORT` is read when `LATCHKEY_PORT` is unset.',
  }),
  trustedProxies: field({
    env: 'LATCHKEY_TRUSTED_PROXIES',
    // A comma-separated string from the environment, or a list; each entry is checked as an
    // address or CIDR range when the server starts (the engine itself has no use for them).
    schema: z
      .union([z.string().transform((value) => value.split(',')), z.array(z.string())])
      .transform((entries) => entries.map((entry) => entry.trim()).filter((entry) => entry !== ''))
      .default([]),
    shownDefault: 'none',
    doc: 'Comma-separated addresses or CIDR ranges of the reverse proxies in front of latchkey (e.g. `10.0.0.0/8,127.0.0.1`). Only for requests from these is `X-Forwarded-For` believed, to find the client address that login throttling counts. Unset: the socket peer is the client.',
  }),
  workers: field({
    env: 'LATCHKEY_WORKERS',
    schema: z.coerce.number().int().min(1).max(256).optional(),
    shownDefault: 'one per CPU core',
    doc: '`latchkey start` only: how many server processes share the port (Node cluster). Each is a full, stateless instance over the same storage; a worker that crashes is replaced.',
  }),
  host: field({
    env: 'LATCHKEY_HOST',
    schema: z.string().min(1).optional(),
    shownDefault: 'all interfaces',
    doc: 'Address the server binds to, e.g. `127.0.0.1` to accept only local connections.',
  }),
  databaseUrl: field({
    env: 'LATCHKEY_DATABASE_URL',
    schema: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:PATH or postgres://…')
      .default('sqlite:./data/latchkey.db'),
    shownDefault: '`sqlite:./data/latchkey.db`',
    doc: 'Durable storage: `sqlite:PATH` (relative paths are resolved from the working directory; the folder is created) or `postgres://…`.',
  }),
  databasePoolSize: field({
    env: 'LATCHKEY_DATABASE_POOL_SIZE',
    schema: z.coerce.number().int().min(1).max(200).default(10),
    shownDefault: '`10`',
    doc: 'PostgreSQL only: the most connections one process keeps open. Size it so that instances × workers × this stays under the server\'s `max_connections`.',
  }),
  redisUrl: field({
    env: 'LATCHKEY_REDIS_URL',
    schema: z.string().regex(/^rediss?:\/\/.+/, 'must be redis://… or rediss://…').optional(),
    shownDefault: 'unset',
    doc: 'When set, short-lived artifacts (authorization codes, sessions, interactions, device codes, replay caches, rate-limit counters) live in Redis, expiring natively, instead of the SQL database. Start-up fails when Redis cannot be reached.',
  }),
  redisPrefix: field({
    env: 'LATCHKEY_REDIS_PREFIX',
    schema: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1 to 64 letters, digits or : _ . -').default('latchkey:'),
    shownDefault: '`latchkey:`',
    doc: 'With Redis: the prefix of every key latchkey writes, so that several latchkeys (or other applications) can share one Redis.',
  }),
  secret: field({
    env: 'LATCHKEY_SECRET',
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    shownDefault: 'generated into the data folder for SQLite; required otherwise',
    doc: 'Master secret that encrypts signing keys at rest (HKDF-SHA-256 → A256GCM). With SQLite and no value, one is generated into `secret` beside the database file (mode 0600). Back it up with the database: without it the keys cannot be read.',
  }),
  accessTokenTtlSeconds: field({
    env: 'LATCHKEY_ACCESS_TOKEN_TTL_SECONDS',
    schema: seconds(3600, 60, LONGEST_ACCESS_TOKEN_SECONDS),
    shownDefault: '`3600`',
    doc: 'Lifetime of access tokens, in seconds (60 to 86400).',
  }),
  idTokenTtlSeconds: field({
    env: 'LATCHKEY_ID_TOKEN_TTL_SECONDS',
    schema: seconds(3600, 60, 86_400),
    shownDefault: '`3600`',
    doc: 'Lifetime of ID tokens (`exp − iat`), in seconds (60 to 86400).',
  }),
  authorizationCodeTtlSeconds: field({
    env: 'LATCHKEY_AUTHORIZATION_CODE_TTL_SECONDS',
    schema: seconds(60, 10, 600),
    shownDefault: '`60`',
    doc: 'Lifetime of authorization codes, in seconds (10 to 600; RFC 6749 §4.1.2 recommends at most 10 minutes).',
  }),
  refreshTokenTtlSeconds: field({
    env: 'LATCHKEY_REFRESH_TOKEN_TTL_SECONDS',
    schema: seconds(2_592_000, 60, LONGEST_GRANT_SECONDS),
    shownDefault: '`2592000` (30 days)',
    doc: 'Absolute lifetime of refresh tokens, in seconds, counted from the authorization (60 to 31536000).',
  }),
  refreshTokenIdleTtlSeconds: field({
    env: 'LATCHKEY_REFRESH_TOKEN_IDLE_TTL_SECONDS',
    schema: seconds(1_209_600, 60, 31_536_000),
    shownDefault: '`1209600` (14 days)',
    doc: 'Idle lifetime of refresh tokens, in seconds (60 to 31536000): a refresh token unused for this long expires, even within its absolute lifetime. Each use starts the idle time again.',
  }),
  refreshTokenReuseGraceSeconds: field({
    env: 'LATCHKEY_REFRESH_TOKEN_REUSE_GRACE_SECONDS',
    schema: seconds(10, 0, 300),
    shownDefault: '`10`',
    doc: 'Under rotation, how long after a refresh token was redeemed a second redemption of the same token gets the same new refresh token (with an access token of its own) instead of revoking the grant as a replay (0 to 300; 0 disables). Covers a client that refreshes twice in parallel.',
  }),
  deviceCodeTtlSeconds: field({
    env: 'LATCHKEY_DEVICE_CODE_TTL_SECONDS',
    schema: seconds(600, 60, 1800),
    shownDefault: '`600`',
    doc: 'How long a device code and its user code are valid, in seconds (60 to 1800): the time a user has to enter the code at `/device` (RFC 8628).',
  }),
  devicePollIntervalSeconds: field({
    env: 'LATCHKEY_DEVICE_POLL_INTERVAL_SECONDS',
    schema: seconds(5, 1, 60),
    shownDefault: '`5`',
    doc: 'The least time between two polls of the token endpoint by a device, in seconds (RFC 8628 §3.2 `interval`). Polling faster answers `slow_down` and adds 5 seconds.',
  }),
  pushedRequestTtlSeconds: field({
    env: 'LATCHKEY_PUSHED_REQUEST_TTL_SECONDS',
    schema: seconds(60, 5, 600),
    shownDefault: '`60`',
    doc: 'How long the `request_uri` of a pushed authorization request (`POST /par`, RFC 9126) can be used at `/authorize`, in seconds (5 to 600). It is used once; the client sends the browser on at once.',
  }),
  requirePushedAuthorizationRequests: field({
    env: 'LATCHKEY_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, `/authorize` accepts only requests pushed to `/par` first (RFC 9126 §5 `require_pushed_authorization_requests`): a request whose parameters travel through the browser is refused with `invalid_request`. A client can ask the same of itself with the client metadata field of that name.',
  }),
  requireSignedRequestObject: field({
    env: 'LATCHKEY_REQUIRE_SIGNED_REQUEST_OBJECT',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, `/authorize` and `/par` accept only authorization requests sent as request objects the client signed (`request`, RFC 9101 §10.5 `require_signed_request_object`): a plain or unsigned request is refused with `invalid_request`. A client can ask the same of itself with the client metadata field of that name.',
  }),
  selfRegistration: field({
    env: 'LATCHKEY_SELF_REGISTRATION',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, people may create their own account: the login page links to a registration page (username, password, optional name and email — unverified), and an authorization request with `prompt=create` (OpenID Connect Prompt Create 1.0) starts there; the new account signs in at once (with `requireVerifiedEmail`, once its address is confirmed) and the authorization goes on. Discovery then lists `create` in `prompt_values_supported`. Registrations are limited per address (`selfRegistrationMaxPerAddress`). See [self-registration](self-registration.md).',
  }),
  requireVerifiedEmail: field({
    env: 'LATCHKEY_REQUIRE_VERIFIED_EMAIL',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, an account with an email address that is not confirmed yet does not sign in: after its password (or passkey, or upstream sign-in), a link to confirm the address goes to it and the login page says so; once the link is used, the person signs in. Self-registration then asks for an email address. Needs a mailer (`smtpUrl`) and accounts that confirm addresses (the built-in ones). See [email confirmation](email-verification.md#confirmed-before-signing-in).',
  }),
  selfRegistrationMaxPerAddress: field({
    env: 'LATCHKEY_SELF_REGISTRATION_MAX_PER_ADDRESS',
    schema: z.coerce.number().int().min(1).max(10_000).default(5),
    shownDefault: '`5`',
    doc: 'How many accounts one client address may create per `loginThrottleWindowSeconds` (self-registration); past it, the registration page answers 429.',
  }),
  authorizationDetailsTypes: field({
    env: 'LATCHKEY_AUTHORIZATION_DETAILS_TYPES',
    // A JSON object from the environment, or an object in the config file: each key a type, each
    // value the JSON Schema an authorization detail of that type must satisfy (or true: any).
    schema: z
      .union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a JSON object of types and their JSON Schemas' })
      .transform((value, context) => {
        if (typeof value !== 'string') return value;
        try {
          return JSON.parse(value === '' ? '{}' : value) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: 'must be a JSON object of types and their JSON Schemas' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string().min(1).max(255), z.union([z.boolean(), z.record(z.string(), z.unknown())]), { error: 'must be a JSON object of types and their JSON Schemas' }))
      .default({}),
    shownDefault: 'none',
    doc: 'The authorization details types latchkey accepts in `authorization_details` (RFC 9396, rich authorization requests), as a JSON object: each key a type, each value the JSON Schema an object of that type must satisfy (`true`: any object with that `type`). A client uses the types listed in its `authorization_details_types` metadata. Empty (the default): `authorization_details` is refused with `invalid_authorization_details`. See [rich authorization requests](rich-authorization-requests.md).',
  }),
  dpopNonces: field({
    env: 'LATCHKEY_DPOP_NONCES',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, every DPoP proof (RFC 9449) must carry a nonce latchkey issued: a proof without one, or with one older than about two minutes, is answered `use_dpop_nonce` with a fresh nonce in the `DPoP-Nonce` header, which clients such as openid-client retry with at once. A proof with a valid nonce is fresh whatever its `iat` says, so clients with a wrong clock work too. Nonces are derived from `LATCHKEY_SECRET` and the time: every instance accepts every instance\'s.',
  }),
  registration: field({
    env: 'LATCHKEY_REGISTRATION',
    schema: z.enum(['initial_access_token', 'software_statement', 'open', 'off']).default('initial_access_token'),
    shownDefault: '`initial_access_token`',
    doc: 'Dynamic client registration at `/register` (RFC 7591). `initial_access_token`: only with a token from `latchkey clients initial-token`. `software_statement`: only with a software statement signed by a publisher of `softwareStatementIssuers` (no token needed). `open`: anyone may register a client. `off`: no registration endpoint. Self-registered clients may ask only for the scopes latchkey defines. Whatever the mode, a software statement sent is verified, and its claims are the client\'s metadata. See [dynamic registration](dynamic-registration.md).',
  }),
  softwareStatementIssuers: field({
    env: 'LATCHKEY_SOFTWARE_STATEMENT_ISSUERS',
    // A JSON object from the environment, or an object in the config file: each key a
    // publisher's `iss`, each value the https URL of its JWK Set or the JWK Set itself.
    schema: z
      .union([z.string(), z.record(z.string(), z.unknown())], { error: SOFTWARE_STATEMENT_ISSUERS_SHAPE })
      .transform((value, context) => {
        if (typeof value !== 'string') return value;
        try {
          return JSON.parse(value === '' ? '{}' : value) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: SOFTWARE_STATEMENT_ISSUERS_SHAPE });
          return z.NEVER;
        }
      })
      .pipe(z.record(
        z.string().min(1).max(2048),
        z.union([z.url({ protocol: /^https?$/ }), z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) })]),
        { error: SOFTWARE_STATEMENT_ISSUERS_SHAPE },
      ))
      .default({}),
    shownDefault: 'none',
    doc: 'The software publishers whose software statements (RFC 7591 §2.3) latchkey accepts at `/register`, as a JSON object: each key a publisher\'s `iss`, each value the https URL of its JWK Set (fetched under the outbound policy, cached five minutes) or the JWK Set itself. A statement from anyone else is refused with `unapproved_software_statement`. See [dynamic registration](dynamic-registration.md#software-statements).',
  }),
  registrationMaxPerAddress: field({
    env: 'LATCHKEY_REGISTRATION_MAX_PER_ADDRESS',
    schema: z.coerce.number().int().min(1).max(100_000).default(20),
    shownDefault: '`20`',
    doc: 'With `registration: open`, how many clients one address may register at `/register` per `loginThrottleWindowSeconds`; past it, `429` `temporarily_unavailable` with `Retry-After` (RFC 7591 §5: open registration invites mass registration). An initial access token registers one client, so `initial_access_token` needs no such limit.',
  }),
  clientIdMetadataDocuments: field({
    env: 'LATCHKEY_CLIENT_ID_METADATA_DOCUMENTS',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, a client never registered here may use an https URL as its `client_id` (OAuth Client ID Metadata Document, an IETF draft): latchkey fetches the JSON metadata at that URL (at most 5 KB, no redirects, private addresses refused), requires its `client_id` to be the URL, no secret and `none` or `private_key_jwt`, and keeps it as a client the administrator sees and can disable, fetched again when its `Cache-Control: max-age` (1 minute to 1 day; 1 hour without) has passed. Discovery says `client_id_metadata_document_supported`. See [client ID metadata documents](client-id-metadata-documents.md).',
  }),
  refreshTokenIssuance: field({
    env: 'LATCHKEY_REFRESH_TOKEN_ISSUANCE',
    schema: z.enum(['always', 'offline_access']).default('always'),
    shownDefault: '`always`',
    doc: 'When a code exchange returns a refresh token. `always`: whenever the client is registered for the `refresh_token` grant. `offline_access`: only when the `offline_access` scope was granted as well (OIDC Core §11).',
  }),
  pkceRequired: field({
    env: 'LATCHKEY_PKCE_REQUIRED',
    schema: z.enum(['public_clients', 'all_clients']).default('public_clients'),
    shownDefault: '`public_clients`',
    doc: 'Who must send a PKCE `code_challenge` (S256). Public clients always must; `all_clients` extends it to confidential clients (RFC 9700 §2.1.1 recommends it).',
  }),
  sessionTtlSeconds: field({
    env: 'LATCHKEY_SESSION_TTL_SECONDS',
    schema: seconds(86_400, 60, 31_536_000),
    shownDefault: '`86400` (1 day)',
    doc: 'How long a login session (the session cookie) lasts, in seconds. Within it a new authorization request skips the login page.',
  }),
  interactionTtlSeconds: field({
    env: 'LATCHKEY_INTERACTION_TTL_SECONDS',
    schema: seconds(1800, 60, 86_400),
    shownDefault: '`1800`',
    doc: 'How long a user has to finish the login and consent pages of one authorization request, in seconds.',
  }),
  loginMaxFailuresPerAccount: field({
    env: 'LATCHKEY_LOGIN_MAX_FAILURES_PER_ACCOUNT',
    schema: z.coerce.number().int().min(1).max(10_000).default(10),
    shownDefault: '`10`',
    doc: 'Failed logins allowed for one username within the throttle window; past it, logins for that username are refused until the window ends.',
  }),
  loginMaxFailuresPerAddress: field({
    env: 'LATCHKEY_LOGIN_MAX_FAILURES_PER_ADDRESS',
    schema: z.coerce.number().int().min(1).max(100_000).default(100),
    shownDefault: '`100`',
    doc: 'Failed logins allowed from one client IP address within the throttle window.',
  }),
  loginThrottleWindowSeconds: field({
    env: 'LATCHKEY_LOGIN_THROTTLE_WINDOW_SECONDS',
    schema: seconds(900, 10, 86_400),
    shownDefault: '`900`',
    doc: 'Length of the login throttle window, in seconds, counted from the first failure.',
  }),
  admin: field({
    env: 'LATCHKEY_ADMIN',
    schema: flag(true),
    shownDefault: '`true`',
    doc: 'Serve the admin API (`/admin/api`) and the admin web UI (`/admin`). Every admin request needs an access token with the `latchkey:admin` scope, held by an admin client or an account with the admin role; `false` removes the admin surface from this instance altogether (manage it with the CLI, or from another instance).',
  }),
  adminRequiresTwoStep: field({
    env: 'LATCHKEY_ADMIN_REQUIRES_TWO_STEP',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'When true, administrators must sign in with two-step verification: the admin API refuses a person\'s token from a login without the second factor (`401 insufficient_user_authentication`, RFC 9470, with `acr_values="urn:latchkey:loa:2fa"`), and the admin console asks for that level when it signs in — an administrator without an authenticator app sets one up in the account console first. Admin clients (client credentials) are not affected. See [assurance levels and step-up](assurance-levels.md).',
  }),
  accountConsole: field({
    env: 'LATCHKEY_ACCOUNT_CONSOLE',
    schema: flag(true),
    shownDefault: '`true`',
    doc: 'Serve the account console (`/account`), where a person signs in with their built-in account and changes their name, email and password, sees the applications they allowed and removes their access, and ends their sessions elsewhere. Only with latchkey\'s built-in accounts (a host\'s own `accounts` have their own pages). See [account console](account-console.md).',
  }),
  brandName: field({
    env: 'LATCHKEY_BRAND_NAME',
    schema: z.string().trim().min(1).max(80).optional(),
    shownDefault: 'unset',
    doc: 'The name of the organization whose accounts these are, e.g. `Example Accounts`: shown above every page people see (login, consent, device, logout, password reset, the account console) and after each page\'s title. See [branding](branding.md).',
  }),
  brandLogoUrl: field({
    env: 'LATCHKEY_BRAND_LOGO_URL',
    schema: z
      .string()
      .max(100_000, 'must be at most 100000 characters')
      .refine(
        (value) => (/^https:\/\/\S+$/.test(value) && URL.canParse(value)) || /^data:image\/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+=*$/.test(value),
        'must be an https URL or a base64 data:image/… URL (the pages load images from https: and data: only)',
      )
      .optional(),
    shownDefault: 'unset',
    doc: 'The logo shown above every page people see, beside `brandName`: an `https` URL (the pages\' Content-Security-Policy loads images from `https:` and `data:` only) or a base64 `data:image/…` URL. Shown at most 2.5 rem high. See [branding](branding.md).',
  }),
  brandColor: field({
    env: 'LATCHKEY_BRAND_COLOR',
    schema: z.string().regex(BRAND_COLOR, 'must be a colour as #rgb or #rrggbb').optional(),
    shownDefault: 'unset: latchkey\'s blue',
    doc: 'The accent of the pages people see — buttons, links, focus rings — as `#rgb` or `#rrggbb`, in both the light and the dark scheme; the text on buttons is black or white, whichever contrasts more. See [branding](branding.md).',
  }),
  uiLocales: field({
    env: 'LATCHKEY_UI_LOCALES',
    // A comma- or space-separated string from the environment, or a list: shipped languages only.
    schema: z
      .union([z.string().transform((value) => value.split(/[\s,]+/)), z.array(z.string())])
      .transform((entries) => [...new Set(entries.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''))])
      .refine((entries) => entries.length > 0, 'must name at least one language')
      .refine((entries) => entries.every((entry) => SHIPPED_LANGUAGES.includes(entry)), `each must be a language latchkey's pages speak: ${SHIPPED_LANGUAGES.join(', ')}`)
      .default(['en']),
    shownDefault: '`en`',
    doc: `The languages the pages people see may speak, the first the default, e.g. \`en,de,fr\` (shipped: ${SHIPPED_LANGUAGES.map((lang) => `\`${lang}\``).join(', ')}). Each sign-in, logout and device page, and the mails of a sign-in, speak the first of these the person prefers — the request's \`ui_locales\`, then the browser's \`Accept-Language\` — and the default otherwise. Discovery lists them as \`ui_locales_supported\`. With one language (the default) every page speaks it, whatever is asked. See [languages](languages.md).`,
  }),
  smtpUrl: field({
    env: 'LATCHKEY_SMTP_URL',
    schema: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
      .optional(),
    shownDefault: 'unset: latchkey sends no mail',
    doc: 'The SMTP server latchkey sends its mails through, as a URL: `smtp://user:password@mail.example.com:587` (STARTTLS when the server offers it) or `smtps://…:465` (TLS). With it, the login page offers **Forgot your password?** (a link by mail to the account\'s address sets a new one), new email addresses are confirmed by a link mailed to them, and people are told of every change to how their account signs in. See [password reset](password-reset.md), [email confirmation](email-verification.md) and [security notices](security-notices.md).',
  }),
  mailFrom: field({
    env: 'LATCHKEY_MAIL_FROM',
    schema: z.string().min(3).max(320).optional(),
    shownDefault: '`latchkey <no-reply@ISSUER-HOST>` (`brandName` instead of latchkey when set)',
    doc: 'The `From` of latchkey\'s mails, e.g. `Example Accounts <accounts@example.com>`.',
  }),
  passwordResetTtlSeconds: field({
    env: 'LATCHKEY_PASSWORD_RESET_TTL_SECONDS',
    schema: seconds(1800, 300, 86_400),
    shownDefault: '`1800`',
    doc: 'How long a password reset link works (once), in seconds.',
  }),
  passwordResetMaxPerAddress: field({
    env: 'LATCHKEY_PASSWORD_RESET_MAX_PER_ADDRESS',
    schema: z.coerce.number().int().min(1).max(10_000).default(5),
    shownDefault: '`5`',
    doc: 'How many password reset links one address (an IPv6 /64) may ask for per login throttle window; past it, the form answers 429. Each account gets at most one link a minute, whoever asks.',
  }),
  metricsToken: field({
    env: 'LATCHKEY_METRICS_TOKEN',
    // The RFC 6750 §2.1 b64token alphabet: a token outside it could not be sent as a Bearer token.
    schema: z
      .string()
      .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must use only A-Z a-z 0-9 - . _ ~ + / (and trailing =), as a Bearer token')
      .min(16, 'must be at least 16 characters')
      .optional(),
    shownDefault: 'unset: `/metrics` is open',
    doc: 'When set, `GET /metrics` answers only requests carrying `Authorization: Bearer <this token>` (compared in constant time); others get 401. Unset, `/metrics` answers anyone who can reach it: it reveals traffic figures, not secrets, but restrict it at the network edge (only the Prometheus server, or not routed from the internet). Generate one with `openssl rand -hex 32`.',
  }),
  logLevel: field({
    env: 'LATCHKEY_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    shownDefault: '`info`',
    doc: 'Log level of the JSON log (pino) written to standard output. At `info`, one line per request (request id, method, route, status, duration); at `debug`, health probes and `/metrics` scrapes too. See [observability](observability.md).',
  }),
  development: field({
    env: 'LATCHKEY_DEVELOPMENT',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'Development mode. Only in development mode are the `dangerously…` switches accepted.',
  }),
  dangerouslyAllowHttpIssuer: field({
    env: 'LATCHKEY_DANGEROUSLY_ALLOW_HTTP_ISSUER',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'Allows an `http` issuer on a non-loopback host, for development on a local network. Tokens and passwords then cross the network in clear text: refused unless `development` is on.',
  }),
  dangerouslyAllowPrivateNetworkFetch: field({
    env: 'LATCHKEY_DANGEROUSLY_ALLOW_PRIVATE_NETWORK_FETCH',
    schema: flag(false),
    shownDefault: '`false`',
    doc: 'Lets the provider\'s own outbound requests (a client\'s `jwks_uri`, logout notifications) reach loopback and private addresses and plain `http` URLs, for development against relying parties on the same machine. Outside development that would let anyone who registers a client probe the internal network: refused unless `development` is on.',
  }),
} as const;

type Fields = typeof configFields;

/** The validated configuration; frozen. */
export type Config = { readonly [K in keyof Fields]: z.output<Fields[K]['schema']> };

/** Configuration as given: every key optional; strings are accepted where numbers or booleans are meant. */
export type ConfigInput = { [K in keyof Fields]?: z.input<Fields[K]['schema']> };

/** Startup configuration is invalid; `problems` lists every one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Validates configuration values and applies defaults.
 * @throws ConfigError listing every problem found.
 */
export function parseConfig(input: ConfigInput): Config {
  const problems: string[] = [];
  const output: Record<string, unknown> = {};
  const known = new Set(Object.keys(configFields));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push(`${key}: unknown configuration key`);
  }
  for (const [key, definition] of Object.entries(configFields)) {
    const result = definition.schema.safeParse((input as Record<string, unknown>)[key]);
    if (result.success) output[key] = result.data;
    else problems.push(`${key} (${definition.env}): ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length === 0) problems.push(...checkCombinations(output as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  output.issuer = String(output.issuer).replace(/\/+$/, '');
  return Object.freeze(output) as Config;
}

/** Rules that involve more than one field, or a field's meaning rather than its shape. */
function checkCombinations(config: Config): string[] {
  const problems: string[] = [];
  const issuer = new URL(config.issuer);
  if (issuer.search || issuer.hash) problems.push('issuer (LATCHKEY_ISSUER): must not have a query or fragment (OIDC Discovery §3)');
  if (issuer.protocol !== 'https:' && issuer.protocol !== 'http:') {
    problems.push('issuer (LATCHKEY_ISSUER): must be an https URL');
  } else if (issuer.protocol === 'http:' && !LOOPBACK_HOSTS.has(issuer.hostname)) {
    // Tokens, codes and passwords would cross the network in clear text.
    if (!config.dangerouslyAllowHttpIssuer) {
      problems.push('issuer (LATCHKEY_ISSUER): must be https unless the host is loopback (set LATCHKEY_DANGEROUSLY_ALLOW_HTTP_ISSUER in development only)');
    } else if (!config.development) {
      problems.push('dangerouslyAllowHttpIssuer (LATCHKEY_DANGEROUSLY_ALLOW_HTTP_ISSUER): refused outside development mode (LATCHKEY_DEVELOPMENT)');
    }
  }
  if (config.dangerouslyAllowPrivateNetworkFetch && !config.development) {
    problems.push('dangerouslyAllowPrivateNetworkFetch (LATCHKEY_DANGEROUSLY_ALLOW_PRIVATE_NETWORK_FETCH): refused outside development mode (LATCHKEY_DEVELOPMENT)');
  }
  for (const [type, schema] of Object.entries(config.authorizationDetailsTypes)) {
    if (schema === false) problems.push(`authorizationDetailsTypes (LATCHKEY_AUTHORIZATION_DETAILS_TYPES): ${type}: false would accept nothing; leave the type out instead`);
    else {
      try {
        z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
      } catch (error) {
        problems.push(`authorizationDetailsTypes (LATCHKEY_AUTHORIZATION_DETAILS_TYPES): ${type}: not a JSON Schema latchkey can apply (${(error as Error).message})`);
      }
    }
  }
  return problems;
}

/**
 * Merges the configuration sources of the server: the config file's values, overridden by the
 * environment (`LATCHKEY_*`).
 */
export function readConfigSources(env: NodeJS.ProcessEnv, fileValues: Record<string, unknown> = {}): ConfigInput {
  const merged: Record<string, unknown> = { ...fileValues };
  for (const [key, definition] of Object.entries(configFields) as [string, ConfigField<z.ZodType>][]) {
    const value = env[definition.env] ?? (definition.fallbackEnv ? env[definition.fallbackEnv] : undefined);
    if (value !== undefined) merged[key] = value;
  }
  return merged as ConfigInput;
}
