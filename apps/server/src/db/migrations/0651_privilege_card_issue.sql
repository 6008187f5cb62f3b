-- 老年人优待证: the external data check, approval, the card number, validity, reissue and revocation.

ALTER TABLE privilege_cards
  -- One entry per source checked (人社 hrss / 公安 police / 卫健 health): {"source", "passed", "reason"}.
  ADD COLUMN check_results   jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN checked_at      timestamptz,
  ADD COLUMN decided_by      uuid,
  ADD COLUMN decided_at      timestamptz,
  ADD COLUMN reason          text,
  ADD COLUMN card_no         text,
  ADD COLUMN issued_on       date,
  ADD COLUMN expires_on      date,
  -- The QR code signs card number + version; a reissue bumps the version and the old code fails.
  ADD COLUMN version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN revoked_at      timestamptz;
CREATE UNIQUE INDEX privilege_cards_card_no ON privilege_cards (card_no) WHERE card_no IS NOT NULL;
ALTER TABLE privilege_cards ADD CONSTRAINT privilege_cards_issued_has_number
  CHECK (status <> 'issued' OR (card_no IS NOT NULL AND issued_on IS NOT NULL AND expires_on IS NOT NULL));

-- The per-district card number sequence: the next number to hand out.
CREATE TABLE privilege_card_sequences (
  region_code  text PRIMARY KEY CHECK (region_code ~ '^[0-9]{6}$'),
  next_no      integer NOT NULL DEFAULT 1 CHECK (next_no >= 1)
);
