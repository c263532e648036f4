-- The fan-out and reminders became jobs of the kernel's scheduler (job_schedule): the per-world
-- bookmark of Monday boundaries is no longer needed. Reminders are claimed in batches and sent
-- with no transaction open: claimed_at marks a claim whose SMS is under way (null once settled).
ALTER TABLE risk_worlds DROP COLUMN scheduled_through;
ALTER TABLE risk_reminders ADD COLUMN claimed_at timestamptz, ADD COLUMN claim uuid;  -- claim: the job that claimed it

-- Worlds made before the scheduler had a registry: their fan-out falls due at their clock's next Monday.
INSERT INTO job_schedule (run, job, due_at, wall_due)
SELECT w.run, 'risk.weekly-fanout', d.due, job_wall_due(w.run, d.due)
  FROM risk_worlds w
  CROSS JOIN LATERAL (SELECT (date_trunc('week', run_now(w.run) AT TIME ZONE 'Asia/Shanghai') + interval '7 days') AT TIME ZONE 'Asia/Shanghai' AS due) d
ON CONFLICT DO NOTHING;
