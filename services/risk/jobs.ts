// Risk-warning jobs (D1, D8, H5): the weekly fan-out and the overdue reminders, registered with
// the kernel's scheduler (each run's harness clock) and runnable on demand. Safe to run in
// several processes at once.
import { addDays, fromShanghai, mondayOf, shanghaiDay } from '../../kernel/clock.js';
import { settings, type Config } from '../../kernel/config.js';
import { inTransaction, withRunLock, type Db, type Queryable } from '../../kernel/db.js';
import { busy, notFound } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { ClaimedElsewhere, leaseOf, scheduleJob, type Job } from '../../kernel/scheduler.js';
import type { Providers } from '../verification/clients.js';
import { attachRegistry, givingWay, loadRegistry, mergeRegistry, ownsTables, REGISTRY_TABLES, type SeedProgress } from '../world/seed.js';
import { dropLoadTables, dropRunPartitions, worldTable } from '../world/store.js';
import * as store from './store.js';
import { LEVEL_LABEL } from './use-cases.js';

const FANOUT_LOCK = 4_202_612;
export const FANOUT_BATCH = 100_000;
export const REMINDER_RULE = 'FEEDBACK_OVERDUE';
export const JOBS = { fanout: 'risk.weekly-fanout', reminders: 'risk.reminders' } as const;
/** SMS sent at once by the reminder job, and reminders claimed at a time (each claim is settled within one SMS call, well within its lease). */
const SENDING = 16;
const CLAIM = 100;

export interface JobDeps {
  db: Db;
  live: Live;
  providers: Providers;
  fanoutLanes?: number | undefined;
  config?: Pick<Config, 'jobLeaseSeconds'> | undefined;
}

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
export async function runFanout(deps: Pick<JobDeps, 'db' | 'fanoutLanes'>, ctx: RunContext, week: string, options: FanoutOptions = {}) {
  const { db } = deps;
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
      const fanout = await inTransaction(db, (tx) => store.startFanout(tx, ctx.run, week, options.lanes ?? deps.fanoutLanes ?? settings.fanoutLanes.default, ctx.now));
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
      await inTransaction(db, async (tx) => {
        await store.finishFanout(tx, ctx.run, week, ctx.now);
        // Red and orange warnings of the week fall overdue when it ends (D8).
        await scheduleJob(tx, ctx.run, JOBS.reminders, fromShanghai(addDays(week, 7)));
      });
      return { ...(await store.findFanout(db, ctx.run, week))!, alreadyRunning: false };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [FANOUT_LOCK, `${ctx.run}|${week}`]);
    }
  } finally {
    lock.release();
  }
}

/**
 * D8: one SMS per overdue red/orange warning, exactly once. A batch of reminders is claimed in
 * one statement (the primary key decides between concurrent jobs), then sent with no transaction
 * or connection held, several at once, each recorded as soon as it is answered. A refused SMS
 * gives its claim back, so a later run retries it; a claim whose sender died unrecorded is taken
 * over after its lease.
 */
export async function runReminders(deps: Pick<JobDeps, 'db' | 'providers' | 'config'>, ctx: RunContext, options: { settle?: boolean } = {}) {
  const today = shanghaiDay(ctx.now);
  const lease = leaseOf(deps);
  let sent = 0;
  let failed = 0;
  for (;;) {
    const { token, claimed } = await store.claimReminders(deps.db, ctx.run, today, REMINDER_RULE, ctx.now, CLAIM, lease);
    if (!claimed.length) break;
    let next = 0;
    let refused = 0;
    // Each SMS is recorded (or its claim given back) as soon as it is answered, under the claim's
    // token: a claim is never left unsettled longer than one SMS call, well within its lease.
    const sender = async () => {
      while (next < claimed.length) {
        const o = claimed[next++]!;
        const text = `【粤商通】${o.enterpriseName}：贵单位${o.week}周风险预警为${LEVEL_LABEL[o.level]}，须在本周内填报预警反馈，现已逾期，请尽快登录粤商通APP处理。`;
        const answer = await deps.providers.sms.send(ctx, o.mobile, text).then(
          ({ messageId }) => ({ messageId: messageId ?? null }),
          () => undefined,
        );
        if (answer) {
          await store.recordReminder(deps.db, ctx.run, REMINDER_RULE, token, o, answer.messageId);
          sent++;
        } else {
          await store.releaseReminder(deps.db, ctx.run, REMINDER_RULE, token, o);
          refused++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SENDING, claimed.length) }, sender));
    failed += refused;
    if (refused) break; // the gateway refuses: a later run retries them
  }
  // On demand (H5), the answer waits for reminders another job claimed and is still sending, so
  // that when it returns every overdue reminder has gone out (or was given back).
  if (options.settle) await store.awaitUnsettledReminders(deps.db, ctx.run, REMINDER_RULE, 10_000, lease);
  return { sent, failed };
}

