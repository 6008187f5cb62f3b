-- Face identity 人脸识别 (issue 16; migrations 0500–0519). Only descriptors are kept, encrypted
-- like ID numbers; no photo. A row exists while the elder's written consent stands: withdrawing
-- it deletes the row (and its gallery entries with it).
CREATE TABLE face_enrolments (
  elder_id uuid PRIMARY KEY REFERENCES elders(id) ON DELETE CASCADE,
  -- AES-GCM box (lib/crypto.ts FieldCipher) of the base64 of the descriptors, float32, one after another.
  descriptors_enc text NOT NULL,
  descriptor_count integer NOT NULL CHECK (descriptor_count BETWEEN 1 AND 5),
  descriptor_length integer NOT NULL,
  model text NOT NULL,
  consent_signed_by text NOT NULL,
  consent_signed_at timestamptz NOT NULL,
  consent_document_ref text NOT NULL,
  enrolled_by uuid REFERENCES users(id),
  enrolled_at timestamptz NOT NULL DEFAULT now()
);

-- The canteens whose kiosks may identify the elder (the canteen's gallery).
CREATE TABLE face_gallery_orgs (
  elder_id uuid NOT NULL REFERENCES face_enrolments(elder_id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (elder_id, org_id)
);
CREATE INDEX face_gallery_orgs_org_idx ON face_gallery_orgs (org_id);
