-- Tokens without a login session or an end-user (client credentials: most of them under load)
-- have no entry in the indexes that find tokens by session or by (sub, client): every insert
-- then maintains three B-trees instead of five. Lookups by sid or by sub compare with `=`, which
-- implies NOT NULL, so both dialects still use these indexes for them.
DROP INDEX tokens_sid;
CREATE INDEX tokens_sid ON tokens (sid) WHERE sid IS NOT NULL;
DROP INDEX tokens_sub_client;
CREATE INDEX tokens_sub_client ON tokens (sub, client_id) WHERE sub IS NOT NULL;
