-- Elder search at 10^5 rows (issue 3 bench): Chinese name substrings through a GIN index of the
-- name's character bigrams (no pg_trgm needed, so the same on PGlite and PostgreSQL), and an
-- index that serves the list's pinyin order directly.

CREATE FUNCTION elder_name_grams(name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY(SELECT substr(name, i, 2) FROM generate_series(1, greatest(char_length(name) - 1, 1)) AS i) $$;

ALTER TABLE elders ADD COLUMN name_grams text[] GENERATED ALWAYS AS (elder_name_grams(name)) STORED;
CREATE INDEX elders_name_grams_idx ON elders USING gin (name_grams);
CREATE INDEX elders_pinyin_order_idx ON elders (name_pinyin, id);
