// Benchmark (not a test): the weekly fan-out of N enterprises against a bare INSERT … SELECT of
// the same number of rows of the same width, in the same fresh database, in the same run.
//   npm run bench:fanout -- --enterprises 1000000
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/platform/config.js';
import { acquireDatabase } from '../services/platform/database.js';
import { createDb, migrate } from '../services/platform/db.js';
import { runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { progressBar } from './progress.js';

const { values } = parseArgs({ options: { enterprises: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, batch: { type: 'string', default: '50000' } } });
const enterprises = Number(values.enterprises);
const run = 'bench';
const week = '2026-11-23';
const ctx = { run, now: new Date('2026-11-22T16:00:00Z') }; // Monday 00:00 in Shanghai

const database = await acquireDatabase(loadConfig(), { log: (line) => console.log(line) });
const db = createDb(database.url, 4);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  await db.query('CHECKPOINT');
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

try {
  await migrate(db);
  const seeding = progressBar('seeding', enterprises);
  const [world, seedMs] = await timed(() => seedRiskWorld(db, ctx, { seed: Number(values.seed), enterprises, onProgress: (done) => seeding.update(done) }));
  console.log(`world: ${world.inScope.toLocaleString('en')} enterprises in scope, ${world.vehicles.toLocaleString('en')} vehicles, seeded in ${seconds(seedMs)}`);
  await db.query('VACUUM ANALYZE risk_enterprises');
  await db.query('SELECT count(*) FROM risk_enterprises WHERE run = $1', [run]); // warm the cache for both

  const fanning = progressBar('fan-out', world.inScope);
  const [fanout, fanoutMs] = await timed(() => runFanout(db, ctx, week, { batch: Number(values.batch), onProgress: (f) => fanning.update(f.issued) }));
  if (fanout.issued !== world.inScope) throw new Error(`fan-out issued ${fanout.issued} of ${world.inScope}`);

  await db.query('CREATE TABLE bench_bare (LIKE risk_warnings INCLUDING DEFAULTS)');
  const [bare, bareMs] = await timed(async () =>
    (
      await db.query(`INSERT INTO bench_bare (run, uscc, week, kind, level, issued_at) SELECT run, uscc, $2::date, kind, 'BLUE', $3 FROM risk_enterprises WHERE run = $1`, [
        run,
        week,
        ctx.now,
      ])
    ).rowCount,
  );
  const width = (await db.query<{ fanout: number; bare: number }>(
    `SELECT (SELECT avg(pg_column_size(w.*)) FROM risk_warnings w WHERE run = $1)::int AS fanout, (SELECT avg(pg_column_size(b.*)) FROM bench_bare b)::int AS bare`,
    [run],
  )).rows[0]!;

  console.log(`
enterprises            ${enterprises.toLocaleString('en')}
fan-out                ${seconds(fanoutMs)}  (${fanout.issued.toLocaleString('en')} warnings, batches of ${values.batch}, ${Math.round(fanout.issued / (fanoutMs / 1000)).toLocaleString('en')} rows/s)
bare INSERT … SELECT   ${seconds(bareMs)}  (${bare?.toLocaleString('en')} rows)
ratio                  ${(fanoutMs / bareMs).toFixed(2)}  (target ≤ 2.0; fan-out target ≤ 30 s at 1M)
row width (bytes)      fan-out ${width.fanout}, bare ${width.bare}
peak RSS (node)        ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB
database               ${database.source}`);
} finally {
  await db.end();
  await database.stop();
}
