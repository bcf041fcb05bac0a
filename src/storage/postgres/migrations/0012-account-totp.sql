-- Two-step verification (RFC 6238 TOTP) of a built-in account: a JSON object with the shared
-- secret sealed under the master secret and when it was turned on; NULL when it is off.
ALTER TABLE accounts ADD COLUMN totp TEXT;
