-- Safety loop (issue 5): device registry and raw device events.
-- Device secrets are never stored: the secret is derived as HMAC(device-secret subkey, id:nonce)
-- and only the random nonce (secret_nonce) is kept; rotating the secret replaces the nonce.

CREATE TABLE devices (
  id                text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{3,64}$'),
  type              text NOT NULL CHECK (type IN ('sos_terminal', 'pendant', 'watch', 'smoke', 'gas', 'door', 'presence',
                                                  'bed', 'fall_radar', 'water_leak', 'other')),
  vendor            text,
  model             text,
  sim               text,
  imei              text,
  elder_id          uuid REFERENCES elders (id),
  region_code       text NOT NULL REFERENCES regions (code),
  location_note     text,
  heartbeat_seconds integer NOT NULL CHECK (heartbeat_seconds BETWEEN 10 AND 604800),
  installed_on      date,
  installer         text,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'retired')),
  secret_nonce      text NOT NULL,
  secret_rotated_at timestamptz NOT NULL DEFAULT now(),
  -- Device health, kept up to date by the intake and the health jobs.
  online            boolean NOT NULL DEFAULT false,
  last_seen_at      timestamptz,
  battery           integer,
  rssi              integer,
  worn              boolean,
  worn_changed_at   timestamptz,
  last_test_at      timestamptz,
  last_event_type   text,
  last_activity_at  timestamptz,
  is_demo           boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_elder_idx ON devices (elder_id);
CREATE INDEX devices_region_idx ON devices (region_code);
CREATE INDEX devices_seen_idx ON devices (last_seen_at) WHERE status = 'active';

-- Every event a device sent, stored once per (device_id, msg_id) before it is acknowledged.
-- flags: unbound, disabled, unknown_type, clock_skew.
CREATE TABLE device_events (
  id          bigserial PRIMARY KEY,
  device_id   text NOT NULL,
  msg_id      text NOT NULL,
  type        text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  device_ts   timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  elder_id    uuid,
  region_code text,
  flags       text[] NOT NULL DEFAULT '{}',
  transport   text NOT NULL CHECK (transport IN ('mqtt', 'http', 'internal')),
  alarm_id    uuid
);
CREATE UNIQUE INDEX device_events_msg_idx ON device_events (device_id, msg_id);
CREATE INDEX device_events_device_time_idx ON device_events (device_id, received_at DESC);
CREATE INDEX device_events_elder_time_idx ON device_events (elder_id, received_at DESC);
CREATE INDEX device_events_received_idx ON device_events (received_at);

-- Heartbeats older than the raw window are rolled up to one row per device and day.
CREATE TABLE device_heartbeat_days (
  device_id text NOT NULL,
  day       date NOT NULL,
  count     integer NOT NULL,
  PRIMARY KEY (device_id, day)
);
