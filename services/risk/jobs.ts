// Risk-warning jobs (D1, D8, H5): the weekly fan-out, overdue reminders, and the scheduler that
// runs both on each run's harness clock. Safe to run in several processes at once.
import { fromShanghai, mondayOf, readClock, shanghaiDay } from '../platform/clock.js';
import { settings } from '../platform/config.js';
import { inTransaction, withRunLock, type Db } from '../platform/db.js';
import { busy, notFound } from '../platform/errors.js';
import type { RunContext } from '../platform/http.js';
import type { Providers } from '../providers/clients.js';
import { seedWorld } from '../world/seed.js';
import { dropRunPartitions } from '../world/store.js';
import * as store from './store.js';
import { LEVEL_LABEL } from './use-cases.js';

const FANOUT_LOCK = 4_202_612;
export const FANOUT_BATCH = 100_000;
export const REMINDER_RULE = 'FEEDBACK_OVERDUE';

export interface FanoutOptions {
  batch?: number | undefined;
  /** Id ranges issued at once, each on its own connection; fixed when the week's fan-out starts. */
  lanes?: number | undefined;
  onProgress?: (f: store.Fanout) => void;
}

/**
 * D1: one warning per enterprise in scope for the week, idempotent. Lanes run at once, each
 * loading a table of its own (no indexes) in batches of set-based SQL, each batch committed with
 * the lane's cursor, then building that table's key; when all are done the tables become the
 * week's partition of risk_warnings. A second process finds the lock taken and reports progress;
 * after a crash the next run resumes every lane.
 */
export async function runFanout(db: Db, ctx: RunContext, week: string, options: FanoutOptions = {}) {
  const seed = await store.worldSeed(db, ctx.run);
  if (seed === undefined) throw notFound('NO_RISK_WORLD', '该运行没有风险预警数据，请先建立风险世界');
  const lock = await db.connect();
  try {
    const { rows } = await lock.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS got', [FANOUT_LOCK, `${ctx.run}|${week}`]);
    if (!rows[0]!.got) return { ...(await store.findFanout(db, ctx.run, week)), alreadyRunning: true };
    try {
      if (!(await store.findFanout(db, ctx.run, week))) {
        // Tables of this week left from a reset whose cleanup gave way to busy requests.
        if ((await dropRunPartitions(db, ctx.run, week.replaceAll('-', ''))).length) throw busy('FANOUT_BUSY');
      }
      const fanout = await inTransaction(db, (tx) => store.startFanout(tx, ctx.run, week, options.lanes ?? settings.fanoutLanes.default, ctx.now));
      const lanes = fanout.lanes;
      let failed = false;
      const issueLane = async (index: number) => {
        try {
          while (!failed && lanes[index]!.cursor < lanes[index]!.through) {
            lanes[index] = await inTransaction(db, (tx) => store.issueBatch(tx, ctx.run, week, seed, lanes[index]!, options.batch ?? FANOUT_BATCH, ctx.now));
            options.onProgress?.({ ...fanout, lanes, issued: lanes.reduce((sum, l) => sum + l.issued, 0) });
          }
          if (!failed) await inTransaction(db, (tx) => store.keyLane(tx, ctx.run, week, lanes[index]!.lane));
        } catch (error) {
          failed = true; // the other lanes stop after their batch in hand
          throw error;
        }
      };
      // Every lane settles before the lock is let go: no batch is in flight when another process takes over.
      const failure = (await Promise.allSettled(lanes.map((_, index) => issueLane(index)))).find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
      await inTransaction(db, (tx) => store.finishFanout(tx, ctx.run, week, ctx.now));
      return { ...(await store.findFanout(db, ctx.run, week))!, alreadyRunning: false };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [FANOUT_LOCK, `${ctx.run}|${week}`]);
    }
  } finally {
    lock.release();
  }
}

/**
 * D8: one SMS per overdue red/orange warning, exactly once. Each reminder is claimed and sent in
 * one transaction; a concurrent job blocks on the claim and then skips it; a failed SMS rolls
 * the claim back so a later run retries it.
 */
