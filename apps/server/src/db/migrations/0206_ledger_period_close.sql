-- Service loop (issue 4): a month whose settlement has been approved is closed for the ledger.
-- Entries dated in a closed month are final: nothing may be posted into it or re-dated into or
-- out of it. Corrections go into the current open month (see docs/service-loop.md).

CREATE TABLE ledger_closed_periods (
  period        text PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  settlement_id uuid REFERENCES settlements (id),
  closed_by     uuid,
  closed_at     timestamptz NOT NULL DEFAULT now()
);

-- The month of an instant in China Standard Time (UTC+8, no DST), the platform's calendar.
CREATE FUNCTION ledger_cst_month(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char((t AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')
$$;

CREATE FUNCTION ledger_refuse_closed_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_closed_periods WHERE period = ledger_cst_month(NEW.created_at)) THEN
    RAISE EXCEPTION 'ledger period % is closed', ledger_cst_month(NEW.created_at) USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.created_at IS DISTINCT FROM NEW.created_at THEN
    IF EXISTS (SELECT 1 FROM ledger_closed_periods WHERE period = ledger_cst_month(OLD.created_at)) THEN
      RAISE EXCEPTION 'ledger period % is closed', ledger_cst_month(OLD.created_at) USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_transactions_closed_period BEFORE INSERT OR UPDATE OF created_at ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_period();
CREATE TRIGGER ledger_entries_closed_period BEFORE INSERT ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_period();
