-- Every change to `regions`, by any writer (the API, an import, the demo seed, SQL typed into psql),
-- tells every server process on the database that its in-memory region list is stale: a
-- statement-level trigger NOTIFYs the domain-event channel the processes already LISTEN on
-- (lib/events.ts, EVENTS_CHANNEL) with the event `regions.changed`, which no browser receives
-- (empty audience). NOTIFY goes out at commit, once per transaction for identical payloads.
CREATE OR REPLACE FUNCTION zy_regions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('zy_events', '{"type":"regions.changed","data":{},"audience":{}}');
  RETURN NULL;
END;
$$;

CREATE TRIGGER regions_changed_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
  FOR EACH STATEMENT EXECUTE FUNCTION zy_regions_changed();
