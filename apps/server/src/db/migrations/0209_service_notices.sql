-- Service loop (issue 4): notices to console users about overdue complaint follow-ups and
-- expiring or expired provider licences and staff certificates. The notice itself is a row of
-- the notification outbox (channel 'console', created by 0301); this table addresses it to
-- one user and makes the daily run idempotent: one notice per key (reason, subject, date, user).

CREATE TABLE service_notices (
  dedupe_key      text PRIMARY KEY,
  user_id         uuid NOT NULL REFERENCES users (id),
  notification_id uuid NOT NULL,
  reason          text NOT NULL,
  subject_type    text NOT NULL,
  subject_id      uuid NOT NULL,
  provider_id     uuid,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_notices_user_idx ON service_notices (user_id, created_at DESC);
