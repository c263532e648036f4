// The scheduler: registered jobs run on each run's harness clock. Each (run, job) has its next
// due time in harness time (job_schedule.due_at) and, derived from the run's clock, the wall-clock
// instant it falls due (wall_due: null while the clock is frozen short of it). The scheduler
// sleeps until the earliest wall_due of all runs, or until a clock or a schedule changes (NOTIFY
// govsim_jobs / govsim_clock): nothing due costs no query, whatever the number of runs. Due rows
// are claimed with a lease (FOR UPDATE SKIP LOCKED) naming the process that holds it, so with
// several processes (workers, instances) each due time runs once, and a process that dies mid-job
// is replaced when its lease runs out (GOVSIM_JOB_LEASE_S). A job's own claims (the SMS it sends)
// take the same lease.
import { hostname } from 'node:os';
import type { Config } from './config.js';
import { settings } from './config.js';
import type { Db, Queryable } from './db.js';
import { CHANNELS, type Live } from './live.js';

export interface JobContext {
  db: Db;
  run: string;
  /** The run's harness time now. */
  now: Date;
  /** The harness time the job was due at. */
  dueAt: Date;
}

/**
 * Thrown by a job whose due work another process has claimed and not settled yet (it may be
 * sending, or have died with it): the job is tried again shortly, without a word in the log.
 */
export class ClaimedElsewhere extends Error {}

/** How long a job's lease, and its own claims, last: the setting, or its default. */
export const leaseOf = (deps: { config?: Pick<Config, 'jobLeaseSeconds'> | undefined }) => deps.config?.jobLeaseSeconds ?? settings.jobLeaseSeconds.default;

export interface Job {
  /** Stable name, e.g. 'risk.weekly-fanout'. */
  name: string;
  /** Does the work due; answers the next due time (harness time), or null when nothing more is due. Throwing tries again shortly. */
  run(ctx: JobContext): Promise<Date | null>;
}

/** Who holds a lease: this process, as an operator finds it. */
const HOLDER = `${hostname()}:${process.pid}`;
/** Due (run, job) pairs claimed at once; they then run one after another (a fan-out holds several connections). */
const BATCH = 10;
/** A job that failed (or found its run busy) is tried again this much later on the wall clock, whatever the run's clock does. */
const RETRY_SECONDS = 1;
/** Wake at least this often anyway: a lost notification costs at most this much delay. */
const SAFETY_MS = 30_000;

/** Makes `job` due for `run` at `dueAt` (harness time), unless it is due earlier already. */
export async function scheduleJob(db: Queryable, run: string, job: string, dueAt: Date): Promise<void> {
  await db.query(
    `WITH due AS (
       INSERT INTO job_schedule AS j (run, job, due_at, wall_due) VALUES ($1, $2, $3, job_wall_due($1, $3))
       ON CONFLICT (run, job) DO UPDATE SET due_at = EXCLUDED.due_at, wall_due = EXCLUDED.wall_due WHERE EXCLUDED.due_at < j.due_at
       RETURNING run)
     SELECT pg_notify('govsim_jobs', run) FROM due`,
    [run, job, dueAt],
  );
}

export interface ScheduledJob {
  job: string;
  /** The harness time it is next due at. */
  dueAt: Date;
  /** Its run's clock has reached that time. */
  due: boolean;
  /** A process holds its lease: it is running now. */
  running: boolean;
}

/** The run's registered jobs with their next due time, soonest first. */
export async function scheduledJobs(db: Queryable, run: string): Promise<ScheduledJob[]> {
  const { rows } = await db.query<ScheduledJob>(
    `SELECT job, due_at AS "dueAt", COALESCE(wall_due <= clock_timestamp(), false) AS due, COALESCE(leased_until > clock_timestamp(), false) AS running
       FROM job_schedule WHERE run = $1 ORDER BY due_at, job`,
    [run],
  );
  return rows;
}

export interface SchedulerDeps {
  db: Db;
  live: Live;
  jobs: Job[];
  /** Shortest pause between two looks (0 turns the scheduler off). */
  intervalMs: number;
  /** How long a claimed job stays this process's before another may take it over. */
  leaseSeconds: number;
  log: (line: string) => void;
}

