-- elders changed notify
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- Every change to `elders`, by any writer (the archive API, an import, a status change from the
-- allowance or death-record checks, an assessment, SQL typed into psql), tells every server
-- process on the database that the elder-list pages it keeps in memory are stale: a
-- statement-level trigger NOTIFYs the domain-event channel the processes already LISTEN on
-- (lib/events.ts, EVENTS_CHANNEL) with the event `elders.changed`, which no browser receives
-- (empty audience). NOTIFY goes out at commit, once per transaction for identical payloads, so an
-- import of 100,000 rows in batches sends one per batch.
CREATE OR REPLACE FUNCTION zy_elders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('zy_events', '{"type":"elders.changed","data":{},"audience":{}}');
  RETURN NULL;
END;
$$;

CREATE TRIGGER elders_changed_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON elders
  FOR EACH STATEMENT EXECUTE FUNCTION zy_elders_changed();
