-- RFC 9449 (DPoP): the thumbprint of the key a token is bound to (`cnf.jkt`); NULL for a bearer
-- token. Checked whenever the token is used; never looked up by, so not indexed.
ALTER TABLE tokens ADD COLUMN jkt TEXT;
