-- 医养结合 (issue 20, first part): medical organisations and family-doctor teams, contracts
-- (家庭医生签约) with elders, home medical visits (上门医疗), 家庭病床 episodes with their
-- medical-insurance billing lines (recorded, not processed), partnerships between care
-- organisations and medical organisations, and referrals from care to medicine.
-- Migration range of the medical area: 0900–0919. The health record (health-records module)
-- reads doctor_contracts / doctor_team_members to scope health data to the elder's doctors.

-- A medical organisation: a community health centre (社区卫生服务中心), a township health centre,
-- a hospital or a clinic. `region_code` is where it sits; its teams say which communities they serve.
CREATE TABLE medical_orgs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind         text NOT NULL CHECK (kind IN ('community_health_centre', 'township_health_centre', 'hospital', 'clinic')),
  region_code  text NOT NULL REFERENCES regions (code),
  licence_no   text CHECK (length(licence_no) <= 64),
  address      text CHECK (length(address) <= 200),
  phone        text CHECK (length(phone) <= 40),
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  is_demo      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, name)
);
CREATE INDEX medical_orgs_region_idx ON medical_orgs (region_code text_pattern_ops);

-- A family-doctor team (家庭医生团队) of a medical organisation and the communities it serves.
CREATE TABLE doctor_teams (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id       uuid NOT NULL REFERENCES medical_orgs (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  region_code  text NOT NULL REFERENCES regions (code),
  communities  text[] NOT NULL DEFAULT '{}',
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disbanded')),
  is_demo      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);
CREATE INDEX doctor_teams_region_idx ON doctor_teams (region_code text_pattern_ops);

-- A member of a team: 医生 / 护士 / 公卫医生 / 药师 / 康复师 / 其他, with the practising licence
-- number; `user_id` links the member's login (role doctor) when they have one.
CREATE TABLE doctor_team_members (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_id      uuid NOT NULL REFERENCES doctor_teams (id),
  user_id      uuid REFERENCES users (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  role         text NOT NULL CHECK (role IN ('doctor', 'nurse', 'public_health', 'pharmacist', 'rehab', 'other')),
  licence_no   text CHECK (length(licence_no) <= 64),
  phone        text CHECK (length(phone) <= 40),
  is_leader    boolean NOT NULL DEFAULT false,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX doctor_team_members_team_idx ON doctor_team_members (team_id);
CREATE UNIQUE INDEX doctor_team_members_user_idx ON doctor_team_members (team_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX doctor_team_members_user_lookup_idx ON doctor_team_members (user_id) WHERE active;

-- A family-doctor contract (签约): an elder, a team, a service package and a period. A renewal is
-- a new row whose `previous_id` is the one it follows (that one becomes 'renewed'). At most one
-- active contract per elder.
CREATE TABLE doctor_contracts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id     uuid NOT NULL REFERENCES elders (id),
  team_id      uuid NOT NULL REFERENCES doctor_teams (id),
  region_code  text NOT NULL,
  package      text NOT NULL CHECK (package IN ('basic', 'elderly', 'chronic', 'disabled', 'rehab')),
  starts_on    date NOT NULL,
  ends_on      date NOT NULL,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'renewed', 'ended')),
  previous_id  uuid REFERENCES doctor_contracts (id),
  signed_by    uuid,
  signed_at    timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz,
  end_reason   text CHECK (length(end_reason) <= 200),
  is_demo      boolean NOT NULL DEFAULT false,
  CHECK (ends_on > starts_on)
);
CREATE UNIQUE INDEX doctor_contracts_active_idx ON doctor_contracts (elder_id) WHERE status = 'active';
CREATE INDEX doctor_contracts_team_idx ON doctor_contracts (team_id, status);
CREATE INDEX doctor_contracts_region_idx ON doctor_contracts (region_code text_pattern_ops, status);

-- Admission criteria of a 家庭病床, as data per district: an elder is eligible when at least
-- `min_age` and (one of `chronic_conditions` OR one of `ability_levels`).
CREATE TABLE home_bed_criteria (
  region_code        text PRIMARY KEY CHECK (region_code ~ '^[0-9]{6}$'),
  min_age            integer NOT NULL DEFAULT 60 CHECK (min_age BETWEEN 0 AND 130),
  chronic_conditions text[] NOT NULL DEFAULT '{}',
  ability_levels     text[] NOT NULL DEFAULT '{}',
  updated_by         uuid,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- A 家庭病床 episode: admitted (with the criteria check as it was), a plan (visits per week,
-- items), visits (medical_visits.episode_id), discharged with a summary.
CREATE TABLE home_bed_episodes (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id          uuid NOT NULL REFERENCES elders (id),
  team_id           uuid NOT NULL REFERENCES doctor_teams (id),
  region_code       text NOT NULL,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'discharged')),
  diagnosis         text NOT NULL CHECK (length(diagnosis) BETWEEN 1 AND 200),
  admitted_on       date NOT NULL,
  criteria_check    jsonb NOT NULL,
  visits_per_week   integer NOT NULL CHECK (visits_per_week BETWEEN 1 AND 14),
  plan_items        jsonb NOT NULL DEFAULT '[]',
  discharged_on     date,
  discharge_summary text CHECK (length(discharge_summary) <= 1000),
  created_by        uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  is_demo           boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX home_bed_episodes_open_idx ON home_bed_episodes (elder_id) WHERE status = 'open';
CREATE INDEX home_bed_episodes_region_idx ON home_bed_episodes (region_code text_pattern_ops, status);
CREATE INDEX home_bed_episodes_team_idx ON home_bed_episodes (team_id, status);

-- A partnership (医养合作) between a care organisation (institution, community centre) and a
-- medical organisation: agreement number, period, green channel for referrals.
CREATE TABLE medical_partnerships (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id          uuid NOT NULL REFERENCES organizations (id),
  medical_org_id  uuid NOT NULL REFERENCES medical_orgs (id),
  region_code     text NOT NULL,
  agreement_no    text CHECK (length(agreement_no) <= 64),
  starts_on       date NOT NULL,
  ends_on         date NOT NULL,
  green_channel   boolean NOT NULL DEFAULT false,
  services        text CHECK (length(services) <= 500),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  is_demo         boolean NOT NULL DEFAULT false,
  CHECK (ends_on > starts_on)
);
CREATE INDEX medical_partnerships_region_idx ON medical_partnerships (region_code text_pattern_ops);
CREATE INDEX medical_partnerships_org_idx ON medical_partnerships (org_id, medical_org_id);

-- A referral (转诊) from care to medicine: by care staff, an institution or a care-visit finding
-- (then `follow_up_id` is the care follow-up it answers, closed when the referral closes).
-- 待接收 pending → 已接收 accepted → 已就诊 visited → 已完成 completed; or 已拒绝 rejected.
CREATE TABLE medical_referrals (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id        uuid NOT NULL REFERENCES elders (id),
  region_code     text NOT NULL,
  source          text NOT NULL CHECK (source IN ('care_staff', 'institution', 'care_visit')),
  from_org_id     uuid REFERENCES organizations (id),
  medical_org_id  uuid NOT NULL REFERENCES medical_orgs (id),
  team_id         uuid REFERENCES doctor_teams (id),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  urgency         text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
  green_channel   boolean NOT NULL DEFAULT false,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'visited', 'completed', 'rejected')),
  follow_up_id    uuid UNIQUE,
  note            text CHECK (length(note) <= 500),
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      uuid,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  is_demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX medical_referrals_region_idx ON medical_referrals (region_code text_pattern_ops, status);
CREATE INDEX medical_referrals_org_idx ON medical_referrals (medical_org_id, status);

