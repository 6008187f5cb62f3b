-- A family member marks a notice read on the family page (the outbox row is addressed to one contact).
ALTER TABLE notifications ADD COLUMN read_at timestamptz;
CREATE INDEX notifications_elder_created_idx ON notifications (elder_id, created_at DESC);
