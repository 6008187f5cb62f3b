-- call transferred out
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- 转外线: when an outside number (family, 120, the family doctor) answered the caller an agent
-- transferred, and that number, encrypted like the call's own numbers (shown masked). The agent's
-- part of the call ends there; the call itself ends when the caller or the outside party hangs up.
ALTER TABLE calls ADD COLUMN transferred_out_at timestamptz;
ALTER TABLE calls ADD COLUMN transferred_out_enc text;
