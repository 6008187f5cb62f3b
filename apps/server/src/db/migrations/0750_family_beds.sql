-- Family care beds 家庭养老照护床位 (issue 18). Range 0750–0769.
-- Application → home assessment (适老化改造 checklist) → contract with a provider (service package
-- paid monthly by a policy, monitoring rules) → devices of the registry bound → active; the monthly
-- check of the package's delivery, whose subsidy goes into the provider's settlement once.

-- Eligibility as data: the GB/T 42195 ability levels that may have a bed, one row per district
-- (6-digit code). A district without a row uses the default (moderate, severe, total loss).
CREATE TABLE family_bed_rules (
  district_code   text PRIMARY KEY REFERENCES regions (code),
  eligible_levels text[] NOT NULL,
  updated_by      uuid,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE family_beds (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id          uuid NOT NULL REFERENCES elders (id),
  region_code       text NOT NULL,
  status            text NOT NULL DEFAULT 'applied'
                    CHECK (status IN ('applied', 'assessed', 'contracted', 'active', 'suspended', 'ended')),
  applied_on        date NOT NULL,
  note              text,
  assessment_id     uuid NOT NULL REFERENCES assessments (id),
  ability_level     text NOT NULL,
  home_checklist    jsonb,
  home_assessed_on  date,
  home_assessed_by  uuid,
  home_note         text,
  provider_id       uuid REFERENCES organizations (id),
  contract_no       text,
  contract_from     date,
  contract_to       date,
  policy_id         uuid REFERENCES policies (id),
  monthly_fen       integer CHECK (monthly_fen > 0),
  visits_per_week   integer CHECK (visits_per_week BETWEEN 1 AND 14),
  item_ids          uuid[] NOT NULL DEFAULT '{}',
  monitoring        jsonb,
  activated_on      date,
  status_reason     text,
  ended_on          date,
  is_demo           boolean NOT NULL DEFAULT false,
  created_by        uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- At most one live bed per elder: a second application while one is open is a conflict.
CREATE UNIQUE INDEX family_beds_live_elder_idx ON family_beds (elder_id) WHERE status <> 'ended';
CREATE INDEX family_beds_region_idx ON family_beds (region_code, status);
CREATE INDEX family_beds_provider_idx ON family_beds (provider_id) WHERE provider_id IS NOT NULL;

-- Devices of the registry serving a bed (one bed per device). The device is bound to the bed's elder
-- in the registry (devices.elder_id), so its events raise the elder's alarms as any device's do.
CREATE TABLE family_bed_devices (
  device_id  text PRIMARY KEY REFERENCES devices (id),
  bed_id     uuid NOT NULL REFERENCES family_beds (id),
  bound_by   uuid,
  bound_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX family_bed_devices_bed_idx ON family_bed_devices (bed_id);

-- The monthly check: one row per bed and month, decided once (the primary key makes a rerun or a
-- racing run insert nothing). A delivered or released month carries the ledger transaction that
-- paid its subsidy (policy fund → provider) and, once a settlement is approved, that settlement.
CREATE TABLE family_bed_months (
  bed_id          uuid NOT NULL REFERENCES family_beds (id),
  month           text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  region_code     text NOT NULL,
  provider_id     uuid NOT NULL REFERENCES organizations (id),
  policy_id       uuid NOT NULL REFERENCES policies (id),
  required        integer NOT NULL CHECK (required >= 0),
  delivered       integer NOT NULL CHECK (delivered >= 0),
  status          text NOT NULL CHECK (status IN ('delivered', 'short', 'released')),
  hold_reason     text,
  amount_fen      integer NOT NULL CHECK (amount_fen >= 0),
  ledger_tx_id    uuid REFERENCES ledger_transactions (id),
  checked_at      timestamptz NOT NULL DEFAULT now(),
  checked_by      uuid,
  released_at     timestamptz,
  released_by     uuid,
  release_reason  text,
  settlement_id   uuid REFERENCES settlements (id),
  is_demo         boolean NOT NULL DEFAULT false,
  PRIMARY KEY (bed_id, month),
  -- A held (short) month has paid nothing.
  CHECK (status <> 'short' OR ledger_tx_id IS NULL)
);
CREATE INDEX family_bed_months_settle_idx ON family_bed_months (provider_id, month) WHERE settlement_id IS NULL;

-- A settlement's family-bed lines (the bed months it pays), beside its order lines.
CREATE TABLE settlement_bed_lines (
  settlement_id uuid NOT NULL REFERENCES settlements (id),
  bed_id        uuid NOT NULL,
  month         text NOT NULL,
  amount_fen    bigint NOT NULL,
  PRIMARY KEY (settlement_id, bed_id, month),
  FOREIGN KEY (bed_id, month) REFERENCES family_bed_months (bed_id, month)
);
