// The provider journal, written in batches: a call is queued and answered once its entry is
// written. The queue is written by one multi-row INSERT — what the calls of one turn of the event
// loop queued, and what queued while the last batch was being written (up to BATCH) — oldest
// first, one batch at a time (so ids follow the order calls were served in this process). Every
// call answered is thus in the journal, whichever govsim process answered it and whichever one
// is asked, and none is lost with a process that is killed. readJournal (store.ts) also waits for
// this process's queue. A failed write is logged and tried again, in order (the call is answered
// once a few writes have failed, its entry still queued); an
// entry PostgreSQL refuses by itself (e.g. a NUL in a JSON string) is stored with what can be
// stored. When a reset of a run is announced, everything this process answered for the run until
// then goes: entries still queued are dropped, rows written lately or being written are deleted
// (the reset's own DELETE may have run before they were committed).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../../kernel/db.js';
import { CHANNELS, type Live } from '../../kernel/live.js';
import type { Fault } from './store.js';

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

const BATCH = 200;
const RETRY_MS = [20, 50, 100, 200, 500, 1000];
/** Consecutive failed writes after which a waiting call or reader is told (the entries stay queued). */
const FAILURES_BEFORE_READERS_GIVE_UP = 3;
/** Consecutive failed writes after which the queued entries are given up (loudly). */
const FAILURES_BEFORE_GIVING_UP = 40;
/** How long written rows are remembered for a reset announced after them (longer than a reset takes). */
const RECENT_MS = 10_000;
/** A second reset notice of a run this soon after the first is its echo (this process's own reset heard by NOTIFY). */
const ECHO_MS = 2_000;

interface Queued {
  seq: number;
  entry: JournalEntry;
}

/** A batch written: its rows' ids, runs and queue numbers, in queue order. */
interface Written {
  at: number;
  ids: number[];
  runs: string[];
  seqs: number[];
}

interface Waiter {
  seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

// One JSON document per batch (serialised natively, parsed by PostgreSQL), rows in queue order.
const INSERT = `INSERT INTO provider_calls (run, provider, operation, subject, request, status, response, outcome, fault, latency_ms, at)
  SELECT run, provider, operation, subject, request, status, response, outcome, fault, latency_ms, at
    FROM json_to_recordset($1::json) AS e(i int, run text, provider text, operation text, subject text, request jsonb, status int, response jsonb, outcome text, fault text, latency_ms int, at timestamptz)
   ORDER BY i
  RETURNING id`;

const rowOf = (e: JournalEntry, i: number) => ({
  i,
  run: e.run,
  provider: e.provider,
  operation: e.operation,
  subject: e.subject ?? null,
  request: e.request ?? null,
  status: e.status ?? null,
  response: e.response ?? null,
  outcome: e.outcome ?? null,
  fault: e.fault ?? null,
  latency_ms: e.latencyMs ?? 0,
  at: e.at,
});
/** A string PostgreSQL's jsonb and text take: NUL and lone surrogates become U+FFFD. */
const storableText = (s: string) => s.replace(/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
const storableValue = (_key: string, v: unknown) => {
  if (typeof v === 'string') return storableText(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), x]));
  return v;
};
/** A copy of a request PostgreSQL's jsonb takes, for a call refused for what it carried (see storableText). */
export const storable = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value, storableValue)));
/** The batch as JSON; `storable` makes strings and keys storable (refused requests are journaled as sent, as near as can be). */
const batchJson = (entries: JournalEntry[], storable: boolean) => JSON.stringify(entries.map(rowOf), storable ? storableValue : undefined);

export class Journal {
  private queue: Queued[] = [];
  private seq = 0;
  private timer: NodeJS.Immediate | undefined;
  private writing: Promise<void> | undefined;
  /** Entries at the head of the queue being written now. */
  private inFlight = 0;
  /** Runs reset while their entries were being written (up to which queue number): deleted once written. */
  private readonly resetWhileWriting = new Map<string, number>();
  /** The last reset notice per run: when, and the last queue number it covered. */
  private readonly resets = new Map<string, { at: number; upTo: number }>();
  /** Rows written lately: a reset whose DELETE did not see them yet deletes them when announced. */
  private recent: Written[] = [];
  /** Deletions of reset runs' rows under way (readers wait for them too). */
  private cleaning: Promise<unknown> = Promise.resolve();
  private waiters: Waiter[] = [];
  private failures = 0;
  private readonly lives = new WeakSet<Live>();

