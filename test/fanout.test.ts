// D1 guarantees that need a process to die or race: the fan-out resumes from its cursor after a
// crash with nothing lost and nothing doubled, and two fan-outs of one week issue each warning once.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createDb, migrate } from '../services/platform/db.js';
import { runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { findFanout } from '../services/risk/store.js';

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

test('a fan-out that dies after its first batch resumes from the cursor: none lost, none doubled', async () => {
  const ctx = { run: randomUUID(), now };
  await seedRiskWorld(db, ctx, { seed: 5, enterprises: 1000 });
  const crash = new Error('process died');
  await assert.rejects(
    runFanout(db, ctx, WEEK, {
      batch: 300,
      onProgress: () => {
        throw crash;
      },
    }),
    crash,
  );
  const halfway = (await findFanout(db, ctx.run, WEEK))!;
  assert.deepEqual({ status: halfway.status, issued: halfway.issued }, { status: 'RUNNING', issued: 300 });
  assert.equal((await warnings(ctx.run)).n, 300);

  const resumed = await runFanout(db, ctx, WEEK, { batch: 300 });
  assert.deepEqual({ status: resumed.status, issued: resumed.issued, total: resumed.total }, { status: 'DONE', issued: 1000, total: 1000 });
  assert.deepEqual(await warnings(ctx.run), { n: 1000, distinct: 1000 });
});

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
