// D1 guarantees that need a process to die or race: the fan-out resumes every lane from its cursor
// after a crash with nothing lost and nothing doubled, and two fan-outs of one week issue each
// warning once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createDb, migrate } from '../services/platform/db.js';
import { addToScope, runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { findFanout } from '../services/risk/store.js';
import { seedWorld } from '../services/world/seed.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 8);
const WEEK = '2026-11-23';
const now = new Date('2026-11-23T01:00:00Z');

before(() => migrate(db));
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
    runFanout(db, ctx, WEEK, {
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
  assert.equal((await warnings(ctx.run)).n, halfway.issued);

  const resumed = await runFanout(db, ctx, WEEK, { batch: 150, lanes: 4 }); // lanes are fixed when the week starts
  assert.deepEqual({ status: resumed.status, issued: resumed.issued, total: resumed.total, lanes: resumed.lanes?.length }, { status: 'DONE', issued: 1000, total: 1000, lanes: 2 });
  assert.deepEqual(await warnings(ctx.run), { n: 1000, distinct: 1000 });
});

test('lanes cover every enterprise once, whatever their number and however sparse the ids', async () => {
  const dense = { run: randomUUID(), now };
  await seedRiskWorld(db, dense, { seed: 7, enterprises: 997 });
  const done = await runFanout(db, dense, WEEK, { batch: 64, lanes: 3 });
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
  const sparseDone = await runFanout(db, sparse, WEEK, { batch: 1, lanes: 4 });
  assert.equal(sparseDone.issued, 5);
  assert.deepEqual(await warnings(sparse.run), { n: 5, distinct: 5 });
  assert.deepEqual(await warnings(other.run), { n: 0, distinct: 0 });
});

async function registry(run: string) {
  return (await db.query<{ uscc: string }>('SELECT uscc FROM registry_enterprises WHERE run = $1 ORDER BY uscc', [run])).rows.map((r) => r.uscc);
}

test('two fan-outs of the same week at once issue every warning once', async () => {
  const ctx = { run: randomUUID(), now };
  await seedRiskWorld(db, ctx, { seed: 6, enterprises: 800 });
  const results = await Promise.all([runFanout(db, ctx, WEEK, { batch: 100 }), runFanout(db, ctx, WEEK, { batch: 100 })]);
  assert.deepEqual(await warnings(ctx.run), { n: 800, distinct: 800 });
  assert.equal((await findFanout(db, ctx.run, WEEK))!.status, 'DONE');
  assert.ok(results.some((r) => !r.alreadyRunning));
});

test('the levels are the seeded ones: the same world and week give the same levels', async () => {
  const a = { run: randomUUID(), now };
  const b = { run: randomUUID(), now };
  for (const ctx of [a, b]) {
    await seedRiskWorld(db, ctx, { seed: 9, enterprises: 300 });
    await runFanout(db, ctx, WEEK);
  }
  const levels = async (run: string) => (await db.query('SELECT uscc, level FROM risk_warnings WHERE run = $1 ORDER BY uscc', [run])).rows;
  const [la, lb] = [await levels(a.run), await levels(b.run)];
  assert.deepEqual(la, lb);
  const share = (level: string) => la.filter((r) => r.level === level).length / la.length;
  assert.ok(share('BLUE') > share('RED'), 'low risk is commoner than high risk');
});
