-- The registry at province scale: a world seeded into a run that holds no registry rows yet is
-- loaded into tables of its own without indexes (COPY), which then build their keys in one
-- sorted pass each and are attached as the run's partitions. Maintaining the keys row by row
-- cost about three times loading the rows (measured on 1M enterprises: about 11 s against 2 s
-- plus 1.8 s of builds).
--
-- The registry tables are partitioned by run: a seeded world is its run's partition (schema
-- run_partitions, named <table>_<first 16 hex of md5(run)>_world, dropped by a reset like the
-- weekly warnings); everything else (people and entities a scenario adds, small worlds) lives in
-- the default partition, the tables as they were.
ALTER TABLE registry_persons RENAME TO registry_persons_default;
ALTER INDEX registry_persons_pkey RENAME TO registry_persons_default_pkey;
CREATE TABLE registry_persons (LIKE registry_persons_default INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (run, id_number)) PARTITION BY LIST (run);
ALTER TABLE registry_persons ATTACH PARTITION registry_persons_default DEFAULT;

ALTER TABLE registry_enterprises RENAME TO registry_enterprises_default;
ALTER INDEX registry_enterprises_pkey RENAME TO registry_enterprises_default_pkey;
ALTER INDEX registry_enterprises_by_legal_rep RENAME TO registry_enterprises_default_by_legal_rep;
CREATE TABLE registry_enterprises (LIKE registry_enterprises_default INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (run, uscc)) PARTITION BY LIST (run);
CREATE INDEX registry_enterprises_by_legal_rep ON registry_enterprises (run, legal_rep_id_number);
ALTER TABLE registry_enterprises ATTACH PARTITION registry_enterprises_default DEFAULT;

-- Foreign keys made before (a database kept across starts) point at what is now the default
-- partition: they point at the whole registry again.
DO $$
DECLARE
  fk record;
BEGIN
  FOR fk IN SELECT conrelid::regclass AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
             WHERE contype = 'f' AND confrelid = 'registry_enterprises_default'::regclass AND conparentid = 0 LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname, replace(fk.def, 'REFERENCES registry_enterprises_default(', 'REFERENCES registry_enterprises('));
  END LOOP;
END $$;

-- Statement triggers fire for the table a statement names: those made before move to the
-- partitioned table (a new database makes them there).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'registry_enterprises_default'::regclass AND NOT tgisinternal LOOP
    EXECUTE format('DROP TRIGGER %I ON registry_enterprises_default', t.tgname);
    EXECUTE regexp_replace(t.def, ' ON (\w+\.)?registry_enterprises_default ', ' ON registry_enterprises ');
  END LOOP;
END $$;
