-- Risk radar 风险雷达 (issue 18): a daily (and on-event) score per elder from the signals other
-- modules already record, explained signal by signal. Range 0740–0759.

-- Weights and thresholds as data, one row per district (6-digit region code), set by the bureau.
-- A district without a row uses the defaults in risk-radar.rules.ts; a row holds only the keys
-- the bureau changed (merged over the defaults when scoring).
CREATE TABLE risk_settings (
  district_code text PRIMARY KEY REFERENCES regions (code),
  weights       jsonb NOT NULL DEFAULT '{}',
  thresholds    jsonb NOT NULL DEFAULT '{}',
  updated_by    uuid,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per elder and scoring day with a score above zero: the score, its level and the
-- contributing signals (key, weight, evidence). Rerunning a day replaces that day's rows.
CREATE TABLE risk_scores (
  elder_id     uuid NOT NULL REFERENCES elders (id),
  day          date NOT NULL,
  region_code  text NOT NULL,
  score        integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  level        text NOT NULL CHECK (level IN ('low', 'watch', 'high', 'top')),
  signals      jsonb NOT NULL,
  computed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, elder_id)
);
CREATE INDEX risk_scores_region_idx ON risk_scores (day, region_code, score DESC);
CREATE INDEX risk_scores_elder_idx ON risk_scores (elder_id, day DESC);

-- One row per scoring day that ran over all elders: the radar shows the latest such day, and
-- on-event updates refresh that day's row of the elder concerned.
CREATE TABLE risk_runs (
  day         date PRIMARY KEY,
  scored      integer NOT NULL,
  top         integer NOT NULL,
  tasks_opened integer NOT NULL,
  ms          integer NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);

-- Since when an elder has been at the top level (null: not now). Entering the top level is the
-- change from null to a day; it opens one task for the community, once per entry.
CREATE TABLE risk_elder_state (
  elder_id   uuid PRIMARY KEY REFERENCES elders (id),
  top_since  date,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Work that follows from the radar: the automatic task on entering the top level, and the
-- visits and calls staff plan from the radar page.
CREATE TABLE risk_tasks (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id     uuid NOT NULL REFERENCES elders (id),
  region_code  text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('top_entry', 'visit', 'call')),
  entered_on   date,
  score        integer NOT NULL,
  signals      jsonb NOT NULL DEFAULT '[]',
  note         text CHECK (length(note) <= 500),
  care_call_task_id uuid,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  done_at      timestamptz,
  done_by      uuid,
  done_note    text CHECK (length(done_note) <= 500),
  CHECK ((kind = 'top_entry') = (entered_on IS NOT NULL))
);
CREATE UNIQUE INDEX risk_tasks_entry_idx ON risk_tasks (elder_id, entered_on) WHERE kind = 'top_entry';
CREATE INDEX risk_tasks_region_idx ON risk_tasks (region_code, created_at DESC);
CREATE INDEX risk_tasks_open_idx ON risk_tasks (elder_id) WHERE done_at IS NULL;

-- Indexes the set-based scoring reads by (the other modules' tables, for their time windows).
CREATE INDEX IF NOT EXISTS care_call_attempts_date_idx ON care_call_attempts (attempt_date);
CREATE INDEX IF NOT EXISTS service_orders_cancelled_idx ON service_orders (updated_at) WHERE status = 'cancelled';
CREATE INDEX IF NOT EXISTS assessments_signed_idx ON assessments (elder_id, assessed_on DESC) WHERE status = 'signed';
