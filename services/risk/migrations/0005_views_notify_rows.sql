-- Feedback and put-off popups are written one row per request: announcing them from a row
-- trigger costs less than a statement trigger's transition table on every request. (Deletes and
-- updates keep their statement triggers: resets and fixtures change many rows at once.)
DROP TRIGGER risk_feedback_views_added ON risk_feedback;
DROP TRIGGER risk_popup_dismissals_views_added ON risk_popup_dismissals;

CREATE FUNCTION risk_row_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('govsim_risk', NEW.run);
  RETURN NULL;
END $$;
CREATE TRIGGER risk_feedback_views_added AFTER INSERT ON risk_feedback FOR EACH ROW EXECUTE FUNCTION risk_row_added();
CREATE TRIGGER risk_popup_dismissals_views_added AFTER INSERT ON risk_popup_dismissals FOR EACH ROW EXECUTE FUNCTION risk_row_added();
