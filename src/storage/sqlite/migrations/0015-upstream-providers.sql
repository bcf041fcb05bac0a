-- Upstream OpenID Providers people may sign in with, and the identities there connected to
-- accounts here (upstreams/). One account per identity; one identity per account at each upstream.
CREATE TABLE upstream_providers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sealed_client_secret TEXT,
  scope TEXT NOT NULL,
  create_accounts INTEGER NOT NULL,
  sync_profile INTEGER NOT NULL DEFAULT 0,
  sync_groups INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE upstream_identities (
  upstream_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  sub TEXT NOT NULL,
  email TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  PRIMARY KEY (upstream_id, subject)
);
CREATE UNIQUE INDEX upstream_identities_sub ON upstream_identities (sub, upstream_id);
