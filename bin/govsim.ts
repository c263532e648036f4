// govsim's command line.
//   npm start                                   every service and provider mock on localhost over a real
//                                               PostgreSQL, seeded with a deterministic world; Ctrl-C stops
//   npm run seed -- --enterprises 100000        seed a risk world into `npm start`'s database, with a progress bar
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../kernel/config.js';
import { acquireDatabase } from '../kernel/database.js';
import { createDb } from '../kernel/db.js';
import { DEFAULT_RUN } from '../kernel/http.js';
import { seedRiskWorld } from '../services/risk/jobs.js';
import { migrateAll, startStack } from '../services/stack.js';
import { seedWorld } from '../services/world/seed.js';
import { progressBar } from './progress.js';

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
  const started = performance.now();
  const { database, db } = await openDatabase();
  const world = await seedWorld(db, DEFAULT_RUN, { seed: config.seed, enterprises: config.seedEnterprises });
  log(`world: seed ${config.seed}, ${config.seedEnterprises} enterprises in run "${DEFAULT_RUN}" (${world.enterprises} new)`);
  const stack = await startStack(db, config, log);
  console.log(`
govsim is ready in ${Math.round(performance.now() - started)} ms (database: ${database.source})
  services   ${stack.urls.services}      API browser ${stack.urls.services}/docs/
  providers  ${stack.urls.providers}      API browser ${stack.urls.providers}/docs/
  control    ${stack.urls.control}      API browser ${stack.urls.control}/docs/   start page ${stack.urls.control}/
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await stack.close();
    await db.end();
    await database.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
    const bar = progressBar('seeding', enterprises);
    const ctx = { run: values.run, now: new Date() };
    const world = await seedRiskWorld(db, ctx, { seed: Number(values.seed), enterprises, onProgress: (done) => bar.update(done) });
    console.log(`run "${values.run}": ${world.inScope.toLocaleString('en')} enterprises in scope, ${world.vehicles.toLocaleString('en')} vehicles (seed ${world.seed})`);
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
