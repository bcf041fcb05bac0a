-- One row per grant an end-user gave a client: to which client, in which login session, whether
-- it was given offline_access, as long as a token of it can live. Logout (by session) and a
-- withdrawn consent (by sub and client) find grants here and revoke them whole, through
-- revoked_grants. Tokens are no longer indexed by session or by (sub, client): those indexes took
-- two B-tree inserts per token, each at a random page as soon as many users are signed in, where
-- a grant's row is written once, when it is given (/authorize answered, a device code approved),
-- and a code exchange or a refresh writes none. Grant ids are time-ordered: each new row lands at
-- the end of the table's B-tree (WITHOUT ROWID: the key is the row).
CREATE TABLE grants (
  grant_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  sid TEXT,
  -- 1 when the grant was given offline_access: it outlives its login session.
  offline INTEGER NOT NULL,
  -- As long as a token of it can live (grantRecord in src/tokens/grant-record.ts): swept after.
  -- For the tokens stored before this migration: their refresh tokens' absolute end and a day
  -- (LONGEST_ACCESS_TOKEN_SECONDS: an access token a last refresh makes), else their expiry.
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX grants_sid ON grants (sid) WHERE sid IS NOT NULL;
CREATE INDEX grants_sub_client ON grants (sub, client_id);
CREATE INDEX grants_expires_at ON grants (expires_at);

-- The grants of the tokens stored before this migration.
INSERT INTO grants (grant_id, client_id, sub, sid, offline, expires_at)
SELECT grant_id, min(client_id), min(sub), min(sid), max(' ' || scope || ' ' LIKE '% offline\_access %' ESCAPE '\'), max(max(expires_at, coalesce(grant_expires_at + 86400, 0)))
FROM tokens WHERE sub IS NOT NULL GROUP BY grant_id;

DROP INDEX tokens_sid;
DROP INDEX tokens_sub_client;
