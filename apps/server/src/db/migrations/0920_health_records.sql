-- 医养结合 (issue 20, second part): the health record per elder (vital-sign observations from
-- devices and staff, medications, annual physicals 体检 imported from spreadsheets), and
-- long-term-care insurance 长护险 (policies as data, enrolments, the one-funder-per-order guard
-- and the monthly claims per provider).
-- Migration range of the health-record area: 0920–0939.

-- One reading of one vital sign. Written in the device intake's transaction (source device), so
-- the reading exists iff its event does; (event_id, code) is unique, so a re-applied event adds
-- nothing. Trends read (elder_id, code, observed_at): one index range per chart.
CREATE TABLE health_observations (
  id           bigserial PRIMARY KEY,
  elder_id     uuid NOT NULL REFERENCES elders (id),
  code         text NOT NULL CHECK (code IN ('heart_rate', 'resp_rate', 'spo2', 'temperature', 'systolic', 'diastolic', 'glucose')),
  value        double precision NOT NULL,
  observed_at  timestamptz NOT NULL,
  source       text NOT NULL CHECK (source IN ('device', 'manual')),
  device_id    text,
  event_id     bigint,
  is_demo      boolean NOT NULL DEFAULT false
);
CREATE INDEX health_observations_elder_idx ON health_observations (elder_id, code, observed_at DESC);
CREATE UNIQUE INDEX health_observations_event_idx ON health_observations (event_id, code) WHERE event_id IS NOT NULL;

-- What the elder takes (the archive keeps chronic conditions and allergies; medicines are here).
CREATE TABLE health_medications (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id    uuid NOT NULL REFERENCES elders (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  dose        text CHECK (length(dose) <= 60),
  frequency   text CHECK (length(frequency) <= 60),
  started_on  date,
  ended_on    date,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX health_medications_elder_idx ON health_medications (elder_id);

-- An import of a 体检 spreadsheet: how many rows, how many stored, and each refused row's reasons.
CREATE TABLE health_physical_imports (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text,
  file_name   text NOT NULL,
  total       integer NOT NULL,
  imported    integer NOT NULL,
  errors      jsonb NOT NULL DEFAULT '[]',
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One annual physical (年度体检) per elder and year; a re-import of the same year replaces it.
CREATE TABLE health_physicals (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id          uuid NOT NULL REFERENCES elders (id),
  exam_year         integer NOT NULL CHECK (exam_year BETWEEN 2000 AND 2100),
  exam_date         date NOT NULL,
  institution       text CHECK (length(institution) <= 100),
  height_cm         double precision,
  weight_kg         double precision,
  systolic          integer,
  diastolic         integer,
  heart_rate        integer,
  fasting_glucose   double precision,
  total_cholesterol double precision,
  triglycerides     double precision,
  ecg               text CHECK (length(ecg) <= 200),
  conclusion        text CHECK (length(conclusion) <= 1000),
  import_id         uuid REFERENCES health_physical_imports (id),
  is_demo           boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (elder_id, exam_year)
);

-- A long-term-care insurance scheme (长护险) of a district, as data: who is eligible (ability levels
-- of the latest signed GB/T 42195 assessment), the care package it pays (catalogue items, monthly
-- hours and a monthly cap) and the share it pays.
CREATE TABLE ltc_policies (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code      text NOT NULL REFERENCES regions (code),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  eligible_levels  text[] NOT NULL CHECK (cardinality(eligible_levels) > 0),
  item_ids         uuid[] NOT NULL CHECK (cardinality(item_ids) > 0),
  monthly_hours    integer NOT NULL CHECK (monthly_hours BETWEEN 1 AND 744),
  monthly_cap_fen  integer NOT NULL CHECK (monthly_cap_fen BETWEEN 1 AND 100000000),
  pay_percent      integer NOT NULL CHECK (pay_percent BETWEEN 1 AND 100),
  valid_from       date NOT NULL,
  valid_to         date,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  is_demo          boolean NOT NULL DEFAULT false,
  created_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, name)
);

CREATE TABLE ltc_enrolments (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  policy_id      uuid NOT NULL REFERENCES ltc_policies (id),
  elder_id       uuid NOT NULL REFERENCES elders (id),
  ability_level  text NOT NULL,
  assessment_id  uuid NOT NULL REFERENCES assessments (id),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  enrolled_at    timestamptz NOT NULL DEFAULT now(),
  ended_at       timestamptz,
  enrolled_by    uuid,
  is_demo        boolean NOT NULL DEFAULT false,
  UNIQUE (policy_id, elder_id)
);
CREATE INDEX ltc_enrolments_elder_idx ON ltc_enrolments (elder_id);

-- Who pays for an order: one row per order, so no order is paid twice (长护险 and a district
-- subsidy). The wallets' reserve writes 'subsidy' (points or purchased service from a policy's
-- grant), LTC writes 'ltc'; the primary key refuses the second payer, also in a race.
CREATE TABLE order_fundings (
  order_id    uuid PRIMARY KEY,
  funder      text NOT NULL CHECK (funder IN ('subsidy', 'ltc')),
  policy_id   uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- Orders already paid from a wallet before this table existed.
INSERT INTO order_fundings (order_id, funder, policy_id)
SELECT DISTINCT ON (order_id) order_id, 'subsidy', NULL FROM ledger_transactions
 WHERE kind = 'reserve' AND order_id IS NOT NULL
ON CONFLICT DO NOTHING;

-- A month's claim of one provider under one scheme: drawn once (unique), its lines the EVV-verified
-- orders it pays; a line's order is unique across all claims.
CREATE TABLE ltc_claims (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  policy_id     uuid NOT NULL REFERENCES ltc_policies (id),
  provider_id   uuid NOT NULL REFERENCES organizations (id),
  month         text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  lines         integer NOT NULL,
  amount_fen    bigint NOT NULL,
  claim_fen     bigint NOT NULL,
  excluded      jsonb NOT NULL DEFAULT '[]',
  is_demo       boolean NOT NULL DEFAULT false,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (policy_id, provider_id, month)
);

CREATE TABLE ltc_claim_lines (
  claim_id      uuid NOT NULL REFERENCES ltc_claims (id),
  order_id      uuid NOT NULL UNIQUE,
  elder_id      uuid NOT NULL REFERENCES elders (id),
  item_id       uuid NOT NULL,
  served_on     date NOT NULL,
  minutes       integer NOT NULL,
  amount_fen    integer NOT NULL,
  claim_fen     integer NOT NULL,
  copay_fen     integer NOT NULL,
  PRIMARY KEY (claim_id, order_id)
);

-- Blood-pressure and glucose meters join the device types (device protocol v1: blood_pressure,
-- blood_glucose events).
ALTER TABLE devices DROP CONSTRAINT devices_type_check;
ALTER TABLE devices ADD CONSTRAINT devices_type_check CHECK (type IN ('sos_terminal', 'pendant', 'watch', 'smoke', 'gas', 'door',
  'presence', 'bed', 'fall_radar', 'water_leak', 'other', 'bp_meter', 'glucose_meter'));
