-- The groups a built-in account belongs to, released as the `groups` claim: a JSON array of their
-- names; NULL when it belongs to none.
ALTER TABLE accounts ADD COLUMN group_names TEXT;
