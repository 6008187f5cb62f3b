-- health records sealed
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- An elder's medicines (name, dose, frequency) and yearly physical exams (institution, every
-- measured value, ECG, conclusion) are health data: like the archive's health notes (0995) they
-- are kept encrypted, each row's values in one sealed field (`private_enc`, FieldCipher output of
-- a JSON object). What stays in clear is what the queries need: the elder, the dates (a physical's
-- exam year is its conflict key) and who entered it. The plain columns stay only for rows written
-- before this migration: the key lives with the application, so the `health-records.seal-backfill`
-- job encrypts those rows and clears them; readers take a row either way.
ALTER TABLE health_medications ADD COLUMN private_enc text, ALTER COLUMN name DROP NOT NULL;
ALTER TABLE health_physicals ADD COLUMN private_enc text;
