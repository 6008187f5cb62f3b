-- An elder or a family member applies on the phone page (source 'self').
ALTER TABLE allowance_applications DROP CONSTRAINT allowance_applications_source_check;
ALTER TABLE allowance_applications ADD CONSTRAINT allowance_applications_source_check
  CHECK (source IN ('scan', 'staff', 'self'));
