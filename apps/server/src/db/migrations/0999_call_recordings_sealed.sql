-- call recordings sealed
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- A call's recording is the voices of an elder and a staff member: personal data, kept encrypted
-- at rest like the pictures and documents (0992). The recorder (rtpengine) writes the file in
-- clear; once the telephony reports it finished (call.recording_ready) the job
-- `calls.recording-seal` replaces the file by its sealed form (same name, FieldCipher.sealFile)
-- and stamps the part here. The sweep `calls.recording-seal-sweep` finds every part not stamped
-- yet, so recordings made before this migration are sealed too.
ALTER TABLE call_recordings ADD COLUMN sealed_at timestamptz;
CREATE INDEX call_recordings_unsealed_idx ON call_recordings (id) WHERE sealed_at IS NULL;
