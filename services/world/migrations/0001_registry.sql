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
