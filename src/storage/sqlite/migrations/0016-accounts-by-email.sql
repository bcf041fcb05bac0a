-- Accounts found by their email address (AccountStore.findByEmail: "Forgot your password?" with
-- an address), without regard to the case of ASCII letters. The expression is the capability
-- emailKey's: SQLite's lower() changes ASCII letters only.
CREATE INDEX accounts_email_key ON accounts (lower(email));
