-- Wrong passwords of the authority's login are counted per username (as 登记注册 counts them per
-- ID number): five in a row lock it for 30 minutes; a username nobody has is counted and locked
-- alike, so the answers tell nobody which usernames exist. A right password, or the end of the
-- lock-out, starts the count again.
CREATE TABLE lic_login_guards (
  run           text NOT NULL,
  username      text NOT NULL,
  failures      integer NOT NULL CHECK (failures >= 0),  -- tries since the last success or lock-out, the one under way included
  locked_until  timestamptz,                             -- set by the try that reaches the limit
  PRIMARY KEY (run, username)
);
