-- Service loop (issue 4): provider profiles, licences, service areas, sites, staff; the catalogue and offerings.

-- A provider is an organisation of type 'provider'; this is its onboarding and credit profile.
CREATE TABLE provider_profiles (
  org_id            uuid PRIMARY KEY REFERENCES organizations (id),
  credit_code       text NOT NULL CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  legal_person      text,
  approval_status   text NOT NULL DEFAULT 'pending' CHECK (approval_status IN ('pending', 'approved', 'rejected', 'suspended')),
  status_reason     text,
  dishonest         boolean NOT NULL DEFAULT false,
  dishonest_reason  text,
  daily_capacity    integer NOT NULL DEFAULT 40 CHECK (daily_capacity BETWEEN 1 AND 100000),
  rating_sum        integer NOT NULL DEFAULT 0,
  rating_count      integer NOT NULL DEFAULT 0,
  approved_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX provider_profiles_credit_code_idx ON provider_profiles (credit_code);

CREATE TABLE provider_licences (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations (id),
  kind        text NOT NULL CHECK (length(kind) BETWEEN 1 AND 50),
  number      text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
  valid_until date NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provider_licences_org_idx ON provider_licences (org_id);

-- Communities a provider serves.
CREATE TABLE provider_areas (
  org_id      uuid NOT NULL REFERENCES organizations (id),
  region_code text NOT NULL REFERENCES regions (code),
  PRIMARY KEY (org_id, region_code)
);
CREATE INDEX provider_areas_region_idx ON provider_areas (region_code);

CREATE TABLE provider_sites (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  region_code text NOT NULL REFERENCES regions (code),
  address     text,
  lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng         double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  is_demo     boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provider_sites_org_idx ON provider_sites (org_id);

-- A service worker's employment and certificates; the account is users.id (role service_worker).
CREATE TABLE provider_staff (
  user_id                 uuid PRIMARY KEY REFERENCES users (id),
  org_id                  uuid NOT NULL REFERENCES organizations (id),
  name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  care_level              text CHECK (care_level IN ('junior', 'intermediate', 'senior', 'technician', 'senior_technician')),
  care_cert_no            text,
  care_cert_valid_until   date,
  health_cert_valid_until date,
  active                  boolean NOT NULL DEFAULT true,
  is_demo                 boolean NOT NULL DEFAULT false,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provider_staff_org_idx ON provider_staff (org_id);

CREATE TABLE service_items (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code              text NOT NULL CHECK (code ~ '^[a-z0-9_]{2,40}$'),
  category          text NOT NULL CHECK (category IN ('daily_care', 'basic_care', 'health', 'visiting', 'comfort', 'errands', 'adaptation')),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  unit              text NOT NULL CHECK (unit IN ('visit', 'hour')),
  duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
  ref_price_fen     integer NOT NULL CHECK (ref_price_fen >= 0),
  ceiling_price_fen integer NOT NULL CHECK (ceiling_price_fen >= ref_price_fen),
  points            integer NOT NULL CHECK (points >= 0),
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_items_code_idx ON service_items (code);

-- What a provider offers, at its own price within the bureau's ceiling.
CREATE TABLE provider_offerings (
  org_id    uuid NOT NULL REFERENCES organizations (id),
  item_id   uuid NOT NULL REFERENCES service_items (id),
  price_fen integer NOT NULL CHECK (price_fen >= 0),
  PRIMARY KEY (org_id, item_id)
);
CREATE INDEX provider_offerings_item_idx ON provider_offerings (item_id);
