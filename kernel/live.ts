// What every process may keep in memory because PostgreSQL tells it when it changes: one LISTEN
// connection per process, channels by name, and the run clocks read on every request.
//
// Writers send `pg_notify(channel, run)` in the statement that changes the row (delivered at
// commit, to every govsim process over the same database) and also tell their own process at
// once (`changed`), so a process never serves its own stale copy. While the LISTEN connection is
// down nothing is cached: every read goes to the database. A write whose effect other processes
// keep answers after a fence: once every govsim process over the database has heard it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readClock, type ClockState } from './clock.js';
import type { Db } from './db.js';
import { Fence, LISTENER } from './fence.js';

export const CHANNELS = { clock: 'govsim_clock', scripts: 'govsim_scripts', jobs: 'govsim_jobs', reset: 'govsim_reset', access: 'govsim_access', risk: 'govsim_risk', fence: 'govsim_fence' } as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];
type Handler = (run: string) => void;

const MAX_RUNS = 10_000;

interface ClockEntry {
  generation: number;
  snapshot?: { at: number; fetchedAt: number; running: boolean; system: boolean };
  loading?: Promise<ClockState>;
}

export class Live {
  private listener: pg.Client | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly clocks = new Map<string, ClockEntry>();
  private closed = false;
  private connected = false;
  /** No other process shares the database (inProcess). */
  private alone = false;
  /** This process's part in fences, named as its LISTEN connection is (`govsim-live <id>`). */
  private readonly fences = new Fence(`${process.pid}-${randomBytes(4).toString('hex')}`, CHANNELS.fence, (text, values) => this.onListener(text, values), () => this.deaf());
  /** The statements on the LISTEN connection, in turn. */
  private queued: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly db: Db,
    private readonly url: string | undefined,
  ) {}

  /** Listens over its own connection to `url`; without one nothing is cached. */
  static async start(db: Db, url: string | undefined): Promise<Live> {
    const live = new Live(db, url);
    if (url) await live.connect().catch(() => live.retry());
    return live;
  }

  /**
   * Over a database no other process uses (PGlite in this one): every change is this process's
   * own, announced at once by `changed()`, so what it keeps stays right with nothing to listen to.
   * One per database: everything that writes to it must announce through this Live.
   */
  static inProcess(db: Db): Live {
    const live = new Live(db, undefined);
    live.connected = true;
    live.alone = true;
    return live;
  }

  private async connect(): Promise<void> {
    // keepAlive: a connection that died without a word is noticed, and nothing stays cached on it.
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('error', () => {});
    client.on('end', () => {
      this.connected = false;
      this.forgetAll();
      this.retry();
    });
    client.on('notification', (message) => {
      if (message.channel === CHANNELS.fence) this.fences.heard(message.payload ?? '');
      else this.changed(message.channel as Channel, message.payload ?? '');
    });
    await client.connect();
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
    // Named only once it listens: the others' fences wait for every connection so named.
    await client.query(`SET application_name = '${LISTENER} ${this.fences.id}'`);
    this.listener = client;
    try {
      await this.fences.join();
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    this.connected = true;
  }

  /** A statement on the LISTEN connection (which no request waits for), one after another. */
  private onListener<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const listener = this.listener;
    if (!listener) return Promise.reject(new Error('not listening'));
    const result = this.queued.then(() => listener.query<R>(text, values));
    this.queued = result.catch(() => {});
    return result;
  }

  /** This process did not hear its own fence: keep nothing, and listen anew. */
  private deaf(): void {
    this.forgetAll();
    void this.listener?.end().catch(() => {});
  }

  private retry() {
    if (this.closed) return;
    setTimeout(() => void this.connect().catch(() => this.retry()), 200).unref();
  }

  /** Whether this process hears changes now: while it does not, nothing may be kept in memory. */
  get listening(): boolean {
    return this.connected;
  }

  /**
   * Waits until every govsim process over the database (this one, its sibling workers, other
   * instances) has heard every change committed before the call (fence.ts). A request that changed
   * what others keep in memory calls it before answering, so the caller's next request, to
   * whichever process, never meets the old copy. 'others': this process was told already
   * (`changed`), so with no other process listening there is nothing to wait for. Not heard here
   * within a second: everything kept is forgotten and the LISTEN connection is made anew.
   */
  fence(who: 'everyone' | 'others' = 'everyone'): Promise<void> {
    return this.connected && !this.alone ? this.fences.wait(who === 'others') : Promise.resolve();
  }

  /** A map per run that this process keeps while nothing is announced on `channels` for the run. */
  runCache<V>(channels: Channel[]): RunCache<V> {
    const cache = new RunCache<V>(this);
    for (const channel of [...channels, CHANNELS.reset]) this.on(channel, (run) => cache.forget(run));
    return cache;
  }

  /** Calls `handler(run)` whenever any process announces a change on `channel` ('*' = everything). */
  on(channel: Channel, handler: Handler): () => void {
    if (!this.handlers.has(channel)) this.handlers.set(channel, new Set());
    this.handlers.get(channel)!.add(handler);
    return () => void this.handlers.get(channel)!.delete(handler);
  }

  /** This process changed `run` on `channel`: its own caches learn it now, the others at commit. */
  changed(channel: Channel, run: string): void {
    if (channel === CHANNELS.clock || channel === CHANNELS.reset) this.forgetClock(run);
    for (const handler of this.handlers.get(channel) ?? []) handler(run);
  }

  /** The run's clock, from memory when this process has an up-to-date copy. */
  async clock(run: string): Promise<ClockState> {
    if (!this.connected) return readClock(this.db, run);
    let entry = this.clocks.get(run);
    if (!entry) {
      if (this.clocks.size >= MAX_RUNS) this.clocks.delete(this.clocks.keys().next().value!);
      entry = { generation: 0 };
      this.clocks.set(run, entry);
    }
    const snapshot = entry.snapshot;
    if (snapshot) {
      const now = snapshot.system ? Date.now() : snapshot.running ? snapshot.at + (performance.now() - snapshot.fetchedAt) : snapshot.at;
      return { now: new Date(now), running: snapshot.running, system: snapshot.system };
    }
    if (entry.loading) return entry.loading;
    const generation = entry.generation;
    const current = entry;
    const loading = readClock(this.db, run).then((state) => {
      // A change announced while this read was under way makes it stale: keep nothing.
      if (current.generation === generation) current.snapshot = { at: state.now.getTime(), fetchedAt: performance.now(), running: state.running, system: state.system };
      return state;
    });
    entry.loading = loading;
    return loading.finally(() => {
      if (current.loading === loading) current.loading = undefined;
    });
  }

  private forgetClock(run: string) {
    if (run === '*') {
      for (const entry of this.clocks.values()) Object.assign(entry, { generation: entry.generation + 1, snapshot: undefined, loading: undefined });
      return;
    }
    const entry = this.clocks.get(run);
    if (entry) {
      entry.generation++;
      entry.snapshot = undefined;
      entry.loading = undefined;
    }
  }

  private forgetAll() {
    for (const entry of this.clocks.values()) {
      entry.generation++;
      entry.snapshot = undefined;
      entry.loading = undefined;
    }
    for (const handlers of this.handlers.values()) for (const handler of handlers) handler('*');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.alone = false;
    await this.fences.leave();
    const listener = this.listener;
    this.listener = undefined;
    this.connected = false;
    if (listener) {
      listener.removeAllListeners('end');
      await listener.end().catch(() => {});
    }
  }
}

/**
 * Values kept per run and key while the LISTEN connection is up and nothing is announced for the
 * run; a load under way when something is announced is not kept (generation per run).
 */
export class RunCache<V> {
  private readonly runs = new Map<string, { generation: number; values: Map<string, V> }>();

  constructor(private readonly live: Live) {}

  async get(run: string, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!this.live.listening) return load();
    let entry = this.runs.get(run);
    if (!entry) {
      if (this.runs.size >= MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
      entry = { generation: 0, values: new Map() };
      this.runs.set(run, entry);
    }
    const kept = entry.values.get(key);
    if (kept !== undefined) return kept;
    const generation = entry.generation;
    const value = await load();
    if (value !== undefined && entry.generation === generation && this.runs.get(run) === entry && this.live.listening) {
      if (entry.values.size >= MAX_RUNS) entry.values.delete(entry.values.keys().next().value!);
      entry.values.set(key, value);
    }
    return value;
  }

  forget(run: string): void {
    if (run === '*') {
      for (const entry of this.runs.values()) Object.assign(entry, { generation: entry.generation + 1, values: new Map() });
      return;
    }
    const entry = this.runs.get(run);
    if (entry) Object.assign(entry, { generation: entry.generation + 1, values: new Map() });
  }
}
