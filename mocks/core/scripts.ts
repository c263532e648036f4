// Which runs have scripts, remembered per process: most runs never script a provider, and their
// calls then need neither a subject lookup nor a script lookup.
//
// A run not known here costs one `SELECT EXISTS`, then its answer is kept until something
// announces a change on the run: a script added or cleared (govsim_scripts, from any process at
// commit, from this one at once) or a reset (govsim_reset). A lookup that was under way while a
// change was announced is not kept (the entry it would fill is no longer the run's). While the
// LISTEN connection is down nothing is kept: every call looks its scripts up.
import type { Queryable } from '../../kernel/db.js';
import { CHANNELS, type Live } from '../../kernel/live.js';
import { hasScripts } from './store.js';

const MAX_RUNS = 10_000;

interface Entry {
  known?: boolean;
  loading?: Promise<boolean>;
}

/** Whether Live is listening now (a notification may be missed otherwise). */
const listening = (live: Live) => live.listening;

export class ScriptIndex {
  private static readonly byLive = new WeakMap<Live, ScriptIndex>();
  private readonly entries = new Map<string, Entry>();

  /** The one index of a Live (its handlers registered once). */
  static of(live: Live, db: Queryable): ScriptIndex {
    let index = ScriptIndex.byLive.get(live);
    if (!index) {
      index = new ScriptIndex(live, db);
      ScriptIndex.byLive.set(live, index);
    }
    return index;
  }

  private constructor(
    private readonly live: Live,
    private readonly db: Queryable,
  ) {
    live.on(CHANNELS.scripts, (run) => this.forget(run));
    live.on(CHANNELS.reset, (run) => this.forget(run));
  }

  /** False only when the run is known to have no script left; true when it may have one. */
  mayHaveScripts(run: string): boolean | Promise<boolean> {
    if (!listening(this.live)) return true;
    let entry = this.entries.get(run);
    if (entry) {
      if (entry.known !== undefined) return entry.known;
      if (entry.loading) return entry.loading;
    } else {
      if (this.entries.size >= MAX_RUNS) this.entries.delete(this.entries.keys().next().value!);
      entry = {};
      this.entries.set(run, entry);
    }
    const mine = entry;
    const loading = hasScripts(this.db, run).then(
      (found) => {
        // Kept only if no change was announced meanwhile (a change replaces or removes the entry).
        if (this.entries.get(run) === mine && listening(this.live)) mine.known = found;
        mine.loading = undefined;
        return found;
      },
      (error: unknown) => {
        mine.loading = undefined;
        throw error;
      },
    );
    mine.loading = loading;
    return loading;
  }

  /** A change was announced for `run` ('*': for every run). */
  forget(run: string): void {
    if (run === '*') this.entries.clear();
    else this.entries.delete(run);
  }
}
