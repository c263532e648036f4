-- The harness clock (H1), one per run key: every service and provider reads time from it.
-- Every run-scoped row in govsim carries `run` (see README "Isolation").

CREATE TABLE harness_clocks (
  run      text PRIMARY KEY,
  base     timestamptz NOT NULL,          -- harness time at set_at
  set_at   timestamptz NOT NULL,          -- wall time when base was set
  running  boolean NOT NULL               -- false: frozen at base; true: base + (wall now - set_at)
);
