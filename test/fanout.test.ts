// D1 guarantees that need a process to die or race: the fan-out resumes every lane from its cursor
// after a crash with nothing lost and nothing doubled, and two fan-outs of one week issue each
// warning once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { escapeIdentifier } from 'pg';
import { addDays } from '../kernel/clock.js';
import { createDb, inTransaction } from '../kernel/db.js';
import { migrateAll } from '../services/stack.js';
import { addToScope, runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { findFanout, subjectAndWarning } from '../services/risk/store.js';
import { seedWorld } from '../services/world/seed.js';
import { dropRunPartitions } from '../services/world/store.js';
import { resetRun, runFootprint } from '../kernel/runs.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 8);
const WEEK = '2026-11-23';
const now = new Date('2026-11-23T01:00:00Z');

before(() => migrateAll(db));
after(() => db.end());

async function warnings(run: string) {
  const { rows } = await db.query<{ n: number; distinct: number }>('SELECT count(*)::int AS n, count(DISTINCT uscc)::int AS distinct FROM risk_warnings WHERE run = $1 AND week = $2', [run, WEEK]);
  return rows[0]!;
}

test('a fan-out that dies after its first batches resumes every lane from its cursor: none lost, none doubled', async () => {
  const ctx = { run: randomUUID(), now };
  await seedRiskWorld(db, ctx, { seed: 5, enterprises: 1000 });
  const crash = new Error('process died');
  await assert.rejects(
    runFanout({ db }, ctx, WEEK, {
      batch: 150,
      lanes: 2,
      onProgress: () => {
        throw crash;
      },
    }),
    crash,
  );
  const halfway = (await findFanout(db, ctx.run, WEEK))!;
  assert.equal(halfway.status, 'RUNNING');
  assert.equal(halfway.lanes.length, 2);
  assert.ok(halfway.lanes.every((l) => l.issued === 150), 'each lane committed the batch it had in hand, then stopped');
  assert.equal(await loaded(ctx.run, 2), halfway.issued);
  assert.equal((await warnings(ctx.run)).n, 0, 'the week is published whole, when its fan-out is done');

  const resumed = await runFanout({ db }, ctx, WEEK, { batch: 150, lanes: 4 }); // lanes are fixed when the week starts
  assert.deepEqual({ status: resumed.status, issued: resumed.issued, total: resumed.total, lanes: resumed.lanes?.length }, { status: 'DONE', issued: 1000, total: 1000, lanes: 2 });
  assert.deepEqual(await warnings(ctx.run), { n: 1000, distinct: 1000 });
});

test('lanes cover every enterprise once, whatever their number and however sparse the ids', async () => {
  const dense = { run: randomUUID(), now };
  await seedRiskWorld(db, dense, { seed: 7, enterprises: 997 });
  const done = await runFanout({ db }, dense, WEEK, { batch: 64, lanes: 3 });
  assert.deepEqual({ issued: done.issued, lanes: done.lanes?.length }, { issued: 997, lanes: 3 });
  assert.deepEqual(await warnings(dense.run), { n: 997, distinct: 997 });

  // Another run's enterprises put in scope in between leave gaps in this run's ids.
  const sparse = { run: randomUUID(), now };
  const other = { run: randomUUID(), now };
  await seedWorld(db, sparse.run, { seed: 8, enterprises: 5 });
  await seedWorld(db, other.run, { seed: 9, enterprises: 5 });
  const [mine, theirs] = [await registry(sparse.run), await registry(other.run)];
  for (const [index, uscc] of mine.entries()) {
    await addToScope(db, sparse, { uscc, kind: 'TRANSPORT' });
    await addToScope(db, other, { uscc: theirs[index]!, kind: 'FILLING' });
  }
  const sparseDone = await runFanout({ db }, sparse, WEEK, { batch: 1, lanes: 4 });
  assert.equal(sparseDone.issued, 5);
  assert.deepEqual(await warnings(sparse.run), { n: 5, distinct: 5 });
  assert.deepEqual(await warnings(other.run), { n: 0, distinct: 0 });
});

/** Warnings loaded so far into the lanes' tables, before they become the week's partition of risk_warnings. */
async function loaded(run: string, lanes: number) {
  const name = (await db.query<{ name: string }>('SELECT risk_partition($1, $2) AS name', [run, WEEK])).rows[0]!.name;
  let n = 0;
  for (let lane = 0; lane < lanes; lane++) n += (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_partitions.${escapeIdentifier(`${name}_${lane}`)}`)).rows[0]!.n;
  return n;
}

async function registry(run: string) {
  return (await db.query<{ uscc: string }>('SELECT uscc FROM registry_enterprises WHERE run = $1 ORDER BY uscc', [run])).rows.map((r) => r.uscc);
}

test('two fan-outs of the same week at once issue every warning once', async () => {
  const ctx = { run: randomUUID(), now };
  await seedRiskWorld(db, ctx, { seed: 6, enterprises: 800 });
  const results = await Promise.all([runFanout({ db }, ctx, WEEK, { batch: 100 }), runFanout({ db }, ctx, WEEK, { batch: 100 })]);
  assert.deepEqual(await warnings(ctx.run), { n: 800, distinct: 800 });
  assert.equal((await findFanout(db, ctx.run, WEEK))!.status, 'DONE');
  assert.ok(results.some((r) => !r.alreadyRunning));
});

test('the levels are the seeded ones: the same world and week give the same levels', async () => {
  const a = { run: randomUUID(), now };
  const b = { run: randomUUID(), now };
  for (const ctx of [a, b]) {
    await seedRiskWorld(db, ctx, { seed: 9, enterprises: 300 });
    await runFanout({ db }, ctx, WEEK);
  }
  const levels = async (run: string) => (await db.query('SELECT uscc, level FROM risk_warnings WHERE run = $1 ORDER BY uscc', [run])).rows;
  const [la, lb] = [await levels(a.run), await levels(b.run)];
  assert.deepEqual(la, lb);
  const share = (level: string) => la.filter((r) => r.level === level).length / la.length;
  assert.ok(share('BLUE') > share('RED'), 'low risk is commoner than high risk');
});

test('reset drops the run’s weekly partitions and unfinished load tables; other runs keep theirs', async () => {
  const [a, b] = [{ run: randomUUID(), now }, { run: randomUUID(), now }];
  for (const ctx of [a, b]) await seedRiskWorld(db, ctx, { seed: 11, enterprises: 50 });
  await runFanout({ db }, a, WEEK);
  await runFanout({ db }, a, addDays(WEEK, 7));
  await runFanout({ db }, b, WEEK);
  const crash = new Error('process died');
  const failing = () => {
    throw crash;
  };
  await assert.rejects(runFanout({ db }, a, addDays(WEEK, 14), { batch: 10, lanes: 1, onProgress: failing }), crash);
  const tables = async (run: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'run_partitions'::regnamespace AND relkind IN ('r', 'p') AND starts_with(relname, 'risk_warnings_' || left(md5($1), 16))`, [run])).rows[0]!.n;
  assert.deepEqual([await tables(a.run), await tables(b.run)], [3 + 3 + 2, 3], 'a table per week and one per lane (default 2 lanes; 1 in the crashed week)');
  assert.deepEqual(await runFootprint(db, b.run).then((f) => Object.keys(f).filter((t) => t.startsWith('risk_warnings'))), ['risk_warnings'], 'partitions are counted in their table');

  const deleted = await inTransaction(db, (tx) => resetRun(tx, a.run));
  assert.deepEqual(await dropRunPartitions(db, a.run), []);
  assert.equal(deleted.risk_warnings, 50 + 50, 'the warnings of the weeks done; the crashed week’s were never published');
  assert.deepEqual([await tables(a.run), await tables(b.run)], [0, 3]);
  assert.deepEqual(await runFootprint(db, a.run), {});
  assert.equal((await runFootprint(db, b.run)).risk_warnings, 50);
});

