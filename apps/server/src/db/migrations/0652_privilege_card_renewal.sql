-- 老年人优待证: validity per district, renewal of an expiring card, and the timeline of each card.

-- How long a card is valid and how early before its expiry it may be renewed, per district (data:
-- the district's manager changes them on the console page). The defaults are what every card had.
ALTER TABLE privilege_card_settings
  ADD COLUMN valid_years          integer NOT NULL DEFAULT 5 CHECK (valid_years BETWEEN 1 AND 20),
  ADD COLUMN renewal_window_days  integer NOT NULL DEFAULT 90 CHECK (renewal_window_days BETWEEN 0 AND 365);

-- A renewal issues a new card (a new row, number and validity) and marks the old one `replaced`;
-- `renewal_of` links the new card to the one it replaces, so the elder's card history stays whole.
ALTER TABLE privilege_cards DROP CONSTRAINT privilege_cards_status_check;
ALTER TABLE privilege_cards ADD CONSTRAINT privilege_cards_status_check
  CHECK (status IN ('checking', 'passed', 'failed', 'issued', 'rejected', 'revoked', 'replaced'));
ALTER TABLE privilege_cards
  ADD COLUMN renewal_of   uuid REFERENCES privilege_cards(id),
  ADD COLUMN replaced_at  timestamptz;
-- A card is renewed once: two desks renewing at the same moment still make one new card.
CREATE UNIQUE INDEX privilege_cards_renewal_of ON privilege_cards (renewal_of) WHERE renewal_of IS NOT NULL;
CREATE INDEX privilege_cards_elder ON privilege_cards (elder_id, created_at DESC);

-- The timeline of an application or card (the console's drawer): one row per step.
CREATE TABLE privilege_card_events (
  id          bigserial PRIMARY KEY,
  card_id     uuid NOT NULL REFERENCES privilege_cards(id),
  step        text NOT NULL,
  status      text NOT NULL,
  reason      text,
  actor_id    uuid,
  actor_name  text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX privilege_card_events_card ON privilege_card_events (card_id, id);

-- The steps taken before this migration, from the audit trail (which recorded each of them).
INSERT INTO privilege_card_events (card_id, step, status, reason, actor_id, actor_name, at)
SELECT c.id,
       CASE a.action
         WHEN 'privilege-card.application.create' THEN 'applied'
         WHEN 'privilege-card.application.self' THEN 'applied_self'
         WHEN 'privilege-card.check' THEN 'checked'
         WHEN 'privilege-card.decide.approve' THEN 'approved'
         WHEN 'privilege-card.decide.reject' THEN 'rejected'
         WHEN 'privilege-card.revoke' THEN 'revoked'
         WHEN 'privilege-card.revoke.death' THEN 'revoked_death'
         WHEN 'privilege-card.reject.death' THEN 'rejected_death'
         WHEN 'privilege-card.reissue' THEN 'reissued'
       END,
       COALESCE(a.detail ->> 'status', CASE WHEN a.action LIKE 'privilege-card.application.%' THEN 'checking' ELSE c.status END),
       a.detail ->> 'reason',
       a.actor_id,
       a.actor_name,
       a.at
FROM audit_log a
JOIN privilege_cards c ON c.id::text = a.target_id
WHERE a.target_type = 'privilege_card'
  AND a.outcome = 'ok'
  AND a.action IN ('privilege-card.application.create', 'privilege-card.application.self', 'privilege-card.check',
                   'privilege-card.decide.approve', 'privilege-card.decide.reject', 'privilege-card.revoke',
                   'privilege-card.revoke.death', 'privilege-card.reject.death', 'privilege-card.reissue')
ORDER BY a.id;
