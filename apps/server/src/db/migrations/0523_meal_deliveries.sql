-- Meal delivery (送餐入户): a meal booked for an elder who cannot come (by the call centre, the
-- family, the elder or staff), checked off at the door by the canteen with time and position;
-- the check-off settles it as a meal (the subsidy as at the counter).
CREATE TABLE meal_deliveries (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  canteen_id    uuid NOT NULL REFERENCES organizations (id),
  elder_id      uuid NOT NULL REFERENCES elders (id),
  region_code   text NOT NULL,
  day           date NOT NULL,
  period        text NOT NULL CHECK (period IN ('breakfast', 'lunch', 'dinner')),
  items         jsonb NOT NULL,
  note          text,
  status        text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'delivered', 'cancelled')),
  booked_by     uuid,
  booked_role   text,
  delivered_at  timestamptz,
  delivered_by  uuid,
  lat           double precision,
  lng           double precision,
  distance_m    integer,
  meal_id       uuid REFERENCES meals (id),
  cancel_reason text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- One live delivery per elder and meal.
CREATE UNIQUE INDEX meal_deliveries_live_idx ON meal_deliveries (elder_id, day, period) WHERE status <> 'cancelled';
CREATE INDEX meal_deliveries_canteen_day_idx ON meal_deliveries (canteen_id, day);
