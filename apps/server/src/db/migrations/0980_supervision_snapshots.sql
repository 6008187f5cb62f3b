-- Supervision 综合监管 (issue 21): closed-month snapshots of the dashboard's figures. Range 0980–0989.
-- One row per region (district, street or community) and China-time month. `figures` holds the
-- month's trend point of every monthly figure (key → value), written once the month has closed —
-- by the nightly job or lazily by the first dashboard read that misses it — from the very queries
-- the live dashboard runs for that month. `state` holds the today-only figures (survival
-- verification rate, visit coverage, 体检率, open hazards / findings, …) as the nightly job saw them
-- on the month's last evening, so they gain a month-end history from the day this table exists.
-- `version` is the code's figure-set version: a row of another version is computed again.
CREATE TABLE supervision_snapshots (
  region_code  text NOT NULL,
  month        text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  version      integer NOT NULL,
  figures      jsonb,
  figures_at   timestamptz,
  state        jsonb,
  state_at     timestamptz,
  PRIMARY KEY (region_code, month)
);
