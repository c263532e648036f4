// The registry (the world every service shares): people and market entities of a run.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { escapeIdentifier, escapeLiteral, type PoolClient } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { inTransaction, type Db, type Queryable } from '../../kernel/db.js';

export interface Person {
  name: string;
  idNumber: string;
  mobile: string;
  idValidFrom: string;
  idValidTo: string;
}

export interface Enterprise {
  uscc: string;
  name: string;
  kind: 'company' | 'individual' | 'cooperative';
  status: string;
  industry: string;
  legalRepName: string;
  legalRepIdNumber: string;
  district: string;
  office: string;
}

const BATCH = 5000;

export async function insertPersons(db: Queryable, run: string, persons: Person[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < persons.length; i += BATCH) {
    const batch = persons.slice(i, i + BATCH);
    const { rowCount } = await db.query(
      `INSERT INTO registry_persons (run, id_number, name, mobile, id_valid_from, id_valid_to)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [run, batch.map((p) => p.idNumber), batch.map((p) => p.name), batch.map((p) => p.mobile), batch.map((p) => p.idValidFrom), batch.map((p) => p.idValidTo)],
    );
    inserted += rowCount ?? 0;
  }
  return inserted;
}

export async function insertEnterprises(db: Queryable, run: string, enterprises: Enterprise[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < enterprises.length; i += BATCH) {
    const b = enterprises.slice(i, i + BATCH);
    const { rowCount } = await db.query(
      `INSERT INTO registry_enterprises (run, uscc, name, kind, status, industry, legal_rep_id_number, legal_rep_name, district, office)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT DO NOTHING`,
      [run, ...(['uscc', 'name', 'kind', 'status', 'industry', 'legalRepIdNumber', 'legalRepName', 'district', 'office'] as const).map((k) => b.map((e) => e[k]))],
    );
    inserted += rowCount ?? 0;
  }
  return inserted;
}

// Seeded worlds -----------------------------------------------------------------------------------

/**
 * The tables a run's seeded world of `table` is loaded into, in schema run_partitions, named
 * <table>_<first 16 hex of md5(run)>_<use> (dropRunPartitions drops them): `world`, the run's
 * partition of `table` once attached; `load`, rows to merge into `table`, dropped once merged.
 */
export type LoadUse = 'world' | 'load';
export function worldTable(table: string, run: string, use: LoadUse = 'world'): string {
  return `run_partitions.${escapeIdentifier(`${table}_${createHash('md5').update(run).digest('hex').slice(0, 16)}_${use}`)}`;
}

/** Whether the run holds rows in any of `tables` (a world then merges into them instead of becoming their partitions). */
export async function runHoldsRows(db: Queryable, run: string, tables: string[]): Promise<boolean> {
  const { rows } = await db.query<{ holds: boolean }>(`SELECT ${tables.map((t) => `EXISTS (SELECT 1 FROM ${t} WHERE run = $1)`).join(' OR ')} AS holds`, [run]);
  return rows[0]!.holds;
}

/**
 * A table without indexes for the run's rows of `table`, made anew (a failed load's is dropped):
 * its `owner` constraint is the partition bound, so attaching it reads no row of it.
 */
export async function createLoadTable(tx: Queryable, table: string, run: string, use: LoadUse): Promise<string> {
  const name = worldTable(table, run, use);
  await tx.query(`DROP TABLE IF EXISTS ${name}`);
  await tx.query(`CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT owner CHECK (run = ${escapeLiteral(run)}))`);
  return name;
}

export const PERSON_LOAD = ['run', 'id_number', 'name', 'mobile', 'id_valid_from', 'id_valid_to'] as const;
export const ENTERPRISE_LOAD = ['run', 'uscc', 'name', 'kind', 'status', 'industry', 'legal_rep_id_number', 'legal_rep_name', 'district', 'office'] as const;

/**
 * COPY into a load table made in the same transaction, written line by line (text format) by the
 * caller. FREEZE: its rows are stored as visible to all (nobody else sees the table before it
 * commits), so that no later read or vacuum rewrites a page of it to say so.
 */
export function copyInto(client: PoolClient, table: string, columns: readonly string[]): CopyStreamQuery {
  return client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FREEZE)`));
}

/** Writes `text` to a COPY, waiting while PostgreSQL has not taken what was written before. */
export async function writeCopy(copy: CopyStreamQuery, text: string | Uint8Array): Promise<void> {
  if (!copy.write(text)) await once(copy, 'drain');
}

export async function endCopy(copy: CopyStreamQuery): Promise<number> {
  copy.end();
  await finished(copy);
  return copy.rowCount;
}

/** Ends a COPY still under way with an error (PostgreSQL drops what it took), so that its connection can go on. */
export async function abortCopy(copy: CopyStreamQuery, error: Error): Promise<void> {
  if (copy.writableFinished || copy.destroyed) return;
  copy.destroy(error);
  await finished(copy).catch(() => {});
}

