// The run-level controls as use-cases (H1, H4): the clock set and advanced, a run reset, the runs
// this database knows, a run's job schedule. The control API (routes.ts) and the console
// (console.ts) both call these.
import { advanceClock, parseDuration, parseInstant, setClock, shanghaiDay, shanghaiTime, type ClockState } from '../../kernel/clock.js';
import { inTransaction, withRunLock, type Db } from '../../kernel/db.js';
import { badRequest } from '../../kernel/errors.js';
import { CHANNELS, type Live } from '../../kernel/live.js';
import type { Module } from '../../kernel/module.js';
import { resetRun } from '../../kernel/runs.js';

export interface HarnessDeps {
  db: Db;
  live: Live;
  modules: Module<never>[];
}

export const clockView = (c: Pick<ClockState, 'now' | 'running' | 'system'>) => ({
  now: c.now.toISOString(),
  shanghai: shanghaiTime(c.now),
  day: shanghaiDay(c.now),
  running: c.running,
  system: c.system,
});

/** H1: sets the run's clock to an ISO instant or a Shanghai local time; frozen unless `running`. */
export async function setRunClock(deps: HarnessDeps, run: string, at: string, running: boolean) {
  const instant = parseInstant(at);
  if (Number.isNaN(instant.getTime())) throw badRequest('INVALID_TIME', `无法识别的时间: ${at}`);
  const clock = await setClock(deps.db, run, instant, running);
  deps.live.changed(CHANNELS.clock, run);
  return clockView(clock);
}

/** H1: advances the run's clock by "90s", "5m1s", "3d", "1w" or milliseconds. */
export async function advanceRunClock(deps: HarnessDeps, run: string, by: string | number) {
  let ms: number;
  try {
    ms = typeof by === 'number' ? by : parseDuration(by);
  } catch {
    throw badRequest('INVALID_DURATION', `无法识别的时长: ${by}`);
  }
  const clock = await advanceClock(deps.db, run, ms);
  deps.live.changed(CHANNELS.clock, run);
  return clockView(clock);
}

/** H4: deletes everything the run owns (waiting for the run's lock, it always runs); the rows deleted by table. */
export async function resetRunData(deps: HarnessDeps, run: string): Promise<Record<string, number>> {
  return (await withRunLock(deps.db, run, { wait: true }, async () => {
    const deleted = await inTransaction(deps.db, async (tx) => {
      const counts = await resetRun(tx, run);
      await tx.query(`SELECT pg_notify('govsim_reset', $1)`, [run]);
      return counts;
    });
    deps.live.changed(CHANNELS.reset, run);
    for (const module of deps.modules) await module.afterReset?.(deps.db, run);
    return deleted;
  }))!;
}

/** The runs whose clock was set, latest first (every test scenario sets its own). */
export async function knownRuns(db: Db, limit = 50): Promise<{ run: string; setAt: Date }[]> {
  const { rows } = await db.query<{ run: string; setAt: Date }>('SELECT run, set_at AS "setAt" FROM harness_clocks ORDER BY set_at DESC LIMIT $1', [limit]);
  return rows;
}
