-- High-age allowance, the back office (issue 17): bank return files (failed payments reversed and
-- retried once in the next roll), accounts the bank refused, overpayment recovery after a death,
-- document scans of an application, death-record imports.

-- A payment the bank returned: when, why, and the ledger reversal. A failed line no longer counts
-- as paying its (elder, month), so the retry line of the next roll can carry the same month; the
-- retry names the line it retries, and a line is retried at most once.
ALTER TABLE allowance_roll_lines
  ADD COLUMN failed_at      timestamptz,
  ADD COLUMN fail_reason    text,
  ADD COLUMN reversal_tx_id uuid,
  ADD COLUMN retry_of       bigint REFERENCES allowance_roll_lines (id);
ALTER TABLE allowance_roll_lines DROP CONSTRAINT allowance_roll_lines_kind_check;
ALTER TABLE allowance_roll_lines ADD CONSTRAINT allowance_roll_lines_kind_check
  CHECK (kind IN ('regular', 'arrears', 'retry'));
ALTER TABLE allowance_roll_lines DROP CONSTRAINT allowance_roll_lines_elder_id_month_key;
CREATE UNIQUE INDEX allowance_roll_lines_paid_idx ON allowance_roll_lines (elder_id, month) WHERE failed_at IS NULL;
CREATE UNIQUE INDEX allowance_roll_lines_retry_idx ON allowance_roll_lines (retry_of) WHERE retry_of IS NOT NULL;
CREATE INDEX allowance_roll_lines_failed_idx ON allowance_roll_lines (region_code) WHERE failed_at IS NOT NULL;

-- The bank refused the account: the community corrects it (which clears the flag).
ALTER TABLE allowance_applications
  ADD COLUMN account_problem    text,
  ADD COLUMN account_problem_at timestamptz;

-- Money paid for months after the month of death, to be recovered from the family or the estate.
CREATE TABLE allowance_recoveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   uuid NOT NULL UNIQUE REFERENCES allowance_applications (id),
  elder_id         uuid NOT NULL REFERENCES elders (id),
  region_code      text NOT NULL,
  last_paid_month  text NOT NULL CHECK (last_paid_month ~ '^[0-9]{4}-[0-9]{2}$'),
  months           integer NOT NULL CHECK (months >= 0),
  amount_fen       bigint NOT NULL CHECK (amount_fen >= 0),
  repaid_fen       bigint NOT NULL DEFAULT 0 CHECK (repaid_fen >= 0 AND repaid_fen <= amount_fen),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'partial', 'recovered', 'waived')),
  note             text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_recoveries_region_idx ON allowance_recoveries (region_code text_pattern_ops);

-- Each repayment recorded against a recovery, with its ledger posting (payout → fund).
CREATE TABLE allowance_recovery_payments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recovery_id   uuid NOT NULL REFERENCES allowance_recoveries (id),
  amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
  paid_on       date NOT NULL,
  note          text,
  ledger_tx_id  uuid,
  recorded_by   uuid,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_recovery_payments_idx ON allowance_recovery_payments (recovery_id, at);

-- Scans of an application's documents (ID card, 户口簿, bank card…): in the database like visit
-- photos (every web process serves them, backed up with the application), the bytes encrypted
-- with the field cipher. PDF, JPEG or PNG, at most 5 MiB, at most 10 per application.
CREATE TABLE allowance_documents (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id  uuid NOT NULL REFERENCES allowance_applications (id),
  kind            text NOT NULL CHECK (kind IN ('id_card', 'hukou', 'bank_card', 'other')),
  filename        text NOT NULL,
  content_type    text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  bytes           integer NOT NULL CHECK (bytes BETWEEN 1 AND 5242880),
  sha256          text NOT NULL,
  data_enc        text NOT NULL,
  uploaded_by     uuid,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX allowance_documents_sha_idx ON allowance_documents (application_id, sha256);

-- A death-record file imported (公安 / 卫健 / 殡葬): which rows matched, so a re-import is seen as one.
CREATE TABLE allowance_death_records (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code    text NOT NULL,
  source         text NOT NULL CHECK (source IN ('police', 'health', 'funeral')),
  elder_id       uuid NOT NULL REFERENCES elders (id),
  death_date     date NOT NULL,
  imported_by    uuid,
  at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (elder_id, source)
);
