-- Care calls write call records (issue 14): every dial of a care-call task is an outbound call
-- record of the calls module, so the call log, the elder's card and the actions from a call
-- (order, alarm, complaint) work on care calls as on any other call. A dial's record is named by
-- its attempt, once: posting the same attempt again, or two posts racing, can never make a second.
ALTER TABLE calls ADD COLUMN care_call_attempt_id uuid;
CREATE UNIQUE INDEX calls_care_call_attempt_idx ON calls (care_call_attempt_id) WHERE care_call_attempt_id IS NOT NULL;
-- The coverage report counts the follow-ups (orders, alarms, complaints) made from a campaign's calls.
CREATE INDEX calls_campaign_task_idx ON calls (campaign_task_id) WHERE campaign_task_id IS NOT NULL;

-- The category of the care calls' records (主动关爱), after 其他. It has no default service item:
-- an order from a care call names the item the agent picks.
INSERT INTO call_categories (code, name, parent_code, default_item_codes, sort)
  VALUES ('care_call', '主动关爱', NULL, '{}', 140)
  ON CONFLICT (code) DO NOTHING;
