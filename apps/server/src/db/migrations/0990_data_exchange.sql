-- Data exchange 数据交换 (issue 21, 综合监管): the history of the district's exports to the
-- provincial / national systems and of its reference-data imports (region codes, death records).
-- Range 0990–0999. The files themselves are not kept: an export is produced again from the
-- tables, an import file stays with the bureau. Personal data never goes into this table.
CREATE TABLE data_exchanges (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  direction    text NOT NULL CHECK (direction IN ('export', 'import')),
  -- An export's dataset (elders, institutions, beds, services, subsidies) or an import's kind (regions, deaths).
  dataset      text NOT NULL,
  format       text,
  mode         text NOT NULL CHECK (mode IN ('download', 'preview', 'apply')),
  since        date,
  region_code  text NOT NULL,
  filename     text,
  -- sha256 of an import file, so the history shows the same file applied twice.
  file_sha256  text,
  -- Rows written (export, set when the stream ends) or read (import).
  rows         integer,
  changes      integer,
  actor_id     uuid,
  actor_name   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_exchanges_region_idx ON data_exchanges (region_code text_pattern_ops, created_at DESC);
