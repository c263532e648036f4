-- The risk views keep in memory (services/risk/views.ts) each enterprise in scope with its
-- warnings and their feedback, the popups a session put off, and each week's vehicle lists (a
-- filling enterprise's top 20 in and out of the province, a transport enterprise's own vehicles,
-- with their levels). Whatever those are made of announces its run on govsim_risk at commit, to
-- every govsim process. (Enterprise and owner names come from registry_enterprises, whose changes
-- already announce the run on govsim_access.) A fan-out attaches its warnings as partitions, which
-- fires no trigger of risk_warnings: its own row in risk_fanouts announces it.
CREATE FUNCTION risk_views_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('govsim_risk', run) FROM (SELECT DISTINCT run FROM old_rows) r;
  ELSE
    PERFORM pg_notify('govsim_risk', run) FROM (SELECT DISTINCT run FROM new_rows) r;
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['risk_vehicles', 'risk_level_overrides', 'risk_enterprises', 'risk_warnings', 'risk_feedback', 'risk_fanouts', 'risk_popup_dismissals'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_views_changed()', t || '_views_added', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_views_changed()', t || '_views_changed', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_views_changed()', t || '_views_removed', t);
  END LOOP;
END $$;

-- risk_worlds rows are updated on every change of the scope (in_scope): only a new seed counts.
CREATE FUNCTION risk_seed_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('govsim_risk', NEW.run);
  RETURN NULL;
END $$;
CREATE TRIGGER risk_worlds_seed_changed AFTER UPDATE OF seed ON risk_worlds FOR EACH ROW WHEN (OLD.seed IS DISTINCT FROM NEW.seed) EXECUTE FUNCTION risk_seed_changed();
CREATE TRIGGER risk_worlds_removed AFTER DELETE ON risk_worlds REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION risk_views_changed();
