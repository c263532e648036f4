// The fence behind Live.fence(): a write whose effect other processes keep in memory answers once
// every govsim process over the database — this one, its sibling workers, other instances — has
// heard everything committed before it.
//
// Over the fence channel (govsim_fence), on each process's LISTEN connection:
//   +id         a process listens now (sent once it does); -id: it stops
//   ?id seq     a token: whoever hears it has heard everything committed before it (notifications
//               arrive in commit order)
//   !id seq p   process p has heard token seq of process id
// Each process keeps who else listens: from pg_stat_activity (every LISTEN connection is named
// `govsim-live <id>`) when it starts listening and every few seconds, and from +/- as they come. A
// token waits for this process to hear it and for every other process listening when it was sent
// to answer it. One token is sent at a time: the callers that come while it is being sent share the
// next one. A process that does not answer within a second is not waited for any longer (and who
// listens is read again); a process that starts listening while a token is sent may be left out
// of it (it kept nothing before).
import type pg from 'pg';

/** application_name of every LISTEN connection, followed by its Live's id. */
export const LISTENER = 'govsim-live';
/** How long a token waits to be heard, here and by the others. */
const FENCE_MS = 1_000;
/** Who listens is read from PostgreSQL again this often (a process that died said no goodbye). */
const REFRESH_MS = 5_000;

interface Waiter {
  seq: number;
  /** Who must still answer. */
  peers: Set<string>;
  heard: boolean;
  done(): void;
}

type Query = <R extends pg.QueryResultRow>(text: string, values: unknown[]) => Promise<pg.QueryResult<R>>;

export class Fence {
  /** The other processes listening now. */
  private peers = new Set<string>();
  /** Those that said goodbye: not taken back from a stale pg_stat_activity. */
  private readonly departed = new Set<string>();
  private waiters: Waiter[] = [];
  private seq = 0;
  /** The token callers share until it is sent (once the one being sent is, and the turn is over). */
  private next: Promise<void> | undefined;
  private sending: Promise<unknown> = Promise.resolve();
  /** Tokens of others heard and not yet answered: the last per process. */
  private readonly toAnswer = new Map<string, number>();
  private refresher: NodeJS.Timeout | undefined;

  /**
   * `query` runs a statement on the LISTEN connection; `deaf` is called when this process does not
   * hear its own token (its listener is not hearing).
   */
  constructor(
    readonly id: string,
    private readonly channel: string,
    private readonly query: Query,
    private readonly deaf: () => void,
  ) {}

  /** Listening now: learns who else is, and tells them. */
  async join(): Promise<void> {
    await this.refresh();
    await this.query(`SELECT pg_notify('${this.channel}', $1)`, [`+${this.id}`]);
    clearInterval(this.refresher); // listening anew after a dropped connection
    this.refresher = setInterval(() => void this.refresh().catch(() => {}), REFRESH_MS);
    this.refresher.unref();
  }

  /** Stops listening: tells the others not to wait for this process. */
  async leave(): Promise<void> {
    clearInterval(this.refresher);
    await this.query(`SELECT pg_notify('${this.channel}', $1)`, [`-${this.id}`]).catch(() => {});
    for (const waiter of this.waiters) waiter.done();
  }

  private async refresh(): Promise<void> {
    const { rows } = await this.query<{ peers: string[] | null }>(
      `SELECT array_agg(substr(application_name, $2)) AS peers FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE $1 AND application_name <> $3`,
      [`${LISTENER} %`, LISTENER.length + 2, `${LISTENER} ${this.id}`],
    );
    this.peers = new Set((rows[0]!.peers ?? []).filter((peer) => !this.departed.has(peer)));
  }

  /** Resolves once every process — or every other process, `othersOnly` — has heard what was committed before the call. */
  wait(othersOnly = false): Promise<void> {
    if (othersOnly && this.peers.size === 0) return Promise.resolve();
    return (this.next ??= this.sending.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => {
      this.next = undefined;
      return this.send();
    }));
  }

  private async send(): Promise<void> {
    const seq = ++this.seq;
    let resolve = () => {};
    const settled = new Promise<void>((r) => (resolve = r));
    const waiter: Waiter = {
      seq,
      peers: new Set(this.peers),
      heard: false,
      done: () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      },
    };
    const timer = setTimeout(() => {
      if (!waiter.heard) this.deaf();
      else void this.refresh().catch(() => {}); // someone did not answer: perhaps gone
      waiter.done();
    }, FENCE_MS);
    timer.unref();
    this.waiters.push(waiter);
    this.sending = this.query(`SELECT pg_notify('${this.channel}', $1)`, [`?${this.id} ${seq}`]).catch(() => waiter.done());
    await settled;
  }

  /** A message on the fence channel. */
  heard(payload: string): void {
    const [who = '', seqText = '', peer = ''] = payload.slice(1).split(' ');
    const seq = Number(seqText);
    switch (payload[0]) {
      case '+':
        if (who !== this.id) this.peers.add(who);
        return;
      case '-':
        this.departed.add(who);
        this.peers.delete(who);
        for (const waiter of [...this.waiters]) {
          waiter.peers.delete(who);
          this.check(waiter);
        }
        return;
      case '?':
        if (who !== this.id) return this.answer(who, seq);
        for (const waiter of [...this.waiters]) {
          if (waiter.seq > seq) continue;
          waiter.heard = true;
          this.check(waiter);
        }
        return;
      case '!':
        if (who !== this.id) return;
        for (const waiter of [...this.waiters]) if (waiter.seq <= seq && waiter.peers.delete(peer)) this.check(waiter);
    }
  }

  private check(waiter: Waiter): void {
    if (waiter.heard && waiter.peers.size === 0) waiter.done();
  }

  /** Answers another process's token: what was heard in one turn goes out in one statement. */
  private answer(origin: string, seq: number): void {
    const first = this.toAnswer.size === 0;
    this.toAnswer.set(origin, Math.max(seq, this.toAnswer.get(origin) ?? 0));
    if (!first) return;
    setImmediate(() => {
      const answers = [...this.toAnswer].map(([o, n]) => `!${o} ${n} ${this.id}`);
      this.toAnswer.clear();
      void this.query(`SELECT pg_notify('${this.channel}', a) FROM unnest($1::text[]) a`, [answers]).catch(() => {});
    });
  }
}
