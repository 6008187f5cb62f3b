-- The care-visits module (0700) has landed: a visit planned from the radar is a care visit, and
-- the radar task keeps which one (its state follows the visit).
ALTER TABLE risk_tasks ADD COLUMN care_visit_id uuid;
CREATE INDEX risk_tasks_care_visit_idx ON risk_tasks (care_visit_id) WHERE care_visit_id IS NOT NULL;
