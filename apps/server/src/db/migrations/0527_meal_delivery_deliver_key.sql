-- The check-off's Idempotency-Key: the worker's phone queues a check-off made without network and
-- sends it again until the server answers; the same key answers the first check-off again.
ALTER TABLE meal_deliveries ADD COLUMN deliver_key text;
