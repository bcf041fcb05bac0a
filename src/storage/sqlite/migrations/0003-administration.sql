-- Administration: account roles, disabled clients, listable sessions and initial access tokens,
-- consent revocation by (sub, client), and the audit log.

ALTER TABLE accounts ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- Whose artifact it is (a session's sub), so that an administrator can list a user's sessions.
ALTER TABLE artifacts ADD COLUMN owner TEXT;
CREATE INDEX artifacts_listing ON artifacts (kind, expires_at, id);
CREATE INDEX artifacts_owner ON artifacts (kind, owner, expires_at, id);

CREATE INDEX tokens_sub_client ON tokens (sub, client_id);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  client_id TEXT,
  sub TEXT,
  target TEXT,
  -- JSON object of further details.
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_type ON audit_events (type, id);
CREATE INDEX audit_events_actor ON audit_events (actor, id);
CREATE INDEX audit_events_client_id ON audit_events (client_id, id);
CREATE INDEX audit_events_sub ON audit_events (sub, id);
