-- RFC 8693 §4.1 (token exchange, delegation): the actor an exchanged access token names, as the
-- JSON object of its `act` claim (`sub`, prior actors nested in `act`); NULL for a token issued
-- to no actor. Read with the token, never looked up by.
ALTER TABLE tokens ADD COLUMN act TEXT;
