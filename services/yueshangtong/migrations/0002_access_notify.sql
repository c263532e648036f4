-- 粤商通 keeps resolved callers in memory (services/yueshangtong/access.ts): session, acting
-- account, membership and the enterprise's legal representative. Every change that can alter a
-- resolved caller announces its run on govsim_access at commit, to every govsim process.
-- New sessions, people and enterprises are not cached before they exist: inserting them
-- announces nothing (logins under load keep the cache).
CREATE FUNCTION yst_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('govsim_access', run) FROM (SELECT DISTINCT run FROM old_rows) r;
  ELSE
    PERFORM pg_notify('govsim_access', run) FROM (SELECT DISTINCT run FROM new_rows) r;
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text;
BEGIN
  -- Memberships and accounts: any change, new ones included (a caller refused before may be let in).
  FOREACH t IN ARRAY ARRAY['yst_members', 'yst_enterprise_accounts'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION yst_access_changed()', t || '_added', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['yst_members', 'yst_enterprise_accounts', 'yst_sessions', 'yst_personal_accounts', 'registry_enterprises'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION yst_access_changed()', t || '_changed', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION yst_access_changed()', t || '_removed', t);
  END LOOP;
END $$;
