-- 危险化学品经营许可证 with cloud inspection (常州, SPEC F1–F7). Every row carries `run`.

-- The register: what the authorities hold of each enterprise (staff with qualification
-- certificates, emergency-plan filings, licences), seeded per run.
CREATE TABLE lic_enterprises (
  run         text NOT NULL,
  uscc        text NOT NULL,
  added_at    timestamptz NOT NULL,
  PRIMARY KEY (run, uscc)
);

CREATE TABLE lic_staff (
  run             text NOT NULL,
  id              uuid NOT NULL,
  uscc            text NOT NULL,
  name            text NOT NULL,
  id_number       text NOT NULL,
  certificate_no  text NOT NULL,
  unit_type       text NOT NULL,
  qualification   text NOT NULL CHECK (qualification IN ('PRINCIPAL', 'SAFETY_MANAGER')),
  assessed_on     date NOT NULL,                 -- 考核日期
  PRIMARY KEY (run, id),
  UNIQUE (run, uscc, certificate_no),
  FOREIGN KEY (run, uscc) REFERENCES lic_enterprises (run, uscc)
);

CREATE TABLE lic_plan_filings (
  run          text NOT NULL,
  uscc         text NOT NULL,
  number       text NOT NULL,                    -- 备案文号
  filing_type  text NOT NULL,
  authority    text NOT NULL,                    -- 备案机关
  filed_on     date NOT NULL,
  PRIMARY KEY (run, uscc, number),
  FOREIGN KEY (run, uscc) REFERENCES lic_enterprises (run, uscc)
);

CREATE TABLE lic_licences (
  run             text NOT NULL,
  number          text NOT NULL,
  uscc            text NOT NULL,
  valid_from      date NOT NULL,
  valid_to        date NOT NULL CHECK (valid_to > valid_from),
  application_id  uuid,                          -- null for a licence of the seeded register
  issued_at       timestamptz NOT NULL,
  PRIMARY KEY (run, number),
  FOREIGN KEY (run, uscc) REFERENCES lic_enterprises (run, uscc)
);
CREATE INDEX lic_licences_by_enterprise ON lic_licences (run, uscc, valid_to DESC);

-- The authorities' officers (declared roles) and their sessions.
CREATE TABLE lic_officers (
  run            text NOT NULL,
  id             uuid NOT NULL,
  username       text NOT NULL,
  name           text NOT NULL,
  id_number      text NOT NULL,                  -- their line in the video provider
  authority      text NOT NULL,
  roles          text[] NOT NULL CHECK (roles <@ ARRAY['REVIEWER', 'INSPECTOR'] AND cardinality(roles) > 0),
  password_hash  text NOT NULL,
  PRIMARY KEY (run, id),
  UNIQUE (run, username)
);

CREATE TABLE lic_officer_sessions (
  run         text NOT NULL,
  token_hash  text NOT NULL,
  officer_id  uuid NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (run, token_hash),
  FOREIGN KEY (run, officer_id) REFERENCES lic_officers (run, id)
);

-- Applications (F1, F2): a draft's fields, replaced whole on each save; read-only once submitted.
-- `version` goes up with every change: a move names the version it was decided on.
CREATE TABLE lic_applications (
  run                text NOT NULL,
  id                 uuid NOT NULL,
  number             text NOT NULL,
  uscc               text NOT NULL,
  status             text NOT NULL,
  version            integer NOT NULL DEFAULT 1,
  application_type   text,
  affiliation        text,
  personnel          jsonb NOT NULL DEFAULT '[]',  -- the staff chosen, as the register held them when saved
  emergency_plan     jsonb,                        -- the filing chosen, as the register held it when saved
  goods_scope        text[] NOT NULL DEFAULT '{}',
  business_modes     text[] NOT NULL DEFAULT '{}',
  inspection_method  text,
  authority          text,
  appointment_at     timestamptz,                  -- the time proposed or agreed (F3)
  created_by         text NOT NULL,                -- the person's name
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  submitted_at       timestamptz,
  PRIMARY KEY (run, id),
  UNIQUE (run, number),
  FOREIGN KEY (run, uscc) REFERENCES lic_enterprises (run, uscc)
);
-- One open application per enterprise, held by PostgreSQL.
CREATE UNIQUE INDEX lic_applications_one_open ON lic_applications (run, uscc) WHERE status <> 'APPROVED';
CREATE INDEX lic_applications_by_authority ON lic_applications (run, authority, status);

-- F3: every time proposed, by whom and through which channel, and what became of it.
CREATE TABLE lic_appointment_proposals (
  run             text NOT NULL,
  application_id  uuid NOT NULL,
  seq             integer NOT NULL,
  proposed_by     text NOT NULL CHECK (proposed_by IN ('AUTHORITY', 'ENTERPRISE')),
  channel         text CHECK (channel IN ('WEB', 'APP')),
  proposer_name   text NOT NULL,
  at              timestamptz NOT NULL,
  proposed_at     timestamptz NOT NULL,
  outcome         text NOT NULL DEFAULT 'PENDING' CHECK (outcome IN ('PENDING', 'CONFIRMED', 'SUPERSEDED', 'CANCELLED')),
  decided_by      text,
  decided_channel text CHECK (decided_channel IN ('WEB', 'APP')),
  decided_at      timestamptz,
  PRIMARY KEY (run, application_id, seq),
  FOREIGN KEY (run, application_id) REFERENCES lic_applications (run, id)
);

