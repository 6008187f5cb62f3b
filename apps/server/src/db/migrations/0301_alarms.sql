-- Safety loop (issue 5): alarms and their lifecycle, responders, per-elder rule overrides.

CREATE TABLE alarms (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type              text NOT NULL,
  priority          text NOT NULL CHECK (priority IN ('P1', 'P2', 'P3')),
  raised_priority   text NOT NULL CHECK (raised_priority IN ('P1', 'P2', 'P3')),
  status            text NOT NULL DEFAULT 'raised'
                    CHECK (status IN ('raised', 'acknowledged', 'responding', 'on_site', 'resolved', 'reviewed')),
  -- Open alarms with the same merge key (device + type, or elder + type) merge into one with a count.
  merge_key         text NOT NULL,
  open              boolean NOT NULL DEFAULT true,
  elder_id          uuid REFERENCES elders (id),
  device_id         text,
  region_code       text NOT NULL,
  event_count       integer NOT NULL DEFAULT 1,
  last_event_at     timestamptz NOT NULL DEFAULT now(),
  data              jsonb NOT NULL DEFAULT '{}',
  cancelled_at      timestamptz,
  raised_at         timestamptz NOT NULL DEFAULT now(),
  acknowledged_at   timestamptz,
  acknowledged_by   uuid REFERENCES users (id),
  escalation_level  integer NOT NULL DEFAULT 0,
  escalated_at      timestamptz,
  resolved_at       timestamptz,
  resolved_by       uuid REFERENCES users (id),
  outcome           text,
  resolution_note   text,
  reviewed_at       timestamptz,
  reviewed_by       uuid REFERENCES users (id),
  review_note       text,
  is_demo           boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (open = (status NOT IN ('resolved', 'reviewed'))),
  CHECK (status NOT IN ('resolved', 'reviewed') OR outcome IS NOT NULL)
);
CREATE UNIQUE INDEX alarms_open_merge_idx ON alarms (merge_key) WHERE open;
CREATE INDEX alarms_open_idx ON alarms (priority, raised_at) WHERE open;
CREATE INDEX alarms_region_raised_idx ON alarms (region_code, raised_at DESC);
CREATE INDEX alarms_elder_idx ON alarms (elder_id, raised_at DESC);

-- What operators and responders did: calls in the elder's call order, dispatch, 120/119/110, notes.
CREATE TABLE alarm_actions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  alarm_id   uuid NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  actor_id   uuid REFERENCES users (id),
  actor_name text NOT NULL,
  kind       text NOT NULL,
  contact_id uuid,
  result     text,
  note       text
);
CREATE INDEX alarm_actions_alarm_idx ON alarm_actions (alarm_id, at);

-- Responders' shared position and duty state (from the worker mobile page).
CREATE TABLE responder_status (
  user_id    uuid PRIMARY KEY REFERENCES users (id),
  on_duty    boolean NOT NULL DEFAULT false,
  lat        double precision CHECK (lat BETWEEN -90 AND 90),
  lng        double precision CHECK (lng BETWEEN -180 AND 180),
  accuracy   double precision,
  seen_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alarm_dispatches (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  alarm_id      uuid NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  responder_id  uuid NOT NULL REFERENCES users (id),
  status        text NOT NULL DEFAULT 'offered'
                CHECK (status IN ('offered', 'accepted', 'declined', 'en_route', 'on_site', 'done', 'withdrawn')),
  distance_m    integer,
  offered_by    uuid REFERENCES users (id),
  offered_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alarm_dispatches_alarm_idx ON alarm_dispatches (alarm_id);
CREATE INDEX alarm_dispatches_responder_idx ON alarm_dispatches (responder_id, status);

-- Per-elder overrides of the default rules (merged over the defaults, see alarms/rules.ts).
CREATE TABLE safety_rule_overrides (
  elder_id   uuid PRIMARY KEY REFERENCES elders (id) ON DELETE CASCADE,
  rules      jsonb NOT NULL DEFAULT '{}',
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Family notices: an outbox delivered by a provider (log, webhook …), every attempt recorded.
CREATE TABLE notifications (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  alarm_id         uuid REFERENCES alarms (id) ON DELETE SET NULL,
  elder_id         uuid REFERENCES elders (id),
  contact_id       uuid,
  region_code      text,
  reason           text NOT NULL,
  channel          text NOT NULL DEFAULT 'sms',
  recipient_enc    text NOT NULL,
  recipient_masked text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE UNIQUE INDEX notifications_once_idx ON notifications (alarm_id, contact_id, reason);
CREATE INDEX notifications_status_idx ON notifications (status, created_at);

CREATE TABLE notification_attempts (
  id              bigserial PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  at              timestamptz NOT NULL DEFAULT now(),
  provider        text NOT NULL,
  ok              boolean NOT NULL,
  error           text
);
CREATE INDEX notification_attempts_idx ON notification_attempts (notification_id, at);
