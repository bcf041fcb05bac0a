import type { Generated, RawBuilder } from 'kysely';

/**
 * The SQL schema as Kysely sees it: one interface per table. Both SQL dialects create these
 * tables with their own migrations (`sqlite/migrations/`, `postgres/migrations/`).
 * Times are epoch seconds, booleans 0/1, JSON documents text.
 */
export interface Database {
  clients: {
    client_id: string;
    client_secret_digest: string | null;
    client_secret_encrypted: string | null;
    registration_access_token_digest: string | null;
    client_secret_expires_at: number;
    client_id_issued_at: number;
    /** JSON of the ClientMetadata fields. */
    metadata: string;
    updated_at: number;
    disabled: number;
  };
  resource_servers: {
    resource: string;
    client_id: string | null;
    /** JSON of the other ResourceServerRecord fields. */
    data: string;
    created_at: number;
    updated_at: number;
  };
  accounts: {
    sub: string;
    username: string;
    /** Lowercased username; unique. */
    username_normalized: string;
    password_hash: string | null;
    email: string | null;
    email_verified: number;
    name: string | null;
    given_name: string | null;
    family_name: string | null;
    /** JSON object of further standard claims. */
    claims: string;
    disabled: number;
    /** JSON array of role names. */
    roles: string;
    /** JSON `AccountTotp`, or NULL: two-step verification off. */
    totp: string | null;
    /** JSON array of `AccountPasskey`, or NULL: no passkeys. */
    passkeys: string | null;
    /** JSON array of the account's group names, or NULL: none. */
    group_names: string | null;
    created_at: number;
    updated_at: number;
  };
  upstream_providers: {
    id: string;
    name: string;
    issuer: string;
    client_id: string;
    sealed_client_secret: string | null;
    scope: string;
    create_accounts: number;
    sync_profile: number;
    sync_groups: number;
    disabled: number;
    created_at: number;
    updated_at: number;
  };
  upstream_identities: {
    upstream_id: string;
    subject: string;
    sub: string;
    email: string | null;
    created_at: number;
    last_used_at: number | null;
  };
  consents: {
    sub: string;
    client_id: string;
    scope: string;
    claims: string;
    granted_at: number;
  };
  tokens: {
    token_digest: string;
    kind: string;
    client_id: string;
    sub: string | null;
    scope: string;
    grant_id: string;
    audience: string | null;
    /** JSON RequestedClaims. */
    claims: string | null;
    /** RFC 9396: JSON array of the authorization details granted. */
    authorization_details: string | null;
    /** RFC 8693 §4.1: JSON object of the `act` claim (the actor, prior actors nested). */
    act: string | null;
    sid: string | null;
    auth_time: number | null;
    /** JSON array. */
    amr: string | null;
    acr: string | null;
    /** RFC 9449: the DPoP key's thumbprint a bound token needs a proof by. */
    jkt: string | null;
    issued_at: number;
    expires_at: number;
    grant_expires_at: number | null;
    rotated_at: number | null;
    revoked_at: number | null;
  };
  revoked_grants: {
    grant_id: string;
    revoked_at: number;
  };
  /** One row per grant with an end-user: how logout and a withdrawn consent find grants (migration 0008). */
  grants: {
    grant_id: string;
    client_id: string;
    sub: string;
    sid: string | null;
    /** 1 when the grant was given offline_access, else 0. */
    offline: number;
    expires_at: number;
  };
  keys: {
    kid: string;
    alg: string;
    state: string;
    /** JSON of the public JWK. */
    public_jwk: string;
    private_jwk_encrypted: string;
    created_at: number;
    updated_at: number;
  };
  artifacts: {
    kind: string;
    id: string;
    /** JSON of the artifact. */
    value: string;
    expires_at: number;
    consumed_count: number;
    /** Whose artifact it is (a session's sub), for listing; null for most kinds. */
    owner: string | null;
  };
  audit_events: {
    id: Generated<number>;
    at: number;
    type: string;
    actor: string;
    client_id: string | null;
    sub: string | null;
    target: string | null;
    /** JSON object. */
    data: string;
  };
  counters: {
    id: string;
    count: number;
    expires_at: number;
  };
  metric_samples: {
    series: string;
    /** Start of the minute, epoch seconds. */
    minute: number;
    count: number;
  };
}

/** What differs between SQL dialects, declared once per backend. */
export interface SqlDialectCapabilities {
  /**
   * Statements that open a read-write storage transaction such that concurrent ones run one after
   * the other (they read, then write: key set changes). SQLite: `begin immediate`, which takes
   * the write lock up front; PostgreSQL: `begin` and a transaction-level advisory lock.
   */
  beginTransaction: readonly string[];
  /** True when `error` is a unique / primary key violation. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * A statement announcing a signing-key change to other processes, run on the same connection
   * as the change (so inside its transaction, delivered at commit). Absent: nothing is announced.
   */
  keysChangedStatement?: string;
  /**
   * The channel on which a client or resource server change is announced to other processes
   * (`pg_notify(channel, change)` on the connection of the change, so inside its transaction).
   * Absent: other processes are not told, and their caches expire on their own (one second).
   */
  registrationsChannel?: string;
  /** True where the JSON array of strings in text `column` holds `value` exactly (NULL holds nothing). */
  jsonArrayHas(column: string, value: string): RawBuilder<boolean>;
  /** Each name in the accounts' `group_names` arrays, with the number of accounts that hold it. */
  groupMembers: RawBuilder<{ name: string; members: number }>;
  /** The accounts' `email` as `emailKey` makes it (ASCII letters in lower case): the expression of the index `findByEmail` reads. */
  emailKey: RawBuilder<string>;
}
