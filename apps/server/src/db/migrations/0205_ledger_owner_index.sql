-- Wallet lookups go by owner (elder, provider, policy): the unique index is on an expression
-- (COALESCE(owner_id, …)) that a plain `owner_id = $1` cannot use.
CREATE INDEX ledger_accounts_owner_id_idx ON ledger_accounts (owner_id, kind, currency);
