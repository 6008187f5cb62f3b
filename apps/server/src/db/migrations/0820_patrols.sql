-- 智慧安防 patrols and the colour risk map of institutions (issue 19): patrol routes with ordered
-- checkpoints (a random tag code printed as QR, the same code on an NFC tag), shifts, the runs a
-- job makes per shift, the scans of a run, hazards with their rectification (整改) and re-check
-- (复查), and where each institution lies on the district map.
-- Migration range of patrols: 0820–0839.

CREATE TABLE patrol_routes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  -- [{ "name": "夜班", "start": "22:00", "windowMinutes": 60 }], China time.
  shifts      jsonb NOT NULL DEFAULT '[]',
  -- After the window, how long a scan is still taken (and counted late) before the run closes.
  grace_minutes integer NOT NULL DEFAULT 30 CHECK (grace_minutes BETWEEN 0 AND 240),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);

CREATE TABLE patrol_checkpoints (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  route_id   uuid NOT NULL REFERENCES patrol_routes (id),
  org_id     uuid NOT NULL,
  seq        integer NOT NULL,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  -- Building / floor or a named area (厨房, 配电室); the risk map colours each area.
  area       text NOT NULL CHECK (length(area) BETWEEN 1 AND 40),
  kind       text NOT NULL CHECK (kind IN ('fire_exit', 'gas', 'electrical', 'high_risk_room', 'other')),
  -- The tag's code: printed as QR and written on an NFC tag; unguessable, unique everywhere.
  code       text NOT NULL UNIQUE,
  active     boolean NOT NULL DEFAULT true,
  UNIQUE (route_id, seq)
);
CREATE INDEX patrol_checkpoints_org_idx ON patrol_checkpoints (org_id);

-- One run of a route in one shift: open from starts_at, on time until due_at, taken (late) until
-- closes_at; then the close job marks what was not scanned as missed.
CREATE TABLE patrol_runs (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  route_id   uuid NOT NULL REFERENCES patrol_routes (id),
  org_id     uuid NOT NULL,
  shift      text NOT NULL,
  starts_at  timestamptz NOT NULL,
  due_at     timestamptz NOT NULL,
  closes_at  timestamptz NOT NULL,
  status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'complete', 'late', 'missed')),
  checkpoints integer NOT NULL,
  missed     integer NOT NULL DEFAULT 0,
  late       integer NOT NULL DEFAULT 0,
  closed_at  timestamptz,
  alarm_id   uuid,
  is_demo    boolean NOT NULL DEFAULT false,
  UNIQUE (route_id, starts_at),
  CHECK (starts_at < due_at AND due_at <= closes_at)
);
CREATE INDEX patrol_runs_org_idx ON patrol_runs (org_id, starts_at DESC);
CREATE INDEX patrol_runs_open_idx ON patrol_runs (closes_at) WHERE status = 'open';

-- A checkpoint's outcome in a run: scanned (pass / hazard), or `missed`, written by the close job
-- for each checkpoint nobody scanned (so the risk map counts misses per area with one join).
CREATE TABLE patrol_scans (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id        uuid NOT NULL REFERENCES patrol_runs (id),
  checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints (id),
  org_id        uuid NOT NULL,
  result        text NOT NULL CHECK (result IN ('pass', 'hazard', 'missed')),
  method        text CHECK (method IN ('qr', 'nfc', 'typed')),
  note          text CHECK (length(note) <= 500),
  late          boolean NOT NULL DEFAULT false,
  scanned_at    timestamptz NOT NULL DEFAULT now(),
  scanned_by    uuid,
  UNIQUE (run_id, checkpoint_id),
  CHECK ((result = 'missed') = (method IS NULL))
);
CREATE INDEX patrol_scans_org_idx ON patrol_scans (org_id, scanned_at) WHERE result = 'missed';

-- A hazard found on a patrol and its rectification task: open → rectified (整改, photo) → closed
-- by a passing re-check (复查); a failing re-check reopens it.
CREATE TABLE patrol_hazards (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id          uuid NOT NULL,
  run_id          uuid REFERENCES patrol_runs (id),
  checkpoint_id   uuid NOT NULL REFERENCES patrol_checkpoints (id),
  area            text NOT NULL,
  description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectified', 'closed')),
  deadline_on     date NOT NULL,
  owner_id        uuid,
  rectify_note    text CHECK (length(rectify_note) <= 500),
  rectified_at    timestamptz,
  rectified_by    uuid,
  check_note      text CHECK (length(check_note) <= 500),
  checked_at      timestamptz,
  checked_by      uuid,
  reopened        integer NOT NULL DEFAULT 0,
  found_at        timestamptz NOT NULL DEFAULT now(),
  found_by        uuid,
  closed_at       timestamptz,
  is_demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX patrol_hazards_org_idx ON patrol_hazards (org_id, status);

-- Photos of a hazard as found (stage found) and as rectified (stage rectified).
CREATE TABLE patrol_photos (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hazard_id  uuid NOT NULL REFERENCES patrol_hazards (id),
  stage      text NOT NULL CHECK (stage IN ('found', 'rectified')),
  mime       text NOT NULL,
  data       text NOT NULL,
  bytes      integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_photos_hazard_idx ON patrol_photos (hazard_id);

-- Where an institution lies on the district risk map (WGS-84); without a row the map places it at
-- the centre of its community's outline.
CREATE TABLE institution_locations (
  org_id uuid PRIMARY KEY REFERENCES organizations (id),
  lat    double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng    double precision NOT NULL CHECK (lng BETWEEN -180 AND 180)
);
