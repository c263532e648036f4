-- A seeded risk world at province scale (H4): the enterprises in scope and their vehicles are
-- loaded, like the registry's (world/0002), into tables of their own without indexes, keyed in
-- sorted builds and attached as the run's partitions (schema run_partitions, named
-- <table>_<first 16 hex of md5(run)>_world). Measured on 1M enterprises and 1.9M vehicles:
-- 21 s inserted into the indexed tables, 9 s loaded and keyed apart. Everything else stays in
-- the default partitions, the tables as they were.

-- Enterprise ids come from a sequence of their own (a partition cannot own an identity).
CREATE SEQUENCE risk_enterprise_ids AS integer;
SELECT setval('risk_enterprise_ids', max(id)) FROM risk_enterprises HAVING max(id) IS NOT NULL;
ALTER TABLE risk_enterprises ALTER COLUMN id DROP IDENTITY;

ALTER TABLE risk_enterprises RENAME TO risk_enterprises_default;
ALTER INDEX risk_enterprises_pkey RENAME TO risk_enterprises_default_pkey;
ALTER INDEX risk_enterprises_by_id RENAME TO risk_enterprises_default_by_id;
CREATE TABLE risk_enterprises (LIKE risk_enterprises_default INCLUDING CONSTRAINTS, PRIMARY KEY (run, uscc)) PARTITION BY LIST (run);
ALTER TABLE risk_enterprises ALTER COLUMN id SET DEFAULT nextval('risk_enterprise_ids');
ALTER SEQUENCE risk_enterprise_ids OWNED BY risk_enterprises.id;
CREATE UNIQUE INDEX risk_enterprises_by_id ON risk_enterprises (run, id);

ALTER TABLE risk_vehicles RENAME TO risk_vehicles_default;
ALTER INDEX risk_vehicles_pkey RENAME TO risk_vehicles_default_pkey;
ALTER INDEX risk_vehicles_by_owner RENAME TO risk_vehicles_default_by_owner;
ALTER INDEX risk_vehicles_by_bucket RENAME TO risk_vehicles_default_by_bucket;
CREATE TABLE risk_vehicles (LIKE risk_vehicles_default INCLUDING CONSTRAINTS, PRIMARY KEY (run, plate)) PARTITION BY LIST (run);
CREATE INDEX risk_vehicles_by_owner ON risk_vehicles (run, owner_uscc);
CREATE INDEX risk_vehicles_by_bucket ON risk_vehicles (run, bucket);

-- The statement triggers (scope counter, views) move to the partitioned tables; the foreign key goes (below).
DO $$
DECLARE
  t text;
  c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'risk_enterprises_default'::regclass AND conparentid = 0 LOOP
    EXECUTE format('ALTER TABLE risk_enterprises_default DROP CONSTRAINT %I', c.conname);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['risk_enterprises', 'risk_vehicles'] LOOP
    FOR c IN SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = (t || '_default')::regclass AND NOT tgisinternal LOOP
      EXECUTE format('DROP TRIGGER %I ON %I', c.tgname, t || '_default');
      EXECUTE regexp_replace(c.def, ' ON (\w+\.)?' || t || '_default ', ' ON ' || t || ' ');
    END LOOP;
  END LOOP;
END $$;
ALTER TABLE risk_enterprises ATTACH PARTITION risk_enterprises_default DEFAULT;
ALTER TABLE risk_vehicles ATTACH PARTITION risk_vehicles_default DEFAULT;
-- The scope keeps no foreign key to the registry: attaching a world's scope would check it against
-- the registry again (2.5 s for 1M, holding the default partitions locked meanwhile). Enterprises
-- are only put in scope from registry rows read in the same statement (putInScope, loadScope), and
-- a reset deletes both.

-- Seeding a risk world is a job (POST /harness/v1/risk/world answers at once): its state and
-- progress, readable from any process. One job at a time per run.
CREATE TABLE risk_world_jobs (
  run          text NOT NULL,
  id           uuid NOT NULL,
  seed         integer NOT NULL,
  enterprises  integer NOT NULL,
  state        text NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
  phase        text NOT NULL,
  done         integer NOT NULL DEFAULT 0,
  total        integer NOT NULL,
  result       jsonb,
  error        text,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,   -- moves with every step: a job left RUNNING by a process that died stands still
  PRIMARY KEY (run, id)
);
CREATE UNIQUE INDEX risk_world_jobs_one_at_a_time ON risk_world_jobs (run) WHERE state IN ('QUEUED', 'RUNNING');
