// PostgreSQL access through `pg`: one pool per process, versioned SQL migrations applied at
// start (under an advisory lock, so parallel workers may all call migrate), and a transaction helper.
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import pg from 'pg';

export type Db = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

const MIGRATION_LOCK = 4_202_611; // arbitrary advisory-lock key owned by govsim

// DATE columns hold calendar days (授权截止日期, ID validity): keep them as 'YYYY-MM-DD' strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * The process's pool. Its sessions plan each prepared statement once (plan_cache_mode =
 * force_generic_plan): request-path statements look rows up by key, and a statement over a week's
 * partitioned warnings would otherwise be planned anew on every call (PostgreSQL keeps choosing a
 * custom plan there: its generic plan counts every lane's partition, pruned only when it runs),
 * which cost three times the statement itself. Bulk work over ranges plans per call: `bulkPlans`.
 */
export function createDb(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, options: '-c plan_cache_mode=force_generic_plan' });
  pool.on('error', () => {}); // an idle client dropped by the server; the next query reconnects
  return pool;
}

/**
 * In a transaction that loads or scans ranges (a fan-out batch, a seed): plan each statement for
 * its own values again, as PostgreSQL does by default, until the transaction ends.
 */
export const bulkPlans = (tx: Queryable) => tx.query('SET LOCAL plan_cache_mode = auto');

/** A folder of versioned SQL files owned by one part of govsim (the kernel, the mocks, a domain). */
export interface MigrationSet {
  owner: string;
  dir: string;
}

// Before each part owned its migrations they were one folder; a database made then holds these
// names, and its schema is the baseline below (the same tables, split by owner).
const LEGACY = ['0001_harness.sql', '0002_yueshangtong.sql', '0003_face_checks.sql', '0004_registration.sql', '0005_risk.sql', '0006_risk_weekly_partitions.sql'];
const BASELINE = [
  'kernel/0001_clock.sql',
  'mocks/0001_providers.sql',
  'world/0001_registry.sql',
  'verification/0001_face_checks.sql',
  'yueshangtong/0001_accounts.sql',
  'registration/0001_registration.sql',
  'risk/0001_risk.sql',
  'risk/0002_risk_weekly_partitions.sql',
];

/**
 * Applies every set's SQL files not yet applied, set by set in the order given, each file in its
 * own transaction, recorded as `owner/file`. Parallel workers may all call it (advisory lock).
 */
export async function migrate(db: Db, sets: MigrationSet[]): Promise<string[]> {
  const client = await db.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    if (LEGACY.some((name) => done.has(name)) && !done.has(BASELINE[0]!)) {
      if (!LEGACY.every((name) => done.has(name))) throw new Error('this database was made by an early govsim whose migrations cannot be carried on: start from an empty one (remove GOVSIM_DATA_DIR/pgdata)');
      await client.query('INSERT INTO schema_migrations (name) SELECT unnest($1::text[])', [BASELINE]);
      BASELINE.forEach((name) => done.add(name));
    }
    const applied: string[] = [];
    for (const { name, file } of await migrationFiles(sets)) {
      if (done.has(name)) continue;
      const sql = await readFile(file, 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** Every SQL file of the sets, in the order migrate applies them, named `owner/file`. */
export async function migrationFiles(sets: MigrationSet[]): Promise<{ name: string; file: string }[]> {
  const all: { name: string; file: string }[] = [];
  for (const set of sets) {
    const files = (await readdir(set.dir).catch(() => [] as string[])).filter((f) => f.endsWith('.sql')).sort();
    all.push(...files.map((file) => ({ name: `${set.owner}/${file}`, file: path.join(set.dir, file) })));
  }
  return all;
}

/** The migrations of the sets this database has not applied yet (all of them on an empty one), in order. */
export async function pendingMigrations(db: Queryable, sets: MigrationSet[]): Promise<string[]> {
  const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  const done = new Set(rows[0]!.present ? (await db.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name) : []);
  return (await migrationFiles(sets)).map((m) => m.name).filter((name) => !done.has(name));
}

/**
 * Waits until every migration of the sets is applied by another process (a migration Job),
 * checking every `intervalMs`; says what it waits for, again only when that changes. A database that cannot be reached
 * yet is waited for too. Rejects with the signal's reason once `signal` is aborted (a stop).
 */
export async function awaitMigrations(db: Db, sets: MigrationSet[], options: { intervalMs?: number; log?: (line: string) => void; signal?: AbortSignal } = {}): Promise<void> {
  let said = '';
  for (;;) {
    options.signal?.throwIfAborted();
    const pending = await pendingMigrations(db, sets).catch((error: Error) => [`(database: ${error.message})`]);
    if (!pending.length) return;
    const line = `waiting for migrations to be applied by another process: ${pending.join(', ')}`;
    if (line !== said) options.log?.((said = line));
    await sleep(options.intervalMs ?? 1000, undefined, options.signal ? { signal: options.signal } : {}).catch((error: unknown) => {
      options.signal?.throwIfAborted();
      throw error;
    });
  }
}

/** Runs `work` in one transaction: all of it is stored, or none of it. */
export async function inTransaction<T>(db: Db, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A refusal that must not undo what its transaction wrote (a counted failed try, an offer). */
export class Refusal {
  constructor(readonly error: Error) {}
}
export const refuse = (error: Error) => new Refusal(error);

/** Runs `work` in one transaction; a Refusal it returns is committed first, then thrown. */
export async function decideInTransaction<T>(db: Db, work: (tx: pg.PoolClient) => Promise<T | Refusal>): Promise<T> {
  const outcome = await inTransaction(db, work);
  if (outcome instanceof Refusal) throw outcome.error;
  return outcome;
}

const RUN_LOCK = 4_202_613;

/**
 * Runs `work` holding the run's advisory lock (waiting for it, or giving up at once with
 * `wait: false`, then answering undefined). Reset and the scheduler take it, so a run is never
 * deleted under a job that is writing to it.
 */
export async function withRunLock<T>(db: Db, run: string, options: { wait: boolean }, work: () => Promise<T>): Promise<T | undefined> {
  const client = await db.connect();
  try {
    if (options.wait) await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [RUN_LOCK, run]);
    else if (!(await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [RUN_LOCK, run])).rows[0]!.got) return undefined;
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RUN_LOCK, run]);
    }
  } finally {
    client.release();
  }
}
