// The govsim that bench-api measures: a fresh embedded PostgreSQL in a throw-away folder (as
// bin/with-database.ts gets one), migrated, and every server on a free port of 127.0.0.1 —
// either a stack in this process, or (--workers) `npm start`'s entry run with each worker count
// asked for, each over a database of its own on that server, so that the instances measured in
// turn share nothing but the machine (not even a fence: processes over one database wait for
// each other's).
// The only file of the benchmark that knows how govsim is started: keep it in step with
// features/support/stack.ts and test/load-flows.test.ts.
import { loadConfig } from '../../kernel/config.js';
import { acquireDatabase, createScratchDatabase, type AcquiredDatabase } from '../../kernel/database.js';
import { createDb, type Db } from '../../kernel/db.js';
import { migrateAll, startStack, type StackUrls } from '../../services/stack.js';
import { startGovsimProcess, type GovsimProcess } from '../govsim-process.js';

/** One govsim measured: where it serves, and how to reach its database. */
export interface Target {
  urls: StackUrls;
  /** Worker processes serving it; undefined: the stack in this process. */
  workers?: number | undefined;
  /** A pool of its own for the benchmark's set-up SQL, apart from govsim's connections. */
  fixtures: Db;
  /** The connection string, for a baseline that queries the same PostgreSQL. */
  url: string;
}

export interface Govsim {
  targets: Target[];
  database: string;
  stop(): Promise<void>;
}

// Always embedded and throw-away (even with DATABASE_URL set): the benchmark writes tens of
// thousands of rows and must not share its database with anything else.
const benchConfig = () => loadConfig(process.env, { database: 'embedded', databaseUrl: '' });

/** A stack in this process. */
export async function startGovsim(log: (line: string) => void): Promise<Govsim> {
  const config = benchConfig();
  const database = await acquireDatabase(config, { log });
  const db = createDb(database.url, config.dbPool);
  const fixtures = createDb(database.url, 2);
  try {
    await migrateAll(db);
    // The scheduler stays off: every run's clock is frozen on a Monday morning, and a fan-out
    // started behind the benchmark's back would skew whatever is being measured.
    const stack = await startStack(db, { ...config, servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, log);
    return {
      targets: [{ urls: stack.urls, fixtures, url: database.url }],
      database: `${database.source} PostgreSQL (throw-away)`,
      stop: async () => {
        await stack.close();
        await Promise.all([db.end(), fixtures.end()]);
        await database.stop();
      },
    };
  } catch (error) {
    await Promise.all([db.end(), fixtures.end()]);
    await database.stop();
    throw error;
  }
}

/** `npm start` with each of `counts` workers (GOVSIM_WORKERS), one after another, each over its own database. */
export async function startGovsimWorkers(counts: number[], log: (line: string) => void): Promise<Govsim> {
  const config = benchConfig();
  const database: AcquiredDatabase = await acquireDatabase(config, { log });
  const started: { instance: GovsimProcess; target: Target }[] = [];
  const stop = async () => {
    for (const { instance, target } of started) {
      await instance.stop();
      await target.fixtures.end();
    }
    await database.stop();
  };
  try {
    for (const workers of counts) {
      const { url } = await createScratchDatabase(database.url, `govsim_workers_${workers}`);
      const fixtures = createDb(url, 2);
      await migrateAll(fixtures);
      // The scheduler off, as in this process; nothing seeded but what every start seeds.
      const instance = await startGovsimProcess({
        DATABASE_URL: url,
        GOVSIM_DATABASE: 'url',
        GOVSIM_WORKERS: String(workers),
        GOVSIM_SERVICES_PORT: '0',
        GOVSIM_PROVIDERS_PORT: '0',
        GOVSIM_CONTROL_PORT: '0',
        GOVSIM_SCHEDULER_MS: '0',
        GOVSIM_SEED_ENTERPRISES: '0',
        GOVSIM_LOG: 'silent',
      });
      started.push({ instance, target: { urls: instance.urls, workers, fixtures, url } });
    }
    return { targets: started.map((s) => s.target), database: `${database.source} PostgreSQL (throw-away), a database per worker count`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
