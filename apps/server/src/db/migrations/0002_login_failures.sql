-- Failed logins are counted per (username, client address), not per account: five wrong
-- passwords from one address lock that address out of that username for a while, and an
-- attacker elsewhere cannot lock the real user out. Unknown usernames are counted the same
-- way, so the answer never tells whether an account exists. users.failed_logins and
-- users.locked_until stay as the account-wide summary the console shows.
CREATE TABLE login_failures (
  username        text NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  address         text NOT NULL CHECK (length(address) <= 100),
  failures        integer NOT NULL CHECK (failures >= 0),
  locked_until    timestamptz,
  last_failure_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username, address)
);
CREATE INDEX login_failures_last_idx ON login_failures (last_failure_at);
