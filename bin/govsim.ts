#!/usr/bin/env node
// govsim's command line: `npx govsim <command>` from the installed package, `npm start`,
// `npm run seed`, `npm run migrate`, `npm run conform` in a clone.
//   govsim start                                every service and provider mock on localhost over a real
//                                               PostgreSQL, seeded with a deterministic world, served by
//                                               GOVSIM_WORKERS processes (one per core); Ctrl-C, or
//                                               SIGTERM to the process (to npm, for `npm start`), stops it all
//   govsim seed --enterprises 100000            seed a risk world into start's kept database (stop it first), with a
//                                               progress bar; --seed S, --run R
//   govsim migrate                              apply the pending migrations and stop (a deployment's migration
//                                               step; its servers then start with GOVSIM_MIGRATIONS=wait)
//   govsim conform --target <services URL>      the Gherkin's @api scenarios against another implementation of the
//                                               services, with govsim's providers and control (docs/conformance.md)
//   govsim --help                               the commands
// A command is one entry of `commands` below: its line of help and what it runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, poolPerWorker, workerCount } from '../kernel/config.js';
import { acquireDatabase, redact } from '../kernel/database.js';
import { awaitMigrations, createDb, withRunLock, type Db } from '../kernel/db.js';
import { DEFAULT_RUN } from '../kernel/http.js';
import { isWorker, serveAsWorker, startWorkers, workerName } from '../kernel/workers.js';
import { seedRiskWorld } from '../services/risk/jobs.js';
import { migrateAll, migrationSets, startStack } from '../services/stack.js';
import { seedWorld } from '../services/world/seed.js';
import { seedCreditWorld } from '../services/credit-repair/seed.js';
import { seedRegister } from '../services/licensing/register.js';
import { SEEDED_OFFICER_PASSWORD } from '../services/licensing/control.js';
import { readClock } from '../kernel/clock.js';
import type { AppLink } from '../kernel/start-page.js';
import { seedingBar } from './progress.js';
import { conform, summaryText } from '../conformance/run.js';

const config = loadConfig();
const who = workerName() ? `govsim ${workerName()}` : 'govsim';
const log = (line: string) => {
  if (config.logLevel !== 'silent') console.log(`[${who}] ${line}`);
};
const [command = 'start', ...args] = process.argv.slice(2);
/** The apps' first pages and the console, as `npm start` prints them. */
const pagesLine = (apps: AppLink[]) => apps.map((a) => `${a.label} ${a.url}`).join('   ');

// Connections `npm start` holds: in each serving process, the services' pool, the mocks' pool as
// large, and the LISTEN connection.
const workers = workerCount(config);
const connections = workers * (2 * poolPerWorker(config) + 1);

async function openDatabase(pool: number, signal?: AbortSignal) {
  const database = await acquireDatabase(config, { persistentDir: config.dataDir, log, connections: connections + 10 });
  const db = createDb(database.url, pool);
  if (config.migrations === 'wait') await awaitMigrations(db, migrationSets, { log, ...(signal ? { signal } : {}) });
  else {
    const applied = await migrateAll(db);
    if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  }
  return { database, db };
}

async function migrateOnly() {
  const database = await acquireDatabase(config, { persistentDir: config.dataDir, log });
  const db = createDb(database.url, 1);
  try {
    const applied = await migrateAll(db);
    console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: none pending');
  } finally {
    await db.end();
    await database.stop();
  }
}

/** Says so when the server takes fewer connections than the workers will hold (a DATABASE_URL of the user's own). */
async function checkConnections(db: Db) {
  const { rows } = await db.query<{ max: number }>(`SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS max`);
  const max = rows[0]!.max;
  if (connections > max) log(`warning: ${workers} worker(s) will hold up to ${connections} connections, and PostgreSQL takes ${max}: lower GOVSIM_WORKERS or GOVSIM_DB_POOL`);
}

/** A worker of `npm start`: the whole stack over the database its primary opened. */
async function serveWorker() {
  const db = createDb(config.databaseUrl, poolPerWorker(config));
  try {
    const stack = await startStack(db, config, log);
    return { urls: { ...stack.urls, pages: pagesLine(stack.apps) }, close: async () => (await stack.close(), await db.end()) };
  } catch (error) {
    await db.end();
    throw error;
  }
}

