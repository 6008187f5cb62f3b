-- Issue 12: a check-in far from the booked start (more than the service settings'
-- checkInReasonMinutes) needs the worker's reason; it is kept on the visit for the reviewer.

ALTER TABLE service_visits ADD COLUMN check_in_reason text;
