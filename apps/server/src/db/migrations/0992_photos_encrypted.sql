-- photos encrypted
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- A worker's check-in and check-out photos show an elder's home, and a patrol's hazard photos can
-- show residents: both are kept like care-visit photos and allowance documents, encrypted with the
-- field key (`data_enc`, the picture's base64 through FieldCipher). The plain column stays only for
-- rows written before this migration: the key lives with the application, so the jobs
-- `service-orders.photo-backfill` and `patrols.photo-backfill` encrypt those rows and clear it.
-- Every row has exactly one of the two.
ALTER TABLE visit_photos ADD COLUMN data_enc text, ALTER COLUMN data DROP NOT NULL;
ALTER TABLE visit_photos ADD CONSTRAINT visit_photos_one_copy CHECK ((data IS NULL) <> (data_enc IS NULL));
ALTER TABLE patrol_photos ADD COLUMN data_enc text, ALTER COLUMN data DROP NOT NULL;
ALTER TABLE patrol_photos ADD CONSTRAINT patrol_photos_one_copy CHECK ((data IS NULL) <> (data_enc IS NULL));