async function start() {
  // Taken from the first moment: a stop asked for while starting is carried out once started.
  let stop: ((signal: string) => Promise<void>) | undefined;
  let stopAsked: string | undefined;
  const starting = new AbortController(); // ends a wait for migrations (GOVSIM_MIGRATIONS=wait)
  const onSignal = (signal: string) => {
    if (stop) return void stop(signal);
    stopAsked ??= signal;
    starting.abort(new Error(`${stopAsked}: stopped before starting`));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // A stop signal sent to `npm start` reaches govsim because the script execs node in place of
  // the shell (a shell would keep it). Should the starter end without passing one on (killed, or
  // a wrapper that does not exec), govsim, left without the parent it was started by, stops too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && onSignal('parent process gone'), 250).unref();

  const started = performance.now();
  const { database, db } = await openDatabase(poolPerWorker(config), starting.signal);
  await checkConnections(db);
  // Under a lock of start's own: instances started at once over one database seed one after the
  // other, and the later ones find everything there. (Not the run's lock: seeding the world takes
  // that one itself, on a connection of its own, and would wait for this one for ever.)
  await withRunLock(db, `${DEFAULT_RUN}|start`, { wait: true }, async () => {
    const world = await seedWorld(db, DEFAULT_RUN, { seed: config.seed, enterprises: config.seedEnterprises });
    log(`world: seed ${config.seed}, ${config.seedEnterprises} enterprises in run "${DEFAULT_RUN}" (${world.enterprises} new)`);
    // Something to try every flow on at once: 广州's offices, staff and listing records (信用修复), and
    // 常州's register with its officers (licensing), both from the same seed, each kept if already there.
    const ctx = { run: DEFAULT_RUN, now: (await readClock(db, DEFAULT_RUN)).now };
    const credit = await seedCreditWorld(db, ctx, { seed: config.seed, enterprises: config.seedEnterprises });
    const register = await seedRegister(db, ctx, { seed: config.seed, enterprises: Math.min(config.seedEnterprises, 20), password: SEEDED_OFFICER_PASSWORD });
    log(`信用修复: ${credit.staff} staff, ${credit.records} listing records new; 常州 register: ${register.enterprises} enterprises new; officers <authority>-reviewer / <authority>-inspector (e.g. cz-inspector), password ${SEEDED_OFFICER_PASSWORD}`);
  });
  // One worker: this process serves. More: each worker serves over connections of its own, and this
  // process keeps none.
  let serving: { urls: Record<string, string>; close(): Promise<void> };
  if (workers === 1) {
    const stack = await startStack(db, config, log);
    serving = { urls: { ...stack.urls, pages: pagesLine(stack.apps) }, close: async () => (await stack.close(), await db.end()) };
  } else {
    await db.end();
    try {
      const group = await startWorkers(workers, { DATABASE_URL: database.url, GOVSIM_DATABASE: 'url' }, log);
      serving = { urls: group.urls, close: group.stop };
    } catch (error) {
      await database.stop();
      throw error;
    }
  }
  const { services, providers, control, pages } = serving.urls;
  // The password of a DATABASE_URL of the user's own stays out of the log; the throw-away ones are shown whole, to connect with.
  const databaseUrl = database.source === 'url' ? redact(database.url) : database.url;
  console.log(`
govsim is ready in ${Math.round(performance.now() - started)} ms (database: ${database.source}; ${workers === 1 ? 'one process' : `${workers} workers`})
  services   ${services}      API browser ${services}/docs/   start page ${services}/
  providers  ${providers}      API browser ${providers}/docs/   start page ${providers}/
  control    ${control}      API browser ${control}/docs/   console ${control}/
  database   ${databaseUrl}
  pages      ${pages}
Press Ctrl-C to stop.`);

  let stopping = false;
  stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    let failed = false;
    for (const [what, step] of [[workers === 1 ? 'servers' : 'workers', () => serving.close()], ['database', () => database.stop()]] as const) {
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
    console.error(`${config.dataDir}/pgdata is in use (is govsim start running?). Stop it first, or seed through the control API: POST /harness/v1/risk/world`);
    process.exit(1);
  }
  const { database, db } = await openDatabase(config.dbPool);
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

async function conformCommand() {
  const { values } = parseArgs({
    args,
    options: {
      target: { type: 'string' },
      'target-control': { type: 'string' },
      control: { type: 'string' },
      tags: { type: 'string' },
      workers: { type: 'string', default: String(config.testWorkers) },
      reports: { type: 'string', default: path.join('reports', 'conformance') },
    },
  });
  if (!values.target) {
    console.error('usage: govsim conform --target <base URL of the services under test> [--target-control <URL>] [--control <govsim control URL>] [--tags <expression>] [--workers n] [--reports folder]');
    process.exit(2);
  }
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) {
    console.error(`--workers: not a number of workers: ${values.workers}`);
    process.exit(2);
  }
  const trim = (url: string | undefined) => url?.replace(/\/+$/, '');
  let report;
  try {
    report = await conform(config, { target: trim(values.target)!, targetControl: trim(values['target-control']), control: trim(values.control), tags: values.tags, workers, reports: values.reports }, log);
  } catch (error) {
    console.error(`govsim conform: ${(error as Error).message}`);
    process.exit(2);
  }
  console.log(summaryText(report, values.reports));
  process.exit(report.conform === report.total ? 0 : 1);
}

interface Command {
  /** Its options, for --help. */
  options?: string;
  /** What it does, for --help. */
  summary: string;
  run(): Promise<void>;
}

const commands: Record<string, Command> = {
  start: { summary: 'every service and provider mock on localhost over PostgreSQL, seeded; Ctrl-C stops', run: start },
  seed: { options: '[--enterprises N] [--seed S] [--run KEY]', summary: 'seed a risk world into the database `govsim start` keeps (stop it first)', run: seed },
  migrate: { summary: 'apply the pending migrations and stop (a deployment’s migration step)', run: migrateOnly },
  conform: {
    options: '--target URL [--target-control URL] [--control URL] [--tags EXPR] [--workers N] [--reports DIR]',
    summary: 'the @api scenarios of A1–F7 against another implementation of the services (docs/conformance.md)',
    run: conformCommand,
  },
};

function help(): string {
  const lines = [...Object.entries(commands).map(([name, c]) => [`govsim ${name}${c.options ? ` ${c.options}` : ''}`, c.summary]), ['govsim --help', 'this text']];
  return [
    'govsim: reference services and scriptable provider mocks for Chinese government e-services.',
    '',
    'Usage: govsim <command> [options]   (no command: start)',
    '',
    ...lines.flatMap(([usage, summary]) => [`  ${usage}`, `      ${summary}`]),
    '',
    `Settings are environment variables (DATABASE_URL, GOVSIM_SERVICES_PORT …): see the README's Settings.`,
  ].join('\n');
}

const chosen = commands[command];
if (command === '--help' || command === '-h' || command === 'help') console.log(help());
else if (!chosen) {
  console.error(`unknown command ${command}\n\n${help()}`);
  process.exit(2);
} else if (isWorker()) await serveAsWorker(serveWorker); // a process `govsim start` started to serve
else await chosen.run();
