-- Service loop (issue 4): capacity per time slot. Dispatch offers an order to a provider only
-- if the slot of its booked start (slot_minutes long, counted from midnight China time) holds
-- fewer than slot_capacity of its orders; unset, only the daily capacity limits it.

ALTER TABLE provider_profiles
  ADD COLUMN slot_minutes integer NOT NULL DEFAULT 60 CHECK (slot_minutes IN (30, 60, 120, 180, 240)),
  ADD COLUMN slot_capacity integer CHECK (slot_capacity IS NULL OR slot_capacity BETWEEN 1 AND 10000);
