// H4 at province scale: a seeded world is the same, byte for byte, from the same seed, whether it
// becomes its run's own partitions or merges into rows the run already holds; its identifiers are
// valid; a seeding that fails stores nothing; runs keep apart; and the control API's seeding job
// answers at once and is followed to its end.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { loadConfig } from '../kernel/config.js';
import { createDb } from '../kernel/db.js';
import { isValidPlate, isValidResidentId, isValidUscc } from '../kernel/identifiers.js';
import { RUN_HEADER } from '../kernel/http.js';
import { runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { migrateAll, startStack, type Stack } from '../services/stack.js';
import { OWN_TABLES_FROM, seedWorld, worldSlice } from '../services/world/seed.js';
import { resetRun, runFootprint } from '../kernel/runs.js';
import { dropRunPartitions } from '../services/world/store.js';
import { eventually } from '../features/support/eventually.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 8);
const now = new Date('2026-11-23T01:00:00Z');
const N = OWN_TABLES_FROM;
let stack: Stack;

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, () => {});
});
after(async () => {
  await stack.close();
  await db.end();
});

/** md5 over every seeded table's rows of the run in key order, the run key left out (ids counted from the run's first). */
async function worldDigest(run: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ t: string; md5: string; n: number }>(
    `SELECT 'registry_persons' AS t, md5(string_agg(concat_ws('|', id_number, name, mobile, id_valid_from, id_valid_to), E'\\n' ORDER BY id_number)) AS md5, count(*)::int AS n
       FROM registry_persons WHERE run = $1
     UNION ALL
     SELECT 'registry_enterprises', md5(string_agg(concat_ws('|', uscc, name, kind, status, industry, legal_rep_id_number, legal_rep_name, district, office), E'\\n' ORDER BY uscc)), count(*)
       FROM registry_enterprises WHERE run = $1
     UNION ALL
     SELECT 'risk_enterprises', md5(string_agg(concat_ws('|', uscc, kind, id - (SELECT min(id) FROM risk_enterprises WHERE run = $1)), E'\\n' ORDER BY uscc)), count(*)
       FROM risk_enterprises WHERE run = $1
     UNION ALL
     SELECT 'risk_vehicles', md5(string_agg(concat_ws('|', plate, owner_uscc, in_province, bucket), E'\\n' ORDER BY plate)), count(*)
       FROM risk_vehicles WHERE run = $1`,
    [run],
  );
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n} ${r.md5}`]));
}

/** The run's tables in schema run_partitions (its own partitions, attached or not). */
async function partitionsOf(run: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = 'run_partitions'::regnamespace AND relkind IN ('r', 'p') AND relname LIKE '%' || left(md5($1), 16) || '%' ORDER BY relname`,
    [run],
  );
  return rows.map((r) => r.name);
}

async function reset(run: string) {
  await resetRun(db, run);
  assert.deepEqual(await dropRunPartitions(db, run), []);
}

test('the same seed gives the same world byte for byte: twice as the run’s own partitions, and merged into a run that holds rows', async () => {
  const [a, b, merged] = [`seed-a-${randomUUID()}`, `seed-b-${randomUUID()}`, `seed-merged-${randomUUID()}`];
  const worldA = await seedRiskWorld(db, { run: a, now }, { seed: 17, enterprises: N });
  const worldB = await seedRiskWorld(db, { run: b, now }, { seed: 17, enterprises: N });
  // A run that holds the first 20 already (as `npm start` seeds its run) gets the rest merged in.
  await seedWorld(db, merged, { seed: 17, enterprises: 20 });
  const worldMerged = await seedRiskWorld(db, { run: merged, now }, { seed: 17, enterprises: N });

  assert.equal(worldA.inScope, worldA.enterprises); // every enterprise is in scope (a few of the N were drawn twice)
  assert.deepEqual({ ...worldB, enterprises: worldA.enterprises }, worldA);
  assert.equal(worldMerged.enterprises, worldA.enterprises - 20);
  assert.equal(worldMerged.vehicles, worldA.vehicles);
  assert.ok(worldA.vehicles > N, `${worldA.vehicles} vehicles`);
  const digest = await worldDigest(a);
  assert.deepEqual(await worldDigest(b), digest);
  assert.deepEqual(await worldDigest(merged), digest);
  // Two became their runs' partitions (keyed, attached); the merged one has none.
  assert.deepEqual((await partitionsOf(a)).length, 4);
  assert.deepEqual(await partitionsOf(merged), []);
  const { rows: world } = await db.query<{ in_scope: number }>('SELECT in_scope FROM risk_worlds WHERE run = $1', [a]);
  assert.equal(world[0]!.in_scope, worldA.inScope);

  // Seeding again adds nothing.
  assert.deepEqual(await seedRiskWorld(db, { run: a, now }, { seed: 17, enterprises: N }), { seed: 17, enterprises: 0, inScope: 0, vehicles: 0 });
  assert.deepEqual(await worldDigest(a), digest);

  // The week is issued to every enterprise of a world seeded as its run's partitions.
  const fanout = await runFanout({ db }, { run: b, now }, '2026-11-23');
  assert.deepEqual([fanout.status, fanout.issued], ['DONE', worldB.inScope]);

  // Reset drops one run's world and leaves the other's as it was.
  await reset(a);
  assert.deepEqual(await runFootprint(db, a), {});
  assert.deepEqual(await partitionsOf(a), []);
  assert.deepEqual(await worldDigest(b), digest);
  await reset(b);
  await reset(merged);
});