/**
 * H4 for warnings: a seeded risk world of N enterprises (the registry's, with their legal
 * representatives), their kinds and their vehicles. A world of OWN_TABLES_FROM enterprises or more
 * seeded into a run that holds none of these rows is loaded into tables of its own (registry by
 * COPY on two connections, then scope and vehicles at once on two more), keyed in sorted builds
 * and attached as the run's partitions in one short transaction; otherwise it is merged into the
 * tables in one transaction. Stored whole or not at all.
 */
export async function seedRiskWorld(db: Db, ctx: RunContext, options: { seed: number; enterprises: number; onProgress?: ((p: SeedProgress) => void) | undefined }) {
  // Seedings of a run (and its reset) take turns; the fan-out skips the run meanwhile.
  return (await withRunLock(db, ctx.run, { wait: true }, () => seedLocked(db, ctx, options)))!;
}

async function seedLocked(db: Db, ctx: RunContext, options: { seed: number; enterprises: number; onProgress?: ((p: SeedProgress) => void) | undefined }) {
  const tables = [...REGISTRY_TABLES, ...store.RISK_WORLD_TABLES];
  const own = await ownsTables(db, ctx.run, options.enterprises, tables);
  const progress = (phase: SeedProgress['phase']) => options.onProgress?.({ phase, done: options.enterprises, total: options.enterprises });
  let attached = false;
  try {
    const registry = await loadRegistry(db, ctx.run, { ...options, own });
    progress('scope');
    if (!own) {
      progress('store');
      return await inTransaction(db, async (tx) => {
        const added = await mergeRegistry(tx, ctx.run);
        const seed = await ensureWorld(tx, ctx, options.seed);
        const inScope = await store.putInScope(tx, ctx.run, seed, {});
        const vehicles = await store.addVehicles(tx, ctx.run, seed);
        return { seed, enterprises: added.enterprises, inScope, vehicles };
      });
    }
    const loaded = worldTable('registry_enterprises', ctx.run);
    const [inScope, vehicles] = await Promise.all([
      inTransaction(db, (tx) => store.loadScope(tx, ctx.run, options.seed, loaded)),
      inTransaction(db, (tx) => store.loadVehicles(tx, ctx.run, options.seed, loaded)),
    ]);
    progress('store');
    const seed = await givingWay(db, async (tx) => {
      await attachRegistry(tx, ctx.run);
      const seed = await ensureWorld(tx, ctx, options.seed);
      await store.attachRiskWorld(tx, ctx.run, inScope);
      return seed;
    });
    attached = true;
    return { seed, enterprises: registry.enterprises, inScope, vehicles };
  } finally {
    if (!attached) await dropLoadTables(db, ctx.run, tables, own ? 'world' : 'load');
  }
}

/** A job's progress is stored at most this often (and at each change of phase). */
const JOB_PROGRESS_MS = 500;
/** A running job moves at least this often; one not moved for WORLD_JOB_STALE_SECONDS was left by a process that died: a new one may start. */
const JOB_HEARTBEAT_MS = 10_000;
export const WORLD_JOB_STALE_SECONDS = 120;

/**
 * Starts seeding a risk world as a job of the run and answers it at once (QUEUED); undefined
 * while another is under way. The job runs in this process: RUNNING once it holds the run's lock
 * and generates, it stores its phase and progress, and ends DONE with the world (after this
 * process has heard the views' notice) or FAILED with the error.
 */
export async function startWorldJob(deps: Pick<JobDeps, 'db' | 'live'>, ctx: RunContext, input: { seed: number; enterprises: number }) {
  const job = await store.createWorldJob(deps.db, ctx.run, input, WORLD_JOB_STALE_SECONDS);
  if (!job) return undefined;
  void runWorldJob(deps, ctx, job.id, input);
  return job;
}

