-- Blind index (HMAC, domain phone) of the last 4 digits of the elder's own phone, for the kiosk's
-- second factor 手机后4位 — built as id_tail4_hash is (0101). The key lives with the application,
-- so existing rows are filled by the job elders.phone-tail-backfill, not here.
ALTER TABLE elders ADD COLUMN phone_tail4_hash text;
CREATE INDEX elders_phone_tail4_idx ON elders (phone_tail4_hash);
CREATE INDEX elders_phone_tail4_missing_idx ON elders (id) WHERE phone_enc IS NOT NULL AND phone_tail4_hash IS NULL;
