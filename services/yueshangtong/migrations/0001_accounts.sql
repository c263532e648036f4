-- 粤商通 personal login and enterprise accounts (SPEC A1–A3, B1–B9).

CREATE TABLE yst_personal_accounts (
  run         text NOT NULL,
  id          uuid NOT NULL,
  id_number   text NOT NULL,
  name        text NOT NULL,
  mobile      text,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (run, id),
  UNIQUE (run, id_number)
);
CREATE UNIQUE INDEX yst_personal_accounts_mobile ON yst_personal_accounts (run, mobile) WHERE mobile IS NOT NULL;

CREATE TABLE yst_sessions (
  run                 text NOT NULL,
  token_hash          text NOT NULL,
  account_id          uuid NOT NULL,
  acting_account_id   uuid,               -- the enterprise account chosen with [选择办事]
  created_at          timestamptz NOT NULL,
  PRIMARY KEY (run, token_hash),
  FOREIGN KEY (run, account_id) REFERENCES yst_personal_accounts (run, id)
);

-- One row per mobile: the latest code sent, its tries and lock-out (A2).
CREATE TABLE yst_sms_codes (
  run              text NOT NULL,
  mobile           text NOT NULL,
  code_hash        text NOT NULL,
  sent_at          timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  failed_attempts  integer NOT NULL DEFAULT 0,
  used_at          timestamptz,
  locked_until     timestamptz,
  PRIMARY KEY (run, mobile)
);

CREATE TABLE yst_enterprise_accounts (
  run              text NOT NULL,
  id               uuid NOT NULL,
  account_name     text NOT NULL,
  uscc             text NOT NULL,
  trust            text NOT NULL CHECK (trust IN ('CERTIFIED', 'UNCERTIFIED')),
  applicant_id     uuid NOT NULL,
  created_at       timestamptz NOT NULL,
  certified_at     timestamptz,
  PRIMARY KEY (run, id),
  UNIQUE (run, account_name),
  FOREIGN KEY (run, uscc) REFERENCES registry_enterprises (run, uscc),
  FOREIGN KEY (run, applicant_id) REFERENCES yst_personal_accounts (run, id)
);
CREATE INDEX yst_enterprise_accounts_by_uscc ON yst_enterprise_accounts (run, uscc);

-- Who may use an enterprise account: its applicant, invited agents, linked members.
CREATE TABLE yst_members (
  run            text NOT NULL,
  id             uuid NOT NULL,
  account_id     uuid NOT NULL,
  role           text NOT NULL CHECK (role IN ('APPLICANT', 'AGENT', 'LINKED')),
  status         text NOT NULL CHECK (status IN ('INVITED', 'ACTIVE', 'REVOKED')),
  person_id      uuid,                    -- null until an invited agent accepts
  name           text NOT NULL,
  id_number      text NOT NULL,
  mobile         text,
  auth_end       date NOT NULL,           -- 9999-12-31 = 长期有效
  joined_on      date,
  invited_by     uuid,
  invite_token   text UNIQUE,
  created_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  PRIMARY KEY (run, id),
  FOREIGN KEY (run, account_id) REFERENCES yst_enterprise_accounts (run, id)
);
CREATE UNIQUE INDEX yst_members_one_live ON yst_members (run, account_id, id_number) WHERE status IN ('INVITED', 'ACTIVE');
CREATE INDEX yst_members_by_person ON yst_members (run, person_id);

CREATE TABLE yst_certification_requests (
  run           text NOT NULL,
  token         text NOT NULL,
  account_id    uuid NOT NULL,
  requested_by  uuid NOT NULL,
  status        text NOT NULL CHECK (status IN ('PENDING', 'DONE')),
  created_at    timestamptz NOT NULL,
  completed_at  timestamptz,
  PRIMARY KEY (run, token),
  FOREIGN KEY (run, account_id) REFERENCES yst_enterprise_accounts (run, id)
);

CREATE TABLE yst_link_requests (
  run           text NOT NULL,
  id            uuid NOT NULL,
  account_id    uuid NOT NULL,
  requester_id  uuid NOT NULL,
  status        text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
  created_at    timestamptz NOT NULL,
  decided_at    timestamptz,
  PRIMARY KEY (run, id),
  FOREIGN KEY (run, account_id) REFERENCES yst_enterprise_accounts (run, id)
);
CREATE UNIQUE INDEX yst_link_requests_one_pending ON yst_link_requests (run, account_id, requester_id) WHERE status = 'PENDING';
