-- elders import digest
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- A re-import of the archive spreadsheet (the monthly roster uploaded again) leaves the rows it
-- would not change untouched. Each row an import writes keeps a keyed digest of the values it came
-- from (`import_digest`: an HMAC, like the blind indexes, so it says nothing about the values
-- without the key); a later import that computes the same digest for that ID number skips the row.
-- Any other change to the row (the archive form, a status change, an assessment, a backfill,
-- psql) clears the digest in the trigger below, so a row changed since its import is always
-- written again: a re-import still restores the spreadsheet's values, as before.
ALTER TABLE elders ADD COLUMN import_digest text;
ALTER TABLE elder_imports ADD COLUMN unchanged_count integer NOT NULL DEFAULT 0;

-- An update that does not itself set a new digest clears the old one. Only rows that carry a
-- digest fire it (the WHEN clause is checked before any PL/pgSQL runs).
CREATE OR REPLACE FUNCTION zy_elders_import_digest_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.import_digest IS NOT DISTINCT FROM OLD.import_digest THEN
    NEW.import_digest := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER elders_import_digest_clear
  BEFORE UPDATE ON elders
  FOR EACH ROW WHEN (OLD.import_digest IS NOT NULL)
  EXECUTE FUNCTION zy_elders_import_digest_clear();
