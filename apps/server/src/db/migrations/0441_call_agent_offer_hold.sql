-- call agent offer hold
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- A routing answer holds the agent it names for a few seconds (until the telephony reports the
-- ring, or the hold runs out), so that calls asked about at the same moment go to different
-- agents. offered_to is the blind index of the caller the agent is held for: that caller's
-- repeated question names the same agent again.
ALTER TABLE call_agents ADD COLUMN offered_until timestamptz;
ALTER TABLE call_agents ADD COLUMN offered_to text;
