-- latchkey schema, PostgreSQL. The same tables and columns as the SQLite schema, so that one
-- Kysely query layer serves both: times are epoch seconds (BIGINT, read back as numbers),
-- booleans 0/1 (SMALLINT), JSON documents text.

CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  client_secret_digest TEXT,
  client_secret_encrypted TEXT,
  registration_access_token_digest TEXT,
  client_secret_expires_at BIGINT NOT NULL DEFAULT 0,
  client_id_issued_at BIGINT NOT NULL,
  metadata TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE resource_servers (
  resource TEXT PRIMARY KEY,
  client_id TEXT,
  -- JSON of the other ResourceServerRecord fields.
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX resource_servers_client_id ON resource_servers (client_id);

CREATE TABLE accounts (
  sub TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  username_normalized TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  email TEXT,
  email_verified SMALLINT NOT NULL DEFAULT 0,
  name TEXT,
  given_name TEXT,
  family_name TEXT,
  claims TEXT NOT NULL DEFAULT '{}',
  disabled SMALLINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX accounts_email ON accounts (email);

CREATE TABLE consents (
  sub TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  claims TEXT NOT NULL DEFAULT '',
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (sub, client_id)
);
CREATE INDEX consents_client_id ON consents (client_id);

CREATE TABLE tokens (
  token_digest TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sub TEXT,
  scope TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  audience TEXT,
  -- JSON RequestedClaims.
  claims TEXT,
  sid TEXT,
  auth_time BIGINT,
  amr TEXT,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  grant_expires_at BIGINT,
  rotated_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX tokens_grant_id ON tokens (grant_id);
CREATE INDEX tokens_sid ON tokens (sid);
CREATE INDEX tokens_expires_at ON tokens (expires_at);

CREATE TABLE revoked_grants (
  grant_id TEXT PRIMARY KEY,
  revoked_at BIGINT NOT NULL
);

CREATE TABLE keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL,
  state TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  private_jwk_encrypted TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE artifacts (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  value TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  consumed_count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, id)
);
CREATE INDEX artifacts_expires_at ON artifacts (expires_at);

CREATE TABLE counters (
  id TEXT PRIMARY KEY,
  count BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX counters_expires_at ON counters (expires_at);
