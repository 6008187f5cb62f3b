-- users phone encrypted
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- An account's phone number is kept like every other personal phone: encrypted, with its blind
-- index and the masked form the lists show. A volunteer logs in with their mobile number: the
-- login finds the account through the index below; the family phone login checks it too.
-- The plain-text column stays only for rows written before this migration: the key lives with the
-- application, so the `users.phone-backfill` job encrypts those rows and clears it.
ALTER TABLE users ADD COLUMN phone_enc text, ADD COLUMN phone_hash text, ADD COLUMN phone_masked text;
CREATE INDEX users_phone_hash_idx ON users (phone_hash) WHERE phone_hash IS NOT NULL;
