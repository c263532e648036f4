-- 广州 信用修复 (SPEC E1–E9): offices and their staff, listing records, applications (cases)
-- with their state, version and append-only log, materials, the working-day calendar, sessions
-- of 广州企业一网通 and of the 信用监管综合系统, and the SMS owed to applicants.

-- District bureaus (区局) and their supervision offices (监管所), per run.
CREATE TABLE credit_offices (
  run     text NOT NULL,
  code    text NOT NULL,                 -- '440106' a bureau, '440106-01' one of its supervision offices
  name    text NOT NULL,
  bureau  text NOT NULL,
  kind    text NOT NULL CHECK (kind IN ('BUREAU', 'STATION')),
  PRIMARY KEY (run, code),
  UNIQUE (run, name)
);

-- Back-office users: one office, one or more roles there.
CREATE TABLE credit_staff (
  run         text NOT NULL,
  id          uuid NOT NULL,
  name        text NOT NULL,
  mobile      text NOT NULL,
  office      text NOT NULL,
  roles       text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['HANDLER', 'REVIEWER', 'APPROVER']),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (run, id),
  UNIQUE (run, mobile),
  FOREIGN KEY (run, office) REFERENCES credit_offices (run, code)
);

-- Listing records (列严/列异信息, 个体工商户 经营异常状态): who listed whom, why, when, under which decision.
CREATE TABLE credit_records (
  run                 text NOT NULL,
  id                  uuid NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('SERIOUS', 'ABNORMAL', 'INDIVIDUAL_ABNORMAL', 'COOPERATIVE_ABNORMAL')),
  uscc                text NOT NULL,
  registration_no     text NOT NULL,     -- 注册号 (15 digits), searched like the credit code
  subject_name        text NOT NULL,     -- as the listing decision names it
  office              text NOT NULL,     -- the office that listed it (列入机关)
  reason              text NOT NULL,
  listed_on           date NOT NULL,
  decision_no         text NOT NULL,
  cured_on            date,              -- the cause cured (reports filed, address reachable, penalty fulfilled); null: not yet
  status              text NOT NULL CHECK (status IN ('LISTED', 'REPAIRED')),
  repaired_on         date,
  repair_decision_no  text,
  created_at          timestamptz NOT NULL,
  PRIMARY KEY (run, id),
  UNIQUE (run, decision_no),
  CHECK ((status = 'REPAIRED') = (repaired_on IS NOT NULL)),
  FOREIGN KEY (run, uscc) REFERENCES registry_enterprises (run, uscc),
  FOREIGN KEY (run, office) REFERENCES credit_offices (run, code)
);
CREATE INDEX credit_records_by_subject ON credit_records (run, uscc, kind);
CREATE INDEX credit_records_by_office ON credit_records (run, office, kind, listed_on);
CREATE INDEX credit_records_by_registration_no ON credit_records (run, registration_no);

-- Applications and office-initiated cases. `version` grows by one with every transition: an
-- action names the version its actor saw, and the second of two at once finds it moved (409).
CREATE TABLE credit_cases (
  run                  text NOT NULL,
  id                   uuid NOT NULL,
  acceptance_no        text,              -- 受理编号, once submitted or opened
  kind                 text NOT NULL,
  uscc                 text NOT NULL,
  registration_no      text NOT NULL,
  subject_name         text NOT NULL,
  origin               text NOT NULL CHECK (origin IN ('APPLICANT', 'OFFICE')),
  state                text NOT NULL CHECK (state IN ('NEW', 'DRAFT', 'PENDING_ACCEPTANCE', 'PENDING_REVIEW', 'PENDING_APPROVAL', 'REPAIRED', 'REFUSED')),
  version              integer NOT NULL,
  office               text NOT NULL,     -- where it is handled now (the listing office, or the one it was transferred to)
  applicant_mobile     text,              -- 广州企业一网通 applications: the mobile logged in
  verified_name        text,              -- the legal representative checked at 登录
  verified_id_number   text,
  received_on          date,
  due_on               date,
  overdue_since        date,
  created_at           timestamptz NOT NULL,
  closed_at            timestamptz,
  PRIMARY KEY (run, id),
  UNIQUE (run, acceptance_no),
  FOREIGN KEY (run, office) REFERENCES credit_offices (run, code),
  FOREIGN KEY (run, uscc) REFERENCES registry_enterprises (run, uscc)
);
CREATE INDEX credit_cases_todo ON credit_cases (run, office, state);
CREATE INDEX credit_cases_by_mobile ON credit_cases (run, applicant_mobile);
CREATE INDEX credit_cases_by_uscc ON credit_cases (run, uscc);
CREATE INDEX credit_cases_open_due ON credit_cases (run, due_on) WHERE state IN ('PENDING_ACCEPTANCE', 'PENDING_REVIEW', 'PENDING_APPROVAL') AND overdue_since IS NULL;

