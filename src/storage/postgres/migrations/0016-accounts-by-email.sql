-- Accounts found by their email address (AccountStore.findByEmail: "Forgot your password?" with
-- an address), without regard to the case of ASCII letters. The expression is the capability
-- emailKey's: translate() of the ASCII letters, not lower(), which changes every letter the
-- locale knows.
CREATE INDEX accounts_email_key ON accounts (translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'));
