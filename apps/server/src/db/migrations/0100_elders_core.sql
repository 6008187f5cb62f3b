-- Elder archive core (老人档案): the columns every loop relies on. The elders module extends it.
-- ID numbers and phones are encrypted at rest (AES-256-GCM, *_enc) with a keyed blind index (*_hash)
-- for exact lookup; nothing sensitive is stored in clear.

CREATE TABLE elders (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  id_type           text NOT NULL DEFAULT 'resident_id' CHECK (id_type IN ('resident_id', 'passport', 'other')),
  id_number_enc     text NOT NULL,
  id_number_hash    text NOT NULL,
  birth_date        date NOT NULL,
  sex               text NOT NULL CHECK (sex IN ('male', 'female')),
  phone_enc         text,
  phone_hash        text,
  hukou_region_code text,
  hukou_local       boolean NOT NULL DEFAULT true,
  region_code       text NOT NULL REFERENCES regions (code),
  address           text,
  lat               double precision CHECK (lat BETWEEN -90 AND 90),
  lng               double precision CHECK (lng BETWEEN -180 AND 180),
  living_situation  text NOT NULL DEFAULT 'with_family' CHECK (living_situation IN ('alone', 'empty_nest', 'with_family', 'institution')),
  categories        text[] NOT NULL DEFAULT '{}',
  ability_level     text CHECK (ability_level IN ('intact', 'mild', 'moderate', 'severe', 'total')),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'moved_away', 'in_hospital', 'deceased')),
  status_date       date,
  is_demo           boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX elders_id_number_idx ON elders (id_number_hash);
CREATE INDEX elders_region_idx ON elders (region_code);
CREATE INDEX elders_phone_idx ON elders (phone_hash);
CREATE INDEX elders_status_idx ON elders (status);

-- Guardians and emergency contacts, in the order the alarm centre calls them.
CREATE TABLE elder_contacts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id     uuid NOT NULL REFERENCES elders (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  relationship text NOT NULL,
  phone_enc    text NOT NULL,
  phone_hash   text NOT NULL,
  call_order   integer NOT NULL CHECK (call_order >= 1),
  is_guardian  boolean NOT NULL DEFAULT false,
  holds_key    boolean NOT NULL DEFAULT false,
  notes        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX elder_contacts_elder_idx ON elder_contacts (elder_id, call_order);
CREATE INDEX elder_contacts_phone_idx ON elder_contacts (phone_hash);

-- An elder's own account and family accounts (bound by invite code only) point at the elder.
ALTER TABLE users ADD COLUMN elder_id uuid REFERENCES elders (id);
CREATE INDEX users_elder_idx ON users (elder_id);
