-- Meal assistance (助餐, issue 16): canteen profiles, dishes and menus, meals with the subsidy
-- paid per meal from the elder's wallet lots, the meal subsidy rules that ride on policies,
-- and the missed-meal signals. Numbers 0520–0599 belong to this module.

-- The profile of a canteen organisation (organizations.type = 'canteen').
CREATE TABLE canteens (
  org_id               uuid PRIMARY KEY REFERENCES organizations (id),
  address              text,
  communities          text[] NOT NULL DEFAULT '{}',
  open_days            jsonb NOT NULL DEFAULT '[1,2,3,4,5,6,7]',
  opens_at             text,
  closes_at            text,
  meal_periods         jsonb NOT NULL DEFAULT '[]',
  capacity             integer CHECK (capacity >= 0),
  delivery_communities text[] NOT NULL DEFAULT '{}',
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX canteens_communities_idx ON canteens USING gin (communities);

CREATE TABLE canteen_dishes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  canteen_id  uuid NOT NULL REFERENCES organizations (id),
  name        text NOT NULL,
  category    text NOT NULL,
  price_fen   integer NOT NULL CHECK (price_fen >= 0),
  health_tags text[] NOT NULL DEFAULT '{}',
  allergens   text[] NOT NULL DEFAULT '{}',
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (canteen_id, name)
);

-- A menu: the dishes a canteen offers on a day for a meal period, at the menu's price.
CREATE TABLE canteen_menu_items (
  canteen_id uuid NOT NULL REFERENCES organizations (id),
  day        date NOT NULL,
  period     text NOT NULL CHECK (period IN ('breakfast', 'lunch', 'dinner')),
  dish_id    uuid NOT NULL REFERENCES canteen_dishes (id),
  price_fen  integer NOT NULL CHECK (price_fen >= 0),
  position   smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (canteen_id, day, period, dish_id)
);

-- A policy (kind purchase_credit, period month) that pays meals: its monthly amount is the
-- monthly cap, granted as a lot; this row says how much one meal of each period draws from it.
CREATE TABLE meal_subsidy_rules (
  policy_id     uuid PRIMARY KEY REFERENCES policies (id),
  per_meal_fen  jsonb NOT NULL,
  daily_cap_fen integer CHECK (daily_cap_fen > 0),
  daily_meals   integer CHECK (daily_meals > 0),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Daily ticket numbers per canteen (取餐号).
CREATE TABLE canteen_ticket_counters (
  canteen_id uuid NOT NULL REFERENCES organizations (id),
  day        date NOT NULL,
  last       integer NOT NULL,
  PRIMARY KEY (canteen_id, day)
);

CREATE TABLE meals (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_no       text NOT NULL,
  canteen_id      uuid NOT NULL REFERENCES organizations (id),
  elder_id        uuid NOT NULL REFERENCES elders (id),
  -- The elder's community when served: the meal's region for scope.
  region_code     text NOT NULL,
  day             date NOT NULL,
  period          text NOT NULL CHECK (period IN ('breakfast', 'lunch', 'dinner')),
  eaten_at        timestamptz NOT NULL,
  items           jsonb NOT NULL,
  total_fen       integer NOT NULL CHECK (total_fen >= 0),
  subsidy_fen     integer NOT NULL CHECK (subsidy_fen >= 0),
  self_pay_fen    integer NOT NULL CHECK (self_pay_fen >= 0),
  pay_method      text NOT NULL CHECK (pay_method IN ('none', 'cash', 'mobile')),
  status          text NOT NULL DEFAULT 'served' CHECK (status IN ('served', 'refunded')),
  -- The kiosk's key: a retried or replayed meal finds its first record here.
  idempotency_key text NOT NULL,
  request_hash    text NOT NULL,
  served_by       uuid,
  refunded_at     timestamptz,
  refunded_by     uuid,
  refund_reason   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (canteen_id, idempotency_key)
);
CREATE INDEX meals_canteen_day_idx ON meals (canteen_id, day);
CREATE INDEX meals_elder_day_idx ON meals (elder_id, day);
CREATE INDEX meals_day_idx ON meals (day);

-- What each policy paid of a meal (the ledger's grant_draws hold the lot moves, by meal id).
CREATE TABLE meal_subsidies (
  meal_id    uuid NOT NULL REFERENCES meals (id),
  policy_id  uuid NOT NULL REFERENCES policies (id),
  elder_id   uuid NOT NULL,
  day        date NOT NULL,
  amount_fen integer NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (meal_id, policy_id)
);
CREATE INDEX meal_subsidies_elder_day_idx ON meal_subsidies (elder_id, day);

CREATE TABLE meal_signals (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind             text NOT NULL DEFAULT 'missed_meals' CHECK (kind IN ('missed_meals')),
  elder_id         uuid NOT NULL REFERENCES elders (id),
  region_code      text NOT NULL,
  day              date NOT NULL,
  last_meal_day    date NOT NULL,
  days_absent      integer NOT NULL,
  meals_in_window  integer NOT NULL,
  canteen_id       uuid REFERENCES organizations (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (elder_id, kind, day)
);
CREATE INDEX meal_signals_region_idx ON meal_signals (region_code, day DESC);
