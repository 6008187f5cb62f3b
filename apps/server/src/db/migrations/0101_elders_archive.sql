-- Elder archive (issue 3): the rest of the record, search columns, status history, family invite
-- codes and tracked imports. Extends 0100 without renaming anything other loops depend on.

ALTER TABLE elders
  ADD COLUMN name_pinyin          text,
  ADD COLUMN name_initials        text,
  -- Blind indexes (HMAC, domain id_number) of the last 4, 5 and 6 characters of the ID number.
  ADD COLUMN id_tail4_hash        text,
  ADD COLUMN id_tail5_hash        text,
  ADD COLUMN id_tail6_hash        text,
  ADD COLUMN disability_level     smallint CHECK (disability_level BETWEEN 1 AND 4),
  ADD COLUMN medical_insurance    text CHECK (medical_insurance IN ('employee', 'resident', 'none', 'other')),
  ADD COLUMN chronic_conditions   text[] NOT NULL DEFAULT '{}',
  ADD COLUMN allergies            text[] NOT NULL DEFAULT '{}',
  ADD COLUMN diet_restrictions    text[] NOT NULL DEFAULT '{}',
  ADD COLUMN notes                text CHECK (length(notes) <= 2000),
  ADD COLUMN next_assessment_due  date,
  ADD COLUMN created_by           uuid;

CREATE INDEX elders_name_idx ON elders (name text_pattern_ops);
CREATE INDEX elders_pinyin_idx ON elders (name_pinyin text_pattern_ops);
CREATE INDEX elders_initials_idx ON elders (name_initials text_pattern_ops);
CREATE INDEX elders_tail4_idx ON elders (id_tail4_hash);
CREATE INDEX elders_tail5_idx ON elders (id_tail5_hash);
CREATE INDEX elders_tail6_idx ON elders (id_tail6_hash);
CREATE INDEX elders_birth_idx ON elders (birth_date);
CREATE INDEX elders_categories_idx ON elders USING gin (categories);
CREATE INDEX elders_region_name_idx ON elders (region_code text_pattern_ops, name);
CREATE INDEX elders_due_idx ON elders (region_code, next_assessment_due) WHERE status = 'active';

-- Every status change, for the timeline and for later modules that replay them.
CREATE TABLE elder_status_changes (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id     uuid NOT NULL REFERENCES elders (id) ON DELETE CASCADE,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  status_date  date,
  reason       text,
  actor_id     uuid,
  actor_name   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX elder_status_changes_elder_idx ON elder_status_changes (elder_id, created_at);

-- Family binding needs the elder's or staff's consent: a single-use, expiring code.
CREATE TABLE elder_invite_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id    uuid NOT NULL REFERENCES elders (id) ON DELETE CASCADE,
  code_hash   text NOT NULL,
  created_by  uuid,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  used_by     uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX elder_invite_codes_hash_idx ON elder_invite_codes (code_hash);
CREATE INDEX elder_invite_codes_elder_idx ON elder_invite_codes (elder_id);

-- Spreadsheet imports, tracked so the console can poll progress and download the error report.
CREATE TABLE elder_imports (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  filename        text NOT NULL,
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  total_rows      integer NOT NULL DEFAULT 0,
  processed_rows  integer NOT NULL DEFAULT 0,
  created_count   integer NOT NULL DEFAULT 0,
  updated_count   integer NOT NULL DEFAULT 0,
  error_count     integer NOT NULL DEFAULT 0,
  -- [{ row, column, message }] in Chinese, at most one entry per bad row.
  errors          jsonb NOT NULL DEFAULT '[]',
  failure         text,
  region_code     text,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX elder_imports_created_idx ON elder_imports (created_by, created_at);

-- GB/T 42195-2022 ability assessments. Locked once two assessors have signed; a correction is a
-- new assessment pointing at the one it corrects.
CREATE TABLE assessments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id           uuid NOT NULL REFERENCES elders (id),
  region_code        text NOT NULL,
  reason             text NOT NULL CHECK (reason IN ('first', 'routine', 'immediate', 'dispute')),
  assessed_on        date NOT NULL,
  location           text,
  background         jsonb NOT NULL,
  scores             jsonb NOT NULL,
  subtotals          jsonb NOT NULL,
  total              smallint NOT NULL CHECK (total BETWEEN 0 AND 90),
  preliminary_level  text NOT NULL,
  level              text NOT NULL CHECK (level IN ('intact', 'mild', 'moderate', 'severe', 'total')),
  adjustments        text[] NOT NULL DEFAULT '{}',
  notes              text,
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed', 'superseded')),
  corrects_id        uuid REFERENCES assessments (id),
  correction_reason  text,
  assessor1_id       uuid,
  assessor1_name     text,
  assessor1_signed_at timestamptz,
  assessor2_id       uuid,
  assessor2_name     text,
  assessor2_signed_at timestamptz,
  next_due           date,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (assessor1_id IS NULL OR assessor2_id IS NULL OR assessor1_id <> assessor2_id)
);
CREATE INDEX assessments_elder_idx ON assessments (elder_id, created_at);
CREATE INDEX assessments_region_idx ON assessments (region_code, status);
