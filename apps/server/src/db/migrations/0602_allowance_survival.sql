-- Remote survival verification 生存认证 by face with an active liveness challenge (issue 17).

-- A challenge: two random actions in a random order, a nonce, a short expiry; answered once.
CREATE TABLE allowance_survival_challenges (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id  uuid NOT NULL REFERENCES allowance_applications(id),
  elder_id        uuid NOT NULL REFERENCES elders(id),
  channel         text NOT NULL CHECK (channel IN ('face_remote', 'kiosk')),
  actions         text[] NOT NULL CHECK (cardinality(actions) = 2),
  nonce           text NOT NULL,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  created_by      uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_survival_challenges_app_idx ON allowance_survival_challenges (application_id, created_at);

-- Every answered challenge with its result and reason. Frames only when the deployment keeps
-- them (SURVIVAL_KEEP_FRAMES), encrypted like ID numbers.
CREATE TABLE allowance_survival_attempts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  challenge_id    uuid NOT NULL UNIQUE REFERENCES allowance_survival_challenges(id),
  application_id  uuid NOT NULL REFERENCES allowance_applications(id),
  elder_id        uuid NOT NULL REFERENCES elders(id),
  period          text NOT NULL CHECK (period ~ '^[0-9]{4}-([0-9]{2}|Q[1-4])$'),
  channel         text NOT NULL CHECK (channel IN ('face_remote', 'kiosk')),
  actions         text[] NOT NULL,
  result          text NOT NULL CHECK (result IN ('passed', 'failed')),
  reason          text,
  frame           integer,
  figures         jsonb NOT NULL DEFAULT '{}',
  frames_enc      text,
  ms              integer,
  actor_id        uuid,
  actor_name      text,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_survival_attempts_app_idx ON allowance_survival_attempts (application_id, period, at);

-- A staff visit after three failed attempts in a period: one per application and period.
CREATE TABLE allowance_visit_tasks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id  uuid NOT NULL REFERENCES allowance_applications(id),
  elder_id        uuid NOT NULL REFERENCES elders(id),
  region_code     text NOT NULL,
  period          text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  done_at         timestamptz,
  done_by         uuid,
  done_by_name    text,
  note            text,
  UNIQUE (application_id, period)
);
CREATE INDEX allowance_visit_tasks_region_idx ON allowance_visit_tasks (region_code text_pattern_ops, status);

-- A verification passed remotely says where it was done.
ALTER TABLE allowance_verifications ADD COLUMN channel text CHECK (channel IS NULL OR channel IN ('face_remote', 'kiosk'));
ALTER TABLE allowance_verifications ADD COLUMN attempt_id uuid REFERENCES allowance_survival_attempts(id);
