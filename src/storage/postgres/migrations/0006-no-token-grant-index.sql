-- A grant's revocation is a row in revoked_grants that the token lookup joins: the tokens of the
-- grant are no longer updated one by one, so nothing finds tokens by grant any more. The index
-- cost one page write per inserted token — the grant's page, anywhere in the index — and under
-- refresh-token load it was 40 % of the pages each commit wrote to the WAL.
DROP INDEX tokens_grant_id;
