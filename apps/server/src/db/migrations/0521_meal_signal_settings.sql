-- The missed-meal signal's rule as data (one row): an elder with at least `min_meals` meals in
-- the last `window_days` days who has not come for `absent_days` days raises a signal.
CREATE TABLE meal_signal_settings (
  id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  min_meals   integer NOT NULL DEFAULT 3 CHECK (min_meals BETWEEN 1 AND 60),
  window_days integer NOT NULL DEFAULT 14 CHECK (window_days BETWEEN 2 AND 60),
  absent_days integer NOT NULL DEFAULT 3 CHECK (absent_days BETWEEN 1 AND 30),
  updated_by  uuid,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO meal_signal_settings (id) VALUES (1);
-- One signal per absence: the job raises it once for an elder's last meal day.
CREATE INDEX meal_signals_elder_last_idx ON meal_signals (elder_id, last_meal_day);
