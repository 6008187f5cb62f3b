-- When an import last made progress, so an import cut off by a restart can be marked failed
-- instead of showing "running" for ever.
ALTER TABLE elder_imports ADD COLUMN progress_at timestamptz NOT NULL DEFAULT now();
