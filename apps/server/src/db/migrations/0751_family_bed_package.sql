-- Family care beds (issue 18), second step: the package pays the bed's orders, a policy kind for
-- bed subsidies, and suspension periods taken out of a month's requirement.

-- An order of a bed elder's package item is paid by the bed's package (payment 'package'): it holds
-- no points and no credit and costs the elder nothing; the bed's monthly subsidy pays the visit. Only
-- package orders count as the package's visits, so no visit is funded twice.
-- (A later migration redefining this check must keep 'package'.)
ALTER TABLE service_orders DROP CONSTRAINT service_orders_payment_check;
ALTER TABLE service_orders ADD CONSTRAINT service_orders_payment_check
  CHECK (payment IN ('points', 'purchase', 'self', 'package'));

-- A policy of kind 'family_bed' (家庭照护床位补贴) pays beds only, through the monthly check: the
-- nightly grant never gives a wallet anything from it (no conditions trick needed).
-- (A later migration redefining this check must keep 'family_bed'.)
ALTER TABLE policies DROP CONSTRAINT policies_kind_check;
ALTER TABLE policies ADD CONSTRAINT policies_kind_check
  CHECK (kind IN ('points_grant', 'purchase_credit', 'family_bed'));

-- Suspension periods (a hospital stay, a stay with a child …): the days from `from_day` to `to_day`
-- (inclusive; open while the bed is suspended) are taken out of the month's requirement and
-- subsidy. Periods of one bed do not overlap (checked under the bed's row lock).
CREATE TABLE family_bed_suspensions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bed_id      uuid NOT NULL REFERENCES family_beds (id),
  from_day    date NOT NULL,
  to_day      date,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 2 AND 500),
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  is_demo     boolean NOT NULL DEFAULT false,
  CHECK (to_day IS NULL OR to_day >= from_day)
);
CREATE INDEX family_bed_suspensions_bed_idx ON family_bed_suspensions (bed_id, from_day);
-- At most one open period per bed.
CREATE UNIQUE INDEX family_bed_suspensions_open_idx ON family_bed_suspensions (bed_id) WHERE to_day IS NULL;

-- The month's check records the suspended days it took out.
ALTER TABLE family_bed_months ADD COLUMN suspended_days integer NOT NULL DEFAULT 0 CHECK (suspended_days >= 0);
