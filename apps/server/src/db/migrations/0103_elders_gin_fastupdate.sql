-- GIN indexes of the elder search write straight into the index. With the default pending list
-- (fastupdate) a bulk import leaves thousands of entries that every search then scans linearly
-- until a vacuum merges them, and the embedded database has no autovacuum worker.
ALTER INDEX elders_name_grams_idx SET (fastupdate = off);
ALTER INDEX elders_categories_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('elders_name_grams_idx'::regclass);
SELECT gin_clean_pending_list('elders_categories_idx'::regclass);
