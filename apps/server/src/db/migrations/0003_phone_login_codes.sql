-- Login by phone number with a one-time SMS code (elder and family accounts).
--
-- One row per code request, also for a number with no account (then user_id is NULL and the
-- code was never sent): the rate limits, the expiry and the count of wrong tries then work the
-- same way whether or not the number has an account, so no answer tells which. The code itself
-- is never stored: code_hash is a keyed HMAC of (phone_hash, code), and phone_hash the keyed
-- blind index of the number (the same one elders.phone_hash and elder_contacts.phone_hash use).
CREATE TABLE phone_login_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone_hash  text NOT NULL CHECK (length(phone_hash) = 64),
  user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
  code_hash   text NOT NULL CHECK (length(code_hash) = 64),
  address     text NOT NULL CHECK (length(address) <= 100),
  attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX phone_login_codes_phone_idx ON phone_login_codes (phone_hash, created_at DESC);
CREATE INDEX phone_login_codes_address_idx ON phone_login_codes (address, created_at DESC);
CREATE INDEX phone_login_codes_created_idx ON phone_login_codes (created_at);

-- Text messages that are not family notices (today the login codes): the record that a message
-- went out, for the administrator. The number is kept masked and as its blind index, the text
-- with the code masked (【智养】您的登录验证码为 ******), never the code.
CREATE TABLE sms_outbox (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose           text NOT NULL CHECK (purpose IN ('login-code')),
  user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
  recipient_hash    text NOT NULL,
  recipient_masked  text NOT NULL,
  body_masked       text NOT NULL,
  provider          text NOT NULL,
  status            text NOT NULL CHECK (status IN ('sent', 'failed')),
  error             text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_outbox_created_idx ON sms_outbox (created_at);
CREATE INDEX sms_outbox_recipient_idx ON sms_outbox (recipient_hash, created_at DESC);
