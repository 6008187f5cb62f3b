-- Special groups and 关爱巡访 care visits (issue 18, first part). Migrations 0700–0719 belong to
-- this module.

-- Group membership (特殊群体): computed from the archive (source 'computed', recomputed by the
-- daily job) or set by staff (source 'staff', kept until staff remove it). One row per elder,
-- group and source.
CREATE TABLE care_group_members (
  elder_id     uuid NOT NULL REFERENCES elders(id),
  group_code   text NOT NULL CHECK (group_code ~ '^[a-z0-9_]{2,30}$'),
  source       text NOT NULL CHECK (source IN ('computed', 'staff')),
  region_code  text NOT NULL,
  note         text,
  set_by       uuid,
  since        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (elder_id, group_code, source)
);
CREATE INDEX care_group_members_region_idx ON care_group_members (region_code text_pattern_ops, group_code);

-- The household record (一户一册): who lives together, the carer, housing and the key holder.
-- Phone numbers are encrypted (FieldCipher) and shown masked.
CREATE TABLE care_households (
  elder_id             uuid PRIMARY KEY REFERENCES elders(id),
  region_code          text NOT NULL,
  members              jsonb NOT NULL DEFAULT '[]',
  carer_name           text,
  carer_phone_enc      text,
  housing              text CHECK (housing IS NULL OR housing IN ('own', 'rented', 'public', 'relatives', 'other')),
  housing_condition    text CHECK (housing_condition IS NULL OR housing_condition IN ('good', 'fair', 'poor', 'unsafe')),
  housing_note         text,
  key_holder_name      text,
  key_holder_phone_enc text,
  updated_by           uuid,
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_households_region_idx ON care_households (region_code text_pattern_ops);

-- Visit rules as data, per district: an elder in ALL of `groups` is visited every
-- `interval_days`; the rule with the shortest interval an elder matches sets the plan.
CREATE TABLE care_visit_rules (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code    text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  groups         text[] NOT NULL CHECK (cardinality(groups) BETWEEN 1 AND 4),
  risk_level     text NOT NULL CHECK (risk_level IN ('high', 'medium', 'low')),
  interval_days  integer NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
  assignee_kind  text NOT NULL DEFAULT 'community' CHECK (assignee_kind IN ('community', 'grid', 'volunteer')),
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_visit_rules_region_idx ON care_visit_rules (region_code);

-- Per-district settings: days after the due date before an unvisited visit goes to the street,
-- and the default deadline of a follow-up.
CREATE TABLE care_visit_settings (
  region_code        text PRIMARY KEY CHECK (region_code ~ '^[0-9]{6}$'),
  escalate_after_days integer NOT NULL DEFAULT 3 CHECK (escalate_after_days BETWEEN 0 AND 60),
  follow_up_days     integer NOT NULL DEFAULT 7 CHECK (follow_up_days BETWEEN 1 AND 90),
  updated_by         uuid,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- An elder's visit plan: one per elder, from the matching rule; the assignee is a community
-- worker, a grid worker (responder) or later a volunteer. `active` false when no rule matches.
CREATE TABLE care_visit_plans (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id       uuid NOT NULL UNIQUE REFERENCES elders(id),
  region_code    text NOT NULL,
  rule_id        uuid REFERENCES care_visit_rules(id) ON DELETE SET NULL,
  risk_level     text NOT NULL CHECK (risk_level IN ('high', 'medium', 'low')),
  interval_days  integer NOT NULL CHECK (interval_days BETWEEN 1 AND 366),
  assignee_id    uuid REFERENCES users(id),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_visit_plans_region_idx ON care_visit_plans (region_code text_pattern_ops) WHERE active;
CREATE INDEX care_visit_plans_assignee_idx ON care_visit_plans (assignee_id) WHERE active;

-- A visit (巡访): scheduled by the generator (or by hand), recorded on the worker's phone. At most
-- one open (scheduled) visit per elder. `client_key` is the phone's Idempotency-Key of the record:
-- a replay of the same record is recorded once.
CREATE TABLE care_visits (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id           uuid REFERENCES care_visit_plans(id),
  elder_id          uuid NOT NULL REFERENCES elders(id),
  region_code       text NOT NULL,
  assignee_id       uuid REFERENCES users(id),
  due_on            date NOT NULL,
  status            text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'done', 'cancelled')),
  escalated_at      timestamptz,
  escalated_to      text,
  outcome           text CHECK (outcome IS NULL OR outcome IN ('met', 'not_home')),
  check_in_method   text CHECK (check_in_method IS NULL OR check_in_method IN ('gps', 'qr')),
  check_in_lat      double precision,
  check_in_lng      double precision,
  check_in_distance_m integer,
  form              jsonb,
  notes             text,
  visited_by        uuid REFERENCES users(id),
  visited_at        timestamptz,
  client_key        text,
  is_demo           boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX care_visits_open_idx ON care_visits (elder_id) WHERE status = 'scheduled';
CREATE UNIQUE INDEX care_visits_client_key_idx ON care_visits (visited_by, client_key) WHERE client_key IS NOT NULL;
CREATE INDEX care_visits_region_idx ON care_visits (region_code text_pattern_ops, due_on);
CREATE INDEX care_visits_assignee_idx ON care_visits (assignee_id, due_on);
CREATE INDEX care_visits_elder_idx ON care_visits (elder_id, visited_at DESC);

-- Photos of a visit (encrypted at rest like every personal file); the same picture sent twice is one.
CREATE TABLE care_visit_photos (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id    uuid NOT NULL REFERENCES care_visits(id),
  sha256      text NOT NULL,
  mime        text NOT NULL,
  data_enc    text NOT NULL,
  bytes       integer NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (visit_id, sha256)
);

-- What a visit found (发现的问题), one row per problem of the form.
CREATE TABLE care_visit_findings (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id     uuid NOT NULL REFERENCES care_visits(id),
  elder_id     uuid NOT NULL REFERENCES elders(id),
  region_code  text NOT NULL,
  type         text NOT NULL CHECK (type IN ('health', 'mood', 'gas', 'electricity', 'falls', 'food', 'hygiene',
                                              'medicines', 'need', 'not_home')),
  severity     text NOT NULL CHECK (severity IN ('concern', 'urgent')),
  detail       text,
  found_at     timestamptz NOT NULL,
  is_demo      boolean NOT NULL DEFAULT false
);
CREATE INDEX care_visit_findings_visit_idx ON care_visit_findings (visit_id);
CREATE INDEX care_visit_findings_region_idx ON care_visit_findings (region_code text_pattern_ops, found_at);
CREATE INDEX care_visit_findings_elder_idx ON care_visit_findings (elder_id, found_at DESC);

-- A follow-up (跟进事项) of a finding, tracked to closure with a deadline: a service order, an
-- alarm, an 适老化改造 request, a referral to the family doctor or a task for the street.
CREATE TABLE care_follow_ups (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  finding_id    uuid NOT NULL REFERENCES care_visit_findings(id),
  elder_id      uuid NOT NULL REFERENCES elders(id),
  region_code   text NOT NULL,
  type          text NOT NULL CHECK (type IN ('service_order', 'alarm', 'home_adaptation', 'doctor_referral', 'street_task')),
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  deadline      date NOT NULL,
  detail        text NOT NULL,
  order_id      uuid,
  alarm_id      uuid,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  closed_by     uuid,
  closing_note  text,
  is_demo       boolean NOT NULL DEFAULT false
);
CREATE INDEX care_follow_ups_region_idx ON care_follow_ups (region_code text_pattern_ops, status, deadline);
CREATE INDEX care_follow_ups_finding_idx ON care_follow_ups (finding_id);
