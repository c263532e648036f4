// Gathers the single-row statements that calls issue in the same turn of the event loop into one
// statement (one round trip, one transaction for PostgreSQL), answering each call its own row.
// If the statement fails with several rows, each row is tried alone, so that one call's odd input
// fails that call only.
import type { Queryable } from '../../kernel/db.js';

interface Pending<I, O> {
  input: I;
  resolve(output: O | undefined): void;
  reject(error: unknown): void;
}

export class Batcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private scheduled = false;

  /** `statement` answers, for each input in order, its row (or undefined). */
  constructor(
    private readonly statement: (inputs: I[]) => Promise<(O | undefined)[]>,
    private readonly max = 100,
  ) {}

  submit(input: I): Promise<O | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.max) this.fire();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.fire();
        });
      }
    });
  }

  private fire(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    void this.statement(batch.map((p) => p.input)).then(
      (outputs) => batch.forEach((p, i) => p.resolve(outputs[i])),
      (error: unknown) => {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const p of batch) this.statement([p.input]).then((outputs) => p.resolve(outputs[0]), p.reject);
      },
    );
  }
}

/** One Batcher per database handle, made by `make` on first use. */
export function batcherPer<I, O>(make: (db: Queryable) => Batcher<I, O>): (db: Queryable) => Batcher<I, O> {
  const batchers = new WeakMap<Queryable, Batcher<I, O>>();
  return (db) => {
    let batcher = batchers.get(db);
    if (!batcher) {
      batcher = make(db);
      batchers.set(db, batcher);
    }
    return batcher;
  };
}
