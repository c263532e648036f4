// A govsim stack for bench-api, in this process: a fresh embedded PostgreSQL in a throw-away folder
// (as bin/with-database.ts gets one), migrated, and every server on a free port of 127.0.0.1.
// The only file of the benchmark that knows how govsim is started: keep it in step with
// features/support/stack.ts and test/load-flows.test.ts.
import { loadConfig } from '../../kernel/config.js';
import { acquireDatabase } from '../../kernel/database.js';
import { createDb, type Db } from '../../kernel/db.js';
import { migrateAll, startStack, type StackUrls } from '../../services/stack.js';

export interface Govsim {
  urls: StackUrls;
  /** A pool of its own for the benchmark's set-up SQL, apart from the stack's connections. */
  fixtures: Db;
  /** The connection string, for a baseline that queries the same PostgreSQL. */
  url: string;
  database: string;
  stop(): Promise<void>;
}

export async function startGovsim(log: (line: string) => void): Promise<Govsim> {
  // Always embedded and throw-away (even with DATABASE_URL set): the benchmark writes tens of
  // thousands of rows and must not share its database with anything else.
  const config = loadConfig(process.env, { database: 'embedded', databaseUrl: '' });
  const database = await acquireDatabase(config, { log });
  const db = createDb(database.url, config.dbPool);
  const fixtures = createDb(database.url, 2);
  try {
    await migrateAll(db);
    // The scheduler stays off: every run's clock is frozen on a Monday morning, and a fan-out
    // started behind the benchmark's back would skew whatever is being measured.
    const stack = await startStack(db, { ...config, servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, log);
    return {
      urls: stack.urls,
      fixtures,
      url: database.url,
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