test('a week fanned out again after a reset whose partitions were left in place is issued whole', async () => {
  const ctx = { run: randomUUID(), now };
  await seedRiskWorld(db, ctx, { seed: 12, enterprises: 40 });
  await runFanout({ db }, ctx, WEEK);
  await inTransaction(db, (tx) => resetRun(tx, ctx.run)); // as if dropping its partitions had given way to busy requests
  await seedRiskWorld(db, ctx, { seed: 12, enterprises: 40 });
  const again = await runFanout({ db }, ctx, WEEK, { lanes: 3 });
  assert.deepEqual({ status: again.status, issued: again.issued, total: again.total, lanes: again.lanes?.length }, { status: 'DONE', issued: 40, total: 40, lanes: 3 });
  assert.deepEqual(await warnings(ctx.run), { n: 40, distinct: 40 });
});

test('dropping a reset run’s partitions fails no request on other runs’ warnings', async () => {
  const busy = { run: randomUUID(), now };
  await seedRiskWorld(db, busy, { seed: 13, enterprises: 20 });
  await runFanout({ db }, busy, WEEK);
  const usccs = (await db.query<{ uscc: string }>('SELECT uscc FROM risk_warnings WHERE run = $1 ORDER BY uscc', [busy.run])).rows.map((r) => r.uscc);
  let stop = false;
  // Read a warning, then write it, in one transaction (a lock upgrade on risk_warnings), while
  // other runs are fanned out, reset and their partitions detached and dropped.
  const requester = async () => {
    let done = 0;
    while (!stop) {
      const uscc = usccs[done++ % usccs.length]!;
      await inTransaction(db, async (tx) => {
        await subjectAndWarning(tx, busy.run, uscc, WEEK);
        await tx.query('SELECT pg_sleep(0.005)');
        await tx.query('UPDATE risk_warnings SET signed_by_name = $3 WHERE run = $1 AND uscc = $2', [busy.run, uscc, `n${done}`]);
      });
    }
    return done;
  };
  const requests = Promise.all([requester(), requester()]);
  for (let cycle = 0; cycle < 4; cycle++) {
    const ctx = { run: randomUUID(), now };
    await seedRiskWorld(db, ctx, { seed: 14, enterprises: 20 });
    await runFanout({ db }, ctx, WEEK);
    await inTransaction(db, (tx) => resetRun(tx, ctx.run));
    await dropRunPartitions(db, ctx.run); // may leave a partition in place; must not fail
  }
  stop = true;
  assert.ok((await requests).every((done) => done > 0));
});
