-- Service loop (issue 4): photos taken by the worker at check-in and check-out, stored in the
-- database (not DATA_DIR) so every web process of a city can serve them and they are backed up
-- with the visit they prove. JPEG, PNG or WebP, at most 5 MiB each and 9 per order.

CREATE TABLE visit_photos (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id     uuid NOT NULL REFERENCES service_orders (id),
  stage        text NOT NULL CHECK (stage IN ('check-in', 'check-out')),
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes        integer NOT NULL CHECK (bytes BETWEEN 1 AND 5242880),
  sha256       text NOT NULL,
  data         bytea NOT NULL,
  taken_at     timestamptz NOT NULL,
  uploaded_by  uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- The same picture sent again (an offline queue resending after a lost answer) is one photo.
CREATE UNIQUE INDEX visit_photos_order_sha_idx ON visit_photos (order_id, sha256);
