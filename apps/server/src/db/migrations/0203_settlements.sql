-- Service loop (issue 4): monthly settlement per provider.

CREATE TABLE settlements (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_id      uuid NOT NULL REFERENCES organizations (id),
  period           text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'approved')),
  points_rate_fen  integer NOT NULL CHECK (points_rate_fen >= 0),
  order_count      integer NOT NULL DEFAULT 0,
  points_total     integer NOT NULL DEFAULT 0,
  points_fen       bigint NOT NULL DEFAULT 0,
  purchase_fen     bigint NOT NULL DEFAULT 0,
  self_pay_fen     bigint NOT NULL DEFAULT 0,
  total_fen        bigint NOT NULL DEFAULT 0,
  held_count       integer NOT NULL DEFAULT 0,
  held_fen         bigint NOT NULL DEFAULT 0,
  confirmed_by     uuid,
  confirmed_at     timestamptz,
  approved_by      uuid,
  approved_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX settlements_provider_period_idx ON settlements (provider_id, period);

CREATE TABLE settlement_lines (
  settlement_id uuid NOT NULL REFERENCES settlements (id),
  order_id      uuid NOT NULL REFERENCES service_orders (id),
  held          boolean NOT NULL,
  points        integer NOT NULL,
  amount_fen    bigint NOT NULL,
  payment       text NOT NULL,
  flags         text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (settlement_id, order_id)
);
