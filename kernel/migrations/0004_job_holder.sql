-- Which process holds a job's lease (host:pid), while one does: what an operator looking at a job
-- that seems stuck asks first.
ALTER TABLE job_schedule ADD COLUMN leased_by text;