-- The records a case asks to repair. A record is held by at most one case under way.
CREATE TABLE credit_case_records (
  run        text NOT NULL,
  case_id    uuid NOT NULL,
  record_id  uuid NOT NULL,
  held       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (run, case_id, record_id),
  FOREIGN KEY (run, case_id) REFERENCES credit_cases (run, id),
  FOREIGN KEY (run, record_id) REFERENCES credit_records (run, id)
);
CREATE UNIQUE INDEX credit_case_records_one_holder ON credit_case_records (run, record_id) WHERE held;

-- Every transition, in order (seq = the case's version after it): what the approval form, the
-- progress query and the separation of steps read. Rows are never changed.
CREATE TABLE credit_transitions (
  run          text NOT NULL,
  case_id      uuid NOT NULL,
  seq          integer NOT NULL,
  event        text NOT NULL,
  from_state   text NOT NULL,
  to_state     text NOT NULL,
  step         text NOT NULL,
  party        text NOT NULL CHECK (party IN ('APPLICANT', 'HANDLER', 'REVIEWER', 'APPROVER')),
  staff_id     uuid,
  actor_name   text NOT NULL,
  office       text,
  to_office    text,
  opinion      text,
  reason       text,
  at           timestamptz NOT NULL,
  PRIMARY KEY (run, case_id, seq),
  FOREIGN KEY (run, case_id) REFERENCES credit_cases (run, id)
);
CREATE INDEX credit_transitions_by_staff ON credit_transitions (run, staff_id, case_id);

CREATE FUNCTION credit_transitions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_transitions is append-only';
END $$;
CREATE TRIGGER credit_transitions_no_update BEFORE UPDATE ON credit_transitions FOR EACH ROW EXECUTE FUNCTION credit_transitions_append_only();

-- Uploaded files, kept in the database with what they are.
CREATE TABLE credit_materials (
  run            text NOT NULL,
  id             uuid NOT NULL,
  case_id        uuid NOT NULL,
  material_type  text NOT NULL,
  file_name      text NOT NULL,
  content_type   text NOT NULL,
  size           integer NOT NULL,
  sha256         text NOT NULL,
  content        bytea NOT NULL,
  uploaded_at    timestamptz NOT NULL,
  PRIMARY KEY (run, id),
  CHECK (size = octet_length(content)),
  FOREIGN KEY (run, case_id) REFERENCES credit_cases (run, id)
);
ALTER TABLE credit_materials ALTER COLUMN content SET STORAGE EXTERNAL; -- PDF, JPG and PNG are compressed already
CREATE INDEX credit_materials_by_case ON credit_materials (run, case_id);

-- Numbers handed out in order (受理编号 per day, removal decisions per bureau and year).
CREATE TABLE credit_counters (
  run    text NOT NULL,
  name   text NOT NULL,
  value  integer NOT NULL,
  PRIMARY KEY (run, name)
);

-- SMS codes of both apps (the rules of A2), one row per purpose and mobile.
CREATE TABLE credit_sms_codes (
  run              text NOT NULL,
  purpose          text NOT NULL CHECK (purpose IN ('APPLICANT_LOGIN', 'PROGRESS_QUERY', 'STAFF_LOGIN')),
  mobile           text NOT NULL,
  code_hash        text NOT NULL,
  sent_at          timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  failed_attempts  integer NOT NULL DEFAULT 0,
  used_at          timestamptz,
  locked_until     timestamptz,
  PRIMARY KEY (run, purpose, mobile)
);

-- 广州企业一网通: a mobile's session, and the subject it logged in for (登录 after the identity check).
CREATE TABLE credit_applicant_sessions (
  run                 text NOT NULL,
  token_hash          text NOT NULL,
  mobile              text NOT NULL,
  subject_kind        text,
  subject_uscc        text,
  verified_name       text,
  verified_id_number  text,
  created_at          timestamptz NOT NULL,
  PRIMARY KEY (run, token_hash)
);

-- 信用监管综合系统 sessions.
CREATE TABLE credit_staff_sessions (
  run         text NOT NULL,
  token_hash  text NOT NULL,
  staff_id    uuid NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (run, token_hash),
  FOREIGN KEY (run, staff_id) REFERENCES credit_staff (run, id)
);

-- The SMS owed to an applicant (受理, 办结, refusal): written with the transition, sent after
-- commit by a job, exactly once per case and event.
CREATE TABLE credit_notices (
  run         text NOT NULL,
  case_id     uuid NOT NULL,
  event       text NOT NULL CHECK (event IN ('ACCEPTED', 'REPAIRED', 'REFUSED')),
  mobile      text NOT NULL,
  text        text NOT NULL,
  created_at  timestamptz NOT NULL,
  claim       uuid,
  claimed_at  timestamptz,
  sent_at     timestamptz,
  message_id  text,
  PRIMARY KEY (run, case_id, event),
  FOREIGN KEY (run, case_id) REFERENCES credit_cases (run, id)
);
CREATE INDEX credit_notices_unsent ON credit_notices (run, created_at) WHERE sent_at IS NULL;

-- Working days as data: rows of run '*' are the statutory calendar; a run may add its own days
-- (a holiday, an adjusted working day), which win over '*'. Days without a row: Monday–Friday work.
CREATE TABLE credit_calendar (
  run      text NOT NULL,
  day      date NOT NULL,
  working  boolean NOT NULL,
  note     text NOT NULL,
  PRIMARY KEY (run, day)
);

CREATE FUNCTION credit_is_working_day(p_run text, p_day date) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT COALESCE((SELECT working FROM credit_calendar WHERE run IN (p_run, '*') AND day = p_day ORDER BY run = '*' LIMIT 1), extract(isodow FROM p_day) < 6)
$$;

-- The n-th working day after `p_from` (the day of receipt does not count).
CREATE FUNCTION credit_working_day_after(p_run text, p_from date, p_n integer) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT d::date FROM generate_series(p_from + 1, p_from + 60 + 3 * p_n, interval '1 day') d
   WHERE credit_is_working_day(p_run, d::date) ORDER BY d OFFSET p_n - 1 LIMIT 1
$$;

-- 国务院办公厅关于2026年部分节假日安排的通知; 2027's New Year as the law gives it (the notice is not out yet).
INSERT INTO credit_calendar (run, day, working, note)
SELECT '*', d::date, false, note FROM (VALUES
  ('2026-01-01', '2026-01-03', '元旦'),
  ('2026-02-15', '2026-02-23', '春节'),
  ('2026-04-04', '2026-04-06', '清明节'),
  ('2026-05-01', '2026-05-05', '劳动节'),
  ('2026-06-19', '2026-06-21', '端午节'),
  ('2026-09-25', '2026-09-27', '中秋节'),
  ('2026-10-01', '2026-10-07', '国庆节'),
  ('2027-01-01', '2027-01-03', '元旦')
) AS h(first, last, note), generate_series(first::date, last::date, interval '1 day') d
UNION ALL
SELECT '*', day::date, true, note || '调休上班' FROM (VALUES
  ('2026-01-04', '元旦'), ('2026-02-14', '春节'), ('2026-02-28', '春节'), ('2026-05-09', '劳动节'), ('2026-09-20', '国庆节'), ('2026-10-10', '国庆节')
) AS w(day, note);
