-- Application (CZWH<day><nnnnnn>) and licence (苏常危化经字〔<year>〕<nnnnnn>) numbers come from
-- sequences, not random draws: two of them can no longer collide on the run's unique keys (a
-- collision answered 500). One sequence each for every run; six digits wrap after a million.
CREATE SEQUENCE lic_application_numbers;
CREATE SEQUENCE lic_licence_numbers;
