// Platform pieces that need no database: settings, durations, Shanghai days.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { addDays, fromShanghai, mondayOf, parseDuration, shanghaiDay, shanghaiTime } from '../kernel/clock.js';
import { loadConfig, settings } from '../kernel/config.js';

test('the README documents every setting with its default', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  for (const spec of Object.values(settings)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${spec.env}\``));
    assert.ok(row, `README has no row for ${spec.env}`);
    assert.ok(row.includes(`\`${String(spec.default)}\``) || spec.default === '', `README row of ${spec.env} lacks its default ${spec.default}`);
  }
});

test('a bad setting names its variable', () => {
  assert.throws(() => loadConfig({ GOVSIM_SERVICES_PORT: 'eighty' }), /GOVSIM_SERVICES_PORT/);
  assert.throws(() => loadConfig({ GOVSIM_DATABASE: 'mysql' }), /GOVSIM_DATABASE/);
  assert.equal(loadConfig({ GOVSIM_SERVICES_PORT: '0' }).servicesPort, 0);
});

test('durations', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('5m1s'), 301_000);
  assert.equal(parseDuration('1w2d'), 9 * 86_400_000);
  assert.equal(parseDuration('250'), 250);
  assert.throws(() => parseDuration('soon'));
  assert.throws(() => parseDuration('5 minutes'));
});

test('Shanghai calendar days', () => {
  assert.equal(shanghaiDay(new Date('2026-11-22T16:00:00Z')), '2026-11-23');
  assert.equal(shanghaiDay(new Date('2026-11-22T15:59:59Z')), '2026-11-22');
  assert.equal(fromShanghai('2027-01-01').toISOString(), '2026-12-31T16:00:00.000Z');
  assert.equal(fromShanghai('2027-01-01T09:30').toISOString(), '2027-01-01T01:30:00.000Z');
});

test('Shanghai days, Mondays and times, worked out from day numbers and kept, are what the calendar says from 1899 to 3000', () => {
  // The plain formulas they replaced (a Date and toISOString every call).
  const day = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const monday = (instant: Date) => {
    const d = new Date(`${day(instant)}T00:00:00Z`);
    return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
  };
  for (let t = Date.UTC(1899, 0, 1); t < Date.UTC(3001, 0, 1); t += 37 * 3_600_000 + 1_234_567) {
    const instant = new Date(t);
    assert.equal(shanghaiDay(instant), day(instant));
    assert.equal(mondayOf(instant), monday(instant));
    assert.equal(shanghaiTime(instant), new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
  }
  assert.equal(mondayOf(new Date('2026-11-22T16:00:00Z')), '2026-11-23'); // Monday 00:00 in Shanghai
  assert.equal(mondayOf(new Date('2026-11-22T15:59:59Z')), '2026-11-16');
  assert.equal(addDays('2026-11-23', 7), '2026-11-30');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  for (const invalid of [new Date(Number.NaN), new Date(8.64e15)]) {
    assert.throws(() => shanghaiDay(invalid), RangeError);
    assert.throws(() => mondayOf(invalid), RangeError);
    assert.throws(() => shanghaiTime(invalid), RangeError);
  }
  assert.throws(() => addDays('2026-13-01', 1), RangeError);
});
