-- 老年人优待证 (senior citizen preferential card), issue 17. Migrations 0650–0699 belong to this module.

-- Per-district residence rule: 户籍 only, or 户籍 or so many years of residence.
CREATE TABLE privilege_card_settings (
  region_code          text PRIMARY KEY CHECK (region_code ~ '^[0-9]{6}$'),
  residence_rule       text NOT NULL DEFAULT 'hukou' CHECK (residence_rule IN ('hukou', 'hukou_or_residence')),
  min_residence_years  integer NOT NULL DEFAULT 0 CHECK (min_residence_years BETWEEN 0 AND 50),
  updated_by           uuid,
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- An application, and once issued the elder's card. One live application or valid card per elder:
-- the partial unique index refuses a second one whatever the caller.
CREATE TABLE privilege_cards (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id         uuid NOT NULL REFERENCES elders(id),
  region_code      text NOT NULL,
  source           text NOT NULL CHECK (source IN ('staff', 'self')),
  status           text NOT NULL CHECK (status IN ('checking', 'passed', 'failed', 'issued', 'rejected', 'revoked')),
  residence_since  date,
  created_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX privilege_cards_one_live ON privilege_cards (elder_id)
  WHERE status IN ('checking', 'passed', 'issued');
CREATE INDEX privilege_cards_region ON privilege_cards (region_code, created_at DESC);
