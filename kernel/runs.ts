// Runs (see README "Isolation: run keys"): the key a call carries, and what a run owns whatever the
// part of govsim: every table with a `run` column holds run-scoped rows. The footprint counts
// them; a reset deletes them (the harness control, the in-process provider mocks).
import type { Queryable } from './db.js';

/** The header that names a call's run; a call without one belongs to DEFAULT_RUN. */
export const RUN_HEADER = 'x-govsim-run';
export const DEFAULT_RUN = 'default';
/** What a run key may be. */
export const RUN_KEY = /^[A-Za-z0-9_.:-]{1,80}$/;

// From the catalog, not information_schema (whose views cost more than the counts themselves).
async function runScopedTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>({
    name: 'govsim_run_scoped_tables',
    text: `SELECT c.relname AS table_name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attname = 'run' AND NOT a.attisdropped
            ORDER BY c.relname`,
  });
  return rows.map((r) => r.table_name);
}

/** Rows the run has in every run-scoped table (tables with none are left out), counted in one statement. */
export async function runFootprint(db: Queryable, run: string): Promise<Record<string, number>> {
  const tables = await runScopedTables(db);
  if (!tables.length) return {};
  const { rows } = await db.query<{ t: string; n: number }>(tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t} WHERE run = $1`).join(' UNION ALL '), [run]);
  return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.t, r.n]));
}

/**
 * Deletes everything a run owns, in every table with a `run` column, children before parents.
 * (A partitioned table's rows are deleted too; dropRunPartitions then drops the run's empty
 * partitions, outside this transaction.)
 */
export async function resetRun(db: Queryable, run: string): Promise<Record<string, number>> {
  const { rows: edges } = await db.query<{ child: string; parent: string }>(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f'`,
  );
  const remaining = new Set(await runScopedTables(db));
  const deleted: Record<string, number> = {};
  while (remaining.size) {
    const leaf = [...remaining].find((t) => !edges.some((e) => e.parent === t && e.child !== t && remaining.has(e.child)));
    if (!leaf) throw new Error('cyclic foreign keys between run-scoped tables');
    const { rowCount } = await db.query(`DELETE FROM ${leaf} WHERE run = $1`, [run]);
    if (rowCount) deleted[leaf] = rowCount;
    remaining.delete(leaf);
  }
  return deleted;
}
