-- Issue 18: care visits done by volunteers. A volunteer's recorded care visit becomes a finished
-- volunteer task (source care_visit_record) whose minutes are confirmed like any task's and credited
-- to the time bank once; one such task per care visit at most.
ALTER TABLE volunteer_tasks DROP CONSTRAINT volunteer_tasks_source_check;
ALTER TABLE volunteer_tasks ADD CONSTRAINT volunteer_tasks_source_check
  CHECK (source IN ('staff', 'redemption', 'care_visit', 'care_visit_record'));
CREATE UNIQUE INDEX volunteer_tasks_care_visit_record_idx ON volunteer_tasks (care_visit_id)
  WHERE source = 'care_visit_record';
