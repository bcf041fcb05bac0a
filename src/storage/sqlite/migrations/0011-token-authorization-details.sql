-- RFC 9396 (rich authorization requests): the authorization details a token was granted, as a
-- JSON array; NULL for a token without. Read with the token, never looked up by.
ALTER TABLE tokens ADD COLUMN authorization_details TEXT;