-- F5/F6: inspections (one running per application), their checklist, the problems found.
CREATE TABLE lic_inspections (
  run                  text NOT NULL,
  id                   uuid NOT NULL,
  application_id       uuid NOT NULL,
  method               text NOT NULL CHECK (method IN ('CLOUD', 'ON_SITE')),
  status               text NOT NULL CHECK (status IN ('IN_PROGRESS', 'PASSED', 'PROBLEMS', 'UNFINISHED')),
  appointment_at       timestamptz,
  room_id              text,
  officer_id           uuid NOT NULL,
  officer_name         text NOT NULL,
  enterprise_joined_at timestamptz,
  note                 text,                       -- on-site: what was found; unfinished: why
  started_at           timestamptz NOT NULL,
  ended_at             timestamptz,
  PRIMARY KEY (run, id),
  FOREIGN KEY (run, application_id) REFERENCES lic_applications (run, id)
);
CREATE UNIQUE INDEX lic_inspections_one_running ON lic_inspections (run, application_id) WHERE status = 'IN_PROGRESS';

CREATE TABLE lic_checklist_items (
  run            text NOT NULL,
  inspection_id  uuid NOT NULL,
  code           text NOT NULL,
  position       integer NOT NULL,
  label          text NOT NULL,
  result         text CHECK (result IN ('COMPLIANT', 'NON_COMPLIANT')),
  note           text,
  recorded_by    text,
  recorded_at    timestamptz,
  PRIMARY KEY (run, inspection_id, code),
  FOREIGN KEY (run, inspection_id) REFERENCES lic_inspections (run, id),
  CHECK (result <> 'NON_COMPLIANT' OR note IS NOT NULL)
);

CREATE TABLE lic_problems (
  run                 text NOT NULL,
  id                  uuid NOT NULL,
  application_id      uuid NOT NULL,
  inspection_id       uuid NOT NULL,
  item_code           text NOT NULL,
  position            integer NOT NULL,
  label               text NOT NULL,
  finding             text NOT NULL,
  status              text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RECTIFIED')),
  rectification_note  text,
  rectified_by        text,
  rectified_channel   text CHECK (rectified_channel IN ('WEB', 'APP')),
  rectified_at        timestamptz,
  PRIMARY KEY (run, id),
  UNIQUE (run, inspection_id, item_code),
  FOREIGN KEY (run, inspection_id) REFERENCES lic_inspections (run, id)
);
CREATE INDEX lic_problems_by_application ON lic_problems (run, application_id, status);

-- Signatures and photos, kept in PostgreSQL: type and size are checked on the way in and held by
-- the table. A signature or the handler's photo is given once per inspection.
CREATE TABLE lic_files (
  run             text NOT NULL,
  id              uuid NOT NULL,
  application_id  uuid NOT NULL,
  inspection_id   uuid NOT NULL,
  problem_id      uuid,
  kind            text NOT NULL CHECK (kind IN ('COMMITMENT_SIGNATURE', 'HANDLER_PHOTO', 'RECTIFICATION_SIGNATURE', 'RECTIFICATION_PHOTO')),
  mime_type       text NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg')),
  size_bytes      integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 204800),
  sha256          text NOT NULL CHECK (sha256 = encode(sha256(data), 'hex')),
  data            bytea NOT NULL CHECK (octet_length(data) = size_bytes),
  uploaded_by     text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('WEB', 'APP')),
  uploaded_at     timestamptz NOT NULL,
  PRIMARY KEY (run, id),
  FOREIGN KEY (run, inspection_id) REFERENCES lic_inspections (run, id),
  FOREIGN KEY (run, problem_id) REFERENCES lic_problems (run, id),
  CHECK ((kind = 'RECTIFICATION_PHOTO') = (problem_id IS NOT NULL))
);
CREATE UNIQUE INDEX lic_files_once_per_inspection ON lic_files (run, inspection_id, kind) WHERE kind <> 'RECTIFICATION_PHOTO';

-- Appointment reminders (SMS to the legal representative the day before): one per application
-- and appointed time, claimed before it is sent (claimed_at set while the SMS is under way).
CREATE TABLE lic_reminders (
  run             text NOT NULL,
  application_id  uuid NOT NULL,
  appointment_at  timestamptz NOT NULL,
  mobile          text NOT NULL,
  claim           uuid,
  claimed_at      timestamptz,
  message_id      text,
  sent_at         timestamptz,
  PRIMARY KEY (run, application_id, appointment_at),
  FOREIGN KEY (run, application_id) REFERENCES lic_applications (run, id)
);