test('a seeded world holds the generator’s people and entities, each as first drawn; its identifiers are valid; each legal representative is registered', async () => {
  const run = `seed-valid-${randomUUID()}`;
  const size = 3 * N; // generated by the worker threads
  await seedRiskWorld(db, { run, now }, { seed: 23, enterprises: size });
  const persons = (await db.query<{ id_number: string; name: string }>('SELECT id_number, name FROM registry_persons WHERE run = $1', [run])).rows;
  const enterprises = (await db.query<{ uscc: string; legal_rep_id_number: string; legal_rep_name: string }>('SELECT uscc, legal_rep_id_number, legal_rep_name FROM registry_enterprises WHERE run = $1', [run])).rows;
  const plates = (await db.query<{ plate: string }>('SELECT plate FROM risk_vehicles WHERE run = $1', [run])).rows;
  for (const p of persons) assert.ok(isValidResidentId(p.id_number), p.id_number);
  for (const e of enterprises) assert.ok(isValidUscc(e.uscc), e.uscc);
  for (const v of plates) assert.ok(isValidPlate(v.plate), v.plate);
  const people = new Set(persons.map((p) => p.id_number));
  assert.ok(enterprises.every((e) => people.has(e.legal_rep_id_number)));

  // The rows are the generator's, each key as first drawn.
  const firstDrawn = <T>(rows: T[], key: (row: T) => string) => [...new Map(rows.toReversed().map((r) => [key(r), r])).values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const expected = worldSlice(23, 0, size);
  const stored = await db.query(`SELECT id_number AS "idNumber", name, mobile, id_valid_from AS "idValidFrom", id_valid_to AS "idValidTo" FROM registry_persons WHERE run = $1 ORDER BY id_number`, [run]);
  assert.deepEqual(stored.rows, firstDrawn(expected.persons, (p) => p.idNumber));
  const entities = await db.query(
    `SELECT uscc, name, kind, status, industry, legal_rep_name AS "legalRepName", legal_rep_id_number AS "legalRepIdNumber", district, office FROM registry_enterprises WHERE run = $1 ORDER BY uscc`,
    [run],
  );
  assert.deepEqual(entities.rows, firstDrawn(expected.enterprises, (e) => e.uscc));
  await reset(run);
});

test('a seeding that fails, whatever its phase, stores nothing and leaves no table behind', async () => {
  for (const phase of ['registry', 'scope', 'store'] as const) {
    const run = `seed-failed-${randomUUID()}`;
    const failure = new Error(`stopped in ${phase}`);
    await assert.rejects(
      seedRiskWorld(db, { run, now }, {
        seed: 29,
        enterprises: N,
        onProgress: (p) => {
          if (p.phase === phase && (phase !== 'registry' || p.done > N / 2)) throw failure;
        },
      }),
      failure,
    );
    assert.deepEqual(await runFootprint(db, run), {}, phase);
    assert.deepEqual(await partitionsOf(run), [], phase);
  }
});

const control = async (run: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${stack.urls.control}${path}`, { method, headers: { [RUN_HEADER]: run, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location'), body: text ? JSON.parse(text) : undefined };
};

test('POST /harness/v1/risk/world answers at once with a job, followed to DONE with the world; one job at a time per run', async () => {
  const run = `seed-job-${randomUUID()}`;
  const started = await control(run, 'POST', '/harness/v1/risk/world', { seed: 31, enterprises: N });
  assert.equal(started.status, 202);
  assert.equal(started.body.state, 'QUEUED');
  assert.equal(started.location, `/harness/v1/risk/world/jobs/${started.body.id}`);
  const again = await control(run, 'POST', '/harness/v1/risk/world', { seed: 31, enterprises: N });
  assert.deepEqual([again.status, again.body.code], [409, 'WORLD_BEING_SEEDED']);

  const seen = new Set<string>();
  const done = await eventually(
    async () => {
      const job = (await control(run, 'GET', started.location!)).body;
      seen.add(job.state);
      assert.equal(job.state, 'DONE', `${job.state} ${job.phase} ${job.done}/${job.total} ${job.error ?? ''}`);
      return job;
    },
    { timeoutMs: 60_000, intervalMs: 20 },
  );
  assert.equal(done.done, N);
  assert.equal(done.result.inScope, done.result.enterprises);
  // The world is there for the services at once (the views heard of it before DONE).
  const { body: listed } = await control(run, 'GET', '/harness/v1/registry/enterprises?limit=1');
  assert.equal(listed.length, 1);
  assert.deepEqual((await control(run, 'GET', `/harness/v1/risk/world/jobs/${randomUUID()}`)).body.code, 'NO_WORLD_JOB');
  // Another run's job is not this run's.
  assert.equal((await control(`other-${run}`, 'GET', started.location!)).status, 404);

  // A job left RUNNING by a process that died (it stopped moving) gives way to a new one.
  await db.query(`INSERT INTO risk_world_jobs (run, id, seed, enterprises, state, phase, total, created_at, updated_at) VALUES ($1, $2, 1, 5, 'RUNNING', 'registry', 5, now() - interval '1 hour', now() - interval '1 hour')`, [`stale-${run}`, randomUUID()]);
  const replaced = await control(`stale-${run}`, 'POST', '/harness/v1/risk/world', { seed: 1, enterprises: 5 });
  assert.equal(replaced.status, 202);
  await eventually(async () => assert.equal((await control(`stale-${run}`, 'GET', replaced.location!)).body.state, 'DONE'), { timeoutMs: 20_000, intervalMs: 20 });
  for (const r of [run, `stale-${run}`]) await control(r, 'POST', '/harness/v1/reset');
});
