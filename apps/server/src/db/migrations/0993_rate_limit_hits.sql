-- rate limit hits
-- Plain SQL, applied once in file-name order; never edit a migration after it lands.

-- The per-route request limits (login, login codes, registrations, the public credit and 优待证
-- checks) count in the database, so several web processes behind one proxy share one count per
-- client instead of each allowing the limit again. `key` is a keyed hash of the route and the
-- client's key (address, and for the login the username): no address or name in clear. A row
-- counts the hits of one fixed window; the first hit after `resets_at` starts a new one.
-- Counters are worth nothing after their window, so the table is not WAL-logged (a crash empties
-- it, which only forgives the current minute); `auth.prune-login-failures` deletes old windows.
CREATE UNLOGGED TABLE rate_limit_hits (
  key       text PRIMARY KEY,
  hits      integer NOT NULL,
  resets_at timestamptz NOT NULL
);
