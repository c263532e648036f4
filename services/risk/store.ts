// Risk warnings persistence: the only file of this slice with SQL.
import type { Queryable } from '../platform/db.js';

export type Level = 'RED' | 'ORANGE' | 'YELLOW' | 'BLUE';
export type Kind = 'FILLING' | 'TRANSPORT';
export const BUCKETS = 64;

// World ------------------------------------------------------------------------------------------

export async function ensureWorld(db: Queryable, run: string, seed: number, now: Date): Promise<number> {
  await db.query(`INSERT INTO risk_worlds (run, seed, created_at, scheduled_through) VALUES ($1, $2, $3, $3) ON CONFLICT (run) DO NOTHING`, [run, seed, now]);
  return (await db.query<{ seed: number }>('SELECT seed FROM risk_worlds WHERE run = $1', [run])).rows[0]!.seed;
}

export async function worldSeed(db: Queryable, run: string): Promise<number | undefined> {
  return (await db.query<{ seed: number }>('SELECT seed FROM risk_worlds WHERE run = $1', [run])).rows[0]?.seed;
}

/** Puts registry enterprises in scope; the kind is drawn from the seed unless given. Set-based. */
export async function putInScope(db: Queryable, run: string, seed: number, q: { usccs?: string[]; kind?: Kind; fillingPerMille?: number }): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO risk_enterprises (run, uscc, kind)
     SELECT run, uscc, COALESCE($3::text, CASE WHEN risk_roll($2, uscc, DATE '2000-01-03', 'kind') < $5 THEN 'FILLING' ELSE 'TRANSPORT' END)
       FROM registry_enterprises WHERE run = $1 AND ($4::text[] IS NULL OR uscc = ANY($4::text[]))
      ORDER BY uscc -- heap in key order: the fan-out reads it in key order
     ON CONFLICT (run, uscc) DO UPDATE SET kind = EXCLUDED.kind WHERE $3::text IS NOT NULL`,
    [run, seed, q.kind ?? null, q.usccs ?? null, q.fillingPerMille ?? 250],
  );
  return rowCount ?? 0;
}

/**
 * Gives transport enterprises without vehicles 1–4 vehicles (seeded), 80 % with 粤 plates.
 * Plates come from a per-run sequence, so they are unique: province + letter + 5 digits.
 */
export async function addVehicles(db: Queryable, run: string, seed: number, usccs?: string[]): Promise<number> {
  const { rowCount } = await db.query(
    `WITH start AS (SELECT count(*) AS n FROM risk_vehicles WHERE run = $1),
     owners AS (
       SELECT e.uscc FROM risk_enterprises e
        WHERE e.run = $1 AND e.kind = 'TRANSPORT' AND ($3::text[] IS NULL OR e.uscc = ANY($3::text[]))
          AND NOT EXISTS (SELECT 1 FROM risk_vehicles v WHERE v.run = e.run AND v.owner_uscc = e.uscc)),
     wanted AS (
       SELECT o.uscc, n, risk_roll($2, o.uscc || ':' || n, DATE '2000-01-03', 'plate') AS roll
         FROM owners o CROSS JOIN LATERAL generate_series(1, 1 + risk_roll($2, o.uscc, DATE '2000-01-03', 'fleet') % 4) AS n),
     numbered AS (SELECT w.*, (SELECT n FROM start) + row_number() OVER (ORDER BY w.uscc, w.n) AS seq FROM wanted w)
     INSERT INTO risk_vehicles (run, plate, owner_uscc, in_province, bucket)
     SELECT $1,
            CASE WHEN roll < 800 THEN '粤' ELSE substr('湘桂赣闽琼川黔滇渝鄂豫皖苏浙沪京', 1 + roll % 16, 1) END
              || substr('ABCDEFGHJKLMNPQRSTUVWXY', 1 + ((seq / 100000) % 23)::integer, 1)
              || lpad((seq % 100000)::text, 5, '0'),
            uscc, roll < 800, (roll * 7 + seq)::integer % ${BUCKETS}
       FROM numbered
     ON CONFLICT DO NOTHING`,
    [run, seed, usccs ?? null],
  );
  return rowCount ?? 0;
}

export async function overrideLevel(db: Queryable, run: string, subject: string, week: string, level: Level): Promise<void> {
  await db.query(
    `INSERT INTO risk_level_overrides (run, subject, week, level) VALUES ($1, $2, $3, $4) ON CONFLICT (run, subject, week) DO UPDATE SET level = EXCLUDED.level`,
    [run, subject, week, level],
  );
}

export async function scopeOf(db: Queryable, run: string, uscc: string): Promise<Kind | undefined> {
  return (await db.query<{ kind: Kind }>('SELECT kind FROM risk_enterprises WHERE run = $1 AND uscc = $2', [run, uscc])).rows[0]?.kind;
}

// D1 fan-out -------------------------------------------------------------------------------------

export interface Fanout {
  week: string;
  status: 'RUNNING' | 'DONE';
  cursor: string;
  issued: number;
  total: number;
  startedAt: Date;
  finishedAt: Date | null;
}

const FANOUT = `week::text AS week, status, cursor_uscc AS cursor, issued, total, started_at AS "startedAt", finished_at AS "finishedAt" FROM risk_fanouts`;

export async function startFanout(db: Queryable, run: string, week: string, now: Date): Promise<Fanout> {
  await db.query(
    `INSERT INTO risk_fanouts (run, week, status, total, started_at)
     VALUES ($1, $2, 'RUNNING', (SELECT count(*) FROM risk_enterprises WHERE run = $1), $3) ON CONFLICT (run, week) DO NOTHING`,
    [run, week, now],
  );
  return (await findFanout(db, run, week))!;
}

export async function findFanout(db: Queryable, run: string, week: string): Promise<Fanout | undefined> {
  return (await db.query<Fanout>(`SELECT ${FANOUT} WHERE run = $1 AND week = $2`, [run, week])).rows[0];
}

/**
 * Issues the warnings of the next batch of enterprises after the cursor and moves the cursor, in
 * the caller's transaction: a crash loses no batch and repeats none. No ON CONFLICT: the cursor
 * and the fan-out's advisory lock already make each insert happen once (measured: ON CONFLICT
 * would cost more than the insert itself); the primary key stays as the backstop.
 */
export async function issueBatch(tx: Queryable, run: string, week: string, seed: number, cursor: string, limit: number, now: Date): Promise<{ issued: number; last: string | null; done: boolean }> {
  const boundary = await tx.query<{ uscc: string }>(
    `SELECT uscc FROM risk_enterprises WHERE run = $1 AND uscc > $2 ORDER BY uscc OFFSET $3 LIMIT 1`,
    [run, cursor, limit - 1],
  );
  const last = boundary.rows[0]?.uscc ?? null;
  const { rowCount } = await tx.query(
    `INSERT INTO risk_warnings (run, uscc, week, kind, level, issued_at)
     SELECT e.run, e.uscc, $4::date, e.kind, COALESCE(o.level, risk_level($5, e.uscc, $4::date)), $6
       FROM risk_enterprises e
       LEFT JOIN risk_level_overrides o ON o.run = e.run AND o.subject = e.uscc AND o.week = $4::date
      WHERE e.run = $1 AND e.uscc > $2 AND ($3::text IS NULL OR e.uscc <= $3)`,
    [run, cursor, last, week, seed, now],
  );
  const issued = rowCount ?? 0;
  const done = last === null;
  const { rows } = await tx.query<{ cursor: string }>(
    `UPDATE risk_fanouts SET cursor_uscc = COALESCE($3, (SELECT max(uscc) FROM risk_enterprises WHERE run = $1), cursor_uscc), issued = issued + $4,
       status = CASE WHEN $5 THEN 'DONE' ELSE status END, finished_at = CASE WHEN $5 THEN $6::timestamptz END
     WHERE run = $1 AND week = $2 RETURNING cursor_uscc AS cursor`,
    [run, week, last, issued, done, now],
  );
  return { issued, last: rows[0]?.cursor ?? last, done };
}

// Warnings, views, sign and feedback --------------------------------------------------------------

export interface Warning {
  uscc: string;
  week: string;
  kind: Kind;
  level: Level;
  issuedAt: Date;
  signedAt: Date | null;
  signedByName: string | null;
  feedbackAt: Date | null;
}

const WARNING = `w.uscc, w.week::text AS week, w.kind, w.level, w.issued_at AS "issuedAt", w.signed_at AS "signedAt", w.signed_by_name AS "signedByName",
  f.submitted_at AS "feedbackAt"
  FROM risk_warnings w LEFT JOIN risk_feedback f ON f.run = w.run AND f.uscc = w.uscc AND f.week = w.week`;

export async function warningsOf(db: Queryable, run: string, uscc: string): Promise<Warning[]> {
  return (await db.query<Warning>(`SELECT ${WARNING} WHERE w.run = $1 AND w.uscc = $2 ORDER BY w.week DESC`, [run, uscc])).rows;
}

export async function findWarning(db: Queryable, run: string, uscc: string, week: string, lock = false): Promise<Warning | undefined> {
  return (await db.query<Warning>(`SELECT ${WARNING} WHERE w.run = $1 AND w.uscc = $2 AND w.week = $3${lock ? ' FOR UPDATE OF w' : ''}`, [run, uscc, week])).rows[0];
}

export async function sign(db: Queryable, run: string, uscc: string, week: string, by: { id: string; name: string }, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE risk_warnings SET signed_at = $4, signed_by = $5, signed_by_name = $6 WHERE run = $1 AND uscc = $2 AND week = $3 AND signed_at IS NULL`,
    [run, uscc, week, now, by.id, by.name],
  );
  return rowCount === 1;
}

