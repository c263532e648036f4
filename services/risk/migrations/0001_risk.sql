-- 粤商通 weekly enterprise risk warnings (SPEC D1–D8).

-- The risk data source. Levels and counts of an enterprise or vehicle in a week are a
-- deterministic function of the run's world seed, the subject and the week: the same world and
-- week always carry the same risk, and the fan-out computes levels set-based.
-- Both are single expressions without FROM, so PostgreSQL inlines them into the fan-out's
-- INSERT … SELECT instead of calling a function per row.
CREATE FUNCTION risk_roll(seed integer, subject text, week date, salt text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (((hashtextextended(subject || '|' || (week - DATE '2000-01-03')::text || '|' || salt, seed) % 1000) + 1000) % 1000)::integer $$;

-- 6 % red, 12 % orange, 27 % yellow, 55 % blue.
CREATE FUNCTION risk_level(seed integer, subject text, week date) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (ARRAY['RED', 'ORANGE', 'YELLOW', 'BLUE'])[width_bucket(risk_roll(seed, subject, week, 'level'), ARRAY[0, 60, 180, 450])] $$;

CREATE TABLE risk_worlds (
  run         text PRIMARY KEY,
  seed        integer NOT NULL,
  created_at  timestamptz NOT NULL
);

-- Enterprises in scope: hazardous-goods filling (危险货物充装企业) and transport (运输企业).
CREATE TABLE risk_enterprises (
  run    text NOT NULL,
  uscc   text NOT NULL,
  kind   text NOT NULL CHECK (kind IN ('FILLING', 'TRANSPORT')),
  PRIMARY KEY (run, uscc),
  FOREIGN KEY (run, uscc) REFERENCES registry_enterprises (run, uscc)
);

CREATE TABLE risk_vehicles (
  run          text NOT NULL,
  plate        text NOT NULL,
  owner_uscc   text NOT NULL,
  in_province  boolean NOT NULL,
  bucket       integer NOT NULL,       -- filling enterprises are served by the vehicles of one bucket
  PRIMARY KEY (run, plate)
);
CREATE INDEX risk_vehicles_by_owner ON risk_vehicles (run, owner_uscc);
CREATE INDEX risk_vehicles_by_bucket ON risk_vehicles (run, bucket);

-- One warning per enterprise and week (week = its Monday, Asia/Shanghai).
CREATE TABLE risk_warnings (
  run         text NOT NULL,
  uscc        text NOT NULL,
  week        date NOT NULL,
  kind        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('RED', 'ORANGE', 'YELLOW', 'BLUE')),
  issued_at   timestamptz NOT NULL,
  signed_at   timestamptz,
  signed_by   uuid,
  signed_by_name text,
  PRIMARY KEY (run, uscc, week)
);

CREATE TABLE risk_feedback (
  run             text NOT NULL,
  uscc            text NOT NULL,
  week            date NOT NULL,
  measures        text[] NOT NULL,
  description     text NOT NULL,
  contact_name    text NOT NULL,
  contact_mobile  text NOT NULL,
  submitted_by    uuid NOT NULL,
  submitted_at    timestamptz NOT NULL,
  PRIMARY KEY (run, uscc, week),
  FOREIGN KEY (run, uscc, week) REFERENCES risk_warnings (run, uscc, week)
);

-- Fan-out progress: resumable from the cursor after a crash.
CREATE TABLE risk_fanouts (
  run          text NOT NULL,
  week         date NOT NULL,
  status       text NOT NULL CHECK (status IN ('RUNNING', 'DONE')),
  cursor_uscc  text NOT NULL DEFAULT '',
  issued       integer NOT NULL DEFAULT 0,
  total        integer NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  PRIMARY KEY (run, week)
);

-- [稍后处理] dismisses the popup for one login session only.
CREATE TABLE risk_popup_dismissals (
  run         text NOT NULL,
  token_hash  text NOT NULL,
  uscc        text NOT NULL,
  week        date NOT NULL,
  PRIMARY KEY (run, token_hash, uscc, week)
);

-- Exactly one reminder per warning and rule: the claim row is inserted in the same transaction
-- that sends the SMS, so a concurrent job waits on it and then finds it taken.
CREATE TABLE risk_reminders (
  run         text NOT NULL,
  uscc        text NOT NULL,
  week        date NOT NULL,
  rule        text NOT NULL,
  mobile      text NOT NULL,
  message_id  text,
  sent_at     timestamptz NOT NULL,
  PRIMARY KEY (run, uscc, week, rule),
  FOREIGN KEY (run, uscc, week) REFERENCES risk_warnings (run, uscc, week)
);

-- Harness control (H2 for data): a scenario may fix an enterprise's level for a week.
CREATE TABLE risk_level_overrides (
  run      text NOT NULL,
  subject  text NOT NULL,
  week     date NOT NULL,
  level    text NOT NULL CHECK (level IN ('RED', 'ORANGE', 'YELLOW', 'BLUE')),
  PRIMARY KEY (run, subject, week)
);

-- The scheduler's bookmark: the harness time up to which Monday 00:00 boundaries were handled.
ALTER TABLE risk_worlds ADD COLUMN scheduled_through timestamptz;
