-- Harness state (H1–H4). Every row carries `run`: the run key that scopes a test scenario's
-- clock, scripted provider outcomes, journal, outbox and data (see README "Isolation").

CREATE TABLE harness_clocks (
  run      text PRIMARY KEY,
  base     timestamptz NOT NULL,          -- harness time at set_at
  set_at   timestamptz NOT NULL,          -- wall time when base was set
  running  boolean NOT NULL               -- false: frozen at base; true: base + (wall now - set_at)
);

-- The outcome table: per provider and subject (ID number or mobile), the next scripted answers.
CREATE TABLE provider_scripts (
  id         bigserial PRIMARY KEY,
  run        text NOT NULL,
  provider   text NOT NULL,
  subject    text NOT NULL,
  operation  text,                        -- null: the provider's deciding operation (outcome) or any (fault/latency)
  outcome    text,                        -- a documented outcome code, or null for fault/latency only
  latency_ms integer NOT NULL DEFAULT 0 CHECK (latency_ms BETWEEN 0 AND 60000),
  fault      text CHECK (fault IN ('timeout', 'http500', 'http503', 'reset')),
  remaining  integer NOT NULL CHECK (remaining >= 0),   -- spent scripts stay, with 0, for the record
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX provider_scripts_next ON provider_scripts (run, provider, subject, id);

-- The journal: every provider call, whichever adapter (HTTP server or MSW) served it.
CREATE TABLE provider_calls (
  id          bigserial PRIMARY KEY,
  run         text NOT NULL,
  provider    text NOT NULL,
  operation   text NOT NULL,
  subject     text,
  request     jsonb NOT NULL,
  status      integer,                    -- null when the call was faulted (timeout / reset)
  response    jsonb,
  outcome     text,
  fault       text,
  latency_ms  integer NOT NULL DEFAULT 0,
  at          timestamptz NOT NULL        -- harness time
);
CREATE INDEX provider_calls_by_subject ON provider_calls (run, provider, subject, id);

CREATE TABLE face_sessions (
  run           text NOT NULL,
  id            text NOT NULL,
  name          text NOT NULL,
  id_number     text NOT NULL,
  purpose       text NOT NULL,
  status        text NOT NULL CHECK (status IN ('PENDING', 'PASSED', 'FAILED')),
  code          text,
  message       text,
  created_at    timestamptz NOT NULL,
  completed_at  timestamptz,
  PRIMARY KEY (run, id)
);

CREATE TABLE sms_messages (
  run         text NOT NULL,
  id          text NOT NULL,
  mobile      text NOT NULL,
  text        text NOT NULL,
  sent_at     timestamptz NOT NULL,       -- harness time
  seq         bigserial,
  PRIMARY KEY (run, id)
);
CREATE INDEX sms_messages_by_mobile ON sms_messages (run, mobile, seq);

-- The registry (world): people and market entities, seeded or made by a scenario.
CREATE TABLE registry_persons (
  run            text NOT NULL,
  id_number      text NOT NULL,
  name           text NOT NULL,
  mobile         text NOT NULL,
  id_valid_from  date NOT NULL,
  id_valid_to    text NOT NULL,           -- 'YYYY-MM-DD' or 长期
  PRIMARY KEY (run, id_number)
);

CREATE TABLE registry_enterprises (
  run                  text NOT NULL,
  uscc                 text NOT NULL,
  name                 text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('company', 'individual', 'cooperative')),
  status               text NOT NULL,
  industry             text NOT NULL,
  legal_rep_id_number  text NOT NULL,
  legal_rep_name       text NOT NULL,
  district             text NOT NULL,
  office               text NOT NULL,
  PRIMARY KEY (run, uscc)
);
CREATE INDEX registry_enterprises_by_legal_rep ON registry_enterprises (run, legal_rep_id_number);
