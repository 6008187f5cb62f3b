-- elders private encrypted
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- An elder's street address, health notes (chronic conditions, allergies, diet restrictions) and
-- free-text notes are kept like the ID number and the phone: encrypted at rest. They travel
-- together in one box (`private_enc`, FieldCipher output of a JSON object), because every screen
-- that needs the address for a visit or the health notes for a meal reads the elder's record
-- once. Lists show `address_masked` (the street only, 锦华路****), kept in clear like
-- users.phone_masked so a page of 50 elders decrypts nothing.
-- The plain-text columns (address, chronic_conditions, allergies, diet_restrictions, notes) stay
-- only for rows written before this migration: the key lives with the application, so the
-- `elders.private-backfill` job encrypts those rows and clears them. Readers take a row either way.
-- No index on `private_enc IS NULL` for the backfill: a column in an index predicate makes every
-- update that re-seals the box (a re-import, an edit) a non-HOT update, which writes a new entry
-- into each of the table's indexes; the backfill's scan is cheap by comparison.
ALTER TABLE elders ADD COLUMN private_enc text, ADD COLUMN address_masked text;
