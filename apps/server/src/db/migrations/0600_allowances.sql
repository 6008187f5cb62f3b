-- High-age allowance 高龄津贴 (issue 17). Migrations 0600–0649 belong to this module.

-- Per-district settings: the 公示 period, the survival-verification period and how many missed
-- periods suspend payment.
CREATE TABLE allowance_settings (
  region_code            text PRIMARY KEY CHECK (region_code ~ '^[0-9]{6}$'),
  notice_days            integer NOT NULL DEFAULT 7 CHECK (notice_days BETWEEN 0 AND 60),
  verification_period    text NOT NULL DEFAULT 'month' CHECK (verification_period IN ('month', 'quarter')),
  missed_periods_suspend integer NOT NULL DEFAULT 2 CHECK (missed_periods_suspend BETWEEN 1 AND 12),
  updated_by             uuid,
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Tiers as data: one row per district, year and age band; amounts in fen per month.
CREATE TABLE allowance_tiers (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code          text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  year                 integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  min_age              integer NOT NULL CHECK (min_age BETWEEN 60 AND 130),
  max_age              integer CHECK (max_age IS NULL OR max_age >= min_age),
  monthly_fen          integer NOT NULL CHECK (monthly_fen > 0),
  local_hukou_only     boolean NOT NULL DEFAULT true,
  min_residence_years  integer NOT NULL DEFAULT 0 CHECK (min_residence_years BETWEEN 0 AND 50),
  excluded_categories  text[] NOT NULL DEFAULT '{}',
  effective_from       date NOT NULL,
  effective_to         date CHECK (effective_to IS NULL OR effective_to >= effective_from),
  created_by           uuid,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, year, min_age)
);

-- An application; once approved and through its 公示 it is the elder's allowance (status active,
-- suspended or stopped). One live application per elder.
CREATE TABLE allowance_applications (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id           uuid NOT NULL REFERENCES elders(id),
  region_code        text NOT NULL,
  source             text NOT NULL CHECK (source IN ('scan', 'staff')),
  status             text NOT NULL CHECK (status IN ('proposed', 'community', 'street', 'district', 'notice',
                                                     'active', 'suspended', 'stopped', 'rejected')),
  residence_since    date,
  bank_name          text,
  bank_account_enc   text,
  account_holder     text,
  note               text,
  reject_reason      text,
  notice_ends_on     date,
  open_objections    integer NOT NULL DEFAULT 0 CHECK (open_objections >= 0),
  paid_from          text CHECK (paid_from IS NULL OR paid_from ~ '^[0-9]{4}-[0-9]{2}$'),
  suspend_reason     text CHECK (suspend_reason IS NULL OR suspend_reason IN ('verification', 'moved_out', 'manual', 'death')),
  suspended_from     text,
  arrears_from       text,
  stopped_after      text,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX allowance_applications_live_idx ON allowance_applications (elder_id)
  WHERE status NOT IN ('rejected', 'stopped');
CREATE INDEX allowance_applications_region_idx ON allowance_applications (region_code text_pattern_ops, status);

-- The timeline of an application: every step, by whom, with the reason.
CREATE TABLE allowance_events (
  id              bigserial PRIMARY KEY,
  application_id  uuid NOT NULL REFERENCES allowance_applications(id),
  action          text NOT NULL,
  from_status     text,
  to_status       text,
  reason          text,
  actor_id        uuid,
  actor_name      text,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_events_app_idx ON allowance_events (application_id, id);

-- Survival verification (生存认证), one result per elder and period (month YYYY-MM or quarter
-- YYYY-Qn). Recorded by staff today (in person / video); the face module's remote check will
-- write here too.
CREATE TABLE allowance_verifications (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id     uuid NOT NULL REFERENCES elders(id),
  period       text NOT NULL CHECK (period ~ '^[0-9]{4}-([0-9]{2}|Q[1-4])$'),
  method       text NOT NULL CHECK (method IN ('in_person', 'video', 'face')),
  result       text NOT NULL CHECK (result IN ('passed', 'failed')),
  note         text,
  recorded_by  uuid,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_verifications_elder_idx ON allowance_verifications (elder_id, period);

-- A district's payment roll for one month: generated once, approved by the district.
CREATE TABLE allowance_rolls (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code    text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  month          text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved')),
  line_count     integer NOT NULL DEFAULT 0,
  total_fen      bigint NOT NULL DEFAULT 0,
  ledger_tx_id   uuid,
  generated_by   uuid,
  generated_at   timestamptz NOT NULL DEFAULT now(),
  approved_by    uuid,
  approved_at    timestamptz,
  UNIQUE (region_code, month)
);

-- What is paid to whom for which month. (elder, month) is unique across every roll: a month is
-- never paid twice to one elder, whichever roll (regular or arrears) carries it.
CREATE TABLE allowance_roll_lines (
  id              bigserial PRIMARY KEY,
  roll_id         uuid NOT NULL REFERENCES allowance_rolls(id),
  application_id  uuid NOT NULL REFERENCES allowance_applications(id),
  elder_id        uuid NOT NULL REFERENCES elders(id),
  region_code     text NOT NULL,
  month           text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('regular', 'arrears')),
  tier_id         uuid NOT NULL REFERENCES allowance_tiers(id),
  amount_fen      integer NOT NULL CHECK (amount_fen > 0),
  recovery_due    boolean NOT NULL DEFAULT false,
  UNIQUE (elder_id, month)
);
CREATE INDEX allowance_roll_lines_roll_idx ON allowance_roll_lines (roll_id, id);
