-- Monthly canteen settlement (食堂月结): the subsidised meals of a canteen's month, drawn up by the
-- bureau, confirmed by the canteen, approved by the bureau; approval pays the canteen's account
-- out through the ledger and closes the month, as a provider statement does.
CREATE TABLE canteen_settlements (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  canteen_id     uuid NOT NULL REFERENCES organizations (id),
  period         text NOT NULL,
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'approved')),
  meal_count     integer NOT NULL DEFAULT 0,
  subsidy_fen    bigint NOT NULL DEFAULT 0,
  self_pay_fen   bigint NOT NULL DEFAULT 0,
  refunded_count integer NOT NULL DEFAULT 0,
  policy_parts   jsonb NOT NULL DEFAULT '[]',
  confirmed_by   uuid,
  confirmed_at   timestamptz,
  approved_by    uuid,
  approved_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (canteen_id, period)
);
ALTER TABLE meals ADD COLUMN settlement_id uuid REFERENCES canteen_settlements (id);
CREATE INDEX meals_settlement_idx ON meals (settlement_id) WHERE settlement_id IS NOT NULL;
