-- The Authentication Context Class Reference (OIDC Core §2 `acr`) a token's login achieved,
-- for refreshed ID tokens and JWT access tokens.
ALTER TABLE tokens ADD COLUMN acr TEXT;
