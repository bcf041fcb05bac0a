-- Disabling an account now revokes every grant of it, offline ones too, in the transaction that
-- disables it (AccountStore.update), and the engine no longer reads a built-in account on every
-- code exchange, refresh and introspection to see whether it is disabled. The grants of the
-- accounts disabled before this migration are revoked here, as if they were disabled now: else
-- their tokens would work again after the upgrade.
INSERT INTO revoked_grants (grant_id, revoked_at)
SELECT grants.grant_id, CAST(strftime('%s', 'now') AS INTEGER)
FROM grants JOIN accounts ON accounts.sub = grants.sub
WHERE accounts.disabled = 1
ON CONFLICT (grant_id) DO NOTHING;
