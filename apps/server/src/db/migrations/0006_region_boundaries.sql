-- Region outlines (issue 12 §6): one GeoJSON Polygon / MultiPolygon per street or community, so a
-- map without tiles still shows streets and communities and the big screen can colour them.
-- The geometry is checked before it is stored (ring closure, ranges, size); the bounding box is
-- kept beside it so a map can be framed without reading the geometry.
CREATE TABLE region_boundaries (
  region_code text PRIMARY KEY REFERENCES regions (code) ON DELETE CASCADE,
  geometry jsonb NOT NULL,
  vertex_count integer NOT NULL CHECK (vertex_count > 0),
  min_lng double precision NOT NULL,
  min_lat double precision NOT NULL,
  max_lng double precision NOT NULL,
  max_lat double precision NOT NULL,
  is_demo boolean NOT NULL DEFAULT false,
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
