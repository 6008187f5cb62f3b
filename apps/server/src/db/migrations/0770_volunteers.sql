-- Volunteers and mutual aid (志愿者与互助, issue 18): volunteers with a login, their tasks, the time
-- bank (时间银行) as a third currency on the one ledger, its rules as data, and 睦邻点.

-- The time bank is kept in minutes on the same double-entry ledger: a volunteer's account (kind
-- 'volunteer') is credited from the time bank's fund for confirmed service and debited back into it
-- when the hours are redeemed. Two new transaction kinds name those moves.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
  CHECK (kind IN ('fund', 'elder', 'hold', 'provider', 'payout', 'volunteer'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_currency_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_currency_check CHECK (currency IN ('points', 'fen', 'minutes'));
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
  CHECK (kind IN ('grant', 'reserve', 'capture', 'release', 'expire', 'refund', 'settle', 'adjust', 'credit', 'redeem'));
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_currency_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_currency_check CHECK (currency IN ('points', 'fen', 'minutes'));

CREATE TABLE volunteers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL UNIQUE REFERENCES users (id),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  phone_enc       text NOT NULL,
  phone_index     text NOT NULL UNIQUE,
  phone_masked    text NOT NULL,
  id_number_enc   text,
  id_number_index text UNIQUE,
  id_number_masked text,
  birth_year      integer,
  region_code     text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'disabled')),
  source          text NOT NULL CHECK (source IN ('self', 'staff')),
  kind            text NOT NULL DEFAULT 'resident' CHECK (kind IN ('resident', 'younger_elder', 'student', 'other')),
  skills          text[] NOT NULL DEFAULT '{}',
  availability    jsonb NOT NULL DEFAULT '[]',
  self_elder_id   uuid,
  note            text,
  reviewed_by     uuid,
  reviewed_at     timestamptz,
  review_note     text,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  is_demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX volunteers_region_idx ON volunteers (region_code, status);

-- Elders of the archive a volunteer may redeem hours for (who counts is the rules' relations).
CREATE TABLE volunteer_relatives (
  volunteer_id uuid NOT NULL REFERENCES volunteers (id),
  elder_id     uuid NOT NULL,
  relation     text NOT NULL,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (volunteer_id, elder_id)
);

CREATE TABLE volunteer_tasks (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code       text NOT NULL,
  elder_id          uuid NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('call', 'visit', 'shopping', 'hospital')),
  notes             text,
  scheduled_on      date NOT NULL,
  planned_minutes   integer NOT NULL CHECK (planned_minutes BETWEEN 10 AND 720),
  status            text NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'assigned', 'accepted', 'checked_in', 'done', 'confirmed', 'cancelled')),
  volunteer_id      uuid REFERENCES volunteers (id),
  source            text NOT NULL DEFAULT 'staff' CHECK (source IN ('staff', 'redemption', 'care_visit')),
  redemption_id     uuid,
  care_visit_id     uuid,
  assigned_at       timestamptz,
  accepted_at       timestamptz,
  checked_in_at     timestamptz,
  check_in_method   text CHECK (check_in_method IN ('gps', 'qr', 'call')),
  check_in_lat      double precision,
  check_in_lng      double precision,
  check_in_distance_m integer,
  done_at           timestamptz,
  reported_minutes  integer,
  done_note         text,
  confirmed_minutes integer,
  credited_minutes  integer,
  confirmed_by      uuid,
  confirmed_at      timestamptz,
  credit_tx_id      uuid,
  cancel_reason     text,
  created_by        uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  is_demo           boolean NOT NULL DEFAULT false
);
CREATE INDEX volunteer_tasks_region_idx ON volunteer_tasks (region_code, status, scheduled_on);
CREATE INDEX volunteer_tasks_volunteer_idx ON volunteer_tasks (volunteer_id, status);

-- The time bank's rules, per district; a district without a row uses the defaults.
CREATE TABLE timebank_rules (
  region_code           text PRIMARY KEY,
  credit_percent        integer NOT NULL DEFAULT 100 CHECK (credit_percent BETWEEN 1 AND 300),
  max_credit_minutes    integer NOT NULL DEFAULT 240 CHECK (max_credit_minutes BETWEEN 10 AND 720),
  redeem_percent        integer NOT NULL DEFAULT 100 CHECK (redeem_percent BETWEEN 1 AND 300),
  min_redeem_minutes    integer NOT NULL DEFAULT 60 CHECK (min_redeem_minutes BETWEEN 10 AND 720),
  keep_minutes          integer NOT NULL DEFAULT 0 CHECK (keep_minutes BETWEEN 0 AND 10000),
  monthly_redeem_minutes integer NOT NULL DEFAULT 600 CHECK (monthly_redeem_minutes BETWEEN 10 AND 10000),
  allow_self            boolean NOT NULL DEFAULT true,
  relative_relations    text[] NOT NULL DEFAULT '{spouse,parent,parent_in_law,grandparent}',
  updated_by            uuid,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Redemptions: hours a volunteer spends on a service for themself or a relative.
CREATE TABLE timebank_redemptions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  volunteer_id    uuid NOT NULL REFERENCES volunteers (id),
  elder_id        uuid NOT NULL,
  region_code     text NOT NULL,
  beneficiary     text NOT NULL CHECK (beneficiary IN ('self', 'relative')),
  relation        text,
  kind            text NOT NULL CHECK (kind IN ('call', 'visit', 'shopping', 'hospital')),
  minutes         integer NOT NULL CHECK (minutes > 0),
  service_minutes integer NOT NULL CHECK (service_minutes > 0),
  scheduled_on    date NOT NULL,
  note            text,
  task_id         uuid,
  transaction_id  uuid,
  returned_tx_id  uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  is_demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX timebank_redemptions_volunteer_idx ON timebank_redemptions (volunteer_id, created_at);

-- One row per time-bank posting, keyed by what it is for ('task:<id>:credit', 'redemption:<id>',
-- 'redemption:<id>:return'): the primary key makes each credit or debit happen exactly once, whatever
-- retries or concurrent confirmations do.
CREATE TABLE timebank_postings (
  idem_key       text PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('credit', 'redeem', 'return')),
  volunteer_id   uuid NOT NULL,
  task_id        uuid,
  redemption_id  uuid,
  minutes        integer NOT NULL,
  transaction_id uuid,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timebank_postings_tx_idx ON timebank_postings (transaction_id);

-- 睦邻点: neighbourhood points with their weekly activities.
CREATE TABLE neighbourhood_points (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  address     text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  lat         double precision,
  lng         double precision,
  activities  jsonb NOT NULL DEFAULT '[]',
  active      boolean NOT NULL DEFAULT true,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  is_demo     boolean NOT NULL DEFAULT false
);
CREATE INDEX neighbourhood_points_region_idx ON neighbourhood_points (region_code);
