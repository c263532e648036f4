-- 山东 登记注册身份验证 app (SPEC C1–C11).

CREATE TABLE sdreg_users (
  run                   text NOT NULL,
  id                    uuid NOT NULL,
  id_number             text NOT NULL,
  name                  text NOT NULL,
  mobile                text,
  id_valid_from         date,
  id_valid_to           text,                 -- 'YYYY-MM-DD' or 长期
  password_hash         text,                 -- null until activated (province users)
  status                text NOT NULL CHECK (status IN ('ACTIVE', 'PENDING_ACTIVATION')),
  level                 integer NOT NULL CHECK (level IN (3, 4)),
  failed_logins         integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  activation_offered    boolean NOT NULL DEFAULT false,   -- C3: after 账号已注册，请直接登录, any password leads to activation
  created_at            timestamptz NOT NULL,
  PRIMARY KEY (run, id),
  UNIQUE (run, id_number)
);

CREATE TABLE sdreg_sessions (
  run         text NOT NULL,
  token_hash  text NOT NULL,
  user_id     uuid NOT NULL,
  created_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  PRIMARY KEY (run, token_hash),
  FOREIGN KEY (run, user_id) REFERENCES sdreg_users (run, id)
);
CREATE INDEX sdreg_sessions_by_user ON sdreg_sessions (run, user_id) WHERE ended_at IS NULL;

-- C8: "yes" to enterprise registration, with a deadline date (one answer per user, the latest).
CREATE TABLE sdreg_authorisations (
  run         text NOT NULL,
  user_id     uuid NOT NULL,
  deadline    date NOT NULL,
  granted_at  timestamptz NOT NULL,
  PRIMARY KEY (run, user_id),
  FOREIGN KEY (run, user_id) REFERENCES sdreg_users (run, id)
);
