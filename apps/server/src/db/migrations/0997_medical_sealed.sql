-- medical sealed
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- 医养结合 records are health data: a home visit's reason, findings, advice and vital signs, a
-- 家庭病床's diagnosis, the criteria check that admitted it (it names the chronic condition) and
-- its discharge summary, and a referral's reason. Like the archive's health notes (0995) and the
-- health record (0996) they are kept encrypted, each row's values in one sealed field
-- (`private_enc`, FieldCipher output of a JSON object). What stays in clear is what the queries
-- and the work lists need: the elder, the team, the status, the dates, who did what. The plain
-- columns stay only for rows written before this migration: the key lives with the application,
-- so the `medical.seal-backfill` job encrypts those rows and clears them; readers take a row either way.
ALTER TABLE medical_visits ADD COLUMN private_enc text, ALTER COLUMN reason DROP NOT NULL;
ALTER TABLE home_bed_episodes ADD COLUMN private_enc text, ALTER COLUMN diagnosis DROP NOT NULL,
  ALTER COLUMN criteria_check DROP NOT NULL;
ALTER TABLE medical_referrals ADD COLUMN private_enc text, ALTER COLUMN reason DROP NOT NULL;