export function startScheduler(deps: SchedulerDeps): () => Promise<void> {
  if (deps.intervalMs <= 0) return async () => {};
  const jobs = new Map(deps.jobs.map((j) => [j.name, j]));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    running = pass()
      .catch((error: Error) => deps.log(`scheduler: ${error.message}`))
      .then((nextMs) => {
        running = undefined;
        if (stopped) return;
        const delay = again ? deps.intervalMs : Math.max(deps.intervalMs, Math.min(nextMs ?? SAFETY_MS, SAFETY_MS));
        again = false;
        timer = setTimeout(wake, delay);
        timer.unref();
      });
  };

  /** Runs every due job (claimed in batches); answers how long until the next one falls due. */
  const pass = async (): Promise<number | undefined> => {
    for (;;) {
      // The lease is read as text: a JS Date would lose its microseconds and match nothing later.
      const { rows } = await deps.db.query<{ run: string; job: string; lease: string }>(
        `UPDATE job_schedule j SET leased_until = clock_timestamp() + make_interval(secs => $1), leased_by = $3
           FROM (SELECT run, job FROM job_schedule
                  WHERE wall_due <= clock_timestamp() AND (leased_until IS NULL OR leased_until < clock_timestamp())
                  ORDER BY wall_due LIMIT $2 FOR UPDATE SKIP LOCKED) due
          WHERE j.run = due.run AND j.job = due.job
        RETURNING j.run, j.job, j.leased_until::text AS lease`,
        [deps.leaseSeconds, BATCH, HOLDER],
      );
      if (!rows.length) break;
      for (const claimed of rows) {
        if (stopped) return undefined;
        // The batch's jobs run one after another: each starts on a full lease, if it is still this
        // process's (a job later in the batch may have been taken over meanwhile, or its run reset).
        const { rows: held } = await deps.db.query<{ dueAt: Date; now: Date; lease: string }>(
          `UPDATE job_schedule SET leased_until = clock_timestamp() + make_interval(secs => $4)
            WHERE run = $1 AND job = $2 AND leased_until = $3::timestamptz AND leased_by = $5
          RETURNING due_at AS "dueAt", run_now(run) AS now, leased_until::text AS lease`,
          [claimed.run, claimed.job, claimed.lease, deps.leaseSeconds, HOLDER],
        );
        const row = held[0] && { ...claimed, ...held[0] };
        if (!row) continue;
        const job = jobs.get(row.job);
        // Every statement below names the lease it holds: after a reset or a takeover it changes nothing.
        try {
          const next = job ? await job.run({ db: deps.db, run: row.run, now: row.now, dueAt: row.dueAt }) : null;
          await deps.db.query(
            next
              ? `UPDATE job_schedule SET due_at = $4, wall_due = job_wall_due(run, $4), leased_until = NULL, leased_by = NULL WHERE run = $1 AND job = $2 AND leased_until = $3::timestamptz`
              : `DELETE FROM job_schedule WHERE run = $1 AND job = $2 AND leased_until = $3::timestamptz`,
            next ? [row.run, row.job, row.lease, next] : [row.run, row.job, row.lease],
          );
        } catch (error) {
          if (!(error instanceof ClaimedElsewhere)) deps.log(`scheduler: ${row.job} for run ${row.run}: ${(error as Error).message}; again in ${RETRY_SECONDS} s`);
          await deps.db.query(
            `UPDATE job_schedule SET leased_until = clock_timestamp() + make_interval(secs => $4), leased_by = NULL WHERE run = $1 AND job = $2 AND leased_until = $3::timestamptz`,
            [row.run, row.job, row.lease, RETRY_SECONDS],
          );
        }
      }
    }
    const { rows } = await deps.db.query<{ ms: number | null }>(
      `SELECT extract(epoch FROM min(GREATEST(wall_due, leased_until)) - clock_timestamp()) * 1000 AS ms FROM job_schedule WHERE wall_due IS NOT NULL`,
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? undefined : Math.max(0, Number(ms));
  };

  const offJobs = deps.live.on(CHANNELS.jobs, wake);
  const offClock = deps.live.on(CHANNELS.clock, wake);
  wake();
  return async () => {
    stopped = true;
    offJobs();
    offClock();
    if (timer) clearTimeout(timer);
    await running;
  };
}
