-- A canteen may hand a delivery to a service provider (and, optionally, one of its workers): the
-- provider's worker sees it on the worker phone page and checks it off at the door.
ALTER TABLE meal_deliveries
  ADD COLUMN provider_id  uuid REFERENCES organizations (id),
  ADD COLUMN worker_id    uuid REFERENCES users (id),
  ADD COLUMN assigned_at  timestamptz;
CREATE INDEX meal_deliveries_provider_day_idx ON meal_deliveries (provider_id, day) WHERE provider_id IS NOT NULL;
