-- Audit rows are written unchained, and one sealer chains them in id order shortly after
-- (docs/decisions/0011-audit-sealer.md). Writers no longer queue behind one chain lock.
-- Rows chained before this migration keep their prev_hash / hash and verify as before.
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL;

-- A writer's transaction takes its transaction id before it draws the row's number. So once
-- every transaction that was running when the sealer read the sequence has ended, every number
-- up to the value it read is final: a row that is not there was rolled back (a gap), never late.
CREATE FUNCTION audit_log_next_id() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_current_xact_id();
  RETURN nextval('audit_log_id_seq');
END;
$$;
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT audit_log_next_id();

-- The chain: one entry per number after the last pre-sealer row, contiguous. `row` seals the
-- audit_log row of that id; `gap` records that the number was drawn by a transaction that rolled
-- back. hash = SHA-256 over (prev_hash, id, kind, the row's fields); see audit.service.ts.
CREATE TABLE audit_seals (
  id        bigint PRIMARY KEY,
  kind      text NOT NULL CHECK (kind IN ('row', 'gap')),
  prev_hash text NOT NULL,
  hash      text NOT NULL,
  sealed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
