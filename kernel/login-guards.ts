// Wrong-guess counters per subject (an ID number, a username), kept in a table of the domain's own
// with columns (run, <key>, failures, locked_until): one statement counts a try before the secret
// is checked, so tries made at once cannot pass the limit. Registration (C4) and the 常州
// officers' login use it.
import type { Queryable } from './db.js';
import { AppError } from './errors.js';

/** The guard table and its subject column: constants of the calling domain, never input. */
export interface GuardTable {
  table: string;
  key: string;
}

export interface LockoutRule {
  maxFailures: number;
  lockMs: number;
}

export type LoginTry = { allowed: true; failures: number; lockedUntil: Date | null } | { allowed: false; lockedUntil: Date };

/**
 * Claims one try for `subject` before its secret is checked: it counts as a failure until the
 * secret proves right (clearLoginGuard). The try that reaches the limit starts the lock-out itself
 * (it is still checked: the owner's right secret lifts it); a lock-out that has ended starts the
 * count again. Not allowed: locked, and until when.
 */
export async function claimLoginTry(db: Queryable, guard: GuardTable, run: string, subject: string, now: Date, rule: LockoutRule): Promise<LoginTry> {
  const { table, key } = guard;
  const { rows } = await db.query<{ allowed: boolean; failures: number; lockedUntil: Date | null }>(
    `WITH tried AS (
       INSERT INTO ${table} AS g (run, ${key}, failures, locked_until)
       VALUES ($1, $2, 1, CASE WHEN $4::int <= 1 THEN $5::timestamptz END)
       ON CONFLICT (run, ${key}) DO UPDATE
         SET failures = CASE WHEN g.locked_until IS NULL THEN g.failures + 1 ELSE 1 END,
             locked_until = CASE WHEN (CASE WHEN g.locked_until IS NULL THEN g.failures + 1 ELSE 1 END) >= $4::int THEN $5::timestamptz END
         WHERE g.locked_until IS NULL OR g.locked_until <= $3::timestamptz
       RETURNING true AS allowed, failures, locked_until AS "lockedUntil")
     SELECT * FROM tried
     UNION ALL
     SELECT false, failures, locked_until FROM ${table} WHERE run = $1 AND ${key} = $2 AND locked_until > $3 AND NOT EXISTS (SELECT 1 FROM tried)`,
    [run, subject, now, rule.maxFailures, new Date(now.getTime() + rule.lockMs)],
  );
  const row = rows[0];
  // No row: the second part read the guard from before a try it waited on locked it, or after the
  // lock was cleared; the next statement sees what that try wrote.
  if (!row) return claimLoginTry(db, guard, run, subject, now, rule);
  return row.allowed ? { allowed: true, failures: row.failures, lockedUntil: row.lockedUntil } : { allowed: false, lockedUntil: row.lockedUntil! };
}

/** The owner proved themselves: the count and any lock-out end. */
export async function clearLoginGuard(db: Queryable, guard: GuardTable, run: string, subject: string): Promise<void> {
  await db.query(`DELETE FROM ${guard.table} WHERE run = $1 AND ${guard.key} = $2`, [run, subject]);
}

/** The answer to a try while the subject is locked out (423), with how long is left. */
export const lockedOut = (until: Date, now: Date) =>
  new AppError(423, 'ACCOUNT_LOCKED', `密码错误次数过多，账号已锁定，请${Math.ceil((until.getTime() - now.getTime()) / 60_000)}分钟后再试`, { lockedUntil: until.toISOString() });
