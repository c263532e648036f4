-- D1 at province scale: warnings keyed by a compact enterprise id, issued in parallel lanes.
--
-- Measured on 1M enterprises: maintaining the (run, uscc, week) text key row by row cost more
-- than inserting the rows themselves; an (week, enterprise_id) integer key costs about half of
-- that, and appends at the right edge of the index week after week. Rows keep run and uscc;
-- lookups by (run, uscc) go through risk_enterprises. A BRIN index on run (near free to
-- maintain, since a fan-out writes one run's rows together) lets reset and footprint skip the
-- blocks of other runs.

-- Every enterprise in scope gets an id from one sequence shared by all runs, in (run, uscc)
-- order for rows already there, so an existing fan-out cursor maps onto ids.
ALTER TABLE risk_enterprises ADD COLUMN id integer;
UPDATE risk_enterprises e SET id = n.id
  FROM (SELECT run, uscc, row_number() OVER (ORDER BY run, uscc) AS id FROM risk_enterprises) n
 WHERE n.run = e.run AND n.uscc = e.uscc;
ALTER TABLE risk_enterprises ALTER COLUMN id SET NOT NULL;
ALTER TABLE risk_enterprises ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('risk_enterprises', 'id'), (SELECT max(id) FROM risk_enterprises)) WHERE EXISTS (SELECT 1 FROM risk_enterprises);
CREATE UNIQUE INDEX risk_enterprises_by_id ON risk_enterprises (run, id);

-- Warnings, their feedback and reminders: keyed by (week, enterprise_id).
ALTER TABLE risk_feedback DROP CONSTRAINT risk_feedback_run_uscc_week_fkey;
ALTER TABLE risk_reminders DROP CONSTRAINT risk_reminders_run_uscc_week_fkey;

ALTER TABLE risk_warnings ADD COLUMN enterprise_id integer;
UPDATE risk_warnings w SET enterprise_id = e.id FROM risk_enterprises e WHERE e.run = w.run AND e.uscc = w.uscc;
ALTER TABLE risk_warnings ALTER COLUMN enterprise_id SET NOT NULL;
ALTER TABLE risk_warnings DROP CONSTRAINT risk_warnings_pkey;
ALTER TABLE risk_warnings ADD PRIMARY KEY (week, enterprise_id);
CREATE INDEX risk_warnings_by_run ON risk_warnings USING brin (run);

ALTER TABLE risk_feedback ADD COLUMN enterprise_id integer;
UPDATE risk_feedback f SET enterprise_id = e.id FROM risk_enterprises e WHERE e.run = f.run AND e.uscc = f.uscc;
ALTER TABLE risk_feedback ALTER COLUMN enterprise_id SET NOT NULL;
ALTER TABLE risk_feedback DROP CONSTRAINT risk_feedback_pkey;
ALTER TABLE risk_feedback ADD PRIMARY KEY (week, enterprise_id);
ALTER TABLE risk_feedback ADD FOREIGN KEY (week, enterprise_id) REFERENCES risk_warnings (week, enterprise_id);

ALTER TABLE risk_reminders ADD COLUMN enterprise_id integer;
UPDATE risk_reminders r SET enterprise_id = e.id FROM risk_enterprises e WHERE e.run = r.run AND e.uscc = r.uscc;
ALTER TABLE risk_reminders ALTER COLUMN enterprise_id SET NOT NULL;
ALTER TABLE risk_reminders DROP CONSTRAINT risk_reminders_pkey;
ALTER TABLE risk_reminders ADD PRIMARY KEY (week, enterprise_id, rule);
ALTER TABLE risk_reminders ADD FOREIGN KEY (week, enterprise_id) REFERENCES risk_warnings (week, enterprise_id);

-- A fan-out runs in lanes, each a range of enterprise ids with its own cursor, committed with
-- each batch: lanes run at once on separate connections, and a crash resumes every lane.
CREATE TABLE risk_fanout_lanes (
  run         text NOT NULL,
  week        date NOT NULL,
  lane        integer NOT NULL,
  after_id    integer NOT NULL,   -- cursor: warnings are issued for ids up to here
  through_id  integer NOT NULL,   -- the lane's last id
  issued      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run, week, lane),
  FOREIGN KEY (run, week) REFERENCES risk_fanouts (run, week)
);
INSERT INTO risk_fanout_lanes (run, week, lane, after_id, through_id, issued)
SELECT f.run, f.week, 0,
       COALESCE((SELECT max(id) FROM risk_enterprises e WHERE e.run = f.run AND e.uscc <= f.cursor_uscc), 0),
       COALESCE((SELECT max(id) FROM risk_enterprises e WHERE e.run = f.run), 0),
       f.issued
  FROM risk_fanouts f;
ALTER TABLE risk_fanouts DROP COLUMN cursor_uscc, DROP COLUMN issued;