-- A home medical visit (上门医疗): requested (by the elder, family, call centre, staff, a
-- referral) or planned for a 家庭病床 episode, scheduled by the team to a member on a day,
-- recorded on the doctor's phone (check-in by GPS or the elder's QR, findings, advice, vitals).
CREATE TABLE medical_visits (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id            uuid NOT NULL REFERENCES elders (id),
  region_code         text NOT NULL,
  team_id             uuid NOT NULL REFERENCES doctor_teams (id),
  source              text NOT NULL CHECK (source IN ('elder', 'family', 'call_centre', 'staff', 'referral', 'episode', 'team')),
  referral_id         uuid REFERENCES medical_referrals (id),
  episode_id          uuid REFERENCES home_bed_episodes (id),
  reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  status              text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'scheduled', 'done', 'cancelled')),
  scheduled_on        date,
  member_id           uuid REFERENCES doctor_team_members (id),
  check_in_method     text CHECK (check_in_method IS NULL OR check_in_method IN ('gps', 'qr')),
  check_in_lat        double precision,
  check_in_lng        double precision,
  check_in_distance_m integer,
  findings            text CHECK (length(findings) <= 2000),
  advice              text CHECK (length(advice) <= 2000),
  vitals              jsonb,
  visited_by          uuid REFERENCES users (id),
  visited_at          timestamptz,
  client_key          text,
  requested_by        uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  is_demo             boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX medical_visits_client_key_idx ON medical_visits (visited_by, client_key) WHERE client_key IS NOT NULL;
CREATE INDEX medical_visits_team_idx ON medical_visits (team_id, status, scheduled_on);
CREATE INDEX medical_visits_region_idx ON medical_visits (region_code text_pattern_ops, status);
CREATE INDEX medical_visits_elder_idx ON medical_visits (elder_id, created_at DESC);
CREATE INDEX medical_visits_episode_idx ON medical_visits (episode_id) WHERE episode_id IS NOT NULL;

-- Billing lines of a 家庭病床 for medical insurance (医保): recorded here for the claim, never
-- processed by the platform (status stays 'recorded').
CREATE TABLE home_bed_billing_lines (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  episode_id   uuid NOT NULL REFERENCES home_bed_episodes (id),
  visit_id     uuid REFERENCES medical_visits (id),
  item_code    text NOT NULL CHECK (item_code ~ '^[A-Za-z0-9._-]{1,40}$'),
  item_name    text NOT NULL CHECK (length(item_name) BETWEEN 1 AND 100),
  quantity     integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 1000),
  amount_fen   integer NOT NULL CHECK (amount_fen BETWEEN 0 AND 10000000),
  service_on   date NOT NULL,
  status       text NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded')),
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  is_demo      boolean NOT NULL DEFAULT false
);
CREATE INDEX home_bed_billing_lines_episode_idx ON home_bed_billing_lines (episode_id);