async function runWorldJob(deps: Pick<JobDeps, 'db' | 'live'>, ctx: RunContext, id: string, input: { seed: number; enterprises: number }) {
  const { db } = deps;
  let writing = Promise.resolve();
  /** Stored in order, after the step before; a failed one fails the job (awaited below), never the process. */
  const save = (change: Parameters<typeof store.updateWorldJob>[3]) => {
    writing = writing.then(() => store.updateWorldJob(db, ctx.run, id, change));
    writing.catch(() => {});
  };
  // Alive: the job moves at least this often, also through a long phase (or waiting for the run's lock).
  const heartbeat = setInterval(() => save({}), JOB_HEARTBEAT_MS).unref();
  try {
    let stored = 0;
    let phase = '';
    const onProgress = (p: SeedProgress) => {
      if (p.phase === phase && performance.now() - stored < JOB_PROGRESS_MS) return;
      [stored, phase] = [performance.now(), p.phase];
      save({ state: 'RUNNING', phase: p.phase, done: p.done });
    };
    const result = await seedRiskWorld(db, ctx, { ...input, onProgress });
    clearInterval(heartbeat);
    await writing;
    await deps.live.fence();
    await store.updateWorldJob(db, ctx.run, id, { state: 'DONE', phase: 'done', done: input.enterprises, result });
  } catch (error) {
    clearInterval(heartbeat);
    await writing.catch(() => {});
    await store.updateWorldJob(db, ctx.run, id, { state: 'FAILED', phase: 'failed', error: (error as Error).message }).catch(() => {});
  }
}

/** Puts chosen registry enterprises in scope with a kind (a scenario's own enterprises); an unknown one leaves no world behind. */
export async function addToScope(db: Db, ctx: RunContext, input: { uscc: string; kind: store.Kind; seed?: number | undefined }) {
  return inTransaction(db, async (tx) => {
    const seed = await ensureWorld(tx, ctx, input.seed ?? 1);
    if (!(await store.putInScope(tx, ctx.run, seed, { usccs: [input.uscc], kind: input.kind }))) throw notFound('ENTERPRISE_NOT_FOUND', '登记信息中没有该企业');
    const vehicles = await store.addVehicles(tx, ctx.run, seed, [input.uscc]);
    return { uscc: input.uscc, kind: input.kind, vehicles };
  });
}

/** The run's risk world (made once) and its weekly fan-out scheduled for the next Monday 00:00. */
async function ensureWorld(db: Queryable, ctx: RunContext, seed: number) {
  const world = await store.ensureWorld(db, ctx.run, seed, ctx.now);
  await scheduleJob(db, ctx.run, JOBS.fanout, nextMonday(ctx.now));
  return world;
}

const nextMonday = (instant: Date) => fromShanghai(addDays(mondayOf(instant), 7));

/**
 * The jobs the scheduler runs on each run's clock (D1 "every Monday 00:00", D8). The fan-out
 * issues the week the run's clock is in (a clock moved on by weeks issues the week it lands in),
 * then falls due again the next Monday. The reminders fall due when a week with warnings ends.
 */
export function riskJobs(deps: JobDeps): Job[] {
  return [
    {
      name: JOBS.fanout,
      async run({ run, now }) {
        const ctx = { run, now };
        // A run being reset is skipped: the scheduler tries again shortly.
        const done = await withRunLock(deps.db, run, { wait: false }, async () => {
          if ((await store.worldSeed(deps.db, run)) !== undefined) await runFanout(deps, ctx, mondayOf(now));
          return true;
        });
        if (!done) throw new Error('the run is being reset');
        return nextMonday(now);
      },
    },
    {
      name: JOBS.reminders,
      async run({ run, now }) {
        const ctx = { run, now };
        const { failed } = await runReminders(deps, ctx);
        if (failed) throw new Error(`the SMS gateway refused ${failed} reminder(s)`);
        // Claimed by another job (on demand, or in a process that died with them): not done until they are settled.
        if (await store.unsettledReminders(deps.db, run, REMINDER_RULE, leaseOf(deps))) throw new ClaimedElsewhere('reminders claimed by another job are not sent yet');
        const week = await store.nextWeekToEnd(deps.db, run, shanghaiDay(now));
        return week ? fromShanghai(addDays(week, 7)) : null;
      },
    },
  ];
}
