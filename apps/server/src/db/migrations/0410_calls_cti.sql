-- Call centre, CTI side (issue 14). Device ids are text (devices.id), not uuid: the terminal a
-- call came from could not be stored. And the screen pop looks a caller up by a terminal's SIM.
ALTER TABLE calls ALTER COLUMN device_id TYPE text;
CREATE INDEX devices_sim_idx ON devices (sim) WHERE sim IS NOT NULL;
