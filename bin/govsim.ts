// govsim's command line.
//   npm start                                   every service and provider mock on localhost over a real
//                                               PostgreSQL, seeded with a deterministic world; Ctrl-C, or
//                                               SIGTERM to the npm process, stops it all
//   npm run seed -- --enterprises 100000        seed a risk world into `npm start`'s database (stop it first), with a
//                                               progress bar; --seed S, --run R
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../kernel/config.js';
import { acquireDatabase, redact } from '../kernel/database.js';
import { createDb } from '../kernel/db.js';
import { DEFAULT_RUN } from '../kernel/http.js';
import { seedRiskWorld } from '../services/risk/jobs.js';
import { migrateAll, startStack } from '../services/stack.js';
import { seedWorld } from '../services/world/seed.js';
import { seedCreditWorld } from '../services/credit-repair/seed.js';
import { seedRegister } from '../services/licensing/register.js';
import { SEEDED_OFFICER_PASSWORD } from '../services/licensing/control.js';
import { readClock } from '../kernel/clock.js';
import { seedingBar } from './progress.js';

const config = loadConfig();
const log = (line: string) => {
  if (config.logLevel !== 'silent') console.log(`[govsim] ${line}`);
};
const [command = 'start', ...args] = process.argv.slice(2);

async function openDatabase() {
  const database = await acquireDatabase(config, { persistentDir: config.dataDir, log });
  const db = createDb(database.url, config.dbPool);
  const applied = await migrateAll(db);
  if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  return { database, db };
}

async function start() {
  // Taken from the first moment: a stop asked for while starting is carried out once started.
  let stop: ((signal: string) => Promise<void>) | undefined;
  let stopAsked: string | undefined;
  const onSignal = (signal: string) => (stop ? void stop(signal) : (stopAsked ??= signal));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // A stop signal sent to `npm start` reaches govsim because the script execs node in place of
  // the shell (a shell would keep it). Should the starter end without passing one on (killed, or
  // a wrapper that does not exec), govsim, left without the parent it was started by, stops too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && onSignal('parent process gone'), 250).unref();

  const started = performance.now();
  const { database, db } = await openDatabase();
  const world = await seedWorld(db, DEFAULT_RUN, { seed: config.seed, enterprises: config.seedEnterprises });
  log(`world: seed ${config.seed}, ${config.seedEnterprises} enterprises in run "${DEFAULT_RUN}" (${world.enterprises} new)`);
  // Something to try every flow on at once: 广州's offices, staff and listing records (信用修复), and
  // 常州's register with its officers (licensing), both from the same seed, each kept if already there.
  const ctx = { run: DEFAULT_RUN, now: (await readClock(db, DEFAULT_RUN)).now };
  const credit = await seedCreditWorld(db, ctx, { seed: config.seed, enterprises: config.seedEnterprises });
  const register = await seedRegister(db, ctx, { seed: config.seed, enterprises: Math.min(config.seedEnterprises, 20), password: SEEDED_OFFICER_PASSWORD });
  log(`信用修复: ${credit.staff} staff, ${credit.records} listing records new; 常州 register: ${register.enterprises} enterprises new; officers <authority>-reviewer / <authority>-inspector (e.g. cz-inspector), password ${SEEDED_OFFICER_PASSWORD}`);
  const stack = await startStack(db, config, log);
  const { services, providers, control } = stack.urls;
  // The password of a DATABASE_URL of the user's own stays out of the log; the throw-away ones are shown whole, to connect with.
  const databaseUrl = database.source === 'url' ? redact(database.url) : database.url;
  console.log(`
govsim is ready in ${Math.round(performance.now() - started)} ms (database: ${database.source})
  services   ${services}      API browser ${services}/docs/   start page ${services}/
  providers  ${providers}      API browser ${providers}/docs/   start page ${providers}/
  control    ${control}      API browser ${control}/docs/   start page ${control}/
  database   ${databaseUrl}
Press Ctrl-C to stop.`);

  let stopping = false;
  stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    let failed = false;
    for (const [what, step] of [['servers', () => stack.close()], ['connections', () => db.end()], ['database', () => database.stop()]] as const) {
      try {
        await step();
      } catch (error) {
        failed = true;
        console.error(`[govsim] stopping the ${what}: ${(error as Error).message}`);
      }
    }
    log('stopped');
    process.exit(failed ? 1 : 0);
  };
  if (stopAsked) void stop(stopAsked);
}

async function seed() {
  const { values } = parseArgs({ args, options: { enterprises: { type: 'string', default: '10000' }, seed: { type: 'string', default: String(config.seed) }, run: { type: 'string', default: DEFAULT_RUN } } });
  if (!config.databaseUrl && existsSync(path.resolve(config.dataDir, 'pgdata', 'postmaster.pid'))) {
    console.error(`${config.dataDir}/pgdata is in use (is \`npm start\` running?). Stop it first, or seed through the control API: POST /harness/v1/risk/world`);
    process.exit(1);
  }
  const { database, db } = await openDatabase();
  try {
    const enterprises = Number(values.enterprises);
    const bar = seedingBar(enterprises);
    const ctx = { run: values.run, now: new Date() };
    const started = performance.now();
    const world = await seedRiskWorld(db, ctx, { seed: Number(values.seed), enterprises, onProgress: bar.update });
    bar.end();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`run "${values.run}": ${world.enterprises.toLocaleString('en')} enterprises with their legal representatives, ${world.inScope.toLocaleString('en')} in scope, ${world.vehicles.toLocaleString('en')} vehicles added (seed ${world.seed}) in ${seconds} s`);
  } finally {
    await db.end();
    await database.stop();
  }
}

const commands: Record<string, () => Promise<void>> = { start, seed };
const run = commands[command];
if (!run) {
  console.error(`unknown command ${command}: use start or seed`);
  process.exit(2);
}
await run();
