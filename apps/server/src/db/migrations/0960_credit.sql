-- Credit 信用 (issue 21, 综合监管): a credit file per provider, canteen and institution, a score
-- computed from it by rules kept as data, the dishonesty list 失信名单 with appeals. Range 0960–0979.
-- Derived events (ratings, complaints, EVV anomalies, settlement holds, expired licences,
-- institution incidents) are read from their own modules' tables when the file is shown or
-- scored; only the events district staff record by hand are stored here.

-- Events recorded by district staff: licences, credit commitments 信用承诺, commendations,
-- penalties, rectifications. Each is dated and sourced (who recorded it, the document number).
CREATE TABLE credit_events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id       uuid NOT NULL REFERENCES organizations (id),
  kind         text NOT NULL,
  occurred_on  date NOT NULL,
  title        text NOT NULL,
  document_no  text,
  note         text,
  created_by   uuid,
  is_demo      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_events_org_idx ON credit_events (org_id, occurred_on DESC);

-- The scoring rules as data (base, weights per event kind, half-life, level thresholds, listing
-- rule), one row; no row means the defaults in credit.rules.ts. Holds only the keys set.
CREATE TABLE credit_rules (
  id          text PRIMARY KEY CHECK (id = 'default'),
  rules       jsonb NOT NULL,
  updated_by  uuid,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The latest score of each organisation (written on every change of its file and nightly).
-- `blocked`: listed or at level D — no new dispatch, purchase agreement or subsidy statement.
-- `d_since`: the day the organisation fell to D (the listing rule counts from it).
CREATE TABLE credit_standings (
  org_id           uuid PRIMARY KEY REFERENCES organizations (id),
  score            integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  level            text NOT NULL CHECK (level IN ('A', 'B', 'C', 'D')),
  listed           boolean NOT NULL DEFAULT false,
  blocked          boolean NOT NULL DEFAULT false,
  d_since          date,
  complaint_count  integer NOT NULL DEFAULT 0,
  computed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_standings_blocked_idx ON credit_standings (org_id) WHERE blocked;

-- The dishonesty list 失信名单: a listing by rule (D for N days, a listing event kind) or by a
-- decision with its reason; at most one listing in force per organisation. The organisation may
-- appeal (申诉) once per listing; the bureau decides (upheld: the listing ends).
CREATE TABLE credit_listings (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id              uuid NOT NULL REFERENCES organizations (id),
  basis               text NOT NULL CHECK (basis IN ('rule', 'decision')),
  reason              text NOT NULL,
  listed_on           date NOT NULL,
  listed_by           uuid,
  status              text NOT NULL DEFAULT 'listed' CHECK (status IN ('listed', 'removed')),
  removed_on          date,
  removed_by          uuid,
  removal_reason      text,
  appeal_status       text NOT NULL DEFAULT 'none' CHECK (appeal_status IN ('none', 'pending', 'upheld', 'rejected')),
  appeal_text         text,
  appealed_on         date,
  appealed_by         uuid,
  appeal_decision     text,
  appeal_decided_on   date,
  appeal_decided_by   uuid,
  is_demo             boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX credit_listings_in_force_idx ON credit_listings (org_id) WHERE status = 'listed';
CREATE INDEX credit_listings_org_idx ON credit_listings (org_id, listed_on DESC);
