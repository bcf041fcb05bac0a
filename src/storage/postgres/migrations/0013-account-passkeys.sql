-- The passkeys (WebAuthn public key credentials) a built-in account registered: a JSON array of
-- each one's credential id, public key, signature counter, name and times; NULL when it has none.
ALTER TABLE accounts ADD COLUMN passkeys TEXT;
