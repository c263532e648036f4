// The outcome table and the journal, in PostgreSQL so that every process serving a provider
// (HTTP server, MSW in a consumer's test, several test workers) sees the same scripts.
import type { Queryable } from '../../services/platform/db.js';

export const FAULTS = ['timeout', 'http500', 'http503', 'reset'] as const;
export type Fault = (typeof FAULTS)[number];

export interface Script {
  id: number;
  provider: string;
  subject: string;
  operation: string | null;
  outcome: string | null;
  latency_ms: number;
  fault: Fault | null;
  remaining: number;
}

export interface NewScript {
  run: string;
  provider: string;
  subject: string;
  operation?: string | undefined;
  outcome?: string | undefined;
  latencyMs?: number | undefined;
  fault?: Fault | undefined;
  times?: number | undefined;
}

export async function addScript(db: Queryable, s: NewScript): Promise<Script> {
  const { rows } = await db.query<Script>(
    `INSERT INTO provider_scripts (run, provider, subject, operation, outcome, latency_ms, fault, remaining)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, provider, subject, operation, outcome, latency_ms, fault, remaining`,
    [s.run, s.provider, s.subject, s.operation ?? null, s.outcome ?? null, s.latencyMs ?? 0, s.fault ?? null, s.times ?? 1],
  );
  return rows[0]!;
}

/**
 * Takes the next script that fits this call, oldest first: one naming this operation, or one
 * naming none that carries a business outcome (deciding operations only) or only latency/fault
 * (any operation). Concurrent calls each take a different use (row lock, SKIP LOCKED).
 */
export async function takeScript(db: Queryable, call: { run: string; provider: string; subject: string; operation: string; decides: boolean }): Promise<Script | undefined> {
  const { rows } = await db.query<Script>(
    `WITH next AS (
       SELECT id FROM provider_scripts
        WHERE run = $1 AND provider = $2 AND subject = $3 AND remaining > 0
          AND (operation = $4 OR (operation IS NULL AND (outcome IS NULL OR $5)))
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE provider_scripts s SET remaining = s.remaining - 1 FROM next WHERE s.id = next.id
     RETURNING s.id, s.provider, s.subject, s.operation, s.outcome, s.latency_ms, s.fault, s.remaining`,
    [call.run, call.provider, call.subject, call.operation, call.decides],
  );
  return rows[0];
}

export async function listScripts(db: Queryable, run: string, provider: string, subject?: string): Promise<Script[]> {
  const { rows } = await db.query<Script>(
    `SELECT id, provider, subject, operation, outcome, latency_ms, fault, remaining FROM provider_scripts
      WHERE run = $1 AND provider = $2 AND ($3::text IS NULL OR subject = $3) AND remaining > 0 ORDER BY id`,
    [run, provider, subject ?? null],
  );
  return rows;
}

export async function clearScripts(db: Queryable, run: string, provider: string, subject?: string): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM provider_scripts WHERE run = $1 AND provider = $2 AND ($3::text IS NULL OR subject = $3)`, [
    run,
    provider,
    subject ?? null,
  ]);
  return rowCount ?? 0;
}

export interface JournalEntry {
  run: string;
  provider: string;
  operation: string;
  subject: string | undefined;
  request: unknown;
  status?: number | undefined;
  response?: unknown;
  outcome?: string | undefined;
  fault?: Fault | undefined;
  latencyMs?: number | undefined;
  at: Date;
}

export async function journal(db: Queryable, e: JournalEntry): Promise<void> {
  await db.query(
    `INSERT INTO provider_calls (run, provider, operation, subject, request, status, response, outcome, fault, latency_ms, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [e.run, e.provider, e.operation, e.subject ?? null, JSON.stringify(e.request), e.status ?? null, e.response === undefined ? null : JSON.stringify(e.response), e.outcome ?? null, e.fault ?? null, e.latencyMs ?? 0, e.at],
  );
}

export interface JournalQuery {
  run: string;
  provider?: string | undefined;
  subject?: string | undefined;
  operation?: string | undefined;
  limit?: number | undefined;
}

export async function readJournal(db: Queryable, q: JournalQuery) {
  const { rows } = await db.query(
    `SELECT id, provider, operation, subject, request, status, response, outcome, fault, latency_ms AS "latencyMs", at
       FROM provider_calls
      WHERE run = $1 AND ($2::text IS NULL OR provider = $2) AND ($3::text IS NULL OR subject = $3) AND ($4::text IS NULL OR operation = $4)
      ORDER BY id LIMIT $5`,
    [q.run, q.provider ?? null, q.subject ?? null, q.operation ?? null, q.limit ?? 500],
  );
  return rows;
}
