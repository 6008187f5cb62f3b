-- Demo rows of the call centre are marked like every other demo row (a bureau removes them before going live).
ALTER TABLE call_hotlines ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
ALTER TABLE calls ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
ALTER TABLE kb_articles ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
