-- Service loop (issue 4): each grant is a lot with what is left of it, so the expiry of one
-- policy never takes points another policy granted in the same currency. Wallet debits draw
-- from the lots that expire first; releases and refunds put back what their order drew.

ALTER TABLE policy_grants ADD COLUMN remaining integer;

CREATE FUNCTION policy_grants_default_remaining() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.remaining := COALESCE(NEW.remaining, NEW.amount);
  RETURN NEW;
END;
$$;
CREATE TRIGGER policy_grants_remaining BEFORE INSERT ON policy_grants
  FOR EACH ROW EXECUTE FUNCTION policy_grants_default_remaining();

-- Existing grants: expired ones have nothing left; unexpired ones keep what the wallet still
-- holds, counting the later-expiring lots as the ones kept (the earlier ones were spent first).
UPDATE policy_grants SET remaining = 0 WHERE expired_at IS NOT NULL;
UPDATE policy_grants g SET remaining = x.remaining
FROM (
  SELECT g.policy_id, g.elder_id, g.period_key,
    GREATEST(0, LEAST(g.amount::bigint, COALESCE(a.balance, 0) - COALESCE(SUM(g.amount) OVER (
      PARTITION BY g.elder_id, p.kind
      ORDER BY p.expire_unused, CASE WHEN length(g.period_key) = 4 THEN g.period_key || '-12' ELSE g.period_key END DESC, g.created_at DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))::int AS remaining
  FROM policy_grants g
  JOIN policies p ON p.id = g.policy_id
  LEFT JOIN ledger_accounts a ON a.kind = 'elder' AND a.owner_id = g.elder_id
    AND a.currency = CASE WHEN p.kind = 'points_grant' THEN 'points' ELSE 'fen' END
  WHERE g.expired_at IS NULL
) x
WHERE g.policy_id = x.policy_id AND g.elder_id = x.elder_id AND g.period_key = x.period_key;
ALTER TABLE policy_grants ALTER COLUMN remaining SET NOT NULL;
ALTER TABLE policy_grants ADD CONSTRAINT policy_grants_remaining_check CHECK (remaining BETWEEN 0 AND amount);

-- Every draw from a lot (positive) and every return to it (negative), by the ledger
-- transaction that caused it; an order's net draws are what its release or refund puts back.
CREATE TABLE grant_draws (
  id             bigserial PRIMARY KEY,
  policy_id      uuid NOT NULL,
  elder_id       uuid NOT NULL,
  period_key     text NOT NULL,
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  order_id       uuid,
  amount         integer NOT NULL CHECK (amount <> 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (policy_id, elder_id, period_key) REFERENCES policy_grants (policy_id, elder_id, period_key)
);
CREATE INDEX grant_draws_order_idx ON grant_draws (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX grant_draws_lot_idx ON grant_draws (policy_id, elder_id, period_key);
