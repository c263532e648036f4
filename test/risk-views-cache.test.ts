// What the risk views keep in memory (services/risk/views.ts: enterprises with their warnings and
// feedback, put-off popups, each week's vehicle lists) follows every change, in the process that
// made it and in the others: two processes' worth of caches (two Live connections) over one database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createDb } from '../kernel/db.js';
import { Live } from '../kernel/live.js';
import { migrateAll } from '../services/stack.js';
import { runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { overrideLevel } from '../services/risk/store.js';
import * as uc from '../services/risk/use-cases.js';
import { riskViews } from '../services/risk/views.js';
import type { EnterpriseCaller } from '../services/yueshangtong/access.js';
import { eventually } from '../features/support/eventually.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 4);
let here: Live;
let there: Live;

before(async () => {
  await migrateAll(db);
  here = await Live.start(db, databaseUrl);
  there = await Live.start(db, databaseUrl);
});
after(async () => {
  await here.close();
  await there.close();
  await db.end();
});

const WEEK = '2026-11-23';
const ctx = (run: string) => ({ run, now: new Date('2026-11-23T01:00:00Z') });

/** A risk world with the week's warnings, and a caller acting for one enterprise of `kind` that has vehicles to show. */
async function world(run: string, kind: 'FILLING' | 'TRANSPORT') {
  await seedRiskWorld(db, ctx(run), { seed: 3, enterprises: 60 });
  await runFanout({ db, fanoutLanes: 1 }, ctx(run), WEEK);
  const { rows } = await db.query<{ uscc: string; name: string }>(
    `SELECT e.uscc, r.name FROM risk_enterprises e JOIN registry_enterprises r USING (run, uscc)
      WHERE e.run = $1 AND e.kind = $2 AND (e.kind = 'FILLING' OR EXISTS (SELECT 1 FROM risk_vehicles v WHERE v.run = e.run AND v.owner_uscc = e.uscc))
      ORDER BY e.uscc LIMIT 1`,
    [run, kind],
  );
  const { uscc, name } = rows[0]!;
  return { account: { uscc, enterpriseName: name }, person: { id: randomUUID(), name: '田军' }, tokenHash: randomUUID() } as unknown as EnterpriseCaller;
}

const deps = (live: Live) => ({ db, views: riskViews(live) });

test('a vehicle level fixed in one process reaches the transport view kept by another', async () => {
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'TRANSPORT');
  const before = await uc.period(deps(there), ctx(run), caller, WEEK);
  const vehicle = (before as { vehicles: { plate: string; level: { code: string } }[] }).vehicles[0]!;
  const level = vehicle.level.code === 'RED' ? 'BLUE' : 'RED';
  await overrideLevel(db, run, vehicle.plate, WEEK, level); // written "here"
  await eventually(
    async () => {
      const now = (await uc.period(deps(there), ctx(run), caller, WEEK)) as { vehicles: { plate: string; level: { code: string } }[] };
      assert.equal(now.vehicles.find((v) => v.plate === vehicle.plate)!.level.code, level);
    },
    { timeoutMs: 2_000, intervalMs: 5 },
  );
});

test('a top vehicle fixed red is first in the filling view the next time it is read', async () => {
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'FILLING');
  const read = async () => (await uc.period(deps(here), ctx(run), caller, WEEK)) as { topVehicles: { inProvince: { plate: string; level: { code: string } }[] } };
  const last = (await read()).topVehicles.inProvince.at(-1)!;
  assert.notEqual(last.level.code, 'RED'); // the list is sorted riskiest first: its last is not red yet
  await overrideLevel(db, run, last.plate, WEEK, 'RED');
  here.changed('govsim_risk', run); // what the control API's fence gives a request: this process has heard the change
  const first = (await read()).topVehicles.inProvince[0]!;
  assert.equal(first.level.code, 'RED');
  assert.ok((await read()).topVehicles.inProvince.some((v) => v.plate === last.plate && v.level.code === 'RED'));
});

