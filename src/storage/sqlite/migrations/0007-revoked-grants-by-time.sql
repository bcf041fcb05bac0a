-- A grant's revocation is kept a year and two days (REVOKED_GRANT_RETENTION_SECONDS), then swept:
-- by then no token of the grant can be active. The sweep finds the old ones by this index.
CREATE INDEX revoked_grants_revoked_at ON revoked_grants (revoked_at);
