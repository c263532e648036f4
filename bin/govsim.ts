// `npm start`: every service and provider mock on localhost over a real PostgreSQL, seeded with a
// deterministic world; prints its URLs; Ctrl-C stops cleanly.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../services/platform/config.js';
import { acquireDatabase } from '../services/platform/database.js';
import { createDb, migrate } from '../services/platform/db.js';
import { DEFAULT_RUN } from '../services/platform/http.js';
import { startStack } from '../services/stack.js';
import { seedWorld } from '../services/world/seed.js';

const started = performance.now();
const config = loadConfig();
const log = (line: string) => {
  if (config.logLevel !== 'silent') console.log(`[govsim] ${line}`);
};

const database = await acquireDatabase(config, { persistentDir: config.dataDir, log });
const db = createDb(database.url, 20);
const applied = await migrate(db);
if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
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
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await stack.close();
  await db.end();
  await database.stop();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
