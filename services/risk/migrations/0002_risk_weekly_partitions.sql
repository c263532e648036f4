-- D1 at province scale: a weekly fan-out loads its warnings into tables of its own without
-- indexes, builds their primary keys in sorted builds, and attaches them as a partition.
--
-- Measured on 1M enterprises: maintaining a unique key row by row cost more than inserting the
-- rows themselves ((run, uscc, week) text key about +1.3 s, an integer key about +0.6 s, against
-- about 1 s for the rows); building it after the load takes about 0.25 s per lane, lanes at once.
--
-- risk_warnings is partitioned by (run, week), one partition per fan-out, itself partitioned by
-- enterprise id into one table per lane: lanes load their own tables at once, each builds its key,
-- and the fan-out attaches them when all are done. Partitions of run-scoped tables live in schema
-- run_partitions, named <table>_<first 16 hex of md5(run)>_<…>; reset drops a run's partitions
-- (services/world/store.ts). Queries name the run, so only its partitions are read.

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

-- How many enterprises each run has in scope, kept by triggers: a fan-out's total without a count.
ALTER TABLE risk_worlds ADD COLUMN in_scope integer NOT NULL DEFAULT 0;
UPDATE risk_worlds w SET in_scope = (SELECT count(*) FROM risk_enterprises e WHERE e.run = w.run);
CREATE FUNCTION risk_count_scope() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE risk_worlds w SET in_scope = in_scope + n.count FROM (SELECT run, count(*) FROM added GROUP BY run) n WHERE w.run = n.run;
  ELSE
    UPDATE risk_worlds w SET in_scope = in_scope - n.count FROM (SELECT run, count(*) FROM removed GROUP BY run) n WHERE w.run = n.run;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER risk_enterprises_added AFTER INSERT ON risk_enterprises REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION risk_count_scope();
CREATE TRIGGER risk_enterprises_removed AFTER DELETE ON risk_enterprises REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION risk_count_scope();

CREATE SCHEMA run_partitions;

-- The name of the table that holds (and, once attached, is) the warnings of a run's week.
CREATE FUNCTION risk_partition(run text, week date) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 'risk_warnings_' || left(md5(run), 16) || '_' || to_char(week, 'YYYYMMDD') $$;

-- Warnings, their feedback and reminders: keyed by (enterprise_id, week, run), the enterprise id
-- first so that building a week's key sorts integers. Feedback and reminders have no foreign key
-- to the warning (it would lock them whenever a week's partition is detached): they are only
-- inserted from a warning read in the same transaction, and reset deletes them with it.
ALTER TABLE risk_warnings RENAME TO risk_warnings_0005;
ALTER TABLE risk_warnings_0005 RENAME CONSTRAINT risk_warnings_pkey TO risk_warnings_0005_pkey;
ALTER TABLE risk_feedback DROP CONSTRAINT risk_feedback_run_uscc_week_fkey;
ALTER TABLE risk_reminders DROP CONSTRAINT risk_reminders_run_uscc_week_fkey;

CREATE TABLE risk_warnings (
  run             text NOT NULL,
  enterprise_id   integer NOT NULL,
  uscc            text NOT NULL,
  week            date NOT NULL,
  kind            text NOT NULL,
  level           text NOT NULL CHECK (level IN ('RED', 'ORANGE', 'YELLOW', 'BLUE')),
  issued_at       timestamptz NOT NULL,
  signed_at       timestamptz,
  signed_by       uuid,
  signed_by_name  text,
  PRIMARY KEY (enterprise_id, week, run)
) PARTITION BY RANGE (run, week);

-- Fan-out progress: lanes, each a range of enterprise ids with its own cursor, committed with
-- each batch, and its own table: risk_partition(run, week) || '_' || lane.
CREATE TABLE risk_fanout_lanes (
  run         text NOT NULL,
  week        date NOT NULL,
  lane        integer NOT NULL,
  from_id     integer NOT NULL,   -- the lane's first id
  after_id    integer NOT NULL,   -- cursor: warnings are issued for ids up to here
  through_id  integer NOT NULL,   -- the lane's last id
  issued      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run, week, lane),
  FOREIGN KEY (run, week) REFERENCES risk_fanouts (run, week)
);
INSERT INTO risk_fanout_lanes (run, week, lane, from_id, after_id, through_id, issued)
SELECT f.run, f.week, 0, 0,
       COALESCE((SELECT max(id) FROM risk_enterprises e WHERE e.run = f.run AND e.uscc <= f.cursor_uscc), 0),
       COALESCE((SELECT max(id) FROM risk_enterprises e WHERE e.run = f.run), 0),
       f.issued
  FROM risk_fanouts f;
