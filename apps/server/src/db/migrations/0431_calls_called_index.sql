-- calls called index
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- The call log's search by a full number looks at both ends of a call by blind index: the caller
-- (indexed since 0400) and the called number (an outbound call's other party).
CREATE INDEX calls_called_idx ON calls (called_hash);
