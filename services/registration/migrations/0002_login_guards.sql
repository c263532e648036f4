-- Wrong passwords are counted per ID number (C4), apart from the user: an ID nobody registered is
-- counted and locked exactly like a registered one (the answers tell nobody which IDs are
-- registered), and registering again with someone's ID number (C3) cannot reset the count.
-- Only time (the lock-out ends) or the owner's proof (a right password, activation or a reset by
-- face) clears it.
CREATE TABLE sdreg_login_guards (
  run           text NOT NULL,
  id_number     text NOT NULL,
  failures      integer NOT NULL CHECK (failures >= 0),  -- tries since the last success or lock-out, the one under way included
  locked_until  timestamptz,                             -- set by the try that reaches the limit
  PRIMARY KEY (run, id_number)
);

INSERT INTO sdreg_login_guards (run, id_number, failures, locked_until)
SELECT run, id_number, failed_logins, locked_until FROM sdreg_users WHERE failed_logins > 0 OR locked_until IS NOT NULL;

ALTER TABLE sdreg_users DROP COLUMN failed_logins, DROP COLUMN locked_until;
