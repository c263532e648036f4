// The registry (the world every service shares): people and market entities of a run.
import { escapeIdentifier } from 'pg';
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
