-- Provider mocks' state (H2, H3): the outcome table, the journal, face sessions and the SMS
-- outbox. Every row carries `run`.

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
