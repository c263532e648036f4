// The outcome table and the journal, in PostgreSQL so that every process serving a provider
// (HTTP server, MSW in a consumer's test, several test workers) sees the same scripts.
// Writers of scripts announce them (`pg_notify('govsim_scripts', run)` in the same statement, and
// to their own process at once) so that each process may remember which runs have none
// (scripts.ts); the journal is written in batches (journal.ts) and read here once this
// process's batches are in.
import type { Queryable } from '../../kernel/db.js';
import { CHANNELS, type Live } from '../../kernel/live.js';
import { flushJournals } from './journal.js';

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

const SCRIPT_COLUMNS = 'id, provider, subject, operation, outcome, latency_ms, fault, remaining';

/**
 * Adds a script and announces it: every govsim process over the database at commit, this
 * process's caches (through `live`) before it answers.
 */
export async function addScript(db: Queryable, s: NewScript, live?: Live): Promise<Script> {
  const { rows } = await db.query<Script & { notified?: unknown }>(
    `WITH added AS (
       INSERT INTO provider_scripts (run, provider, subject, operation, outcome, latency_ms, fault, remaining)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SCRIPT_COLUMNS})
     SELECT ${SCRIPT_COLUMNS}, pg_notify('${CHANNELS.scripts}', $1) AS notified FROM added`,
    [s.run, s.provider, s.subject, s.operation ?? null, s.outcome ?? null, s.latencyMs ?? 0, s.fault ?? null, s.times ?? 1],
  );
  live?.changed(CHANNELS.scripts, s.run);
  const { notified: _, ...script } = rows[0]!;
  return script;
}

/** Whether the run has any script not yet used up (any provider). */
export async function hasScripts(db: Queryable, run: string): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>({
    name: 'govsim_mocks_has_scripts',
    text: 'SELECT EXISTS (SELECT 1 FROM provider_scripts WHERE run = $1 AND remaining > 0) AS found',
    values: [run],
  });
  return rows[0]!.found;
}

/**
 * Takes the next script that fits this call, oldest first: one naming this operation, or one
 * naming none that carries a business outcome (deciding operations only) or only latency/fault
 * (any operation). Concurrent calls each take a different use (row lock, SKIP LOCKED).
 */
export async function takeScript(db: Queryable, call: { run: string; provider: string; subject: string; operation: string; decides: boolean }): Promise<Script | undefined> {
  const { rows } = await db.query<Script>({
    name: 'govsim_mocks_take_script',
    text: `WITH next AS (
       SELECT id FROM provider_scripts
        WHERE run = $1 AND provider = $2 AND subject = $3 AND remaining > 0
          AND (operation = $4 OR (operation IS NULL AND (outcome IS NULL OR $5)))
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE provider_scripts s SET remaining = s.remaining - 1 FROM next WHERE s.id = next.id
     RETURNING s.id, s.provider, s.subject, s.operation, s.outcome, s.latency_ms, s.fault, s.remaining`,
    values: [call.run, call.provider, call.subject, call.operation, call.decides],
  });
  return rows[0];
}

/**
 * Gives back one use of a script taken by a call that then decided nothing, announced like
 * addScript (a process may have remembered the run as having none left meanwhile).
 */
export async function giveBackScript(db: Queryable, run: string, id: number, live?: Live): Promise<void> {
  await db.query(
    `WITH back AS (UPDATE provider_scripts SET remaining = remaining + 1 WHERE run = $1 AND id = $2 RETURNING run)
     SELECT pg_notify('${CHANNELS.scripts}', run) FROM back`,
    [run, id],
  );
  live?.changed(CHANNELS.scripts, run);
}

export async function listScripts(db: Queryable, run: string, provider: string, subject?: string): Promise<Script[]> {
  const { rows } = await db.query<Script>(
    `SELECT ${SCRIPT_COLUMNS} FROM provider_scripts
      WHERE run = $1 AND provider = $2 AND ($3::text IS NULL OR subject = $3) AND remaining > 0 ORDER BY id`,
    [run, provider, subject ?? null],
  );
  return rows;
}

/** Forgets scripts (all of the provider's, or one subject's) and announces it like addScript. */
export async function clearScripts(db: Queryable, run: string, provider: string, subject?: string, live?: Live): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM provider_scripts WHERE run = $1 AND provider = $2 AND ($3::text IS NULL OR subject = $3) RETURNING 1)
     SELECT count(*)::int AS n, pg_notify('${CHANNELS.scripts}', $1) AS notified FROM gone`,
    [run, provider, subject ?? null],
  );
  live?.changed(CHANNELS.scripts, run);
  return rows[0]!.n;
}

export interface JournalQuery {
  run: string;
  provider?: string | undefined;
  subject?: string | undefined;
  operation?: string | undefined;
  limit?: number | undefined;
}

/** A provider call as the journal keeps it. */
export interface ProviderCall {
  id: number;
  provider: string;
  operation: string;
  subject: string | null;
  request: { params: Record<string, string>; query: Record<string, unknown>; body: any };
  /** null: a timeout or reset fault answered nothing. */
  status: number | null;
  response: any;
  outcome: string | null;
  fault: Fault | null;
  latencyMs: number;
  /** Harness time. */
  at: Date;
}

/** The run's provider calls, oldest first; every call this process has served is in. */
export async function readJournal(db: Queryable, q: JournalQuery): Promise<ProviderCall[]> {
  await flushJournals();
  const { rows } = await db.query<ProviderCall>(
    `SELECT id, provider, operation, subject, request, status, response, outcome, fault, latency_ms AS "latencyMs", at
       FROM provider_calls
      WHERE run = $1 AND ($2::text IS NULL OR provider = $2) AND ($3::text IS NULL OR subject = $3) AND ($4::text IS NULL OR operation = $4)
      ORDER BY id LIMIT $5`,
    [q.run, q.provider ?? null, q.subject ?? null, q.operation ?? null, q.limit ?? 500],
  );
  return rows;
}