  constructor(
    private readonly db: Queryable,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /**
   * Queues a call: resolves once it is written (or dropped by a reset of its run), with the
   * others of its batch; rejects when writing keeps failing (the entry stays queued).
   */
  add(entry: JournalEntry): Promise<void> {
    const seq = ++this.seq;
    this.queue.push({ seq, entry });
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
    if (this.queue.length - this.inFlight >= BATCH) this.write();
    else this.timer ??= setImmediate(() => this.write());
    return written;
  }

  /** Resolves once every entry queued before the call is written (rejects after repeated failures). */
  async flush(): Promise<void> {
    const last = this.queue.at(-1);
    if (last) {
      const written = new Promise<void>((resolve, reject) => this.waiters.push({ seq: last.seq, resolve, reject }));
      this.write();
      await written;
    }
    await this.cleaning;
  }

  /**
   * A reset of `run` was announced: everything this process answered for the run until now goes.
   * Its queued entries are dropped; rows being written or written lately are deleted (the reset's
   * own DELETE may have run before they were committed). A process hears of its own reset twice
   * (at once, then by NOTIFY): a second notice within ECHO_MS covers no more than the first, so
   * calls answered after the reset stay.
   */
  forgetRun(run: string): void {
    const now = performance.now();
    for (const [key, reset] of this.resets) if (now - reset.at > ECHO_MS) this.resets.delete(key);
    const earlier = this.resets.get(run);
    const upTo = earlier ? earlier.upTo : this.seq;
    if (!earlier) this.resets.set(run, { at: now, upTo });
    const goes = (q: Queued) => q.entry.run === run && q.seq <= upTo;
    if (this.queue.some((q, i) => i >= this.inFlight && goes(q))) this.queue = this.queue.filter((q, i) => i < this.inFlight || !goes(q));
    if (this.queue.slice(0, this.inFlight).some(goes)) this.resetWhileWriting.set(run, Math.max(upTo, this.resetWhileWriting.get(run) ?? 0));
    const ids: number[] = [];
    for (const written of this.recent) {
      for (let i = 0; i < written.ids.length; i++) if (written.runs[i] === run && written.seqs[i]! <= upTo) ids.push(written.ids[i]!);
    }
    this.deleteRows(ids);
    this.settle();
  }

  /** Follows resets announced on `live` (once per Live). */
  follow(live: Live): void {
    if (this.lives.has(live)) return;
    this.lives.add(live);
    // '*' also comes when the LISTEN connection drops: that is no reset, keep everything.
    live.on(CHANNELS.reset, (run) => run !== '*' && this.forgetRun(run));
  }

  get pending(): number {
    return this.queue.length;
  }

  private write(): void {
    if (this.timer) {
      clearImmediate(this.timer);
      this.timer = undefined;
    }
    if (this.writing || this.queue.length === 0) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.queue.length) this.timer ??= setImmediate(() => this.write());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.slice(0, BATCH);
      this.inFlight = batch.length;
      this.resetWhileWriting.clear();
      let ids: number[];
      try {
        ids = await this.insert(batch.map((q) => q.entry));
      } catch (error) {
        this.inFlight = 0;
        if (!(await this.failed(error, batch.length))) return;
        continue;
      }
      this.queue.splice(0, this.inFlight);
      this.inFlight = 0;
      this.failures = 0;
      // Ids follow the queue order (the INSERT takes the rows in that order).
      ids.sort((a, b) => a - b);
      const written: Written = { at: performance.now(), ids, runs: batch.map((q) => q.entry.run), seqs: batch.map((q) => q.seq) };
      this.remember(written);
      if (this.resetWhileWriting.size) {
        const gone = written.ids.filter((_, i) => written.seqs[i]! <= (this.resetWhileWriting.get(written.runs[i]!) ?? 0));
        this.resetWhileWriting.clear();
        this.deleteRows(gone);
      }
      this.settle();
    }
  }

  private remember(written: Written): void {
    while (this.recent.length && written.at - this.recent[0]!.at > RECENT_MS) this.recent.shift();
    this.recent.push(written);
  }

  private deleteRows(ids: number[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    for (const written of this.recent) {
      for (let i = written.ids.length - 1; i >= 0; i--) {
        if (gone.has(written.ids[i]!)) {
          written.ids.splice(i, 1);
          written.runs.splice(i, 1);
          written.seqs.splice(i, 1);
        }
      }
    }
    const deleting = this.db
      .query('DELETE FROM provider_calls WHERE id = ANY($1::bigint[])', [ids])
      .catch((error: unknown) => this.log(`provider journal: ${ids.length} call(s) of a reset run stay in the journal: ${(error as Error).message}`));
    this.cleaning = Promise.all([this.cleaning, deleting]);
  }

  /** One INSERT; if PostgreSQL refuses the batch for its data, entry by entry, storing what can be stored. */
  private async insert(entries: JournalEntry[]): Promise<number[]> {
    try {
      return await this.insertRows(entries, false);
    } catch (error) {
      if (!isDataError(error) || entries.length === 0) throw error;
      const ids: number[] = [];
      for (const entry of entries) {
        try {
          ids.push(...(await this.insertRows([entry], false)));
        } catch (single) {
          if (!isDataError(single)) throw single;
          this.log(`provider journal: a ${entry.provider} ${entry.operation} call of run ${entry.run} was refused (${(single as Error).message}); stored with its JSON made storable`);
          ids.push(...(await this.insertRows([entry], true)));
        }
      }
      return ids;
    }
  }

  private async insertRows(entries: JournalEntry[], storable: boolean) {
    const { rows } = await this.db.query<{ id: number }>({ name: 'govsim_mocks_journal', text: INSERT, values: [batchJson(entries, storable)] });
    return rows.map((row) => row.id);
  }

  /** After a failed write: log it, tell waiting readers if it keeps failing; answers whether to go on. */
  private async failed(error: unknown, size: number): Promise<boolean> {
    this.failures++;
    const pool = this.db as { ending?: boolean; ended?: boolean };
    const ended = Boolean(pool.ending || pool.ended);
    const message = (error as Error).message ?? String(error);
    if (ended || this.failures >= FAILURES_BEFORE_GIVING_UP) {
      const lost = this.queue.length;
      this.queue = [];
      this.log(`provider journal: ${lost} call(s) could not be written and are lost (${ended ? 'the database pool was closed' : `${this.failures} failed writes`}): ${message}`);
      this.failures = 0;
      this.rejectWaiters(error);
      return false;
    }
    this.log(`provider journal: writing ${size} call(s) failed (try ${this.failures}), trying again: ${message}`);
    if (this.failures >= FAILURES_BEFORE_READERS_GIVE_UP) this.rejectWaiters(error);
    await sleep(RETRY_MS[Math.min(this.failures - 1, RETRY_MS.length - 1)]);
    return true;
  }

  /** Resolves the calls and readers whose entries are all written (or dropped by a reset); they wait in queue order. */
  private settle(): void {
    const oldest = this.queue[0]?.seq ?? Infinity;
    let settled = 0;
    while (settled < this.waiters.length && this.waiters[settled]!.seq < oldest) this.waiters[settled++]!.resolve();
    if (settled) this.waiters = this.waiters.slice(settled);
  }

  private rejectWaiters(error: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(new Error(`the provider journal could not be written: ${(error as Error).message ?? String(error)}`));
  }
}

/** A data error (SQLSTATE class 22): the rows, not the database, are the problem. */
const isDataError = (error: unknown) => typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('22');

const journals = new Map<Queryable, Journal>();

/** The process's journal writing through `db` (following resets announced on `live`, if any). */
export function journalOf(db: Queryable, live?: Live): Journal {
  let journal = journals.get(db);
  if (!journal) {
    journal = new Journal(db);
    journals.set(db, journal);
  }
  if (live) journal.follow(live);
  return journal;
}

/**
 * Writes every provider call this process has queued. readJournal calls it; call it before closing
 * the pool the mocks write through (the stack's close, a consumer's afterAll with MSW).
 */
export async function flushJournals(): Promise<void> {
  await Promise.all([...journals.values()].map((journal) => journal.flush()));
}

/** Writes what the journal of `db` holds and forgets it: before closing a database this process opened for the mocks alone. */
export async function closeJournal(db: Queryable): Promise<void> {
  const journal = journals.get(db);
  if (!journal) return;
  await journal.flush();
  journals.delete(db);
}
