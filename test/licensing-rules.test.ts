// The licence's calendar rules (services/licensing/rules.ts): validity, the 延期 window, working
// hours and the reminder's time, on Shanghai days.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromShanghai, shanghaiTime } from '../kernel/clock.js';
import { addMonths, inWorkingHours, licenceValidTo, reminderDueAt, renewalOpensOn } from '../services/licensing/rules.js';

test('months are added on the calendar, clamped to the end of a shorter month', () => {
  assert.equal(addMonths('2026-11-23', 3), '2027-02-23');
  assert.equal(addMonths('2027-05-31', -3), '2027-02-28');
  assert.equal(addMonths('2028-02-29', 12), '2029-02-28');
  assert.equal(addMonths('2026-01-15', -13), '2024-12-15');
});

test('a licence is valid 3 years, to the day before; 延期 opens 3 months before it ends', () => {
  assert.equal(licenceValidTo('2026-11-25'), '2029-11-24');
  assert.equal(licenceValidTo('2024-03-01'), '2027-02-28');
  assert.equal(renewalOpensOn('2027-02-28'), '2026-11-28');
  assert.equal(renewalOpensOn('2029-11-24'), '2029-08-24');
});

test('working hours: Monday to Friday, 09:00–11:30 and 13:30–17:00 Shanghai time', () => {
  const at = (local: string) => inWorkingHours(fromShanghai(local));
  assert.deepEqual(['2026-11-23T09:00', '2026-11-23T11:30', '2026-11-27T13:30', '2026-11-27T17:00'].map(at), [true, true, true, true]);
  assert.deepEqual(['2026-11-23T08:59', '2026-11-23T11:31', '2026-11-23T13:29', '2026-11-23T17:01', '2026-11-28T10:00', '2026-11-29T10:00'].map(at), [false, false, false, false, false, false]);
});

test('the reminder falls due the day before at 09:00, whatever the hour of the appointment', () => {
  assert.equal(shanghaiTime(reminderDueAt(fromShanghai('2026-11-25T10:00'))), '2026-11-24 09:00:00');
  assert.equal(shanghaiTime(reminderDueAt(fromShanghai('2026-11-30T16:30'))), '2026-11-29 09:00:00');
});
