-- The closed-period guard of 0206, checked once per statement instead of once per row: a
-- year-start grant inserts 300,000 ledger rows, and a row trigger cost PGlite about 10 µs each.
-- Inserts are checked against the statement's new rows as a set; re-dating (rare) stays per row.

DROP TRIGGER ledger_transactions_closed_period ON ledger_transactions;
DROP TRIGGER ledger_entries_closed_period ON ledger_entries;

CREATE FUNCTION ledger_refuse_closed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  closed text;
BEGIN
  SELECT c.period INTO closed FROM new_rows n JOIN ledger_closed_periods c ON c.period = ledger_cst_month(n.created_at) LIMIT 1;
  IF closed IS NOT NULL THEN
    RAISE EXCEPTION 'ledger period % is closed', closed USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_transactions_closed_insert AFTER INSERT ON ledger_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_closed_insert();
CREATE TRIGGER ledger_entries_closed_insert AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_closed_insert();
CREATE TRIGGER ledger_transactions_closed_redate BEFORE UPDATE OF created_at ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_period();
