-- call recording parts
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- A call may have several recordings: after 转接 the next agent's leg is a new SIP dialog that
-- rtpengine records in a file of its own. Each recording the telephony reports
-- (call.recording_ready) is one part of the call, in the order the parts started, with the agent
-- whose leg it is, when it started, how long it lasts and the file (a path relative to
-- RECORDINGS_DIR, or another recorder's URL). The same file reported again is the same part.
-- calls.recording_ref stays: it names the first part (the API's single `recordingRef`).
CREATE TABLE call_recordings (
  id uuid PRIMARY KEY,
  call_id uuid NOT NULL REFERENCES calls (id),
  ref text NOT NULL,
  agent_user_id uuid REFERENCES users (id),
  started_at timestamptz NOT NULL,
  seconds integer,
  event_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (call_id, ref)
);
CREATE INDEX call_recordings_call_idx ON call_recordings (call_id, started_at);

-- Calls recorded before parts existed: their one recording is their first part.
INSERT INTO call_recordings (id, call_id, ref, agent_user_id, started_at, seconds, event_id)
SELECT gen_random_uuid(), c.id, c.recording_ref, c.agent_user_id, coalesce(c.answered_at, c.offered_at),
       CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL
            THEN greatest(0, round(extract(epoch FROM c.ended_at - c.answered_at)))::integer END,
       'migrated-0443'
FROM calls c
WHERE c.recording_ref IS NOT NULL;