export async function runReminders(deps: { db: Db; providers: Providers }, ctx: RunContext) {
  const today = shanghaiDay(ctx.now);
  let sent = 0;
  let failed = 0;
  const seen = new Set<string>();
  for (;;) {
    const overdue = (await store.overdueWithoutReminder(deps.db, ctx.run, today, REMINDER_RULE, 500)).filter((o) => !seen.has(`${o.uscc}|${o.week}`));
    if (!overdue.length) break;
    for (const o of overdue) {
      seen.add(`${o.uscc}|${o.week}`);
      try {
        const claimed = await inTransaction(deps.db, async (tx) => {
          if (!(await store.claimReminder(tx, ctx.run, o, REMINDER_RULE, ctx.now))) return false;
          const text = `【粤商通】${o.enterpriseName}：贵单位${o.week}周风险预警为${LEVEL_LABEL[o.level]}，须在本周内填报预警反馈，现已逾期，请尽快登录粤商通APP处理。`;
          const { messageId } = await deps.providers.sms.send(ctx, o.mobile, text); // a refusal throws: the claim rolls back
          await store.recordReminderMessage(tx, ctx.run, o, REMINDER_RULE, messageId);
          return true;
        });
        if (claimed) sent++;
      } catch {
        failed++;
      }
    }
  }
  return { sent, failed };
}

/** H4 for warnings: a seeded risk world of N enterprises, their kinds and their vehicles. */
export async function seedRiskWorld(db: Db, ctx: RunContext, options: { seed: number; enterprises: number; onProgress?: (done: number) => void }) {
  const registry = await seedWorld(db, ctx.run, options);
  const seed = await store.ensureWorld(db, ctx.run, options.seed, ctx.now);
  const inScope = await store.putInScope(db, ctx.run, seed, {});
  const vehicles = await store.addVehicles(db, ctx.run, seed);
  return { seed, enterprises: registry.enterprises, inScope, vehicles };
}

/** Puts chosen registry enterprises in scope with a kind (a scenario's own enterprises). */
export async function addToScope(db: Db, ctx: RunContext, input: { uscc: string; kind: store.Kind; seed?: number | undefined }) {
  const seed = await store.ensureWorld(db, ctx.run, input.seed ?? 1, ctx.now);
  if (!(await store.putInScope(db, ctx.run, seed, { usccs: [input.uscc], kind: input.kind }))) throw notFound('ENTERPRISE_NOT_FOUND', '登记信息中没有该企业');
  const vehicles = await store.addVehicles(db, ctx.run, seed, [input.uscc]);
  return { uscc: input.uscc, kind: input.kind, vehicles };
}

/**
 * The scheduler (D1 "every Monday 00:00", D8): on every tick, for each run with a risk world,
 * a Monday 00:00 passed on that run's clock since the last tick issues that week's warnings;
 * overdue reminders go out. Ticks never overlap within a process.
 */
export function startScheduler(deps: { db: Db; providers: Providers; fanoutLanes?: number | undefined }, intervalMs: number, log: (line: string) => void): () => Promise<void> {
  if (intervalMs <= 0) return async () => {};
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    for (const { run } of await store.scheduledWorlds(deps.db)) {
      if (stopped) return;
      // A run being reset, or handled by another process's scheduler, is skipped this tick.
      await withRunLock(deps.db, run, { wait: false }, async () => {
        const world = (await store.scheduledWorlds(deps.db, run))[0];
        if (!world) return; // reset since the list was read
        const ctx = { run, now: (await readClock(deps.db, run)).now };
        const week = mondayOf(ctx.now);
        if (fromShanghai(week) > world.scheduledThrough) await runFanout(deps.db, ctx, week, { lanes: deps.fanoutLanes });
        await runReminders(deps, ctx);
        await store.bookmark(deps.db, run, ctx.now);
      });
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch((error: Error) => log(`scheduler: ${error.message}`))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

