-- The scheduler's registry of due work (kernel/scheduler.ts): per run and job, the harness time it
-- is next due at and the wall-clock instant the run's clock reaches it.

-- A run's harness time now: its clock if set (frozen, or running from where it was set), else the wall clock.
CREATE FUNCTION run_now(run text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT CASE WHEN c.running THEN c.base + (clock_timestamp() - c.set_at) ELSE c.base END FROM harness_clocks c WHERE c.run = $1), clock_timestamp())
$$;

-- When, on the wall clock, the run's clock reaches `due`: now if it has; never (null) while it is
-- frozen short of it; for a running clock, the instant its base plus the elapsed time reaches it.
CREATE FUNCTION job_wall_due(run text, due timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN c.run IS NULL THEN due
    WHEN c.running THEN c.set_at + (due - c.base)
    WHEN c.base >= due THEN '-infinity'::timestamptz
    ELSE NULL END
  FROM (SELECT 1) one LEFT JOIN harness_clocks c ON c.run = $1
$$;

CREATE TABLE job_schedule (
  run           text NOT NULL,
  job           text NOT NULL,
  due_at        timestamptz NOT NULL,   -- harness time
  wall_due      timestamptz,            -- wall time it falls due; null while the clock is frozen before it
  leased_until  timestamptz,            -- a process is running it until then
  PRIMARY KEY (run, job)
);
CREATE INDEX job_schedule_by_wall_due ON job_schedule (wall_due) WHERE wall_due IS NOT NULL;

-- A clock that is set or moved re-derives when its run's jobs fall due.
CREATE FUNCTION job_schedule_follow_clock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE job_schedule SET wall_due = job_wall_due(run, due_at) WHERE run = NEW.run;
  RETURN NULL;
END $$;
CREATE TRIGGER harness_clocks_moved AFTER INSERT OR UPDATE ON harness_clocks FOR EACH ROW EXECUTE FUNCTION job_schedule_follow_clock();
