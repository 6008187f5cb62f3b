-- Issue 18: the elder served (or their family) confirms or disputes a volunteer's finished task
-- from their phone page. A confirmation credits the hours like a staff confirmation; a dispute
-- stays on the task for the community to decide.
ALTER TABLE volunteer_tasks
  ADD COLUMN served_verdict    text CHECK (served_verdict IN ('confirmed', 'disputed')),
  ADD COLUMN served_verdict_by uuid,
  ADD COLUMN served_verdict_at timestamptz,
  ADD COLUMN served_note       text;
CREATE INDEX volunteer_tasks_elder_idx ON volunteer_tasks (elder_id, status);