/** A COPY text field: backslash, tab and line breaks escaped. */
export const copyField = (value: string) => value.replace(/[\\\t\n\r]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\'));

/** The keys of a loaded registry table, built in one sorted pass each (as the partitioned table has them). */
export async function keyRegistryTable(tx: Queryable, table: 'registry_persons' | 'registry_enterprises', name: string): Promise<void> {
  if (table === 'registry_persons') {
    await tx.query(`ALTER TABLE ${name} ADD PRIMARY KEY (run, id_number)`);
  } else {
    await tx.query(`ALTER TABLE ${name} ADD PRIMARY KEY (run, uscc)`);
    await tx.query(`CREATE INDEX ON ${name} (run, legal_rep_id_number)`);
  }
}

/** Makes a keyed load table the run's partition of `table`, in the caller's transaction. */
export async function attachWorldTable(tx: Queryable, table: string, run: string): Promise<void> {
  await tx.query(`ALTER TABLE ${table} ATTACH PARTITION ${worldTable(table, run)} FOR VALUES IN (${escapeLiteral(run)})`);
}

/** Adds a load table's rows the run does not hold yet to `table` (keys already there keep their rows), in key order. */
export async function mergeLoadTable(tx: Queryable, table: 'registry_persons' | 'registry_enterprises', run: string): Promise<number> {
  const key = table === 'registry_persons' ? 'id_number' : 'uscc';
  const { rowCount } = await tx.query(`INSERT INTO ${table} SELECT * FROM ${worldTable(table, run, 'load')} ORDER BY ${key} ON CONFLICT DO NOTHING`);
  return rowCount ?? 0;
}

/** Drops the run's load tables of `tables` (`world` ones only while not attached: the caller's to know). */
export async function dropLoadTables(db: Queryable, run: string, tables: string[], use: LoadUse): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${tables.map((t) => worldTable(t, run, use)).join(', ')}`);
}

const ENTERPRISE_COLUMNS = `uscc, name, kind, status, industry, legal_rep_name AS "legalRepName", legal_rep_id_number AS "legalRepIdNumber", district, office`;
const PERSON_COLUMNS = `id_number AS "idNumber", name, mobile, id_valid_from AS "idValidFrom", id_valid_to AS "idValidTo"`;

export async function findEnterprise(db: Queryable, run: string, uscc: string): Promise<Enterprise | undefined> {
  const { rows } = await db.query<Enterprise>(`SELECT ${ENTERPRISE_COLUMNS} FROM registry_enterprises WHERE run = $1 AND uscc = $2`, [run, uscc]);
  return rows[0];
}

export async function enterprisesOfLegalRep(db: Queryable, run: string, idNumber: string): Promise<Enterprise[]> {
  const { rows } = await db.query<Enterprise>(`SELECT ${ENTERPRISE_COLUMNS} FROM registry_enterprises WHERE run = $1 AND legal_rep_id_number = $2 ORDER BY uscc`, [run, idNumber]);
  return rows;
}

export async function findPerson(db: Queryable, run: string, idNumber: string): Promise<Person | undefined> {
  const { rows } = await db.query<Person>(`SELECT ${PERSON_COLUMNS} FROM registry_persons WHERE run = $1 AND id_number = $2`, [run, idNumber]);
  return rows[0];
}

export async function listEnterprises(db: Queryable, run: string, q: { legalRepIdNumber?: string | undefined; limit: number; offset: number }): Promise<Enterprise[]> {
  const { rows } = await db.query<Enterprise>(
    `SELECT ${ENTERPRISE_COLUMNS} FROM registry_enterprises WHERE run = $1 AND ($2::text IS NULL OR legal_rep_id_number = $2) ORDER BY uscc LIMIT $3 OFFSET $4`,
    [run, q.legalRepIdNumber ?? null, q.limit, q.offset],
  );
  return rows;
}

export async function listPersons(db: Queryable, run: string, q: { limit: number; offset: number }): Promise<Person[]> {
  const { rows } = await db.query<Person>(`SELECT ${PERSON_COLUMNS} FROM registry_persons WHERE run = $1 ORDER BY id_number LIMIT $2 OFFSET $3`, [run, q.limit, q.offset]);
  return rows;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drops a run's partitions: tables in schema run_partitions named <table>_<first 16 hex of
 * md5(run)>_<…> (`prefix`, when given, narrows the <…>), attached or not. Detaching takes an
 * exclusive lock on the partitioned table (and would lock tables with foreign keys to it: there
 * are none), so it runs in its own transaction with a short lock timeout, a few times: requests
 * queued behind it wait no longer than that, and it gives way to busy ones. Answers the
 * partitions left in place (still attached: empty after a reset, retried at the next drop).
 */
export async function dropRunPartitions(db: Db, run: string, prefix = ''): Promise<string[]> {
  const { rows } = await db.query<{ name: string; parent: string | null }>(
    `SELECT c.relname AS name, (SELECT inhparent::regclass::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                                 WHERE i.inhrelid = c.oid AND p.relnamespace = current_schema()::regnamespace) AS parent
       FROM pg_class c JOIN pg_class t ON starts_with(c.relname, t.relname || '_' || left(md5($1), 16) || '_' || $2)
      WHERE c.relnamespace = 'run_partitions'::regnamespace AND c.relkind IN ('r', 'p')
        AND t.relkind = 'p' AND t.relnamespace = current_schema()::regnamespace`,
    [run, prefix],
  );
  const left: string[] = [];
  for (const { name, parent } of rows.filter((r) => r.parent)) {
    let detached = false;
    for (let attempt = 0; attempt < 10 && !detached; attempt++) {
      detached = await inTransaction(db, async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '200ms'`);
        await tx.query(`ALTER TABLE ${parent} DETACH PARTITION run_partitions.${escapeIdentifier(name)}`);
        return true;
      }).catch(async (error: { code?: string }) => {
        if (error.code !== '55P03') throw error; // lock_not_available
        await sleep(50 + 100 * attempt);
        return false;
      });
    }
    if (!detached) left.push(name);
  }
  const drop = rows.filter((r) => !left.some((name) => r.name.startsWith(name))).map((r) => `run_partitions.${escapeIdentifier(r.name)}`);
  if (drop.length) await db.query(`DROP TABLE IF EXISTS ${drop.join(', ')}`);
  return left;
}
