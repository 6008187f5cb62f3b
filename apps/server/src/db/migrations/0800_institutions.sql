-- Institutions 机构养老 (issue 19): the institution's profile on its organisation, buildings →
-- floors → rooms → beds, admissions (the resident: an elder of the archive in a bed), care plans
-- and records, incidents, bed-bound devices, and the institution's own first queue of alarms.
-- Migration range of the institutions area: 0800–0829.

CREATE TABLE institution_profiles (
  org_id        uuid PRIMARY KEY REFERENCES organizations (id),
  ownership     text NOT NULL DEFAULT 'private' CHECK (ownership IN ('public', 'private', 'public_private')),
  licence_no    text CHECK (length(licence_no) <= 64),
  filing_no     text CHECK (length(filing_no) <= 64),
  filed_on      date,
  capacity      integer NOT NULL DEFAULT 0 CHECK (capacity BETWEEN 0 AND 100000),
  updated_by    uuid,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE institution_buildings (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id     uuid NOT NULL REFERENCES organizations (id),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  sort       integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);

CREATE TABLE institution_floors (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  building_id uuid NOT NULL REFERENCES institution_buildings (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  level       integer NOT NULL,
  UNIQUE (building_id, level)
);

CREATE TABLE institution_rooms (
  id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  floor_id uuid NOT NULL REFERENCES institution_floors (id) ON DELETE CASCADE,
  name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  UNIQUE (floor_id, name)
);

-- A bed; `admission_id` is the resident in it while occupied (or reserved for an admission).
CREATE TABLE beds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  room_id      uuid NOT NULL REFERENCES institution_rooms (id) ON DELETE CASCADE,
  org_id       uuid NOT NULL REFERENCES organizations (id),
  label        text NOT NULL CHECK (length(label) BETWEEN 1 AND 20),
  nursing      boolean NOT NULL DEFAULT false,
  price_fen    integer NOT NULL DEFAULT 0 CHECK (price_fen BETWEEN 0 AND 10000000),
  status       text NOT NULL DEFAULT 'free' CHECK (status IN ('free', 'occupied', 'reserved', 'out_of_service')),
  admission_id uuid,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (room_id, label),
  CHECK ((status IN ('occupied', 'reserved')) = (admission_id IS NOT NULL))
);
CREATE INDEX beds_org_idx ON beds (org_id, status);

-- An admission: application → admitted (contract, bed, deposit) → discharged / transferred / deceased.
CREATE TABLE admissions (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id                uuid NOT NULL REFERENCES organizations (id),
  elder_id              uuid NOT NULL REFERENCES elders (id),
  status                text NOT NULL DEFAULT 'applied'
                        CHECK (status IN ('applied', 'admitted', 'discharged', 'transferred', 'deceased', 'withdrawn')),
  applied_on            date NOT NULL,
  note                  text CHECK (length(note) <= 500),
  ability_assessment_id uuid REFERENCES assessments (id),
  ability_level         text,
  -- GB 38600 risk assessment: { item code: 'none' | 'low' | 'medium' | 'high' }.
  risk_items            jsonb,
  risk_level            text CHECK (risk_level IN ('none', 'low', 'medium', 'high')),
  risk_assessed_on      date,
  risk_assessed_by      uuid,
  nursing_level         text CHECK (nursing_level IN ('special', 'level1', 'level2', 'level3')),
  care_plan             jsonb NOT NULL DEFAULT '[]',
  bed_id                uuid REFERENCES beds (id),
  contract_no           text CHECK (length(contract_no) <= 40),
  bed_fee_fen           integer CHECK (bed_fee_fen BETWEEN 0 AND 10000000),
  nursing_fee_fen       integer CHECK (nursing_fee_fen BETWEEN 0 AND 10000000),
  meal_fee_fen          integer CHECK (meal_fee_fen BETWEEN 0 AND 10000000),
  deposit_fen           integer CHECK (deposit_fen BETWEEN 0 AND 100000000),
  deposit_paid_at       timestamptz,
  admitted_on           date,
  -- The elder's living situation before the admission, put back on discharge.
  previous_living       text,
  ended_on              date,
  end_note              text CHECK (length(end_note) <= 500),
  transferred_to        text CHECK (length(transferred_to) <= 100),
  created_by            uuid,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
-- One live admission per elder, one resident per bed.
CREATE UNIQUE INDEX admissions_live_elder_idx ON admissions (elder_id) WHERE status IN ('applied', 'admitted');
CREATE UNIQUE INDEX admissions_bed_idx ON admissions (bed_id) WHERE status = 'admitted';
CREATE INDEX admissions_org_idx ON admissions (org_id, status);

-- A care item done, a medication given, vital signs measured; once per idempotency key.
CREATE TABLE care_records (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  admission_id    uuid NOT NULL REFERENCES admissions (id),
  org_id          uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('care', 'medication', 'vitals')),
  item            text NOT NULL CHECK (length(item) BETWEEN 1 AND 60),
  data            jsonb NOT NULL DEFAULT '{}',
  done_at         timestamptz NOT NULL,
  day             date NOT NULL,
  by_user         uuid,
  by_name         text,
  idempotency_key text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, idempotency_key)
);
CREATE INDEX care_records_admission_idx ON care_records (admission_id, day);

CREATE TABLE institution_incidents (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id       uuid NOT NULL REFERENCES organizations (id),
  admission_id uuid NOT NULL REFERENCES admissions (id),
  kind         text NOT NULL CHECK (kind IN ('fall', 'choking', 'pressure_injury', 'scald', 'bed_fall', 'wandering',
                                             'self_harm', 'medication_error', 'other')),
  severity     text NOT NULL CHECK (severity IN ('minor', 'moderate', 'severe', 'death')),
  occurred_at  timestamptz NOT NULL,
  description  text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
  action_taken text CHECK (length(action_taken) <= 1000),
  family_told  boolean NOT NULL DEFAULT false,
  reported_by  uuid,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX institution_incidents_org_idx ON institution_incidents (org_id, occurred_at DESC);

-- Bed sensors and fall radars bound to a bed: the alarm names the building, floor, room and bed.
CREATE TABLE bed_devices (
  device_id text PRIMARY KEY REFERENCES devices (id),
  bed_id    uuid NOT NULL REFERENCES beds (id),
  org_id    uuid NOT NULL,
  bound_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bed_devices_bed_idx ON bed_devices (bed_id);

-- An alarm of a bed-bound device goes first to the institution's duty staff (org_id); centre_at is
-- when it reached the district's alarm centre (escalated, or at once for alarms of no institution).
ALTER TABLE alarms
  ADD COLUMN org_id    uuid,
  ADD COLUMN centre_at timestamptz;
CREATE INDEX alarms_org_idx ON alarms (org_id, raised_at DESC) WHERE org_id IS NOT NULL;
