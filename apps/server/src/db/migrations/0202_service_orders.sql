-- Service loop (issue 4): service orders (服务工单), their history, dispatch offers, visits, ratings and complaints.

CREATE SEQUENCE service_order_no_seq;

CREATE TABLE service_orders (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  no               text NOT NULL,
  elder_id         uuid NOT NULL REFERENCES elders (id),
  region_code      text NOT NULL REFERENCES regions (code),
  item_id          uuid NOT NULL REFERENCES service_items (id),
  provider_id      uuid REFERENCES organizations (id),
  worker_id        uuid REFERENCES users (id),
  channel          text NOT NULL CHECK (channel IN ('console', 'elder', 'family', 'api')),
  status           text NOT NULL CHECK (status IN ('created', 'dispatched', 'accepted', 'assigned', 'en_route', 'in_service', 'served', 'confirmed', 'settled', 'cancelled', 'voided')),
  scheduled_at     timestamptz NOT NULL,
  duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
  quantity         integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 24),
  payment          text NOT NULL CHECK (payment IN ('points', 'purchase', 'self')),
  points           integer NOT NULL DEFAULT 0 CHECK (points >= 0),
  amount_fen       integer NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  note             text,
  dispatch_mode    text CHECK (dispatch_mode IN ('auto', 'manual')),
  dispatch_score   jsonb,
  flags            text[] NOT NULL DEFAULT '{}',
  review_status    text NOT NULL DEFAULT 'none' CHECK (review_status IN ('none', 'pending', 'cleared', 'rejected')),
  settlement_id    uuid,
  created_by       uuid,
  cancel_reason    text,
  is_demo          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  served_at        timestamptz,
  confirmed_at     timestamptz
);
CREATE UNIQUE INDEX service_orders_no_idx ON service_orders (no);
CREATE INDEX service_orders_elder_idx ON service_orders (elder_id, created_at);
CREATE INDEX service_orders_region_idx ON service_orders (region_code, created_at);
CREATE INDEX service_orders_provider_idx ON service_orders (provider_id, status, scheduled_at);
CREATE INDEX service_orders_worker_idx ON service_orders (worker_id, scheduled_at);
CREATE INDEX service_orders_status_idx ON service_orders (status, updated_at);

CREATE TABLE service_order_history (
  id          bigserial PRIMARY KEY,
  order_id    uuid NOT NULL REFERENCES service_orders (id),
  from_status text,
  to_status   text NOT NULL,
  action      text NOT NULL,
  actor_id    uuid,
  actor_name  text,
  reason      text,
  detail      jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_order_history_order_idx ON service_order_history (order_id, id);

-- Each provider an order was offered to, with the score that ranked it.
CREATE TABLE dispatch_offers (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id     uuid NOT NULL REFERENCES service_orders (id),
  provider_id  uuid NOT NULL REFERENCES organizations (id),
  mode         text NOT NULL CHECK (mode IN ('auto', 'manual')),
  score        double precision,
  explain      jsonb,
  status       text NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'accepted', 'rejected', 'timed_out', 'withdrawn')),
  reason       text,
  offered_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  responded_at timestamptz
);
CREATE INDEX dispatch_offers_order_idx ON dispatch_offers (order_id);
CREATE INDEX dispatch_offers_open_idx ON dispatch_offers (status, expires_at);

-- The six facts of a verified visit: service, elder, date, place, worker, start and end.
CREATE TABLE service_visits (
  order_id           uuid PRIMARY KEY REFERENCES service_orders (id),
  worker_id          uuid NOT NULL REFERENCES users (id),
  check_in_at        timestamptz NOT NULL,
  check_in_method    text NOT NULL CHECK (check_in_method IN ('gps', 'qr')),
  check_in_lat       double precision,
  check_in_lng       double precision,
  check_in_distance_m integer,
  check_out_at       timestamptz,
  check_out_method   text CHECK (check_out_method IN ('gps', 'qr')),
  check_out_lat      double precision,
  check_out_lng      double precision,
  check_out_distance_m integer,
  record             text,
  photos             text[] NOT NULL DEFAULT '{}',
  flags              text[] NOT NULL DEFAULT '{}',
  locked_at          timestamptz,
  reviewed_by        uuid,
  reviewed_at        timestamptz,
  review_note        text,
  received_at        timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_visits_worker_idx ON service_visits (worker_id, check_in_at);

CREATE TABLE service_ratings (
  order_id   uuid PRIMARY KEY REFERENCES service_orders (id),
  score      integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment    text,
  rated_by   uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A low rating opens a complaint the call centre must follow up (回访) by its deadline.
CREATE TABLE service_complaints (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id      uuid NOT NULL REFERENCES service_orders (id),
  elder_id      uuid NOT NULL REFERENCES elders (id),
  region_code   text NOT NULL,
  provider_id   uuid REFERENCES organizations (id),
  reason        text,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  due_at        timestamptz NOT NULL,
  follow_up     text,
  followed_by   uuid,
  closed_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_complaints_order_idx ON service_complaints (order_id);
CREATE INDEX service_complaints_open_idx ON service_complaints (status, due_at);
