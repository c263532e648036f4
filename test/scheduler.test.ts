// The scheduler with its job registry (kernel/scheduler.ts): jobs fall due on each run's clock,
// several runs falling due at once do not starve the pool, and a job that cannot run now is tried
// again on the wall clock even while the run's clock stands still.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { loadConfig } from '../kernel/config.js';
import { createDb } from '../kernel/db.js';
import { RUN_HEADER } from '../kernel/http.js';
import { migrateAll, startStack, type Stack } from '../services/stack.js';
import { eventually } from '../features/support/eventually.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, loadConfig().dbPool);
let stack: Stack;

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 20 }, () => {});
});
after(async () => {
  await stack.close();
  await db.end();
});

const control = async (run: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${stack.urls.control}${path}`, { method, headers: { [RUN_HEADER]: run, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
};

/** Starts seeding a risk world and polls its job until it is done. */
async function seedRiskWorld(run: string, body: { seed: number; enterprises: number }) {
  const { id } = await control(run, 'POST', '/harness/v1/risk/world', body);
  const job = await eventually(async () => {
    const job = await control(run, 'GET', `/harness/v1/risk/world/jobs/${id}`);
    assert.ok(['DONE', 'FAILED'].includes(job.state), job.state);
    return job;
  }, { timeoutMs: 20_000, intervalMs: 50 });
  assert.equal(job.state, 'DONE', job.error);
}

test('six runs whose Monday comes at once are all issued, one fan-out after another, on the default pool', async () => {
  const runs = Array.from({ length: 6 }, () => `sched-${randomUUID()}`);
  for (const run of runs) {
    await control(run, 'PUT', '/harness/v1/clock', { at: '2026-11-29T23:00' });
    await seedRiskWorld(run, { seed: 3, enterprises: 30 });
  }
  for (const run of runs) await control(run, 'PUT', '/harness/v1/clock', { at: '2026-11-30T00:00:01' });
  await eventually(async () => {
    for (const run of runs) assert.equal((await control(run, 'GET', '/harness/v1/jobs/weekly-fanout/2026-11-30')).status, 'DONE');
  }, { timeoutMs: 20_000, intervalMs: 100 });
  for (const run of runs) await control(run, 'POST', '/harness/v1/reset');
});

test('a job whose run is busy is tried again on the wall clock while the run’s clock stands still', async () => {
  const run = `sched-${randomUUID()}`;
  await control(run, 'PUT', '/harness/v1/clock', { at: '2026-11-29T23:00' });
  await seedRiskWorld(run, { seed: 3, enterprises: 10 });
  // Hold the run's lock (as a reset does) while its Monday comes, on a frozen clock.
  const holder = await db.connect();
  await holder.query('SELECT pg_advisory_lock(4202613, hashtext($1))', [run]);
  await control(run, 'PUT', '/harness/v1/clock', { at: '2026-11-30T00:00:01' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await holder.query('SELECT pg_advisory_unlock(4202613, hashtext($1))', [run]);
  holder.release();
  await eventually(async () => assert.equal((await control(run, 'GET', '/harness/v1/jobs/weekly-fanout/2026-11-30')).status, 'DONE'), { timeoutMs: 10_000, intervalMs: 100 });
  await control(run, 'POST', '/harness/v1/reset');
});