test('a warning signed, and its feedback, through one process reach the popup and list kept by another', async () => {
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'TRANSPORT');
  assert.equal((await uc.popup(deps(there), ctx(run), caller)).show, true); // kept by "there"
  await uc.sign(deps(here), ctx(run), caller, WEEK);
  await eventually(async () => assert.equal((await uc.popup(deps(there), ctx(run), caller)).show, false), { timeoutMs: 2_000, intervalMs: 5 });
  const feedback = { measures: ['OTHER'], description: '已整改', contactName: '田军', contactMobile: '13800138000' };
  await uc.submitFeedback(deps(here), ctx(run), caller, WEEK, feedback);
  await eventually(
    async () => {
      const list = (await uc.overview(deps(there), ctx(run), caller)) as { periods: { week: string; status: { code: string } }[] };
      assert.equal(list.periods.find((p) => p.week === WEEK)!.status.code, 'FED_BACK');
    },
    { timeoutMs: 2_000, intervalMs: 5 },
  );
});

test('the writing process never answers from what it kept before its own write', async () => {
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'FILLING');
  assert.equal((await uc.popup(deps(here), ctx(run), caller)).show, true);
  await uc.later(deps(here), ctx(run), caller);
  assert.equal((await uc.popup(deps(here), ctx(run), caller)).show, false); // no wait: the put-off is seen at once
  const signed = await uc.sign(deps(here), ctx(run), caller, WEEK);
  assert.equal(signed.signedNow, true);
  const period = (await uc.period(deps(here), ctx(run), caller, WEEK)) as { warning: { status: { code: string } } };
  assert.notEqual(period.warning.status.code, 'UNSIGNED');
});

test('a week issued later is listed by a process that kept the enterprise before', async () => {
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'TRANSPORT');
  const weeks = async () => ((await uc.overview(deps(there), ctx(run), caller)) as { periods: { week: string }[] }).periods.map((p) => p.week);
  assert.deepEqual(await weeks(), [WEEK]);
  await runFanout({ db, fanoutLanes: 2 }, ctx(run), '2026-11-30'); // issued "here"
  await eventually(async () => assert.deepEqual(await weeks(), ['2026-11-30', WEEK]), { timeoutMs: 2_000, intervalMs: 5 });
});

test('sign and feedback go to the week’s own table, and still answer right when it is gone or made again', async () => {
  const { dropRunPartitions } = await import('../services/world/store.js');
  const { resetRun } = await import('../kernel/runs.js');
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'TRANSPORT');
  // A week never fanned out: no table of its own; answered as through risk_warnings.
  await assert.rejects(uc.sign(deps(here), ctx(run), caller, '2026-11-30'), { code: 'WARNING_NOT_FOUND' });
  assert.equal((await uc.sign(deps(here), ctx(run), caller, WEEK)).signedNow, true); // prepared on the week's table
  await resetRun(db, run);
  await dropRunPartitions(db, run); // the table the statement was prepared on is gone
  await assert.rejects(uc.sign(deps(here), ctx(run), caller, WEEK), { code: 'NOT_IN_SCOPE' });
  const again = await world(run, 'TRANSPORT'); // the same table name, made again
  const signed = await uc.sign(deps(here), ctx(run), again, WEEK);
  assert.equal(signed.signedNow, true);
  const feedback = { measures: ['OTHER'], description: '已整改', contactName: '田军', contactMobile: '13800138000' };
  assert.ok((await uc.submitFeedback(deps(here), ctx(run), again, WEEK, feedback)).feedback);
});

test('two weeks of a run signed over one connection use statements of their own', async () => {
  const run = `views-${randomUUID()}`;
  const caller = await world(run, 'TRANSPORT');
  await runFanout({ db, fanoutLanes: 1 }, ctx(run), '2026-11-30');
  const one = createDb(databaseUrl!, 1); // one connection: both prepared statements live on it
  try {
    const later = { run, now: new Date('2026-12-01T01:00:00Z') };
    assert.equal((await uc.sign({ db: one, views: riskViews(here) }, later, caller, WEEK)).signedNow, true);
    assert.equal((await uc.sign({ db: one, views: riskViews(here) }, later, caller, '2026-11-30')).signedNow, true);
  } finally {
    await one.end();
  }
});
