-- Face checks are shared by every service (粤商通, the registration identity app …):
-- one table with the service that started each check.

CREATE TABLE face_checks (
  run                  text NOT NULL,
  id                   uuid NOT NULL,
  service              text NOT NULL,       -- 'yst', 'sdreg', …
  purpose              text NOT NULL,       -- the service's own purposes (LOGIN, INVITATION, ACTIVATION …)
  ref                  text,                -- what the check is for (an invitation token, a user id …)
  name                 text NOT NULL,
  id_number            text NOT NULL,
  mobile               text,
  provider_session_id  text NOT NULL,
  ctid_verified_at     timestamptz,         -- the CTID remedy passed after 验证失败，请到登记窗口办理业务
  created_at           timestamptz NOT NULL,
  used_at              timestamptz,
  PRIMARY KEY (run, id)
);
