// Benchmark (not a test): the weekly fan-out of N enterprises against a bare INSERT … SELECT of
// the same number of rows of the same width, in the same fresh database, in the same run.
// Rounds alternate the two (fan-out of week 1, bare, fan-out of week 2, bare, …); the ratio is
// of their medians, and every round is printed.
//   npm run bench:fanout -- --enterprises 1000000 [--rounds 3] [--lanes 2] [--batch 100000]
import { parseArgs } from 'node:util';
import { addDays } from '../kernel/clock.js';
import { loadConfig } from '../kernel/config.js';
import { acquireDatabase } from '../kernel/database.js';
import { createDb } from '../kernel/db.js';
import { migrateAll } from '../services/stack.js';
import { FANOUT_BATCH, runFanout, seedRiskWorld } from '../services/risk/jobs.js';
import { progressBar, seedingBar } from './progress.js';

const config = loadConfig();
const { values } = parseArgs({
  options: {
    enterprises: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: String(FANOUT_BATCH) },
    lanes: { type: 'string', default: String(config.fanoutLanes) },
    rounds: { type: 'string', default: '3' },
  },
});
const [enterprises, batch, lanes, rounds] = [Number(values.enterprises), Number(values.batch), Number(values.lanes), Number(values.rounds)];
const run = 'bench';
const firstWeek = '2026-11-23';
const ctx = { run, now: new Date('2026-11-22T16:00:00Z') }; // Monday 00:00 in Shanghai

const database = await acquireDatabase(config, { log: (line) => console.log(line) });
const db = createDb(database.url, lanes + 2);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  await db.query('CHECKPOINT');
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

try {
  await migrateAll(db);
  const seeding = seedingBar(enterprises);
  const [world, seedMs] = await timed(() => seedRiskWorld(db, ctx, { seed: Number(values.seed), enterprises, onProgress: seeding.update }));
  seeding.end();
  console.log(`world: ${world.inScope.toLocaleString('en')} enterprises in scope, ${world.vehicles.toLocaleString('en')} vehicles, seeded in ${seconds(seedMs)}`);
  await db.query('VACUUM ANALYZE risk_enterprises');
  await db.query('SELECT count(*) FROM risk_enterprises WHERE run = $1', [run]); // warm the cache for both

  const fanoutMs: number[] = [];
  const bareMs: number[] = [];
  const indexedMs: number[] = [];
  /** A bare INSERT … SELECT of the week's rows into a fresh copy of risk_warnings (`including`: what the copy keeps). */
  const bareInsert = async (week: string, including: string) => {
    await db.query('DROP TABLE IF EXISTS bench_bare');
    await db.query(`CREATE TABLE bench_bare (LIKE risk_warnings ${including})`);
    const [rows, ms] = await timed(async () => {
      const sql = `INSERT INTO bench_bare (run, enterprise_id, uscc, week, kind, level, issued_at) SELECT run, id, uscc, $2::date, kind, 'BLUE', $3 FROM risk_enterprises WHERE run = $1`;
      return (await db.query(sql, [run, week, ctx.now])).rowCount;
    });
    if (rows !== world.inScope) throw new Error(`bare insert wrote ${rows} of ${world.inScope}`);
    return ms;
  };
  for (let round = 0; round < rounds; round++) {
    const week = addDays(firstWeek, 7 * round);
    const fanning = progressBar(`fan-out ${week}`, world.inScope);
    const [fanout, ms] = await timed(() => runFanout({ db }, ctx, week, { batch, lanes, onProgress: (f) => fanning.update(f.issued) }));
    if (fanout.issued !== world.inScope) throw new Error(`fan-out issued ${fanout.issued} of ${world.inScope}`);
    fanoutMs.push(ms);

    const ims = await bareInsert(week, 'INCLUDING DEFAULTS INCLUDING INDEXES');
    indexedMs.push(ims);
    const bms = await bareInsert(week, 'INCLUDING DEFAULTS');
    bareMs.push(bms);
    console.log(`round ${round + 1}: fan-out ${seconds(ms)}, bare ${seconds(bms)}, ratio ${(ms / bms).toFixed(2)}; bare with the same indexes ${seconds(ims)}`);
  }
  const width = (await db.query<{ fanout: number; bare: number }>(
    `SELECT (SELECT avg(pg_column_size(w.*)) FROM risk_warnings w WHERE run = $1)::int AS fanout, (SELECT avg(pg_column_size(b.*)) FROM bench_bare b)::int AS bare`,
    [run],
  )).rows[0]!;
  const [fan, bare, indexed] = [median(fanoutMs), median(bareMs), median(indexedMs)];

  console.log(`
enterprises            ${enterprises.toLocaleString('en')} (${world.inScope.toLocaleString('en')} in scope)
fan-out (median)       ${seconds(fan)}  (${rounds} weeks, ${lanes} lanes, batches of ${batch.toLocaleString('en')}, ${Math.round(world.inScope / (fan / 1000)).toLocaleString('en')} rows/s)
bare INSERT … SELECT   ${seconds(bare)}  (median of ${rounds}, one statement into a table without indexes)
ratio                  ${(fan / bare).toFixed(2)}  (target ≤ 2.0; fan-out target ≤ 30 s at 1M)
same, with indexes     ${seconds(indexed)}  (the bare insert into a copy with risk_warnings' indexes: fan-out / this = ${(fan / indexed).toFixed(2)})
rounds                 fan-out ${fanoutMs.map(seconds).join(', ')}; bare ${bareMs.map(seconds).join(', ')}; with indexes ${indexedMs.map(seconds).join(', ')}
row width (bytes)      fan-out ${width.fanout}, bare ${width.bare}
peak RSS (node)        ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB
database               ${database.source}`);
} finally {
  await db.end();
  await database.stop();
}
