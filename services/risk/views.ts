// What the risk views keep in memory, per process and run, while PostgreSQL announces no change
// on govsim_risk (triggers in migrations/0004_views_notify.sql) or govsim_access (names): each
// enterprise in scope with all its warnings and their feedback, the popups a session put off, and
// each week's vehicle lists. Reading a warning, a period or the popup is then no query at all.
//
// A write made here tells this process at once (`changed`), so its own next request never meets
// the old copy; the other processes learn at commit, as with every Live cache.
import { CHANNELS, type Live, type RunCache } from '../../kernel/live.js';
import type { Subject, VehicleRisk, Warning } from './store.js';

/** An enterprise in scope (subject) with its warnings, newest first; subject null: not in scope. */
export interface Scoped {
  subject: Subject | null;
  warnings: Warning[];
}

export interface Views {
  scoped: RunCache<Scoped>;
  /** Whether session × enterprise × week's popup was put off ([稍后处理]). */
  dismissed: RunCache<boolean>;
  vehicles: RunCache<VehicleRisk[]>;
  /** This process wrote to the run's warnings, feedback or dismissals: forget what it kept. */
  changed(run: string): void;
}

const perLive = new WeakMap<Live, Views>();

/** One set of views per process (per Live). */
export function riskViews(live: Live): Views {
  let views = perLive.get(live);
  if (!views) {
    const channels = [CHANNELS.risk, CHANNELS.access];
    views = {
      scoped: live.runCache<Scoped>(channels),
      dismissed: live.runCache<boolean>(channels),
      vehicles: live.runCache<VehicleRisk[]>(channels),
      changed: (run) => live.changed(CHANNELS.risk, run),
    };
    perLive.set(live, views);
  }
  return views;
}