export interface Feedback {
  measures: string[];
  description: string;
  contactName: string;
  contactMobile: string;
}

export async function insertFeedback(db: Queryable, run: string, uscc: string, week: string, f: Feedback, by: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO risk_feedback (run, uscc, week, measures, description, contact_name, contact_mobile, submitted_by, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [run, uscc, week, f.measures, f.description, f.contactName, f.contactMobile, by, now],
  );
  return rowCount === 1;
}

export async function findFeedback(db: Queryable, run: string, uscc: string, week: string): Promise<(Feedback & { submittedAt: Date }) | undefined> {
  return (
    await db.query(
      `SELECT measures, description, contact_name AS "contactName", contact_mobile AS "contactMobile", submitted_at AS "submittedAt" FROM risk_feedback WHERE run = $1 AND uscc = $2 AND week = $3`,
      [run, uscc, week],
    )
  ).rows[0];
}

export async function isDismissed(db: Queryable, run: string, tokenHash: string, uscc: string, week: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM risk_popup_dismissals WHERE run = $1 AND token_hash = $2 AND uscc = $3 AND week = $4', [run, tokenHash, uscc, week])).rowCount === 1;
}

export async function dismiss(db: Queryable, run: string, tokenHash: string, uscc: string, week: string): Promise<void> {
  await db.query('INSERT INTO risk_popup_dismissals (run, token_hash, uscc, week) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [run, tokenHash, uscc, week]);
}

export interface VehicleRisk {
  plate: string;
  ownerUscc: string;
  ownerName: string;
  inProvince: boolean;
  level: Level;
}

/** A vehicle with its owner and its level in week $4 (seed $2): the columns of VehicleRisk. */
const VEHICLE = `v.plate, v.owner_uscc AS "ownerUscc", e.name AS "ownerName", v.in_province AS "inProvince",
       COALESCE(o.level, risk_level($2, v.plate, $4::date)) AS level
  FROM risk_vehicles v
  JOIN registry_enterprises e ON e.run = v.run AND e.uscc = v.owner_uscc
  LEFT JOIN risk_level_overrides o ON o.run = v.run AND o.subject = v.plate AND o.week = $4::date`;

const SEVERITY = `CASE level WHEN 'RED' THEN 0 WHEN 'ORANGE' THEN 1 WHEN 'YELLOW' THEN 2 ELSE 3 END`;

/** The vehicles serving a filling enterprise (its bucket), the riskiest 20 inside and 20 outside the province. */
export async function topVehiclesFor(db: Queryable, run: string, seed: number, fillerUscc: string, week: string): Promise<VehicleRisk[]> {
  const { rows } = await db.query<VehicleRisk>(
    `SELECT * FROM (
       SELECT plate, "ownerUscc", "ownerName", "inProvince", level,
              row_number() OVER (PARTITION BY "inProvince" ORDER BY ${SEVERITY}, plate) AS rank
         FROM (SELECT ${VEHICLE} WHERE v.run = $1 AND v.bucket = abs(hashtext($3)) % ${BUCKETS}) rated) ranked
      WHERE rank <= 20 ORDER BY "inProvince" DESC, rank`,
    [run, seed, fillerUscc, week],
  );
  return rows;
}

export async function vehiclesOf(db: Queryable, run: string, seed: number, ownerUscc: string, week: string): Promise<VehicleRisk[]> {
  const { rows } = await db.query<VehicleRisk>(
    `SELECT ${VEHICLE} WHERE v.run = $1 AND v.owner_uscc = $3 ORDER BY v.plate`,
    [run, seed, ownerUscc, week],
  );
  return rows;
}

export async function findVehicle(db: Queryable, run: string, seed: number, plate: string, week: string): Promise<VehicleRisk | undefined> {
  const { rows } = await db.query<VehicleRisk>(
    `SELECT ${VEHICLE} WHERE v.run = $1 AND v.plate = $3`,
    [run, seed, plate, week],
  );
  return rows[0];
}

// D8 reminders -----------------------------------------------------------------------------------

export interface Overdue {
  uscc: string;
  week: string;
  level: Level;
  enterpriseName: string;
  mobile: string;
}

/** Red and orange warnings whose week has ended without feedback and without a reminder. */
export async function overdueWithoutReminder(db: Queryable, run: string, today: string, rule: string, limit: number): Promise<Overdue[]> {
  const { rows } = await db.query<Overdue>(
    `SELECT w.uscc, w.week::text AS week, w.level, e.name AS "enterpriseName", p.mobile
       FROM risk_warnings w
       JOIN registry_enterprises e ON e.run = w.run AND e.uscc = w.uscc
       JOIN registry_persons p ON p.run = e.run AND p.id_number = e.legal_rep_id_number
      WHERE w.run = $1 AND w.level IN ('RED', 'ORANGE') AND w.week + 7 <= $2::date
        AND NOT EXISTS (SELECT 1 FROM risk_feedback f WHERE f.run = w.run AND f.uscc = w.uscc AND f.week = w.week)
        AND NOT EXISTS (SELECT 1 FROM risk_reminders r WHERE r.run = w.run AND r.uscc = w.uscc AND r.week = w.week AND r.rule = $3)
      ORDER BY w.week, w.uscc LIMIT $4`,
    [run, today, rule, limit],
  );
  return rows;
}

/** Claims the reminder of a warning; a concurrent claim of the same one waits for this transaction, then gets false. */
export async function claimReminder(tx: Queryable, run: string, o: Overdue, rule: string, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO risk_reminders (run, uscc, week, rule, mobile, sent_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [run, o.uscc, o.week, rule, o.mobile, now],
  );
  return rowCount === 1;
}

export async function recordReminderMessage(tx: Queryable, run: string, o: Overdue, rule: string, messageId: string | undefined): Promise<void> {
  await tx.query('UPDATE risk_reminders SET message_id = $5 WHERE run = $1 AND uscc = $2 AND week = $3 AND rule = $4', [run, o.uscc, o.week, rule, messageId ?? null]);
}

/** Runs whose world the scheduler looks after, with their clock bookmark. */
export async function scheduledWorlds(db: Queryable, run?: string): Promise<{ run: string; seed: number; scheduledThrough: Date }[]> {
  return (await db.query(`SELECT run, seed, scheduled_through AS "scheduledThrough" FROM risk_worlds WHERE $1::text IS NULL OR run = $1 ORDER BY run`, [run ?? null])).rows;
}

export async function bookmark(db: Queryable, run: string, through: Date): Promise<void> {
  await db.query('UPDATE risk_worlds SET scheduled_through = $2 WHERE run = $1 AND scheduled_through < $2', [run, through]);
}