ALTER TABLE risk_fanouts DROP COLUMN cursor_uscc, DROP COLUMN issued;

-- Warnings already issued move to their week's table, in one lane table holding every id,
-- attached: a fan-out still running goes on inserting into lane 0.
DO $$
DECLARE
  w record;
  week_table text;
BEGIN
  FOR w IN SELECT run, week FROM risk_warnings_0005 UNION SELECT run, week FROM risk_fanouts LOOP
    week_table := risk_partition(w.run, w.week);
    EXECUTE format('CREATE TABLE run_partitions.%I (LIKE risk_warnings INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT owner CHECK (run = %L AND week = %L)) PARTITION BY RANGE (enterprise_id)',
                   week_table, w.run, w.week);
    EXECUTE format('ALTER TABLE run_partitions.%I ADD PRIMARY KEY (enterprise_id, week, run)', week_table);
    EXECUTE format('CREATE TABLE run_partitions.%I PARTITION OF run_partitions.%I FOR VALUES FROM (MINVALUE) TO (MAXVALUE)', week_table || '_0', week_table);
    EXECUTE format('INSERT INTO run_partitions.%I (run, enterprise_id, uscc, week, kind, level, issued_at, signed_at, signed_by, signed_by_name)
                    SELECT o.run, e.id, o.uscc, o.week, o.kind, o.level, o.issued_at, o.signed_at, o.signed_by, o.signed_by_name
                      FROM risk_warnings_0005 o JOIN risk_enterprises e ON e.run = o.run AND e.uscc = o.uscc
                     WHERE o.run = %L AND o.week = %L', week_table || '_0', w.run, w.week);
    EXECUTE format('ALTER TABLE risk_warnings ATTACH PARTITION run_partitions.%I FOR VALUES FROM (%L, %L) TO (%L, %L)',
                   week_table, w.run, w.week, w.run, w.week + 1);
  END LOOP;
END $$;
-- Fan-outs of those weeks still running go on in that one lane.
DROP TABLE risk_warnings_0005;

ALTER TABLE risk_feedback ADD COLUMN enterprise_id integer;
UPDATE risk_feedback f SET enterprise_id = e.id FROM risk_enterprises e WHERE e.run = f.run AND e.uscc = f.uscc;
ALTER TABLE risk_feedback ALTER COLUMN enterprise_id SET NOT NULL;
ALTER TABLE risk_feedback DROP CONSTRAINT risk_feedback_pkey;
ALTER TABLE risk_feedback ADD PRIMARY KEY (enterprise_id, week, run);

ALTER TABLE risk_reminders ADD COLUMN enterprise_id integer;
UPDATE risk_reminders r SET enterprise_id = e.id FROM risk_enterprises e WHERE e.run = r.run AND e.uscc = r.uscc;
ALTER TABLE risk_reminders ALTER COLUMN enterprise_id SET NOT NULL;
ALTER TABLE risk_reminders DROP CONSTRAINT risk_reminders_pkey;
ALTER TABLE risk_reminders ADD PRIMARY KEY (enterprise_id, week, run, rule);
