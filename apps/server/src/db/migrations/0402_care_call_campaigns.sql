-- Outbound care calls 主动关爱 (issue 14): campaigns (a typed target rule on the archive, a
-- frequency, a script, working hours and retry rules), the day's call tasks built from them, each
-- attempt and the script answers recorded as fields, and the visit tasks for the community worker
-- when an elder could not be reached for days. Part of the call-centre range (04xx).

-- Do not call (拒绝回访): the elder asked not to be called by the care-call campaigns. Set and
-- cleared through the campaigns module (audited); the archive itself belongs to the elders module.
ALTER TABLE elders ADD COLUMN care_call_opt_out boolean NOT NULL DEFAULT false;
ALTER TABLE elders ADD COLUMN care_call_opt_out_reason text;

CREATE TABLE care_call_campaigns (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                    text NOT NULL,
  region_code             text NOT NULL REFERENCES regions (code),
  -- The target rule: { livingSituations?, minAge?, birthdayThisWeek?, noHeartbeatHours? }, all ANDed
  -- (a typed rule checked by the contract, never SQL).
  target                  jsonb NOT NULL,
  frequency               text NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'once')),
  -- The questions: [{ key, text, kind: choice | text | scale, options? }].
  script                  jsonb NOT NULL,
  -- Working hours in China time, minutes after midnight (09:00 = 540).
  work_start_minute       integer NOT NULL CHECK (work_start_minute BETWEEN 0 AND 1439),
  work_end_minute         integer NOT NULL CHECK (work_end_minute BETWEEN 1 AND 1440),
  retry_after_minutes     integer NOT NULL DEFAULT 120 CHECK (retry_after_minutes BETWEEN 5 AND 1440),
  max_attempts_per_day    integer NOT NULL DEFAULT 3 CHECK (max_attempts_per_day BETWEEN 1 AND 10),
  visit_after_days        integer NOT NULL DEFAULT 3 CHECK (visit_after_days BETWEEN 1 AND 14),
  active                  boolean NOT NULL DEFAULT true,
  created_by              uuid,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (work_end_minute > work_start_minute)
);
CREATE INDEX care_call_campaigns_region_idx ON care_call_campaigns (region_code) WHERE active;

-- One elder's care call, built by the daily job: all the campaigns due for the elder that day
-- merged into one task (never two calls the same day), assigned to one agent. It stays open
-- across days until answered, refused, a wrong number, or unreached (then a visit task); it is
-- cancelled when the elder may no longer be called (do-not-call, in hospital, deceased, moved away).
CREATE TABLE care_call_tasks (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id                uuid NOT NULL REFERENCES elders (id),
  region_code             text NOT NULL,
  -- The China date whose list built the task; one task per elder and day (the job is idempotent).
  list_date               date NOT NULL,
  campaign_ids            uuid[] NOT NULL,
  agent_user_id           uuid REFERENCES users (id),
  status                  text NOT NULL DEFAULT 'open'
                            CHECK (status IN ('open', 'answered', 'refused', 'wrong_number', 'unreached', 'cancelled')),
  -- The merged rules of its campaigns: the narrowest hours, the longest wait, the smallest caps.
  work_start_minute       integer NOT NULL,
  work_end_minute         integer NOT NULL,
  retry_after_minutes     integer NOT NULL,
  max_attempts_per_day    integer NOT NULL,
  visit_after_days        integer NOT NULL,
  attempts                integer NOT NULL DEFAULT 0,
  -- Not to be dialled again before this instant (null: at once).
  next_attempt_at         timestamptz,
  last_result             text,
  closed_at               timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (elder_id, list_date)
);
CREATE INDEX care_call_tasks_agent_idx ON care_call_tasks (agent_user_id, status, next_attempt_at);
CREATE INDEX care_call_tasks_region_idx ON care_call_tasks (region_code, list_date);
CREATE INDEX care_call_tasks_open_idx ON care_call_tasks (elder_id) WHERE status = 'open';
CREATE INDEX care_call_tasks_campaigns_idx ON care_call_tasks USING gin (campaign_ids);

-- Every dial of a task and its result; an attempt id (the client's) counts once.
CREATE TABLE care_call_attempts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id        uuid NOT NULL REFERENCES care_call_tasks (id),
  attempt_key    text NOT NULL,
  result         text NOT NULL CHECK (result IN ('answered', 'no_answer', 'busy', 'wrong_number', 'refused')),
  -- The call record the call module made for this dial, when there is one (not a foreign key on purpose).
  call_id        uuid,
  agent_user_id  uuid,
  -- The China date of the attempt: the daily cap and the days without an answer count by it.
  attempt_date   date NOT NULL,
  at             timestamptz NOT NULL,
  note           text,
  UNIQUE (task_id, attempt_key)
);
CREATE INDEX care_call_attempts_task_idx ON care_call_attempts (task_id, at);

-- The script's answers as fields: one row per question answered.
CREATE TABLE care_call_answers (
  attempt_id     uuid NOT NULL REFERENCES care_call_attempts (id),
  task_id        uuid NOT NULL REFERENCES care_call_tasks (id),
  question_key   text NOT NULL,
  choice         text,
  scale          smallint CHECK (scale BETWEEN 1 AND 5),
  text_value     text,
  PRIMARY KEY (attempt_id, question_key)
);
CREATE INDEX care_call_answers_task_idx ON care_call_answers (task_id);

-- A home visit (上门探访) for the community worker: the elder could not be reached by phone.
CREATE TABLE care_visit_tasks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id      uuid NOT NULL REFERENCES elders (id),
  region_code   text NOT NULL,
  -- Why: 'unreached' (no answer for days); detail: { days, attempts, campaignIds }.
  reason        text NOT NULL CHECK (reason IN ('unreached')),
  detail        jsonb NOT NULL DEFAULT '{}',
  -- The care-call task that ended unreached: exactly one visit task per task.
  task_id       uuid UNIQUE REFERENCES care_call_tasks (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  done_at       timestamptz,
  done_by       uuid,
  done_note     text
);
CREATE INDEX care_visit_tasks_region_idx ON care_visit_tasks (region_code, created_at DESC);
