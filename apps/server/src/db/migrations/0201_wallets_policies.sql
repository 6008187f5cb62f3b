-- Service loop (issue 4): subsidy policies, grants and the double-entry points / credit ledger.

CREATE TABLE policies (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind          text NOT NULL CHECK (kind IN ('points_grant', 'purchase_credit')),
  -- points for points_grant, fen for purchase_credit
  amount        integer NOT NULL CHECK (amount > 0),
  period        text NOT NULL CHECK (period IN ('year', 'month')),
  region_code   text NOT NULL REFERENCES regions (code),
  conditions    jsonb NOT NULL,
  valid_from    date NOT NULL,
  valid_to      date,
  prorate       boolean NOT NULL DEFAULT true,
  expire_unused boolean NOT NULL DEFAULT true,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'ended')),
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- Accounts: the policy's fund (issuer, may go negative), an elder's wallet, the elder's hold
-- (points reserved by open orders), a provider's receivable, and the bureau's payout account.
CREATE TABLE ledger_accounts (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind      text NOT NULL CHECK (kind IN ('fund', 'elder', 'hold', 'provider', 'payout')),
  currency  text NOT NULL CHECK (currency IN ('points', 'fen')),
  owner_id  uuid,
  balance   bigint NOT NULL DEFAULT 0,
  frozen    boolean NOT NULL DEFAULT false,
  frozen_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind IN ('fund', 'payout') OR balance >= 0)
);
CREATE UNIQUE INDEX ledger_accounts_owner_idx ON ledger_accounts (kind, currency, COALESCE(owner_id, '00000000-0000-0000-0000-000000000000'::uuid));

CREATE TABLE ledger_transactions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('grant', 'reserve', 'capture', 'release', 'expire', 'refund', 'settle', 'adjust')),
  currency   text NOT NULL CHECK (currency IN ('points', 'fen')),
  elder_id   uuid,
  order_id   uuid,
  policy_id  uuid,
  memo       text,
  final      boolean NOT NULL DEFAULT false,
  actor_id   uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_transactions_elder_idx ON ledger_transactions (elder_id, created_at);
CREATE INDEX ledger_transactions_order_idx ON ledger_transactions (order_id);

-- Every transaction's entries sum to zero; entries are never changed, only added.
CREATE TABLE ledger_entries (
  id             bigserial PRIMARY KEY,
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  account_id     uuid NOT NULL REFERENCES ledger_accounts (id),
  amount         bigint NOT NULL CHECK (amount <> 0),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_tx_idx ON ledger_entries (transaction_id);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id);

CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only';
END;
$$;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

-- One grant per policy, elder and period: the unique key makes a re-run pay nothing.
CREATE TABLE policy_grants (
  policy_id      uuid NOT NULL REFERENCES policies (id),
  elder_id       uuid NOT NULL REFERENCES elders (id),
  period_key     text NOT NULL,
  amount         integer NOT NULL CHECK (amount > 0),
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  expired_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, elder_id, period_key)
);
CREATE INDEX policy_grants_elder_idx ON policy_grants (elder_id);
