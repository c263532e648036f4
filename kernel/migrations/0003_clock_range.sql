-- A run's clock stays within the days govsim accepts (kernel/clock.ts, FIRST_DAY … LAST_DAY):
-- held here too, so that advances racing each other cannot carry it out of range.
-- NOT VALID: a clock set out of range before this migration stays until it is set again.
ALTER TABLE harness_clocks ADD CONSTRAINT harness_clocks_base_range
  CHECK (base >= TIMESTAMPTZ '1900-01-01 00:00:00+08' AND base < TIMESTAMPTZ '3000-01-01 00:00:00+08') NOT VALID;
