// Risk warnings persistence: the only file of this slice with SQL.
import { createHash, randomUUID } from 'node:crypto';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { addDays } from '../../kernel/clock.js';
import { bulkPlans, type Queryable } from '../../kernel/db.js';
import { attachWorldTable, createLoadTable } from '../world/store.js';

export type Level = 'RED' | 'ORANGE' | 'YELLOW' | 'BLUE';
export type Kind = 'FILLING' | 'TRANSPORT';
export const BUCKETS = 64;

// World ------------------------------------------------------------------------------------------

export async function ensureWorld(db: Queryable, run: string, seed: number, now: Date): Promise<number> {
  await db.query(`INSERT INTO risk_worlds (run, seed, created_at) VALUES ($1, $2, $3) ON CONFLICT (run) DO NOTHING`, [run, seed, now]);
  return (await db.query<{ seed: number }>('SELECT seed FROM risk_worlds WHERE run = $1', [run])).rows[0]!.seed;
}

export async function worldSeed(db: Queryable, run: string): Promise<number | undefined> {
  return (await db.query<{ seed: number }>('SELECT seed FROM risk_worlds WHERE run = $1', [run])).rows[0]?.seed;
}

/** The kind a seeded world gives enterprise `uscc` ($2 the seed, `perMille` of them filling). */
const SEEDED_KIND = (perMille: string) => `CASE WHEN risk_roll($2, uscc, DATE '2000-01-03', 'kind') < ${perMille} THEN 'FILLING' ELSE 'TRANSPORT' END`;
const FILLING_PER_MILLE = 250;

/** Puts registry enterprises in scope; the kind is drawn from the seed unless given. Set-based. */
export async function putInScope(db: Queryable, run: string, seed: number, q: { usccs?: string[]; kind?: Kind; fillingPerMille?: number }): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO risk_enterprises (run, uscc, kind)
     SELECT run, uscc, COALESCE($3::text, ${SEEDED_KIND('$5')})
       FROM registry_enterprises WHERE run = $1 AND ($4::text[] IS NULL OR uscc = ANY($4::text[]))
      ORDER BY uscc -- heap in key order: the fan-out reads it in key order
     ON CONFLICT (run, uscc) DO UPDATE SET kind = EXCLUDED.kind WHERE $3::text IS NOT NULL`,
    [run, seed, q.kind ?? null, q.usccs ?? null, q.fillingPerMille ?? FILLING_PER_MILLE],
  );
  return rowCount ?? 0;
}

/**
 * The vehicles of the transport enterprises in `owners` (a query naming uscc), numbered after
 * `start`: 1–4 each (seeded), 80 % with 粤 plates; $1 the run, $2 the seed. Plates come from the
 * run's sequence, so they are unique: province + letter + 5 digits.
 */
const VEHICLES = (owners: string, start: string) => `
     owners AS (${owners}),
     wanted AS (
       SELECT o.uscc, n, risk_roll($2, o.uscc || ':' || n, DATE '2000-01-03', 'plate') AS roll
         FROM owners o CROSS JOIN LATERAL generate_series(1, 1 + risk_roll($2, o.uscc, DATE '2000-01-03', 'fleet') % 4) AS n),
     numbered AS (SELECT w.*, ${start} + row_number() OVER (ORDER BY w.uscc, w.n) AS seq FROM wanted w)
     SELECT $1,
            CASE WHEN roll < 800 THEN '粤' ELSE substr('湘桂赣闽琼川贵云渝鄂豫皖苏浙沪京', 1 + roll % 16, 1) END
              || substr('ABCDEFGHJKLMNPQRSTUVWXY', 1 + ((seq / 100000) % 23)::integer, 1)
              || lpad((seq % 100000)::text, 5, '0'),
            uscc, roll < 800, (roll * 7 + seq)::integer % ${BUCKETS}
       FROM numbered`;

/** Gives transport enterprises without vehicles their vehicles (VEHICLES), after those the run has. */
export async function addVehicles(db: Queryable, run: string, seed: number, usccs?: string[]): Promise<number> {
  const owners = `SELECT e.uscc FROM risk_enterprises e
        WHERE e.run = $1 AND e.kind = 'TRANSPORT' AND ($3::text[] IS NULL OR e.uscc = ANY($3::text[]))
          AND NOT EXISTS (SELECT 1 FROM risk_vehicles v WHERE v.run = e.run AND v.owner_uscc = e.uscc)`;
  const { rowCount } = await db.query(
    `INSERT INTO risk_vehicles (run, plate, owner_uscc, in_province, bucket)
     WITH start AS (SELECT count(*) AS n FROM risk_vehicles WHERE run = $1), ${VEHICLES(owners, '(SELECT n FROM start)')}
     ON CONFLICT DO NOTHING`,
    [run, seed, usccs ?? null],
  );
  return rowCount ?? 0;
}

/** A seed's sorts (a million keys) in memory rather than in files. */
const SORT_IN_MEMORY = `SET LOCAL work_mem = '256MB'`;

export const RISK_WORLD_TABLES = ['risk_enterprises', 'risk_vehicles'] as const;

/**
 * A seeded world's enterprises in scope, from its loaded registry table `registry` (the same
 * kinds as putInScope), in one transaction that makes the run's load table, fills it in key order
 * with ids from the shared sequence, and keys it. Answers the rows.
 */
export async function loadScope(tx: Queryable, run: string, seed: number, registry: string): Promise<number> {
  await tx.query(SORT_IN_MEMORY);
  await bulkPlans(tx);
  const table = await createLoadTable(tx, 'risk_enterprises', run, 'world');
  const { rowCount } = await tx.query(
    `INSERT INTO ${table} (run, uscc, kind, id)
     SELECT run, uscc, kind, nextval('risk_enterprise_ids') FROM (SELECT run, uscc, ${SEEDED_KIND('$3')} AS kind FROM ${registry} WHERE run = $1 ORDER BY uscc) e`,
    [run, seed, FILLING_PER_MILLE],
  );
  await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY (run, uscc)`);
  await tx.query(`CREATE UNIQUE INDEX ON ${table} (run, id)`);
  return rowCount ?? 0;
}

/** A seeded world's vehicles (the same as addVehicles gives a run without any), loaded and keyed like loadScope. */
export async function loadVehicles(tx: Queryable, run: string, seed: number, registry: string): Promise<number> {
  await tx.query(SORT_IN_MEMORY);
  await bulkPlans(tx);
  const table = await createLoadTable(tx, 'risk_vehicles', run, 'world');
  const { rowCount } = await tx.query(
    `INSERT INTO ${table} (run, plate, owner_uscc, in_province, bucket)
     WITH ${VEHICLES(`SELECT uscc FROM ${registry} WHERE run = $1 AND ${SEEDED_KIND('$3')} = 'TRANSPORT'`, '0')}`,
    [run, seed, FILLING_PER_MILLE],
  );
  await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY (run, plate)`);
  await tx.query(`CREATE INDEX ON ${table} (run, owner_uscc)`);
  await tx.query(`CREATE INDEX ON ${table} (run, bucket)`);
  return rowCount ?? 0;
}

/**
 * The loaded scope and vehicles become the run's partitions, in the caller's transaction: no
 * trigger sees them come, so the world's count is set and the views are told here.
 */
export async function attachRiskWorld(tx: Queryable, run: string, inScope: number): Promise<void> {
  for (const table of RISK_WORLD_TABLES) await attachWorldTable(tx, table, run);
  await tx.query(`UPDATE risk_worlds SET in_scope = in_scope + $2 WHERE run = $1`, [run, inScope]);
  await tx.query(`SELECT pg_notify('govsim_risk', $1)`, [run]);
}

// Seeding jobs ------------------------------------------------------------------------------------

export type WorldJobState = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface WorldJob {
  id: string;
  seed: number;
  enterprises: number;
  state: WorldJobState;
  phase: string;
  done: number;
  total: number;
  result: { seed: number; enterprises: number; inScope: number; vehicles: number } | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const WORLD_JOB = `id, seed, enterprises, state, phase, done, total, result, error, created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * A new seeding job of the run, QUEUED; undefined while another is QUEUED or RUNNING (the partial
 * unique index decides). A job whose process died (not moved for `staleSeconds`) is FAILED first.
 */
export async function createWorldJob(db: Queryable, run: string, input: { seed: number; enterprises: number }, staleSeconds: number): Promise<WorldJob | undefined> {
  await db.query(
    `UPDATE risk_world_jobs SET state = 'FAILED', error = '建立风险世界的进程已中止', updated_at = now()
      WHERE run = $1 AND state IN ('QUEUED', 'RUNNING') AND updated_at < now() - make_interval(secs => $2)`,
    [run, staleSeconds],
  );
  const { rows } = await db.query<WorldJob>(
    `INSERT INTO risk_world_jobs (run, id, seed, enterprises, state, phase, total, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'QUEUED', 'queued', $4, now(), now())
     ON CONFLICT (run) WHERE state IN ('QUEUED', 'RUNNING') DO NOTHING
     RETURNING ${WORLD_JOB}`,
    [run, randomUUID(), input.seed, input.enterprises],
  );
  return rows[0];
}

export async function updateWorldJob(db: Queryable, run: string, id: string, change: { state?: WorldJobState; phase?: string; done?: number; result?: WorldJob['result']; error?: string }): Promise<void> {
  await db.query(
    `UPDATE risk_world_jobs SET state = COALESCE($3, state), phase = COALESCE($4, phase), done = COALESCE($5, done),
            result = COALESCE($6, result), error = COALESCE($7, error), updated_at = now()
      WHERE run = $1 AND id = $2`,
    [run, id, change.state ?? null, change.phase ?? null, change.done ?? null, change.result ? JSON.stringify(change.result) : null, change.error ?? null],
  );
}

export async function findWorldJob(db: Queryable, run: string, id: string): Promise<WorldJob | undefined> {
  return (await db.query<WorldJob>(`SELECT ${WORLD_JOB} FROM risk_world_jobs WHERE run = $1 AND id = $2`, [run, id])).rows[0];
}

export async function overrideLevel(db: Queryable, run: string, subject: string, week: string, level: Level): Promise<void> {
  await db.query(
    `INSERT INTO risk_level_overrides (run, subject, week, level) VALUES ($1, $2, $3, $4) ON CONFLICT (run, subject, week) DO UPDATE SET level = EXCLUDED.level`,
    [run, subject, week, level],
  );
}

// D1 fan-out -------------------------------------------------------------------------------------

export interface FanoutLane {
  lane: number;
  cursor: number;
  through: number;
  issued: number;
}

export interface Fanout {
  week: string;
  status: 'RUNNING' | 'DONE';
  issued: number;
  total: number;
  startedAt: Date;
  finishedAt: Date | null;
  lanes: FanoutLane[];
}

const FANOUT = `SELECT f.week::text AS week, f.status, f.total, f.started_at AS "startedAt", f.finished_at AS "finishedAt",
       COALESCE(sum(l.issued), 0)::int AS issued,
       COALESCE(json_agg(json_build_object('lane', l.lane, 'cursor', l.after_id, 'through', l.through_id, 'issued', l.issued) ORDER BY l.lane)
                FILTER (WHERE l.lane IS NOT NULL), '[]') AS lanes
  FROM risk_fanouts f LEFT JOIN risk_fanout_lanes l ON l.run = f.run AND l.week = f.week`;

/**
 * The name risk_partition(run, week) gives the table of a week's warnings, worked out here (the
 * same md5 and date as the SQL function) so that a request needs no query to learn it.
 */
export function weekTableName(run: string, week: string): string {
  return `run_partitions.${escapeIdentifier(`risk_warnings_${weekKey(run, week)}`)}`;
}

/** What tells a run's week apart in a table's or a prepared statement's name (PostgreSQL keeps 63 characters of either). */
const weekKey = (run: string, week: string) => `${createHash('md5').update(run).digest('hex').slice(0, 16)}_${week.replaceAll('-', '')}`;

/** A week's partition of risk_warnings and the tables of its lanes, as qualified names. */
async function weekTables(db: Queryable, run: string, week: string): Promise<{ week: string; lane: (lane: number) => string }> {
  const { name } = (await db.query<{ name: string }>('SELECT risk_partition($1, $2) AS name', [run, week])).rows[0]!;
  return { week: `run_partitions.${escapeIdentifier(name)}`, lane: (lane) => `run_partitions.${escapeIdentifier(`${name}_${lane}`)}` };
}

/**
 * Starts the week's fan-out unless it has started, in the caller's transaction: its total,
 * `lanes` ranges of enterprise ids of equal width (each with its cursor before its first id),
 * the week's partition (empty, not yet attached) and a table without indexes per lane.
 * A later call finds it as it is.
 */
export async function startFanout(tx: Queryable, run: string, week: string, lanes: number, now: Date): Promise<Fanout> {
  const { rows } = await tx.query<{ lane: number | null; first: number; last: number }>(
    `WITH scope AS (SELECT (SELECT in_scope FROM risk_worlds WHERE run = $1) AS total, min(id) AS first, max(id) AS last FROM risk_enterprises WHERE run = $1),
     started AS (
       INSERT INTO risk_fanouts (run, week, status, total, started_at)
       SELECT $1, $2, 'RUNNING', total, $3 FROM scope ON CONFLICT (run, week) DO NOTHING RETURNING run),
     lanes AS (
       INSERT INTO risk_fanout_lanes (run, week, lane, from_id, after_id, through_id)
       SELECT $1, $2, lane, first + lane * width, first - 1 + lane * width, LEAST(first - 1 + (lane + 1) * width, last)
         FROM started, scope, LATERAL (SELECT (last - first) / $4 + 1 AS width) w, generate_series(0, $4 - 1) AS lane
        WHERE first - 1 + lane * width < last
       RETURNING lane, from_id AS first, through_id AS last)
     SELECT lane, first, last FROM lanes UNION ALL SELECT NULL, 0, 0 FROM started`,
    [run, week, now, lanes],
  );
  if (rows.length) {
    const owner = `run = ${escapeLiteral(run)} AND week = ${escapeLiteral(week)}::date`;
    const tables = await weekTables(tx, run, week);
    await tx.query(`CREATE TABLE ${tables.week} (LIKE risk_warnings INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT owner CHECK (${owner})) PARTITION BY RANGE (enterprise_id)`);
    await tx.query(`ALTER TABLE ${tables.week} ADD PRIMARY KEY (enterprise_id, week, run)`);
    for (const { lane, first, last } of rows.filter((r) => r.lane !== null)) {
      await tx.query(
        `CREATE TABLE ${tables.lane(lane!)}
           (LIKE risk_warnings INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT owner CHECK (${owner}), CONSTRAINT lane CHECK (enterprise_id >= ${first} AND enterprise_id < ${last + 1}))`,
      );
    }
  }
  return (await findFanout(tx, run, week))!;
}

export async function findFanout(db: Queryable, run: string, week: string): Promise<Fanout | undefined> {
  return (await db.query<Fanout>(`${FANOUT} WHERE f.run = $1 AND f.week = $2 GROUP BY f.run, f.week`, [run, week])).rows[0];
}

/**
 * Issues the warnings of the lane's next `limit` enterprise ids after its cursor into the lane's
 * table and moves the cursor, in the caller's transaction: a crash loses no batch and repeats
 * none. A batch is a range of ids (a seeded world's are dense); an empty one jumps the cursor
 * over the gap. The cursors and the fan-out's advisory lock make each insert happen once; the
 * primary key, built when the lane is done, is the backstop.
 */
export async function issueBatch(tx: Queryable, run: string, week: string, seed: number, lane: FanoutLane, limit: number, now: Date): Promise<FanoutLane> {
  const upTo = Math.min(lane.cursor + limit, lane.through);
  await bulkPlans(tx);
  const { rowCount } = await tx.query(
    `INSERT INTO ${(await weekTables(tx, run, week)).lane(lane.lane)} (run, enterprise_id, uscc, week, kind, level, issued_at)
     SELECT e.run, e.id, e.uscc, $4::date, e.kind, COALESCE(o.level, risk_level($5, e.uscc, $4::date)), $6
       FROM risk_enterprises e
       LEFT JOIN risk_level_overrides o ON o.run = e.run AND o.subject = e.uscc AND o.week = $4::date
      WHERE e.run = $1 AND e.id > $2 AND e.id <= $3`,
    [run, lane.cursor, upTo, week, seed, now],
  );
  const issued = rowCount ?? 0;
  const next = issued
    ? undefined
    : (await tx.query<{ id: number | null }>('SELECT min(id) AS id FROM risk_enterprises WHERE run = $1 AND id > $2 AND id <= $3', [run, upTo, lane.through])).rows[0]!.id;
  const cursor = next === undefined ? upTo : next === null ? lane.through : next - 1;
  await tx.query('UPDATE risk_fanout_lanes SET after_id = $4, issued = issued + $5 WHERE run = $1 AND week = $2 AND lane = $3', [run, week, lane.lane, cursor, issued]);
  return { ...lane, cursor, issued: lane.issued + issued };
}

/** A done lane's table gets its primary key in one sorted build (lanes build theirs at once). */
export async function keyLane(tx: Queryable, run: string, week: string, lane: number): Promise<void> {
  const table = (await weekTables(tx, run, week)).lane(lane);
  const { rows } = await tx.query<{ keyed: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_index WHERE indrelid = $1::regclass AND indisprimary) AS keyed`, [table]);
  if (!rows[0]!.keyed) await tx.query(`ALTER TABLE ${table} ADD PRIMARY KEY (enterprise_id, week, run)`);
}

/**
 * When every lane is done and keyed, in the caller's transaction: the lanes' tables become the
 * partitions of the week's table, which becomes the week's partition of risk_warnings (no row is
 * read again: their constraints prove the bounds); the fan-out is DONE.
 */
export async function finishFanout(tx: Queryable, run: string, week: string, now: Date): Promise<void> {
  const { rows } = await tx.query<{ lane: number | null; first: number; last: number }>(
    `SELECT l.lane, l.from_id AS first, l.through_id AS last
       FROM risk_fanouts f LEFT JOIN risk_fanout_lanes l ON l.run = f.run AND l.week = f.week
      WHERE f.run = $1 AND f.week = $2 AND f.status = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM risk_fanout_lanes u WHERE u.run = f.run AND u.week = f.week AND u.after_id < u.through_id)
      FOR UPDATE OF f`,
    [run, week],
  );
  if (!rows.length) return;
  const attached = async (table: string) => (await tx.query<{ yes: boolean }>('SELECT relispartition AS yes FROM pg_class WHERE oid = $1::regclass', [table])).rows[0]!.yes;
  const tables = await weekTables(tx, run, week);
  for (const { lane, first, last } of rows.filter((r) => r.lane !== null)) {
    if (!(await attached(tables.lane(lane!)))) await tx.query(`ALTER TABLE ${tables.week} ATTACH PARTITION ${tables.lane(lane!)} FOR VALUES FROM (${first}) TO (${last + 1})`);
  }
  if (!(await attached(tables.week))) {
    await tx.query(
      `ALTER TABLE risk_warnings ATTACH PARTITION ${tables.week} FOR VALUES FROM (${escapeLiteral(run)}, ${escapeLiteral(week)}) TO (${escapeLiteral(run)}, ${escapeLiteral(addDays(week, 1))})`,
    );
  }
  await tx.query(`UPDATE risk_fanouts SET status = 'DONE', finished_at = $3 WHERE run = $1 AND week = $2`, [run, week, now]);
}

// Warnings, views, sign and feedback --------------------------------------------------------------

export interface Warning {
  week: string;
  kind: Kind;
  level: Level;
  issuedAt: Date;
  signedAt: Date | null;
  signedByName: string | null;
  feedbackAt: Date | null;
}

/** An enterprise in the warnings' scope, with its run's world seed (the risk source of its views). */
export interface Subject {
  id: number;
  kind: Kind;
  seed: number;
}

const SUBJECT = `e.id, e.kind, wd.seed FROM risk_enterprises e JOIN risk_worlds wd ON wd.run = e.run`;
const WARNING_COLUMNS = `w.week::text AS week, w.level, w.issued_at AS "issuedAt", w.signed_at AS "signedAt", w.signed_by_name AS "signedByName"`;

type SubjectRow = Subject & Partial<Warning>;
const split = ({ id, kind, seed, ...warning }: SubjectRow) => ({
  subject: { id, kind, seed },
  warning: warning.week ? ({ ...warning, kind } as Warning) : undefined,
});

/** The enterprise (run $1, USCC $2) if in scope and its warning of week $3 if issued: one statement. */
export async function subjectAndWarning(db: Queryable, run: string, uscc: string, week: string) {
  const { rows } = await db.query<SubjectRow>({
    name: 'risk.subject-warning',
    text: `SELECT w.*, ${SUBJECT}
             LEFT JOIN LATERAL (
               SELECT ${WARNING_COLUMNS}, f.submitted_at AS "feedbackAt"
                 FROM risk_warnings w LEFT JOIN risk_feedback f ON f.run = w.run AND f.enterprise_id = w.enterprise_id AND f.week = w.week
                WHERE w.run = e.run AND w.enterprise_id = e.id AND w.week = $3) w ON true
            WHERE e.run = $1 AND e.uscc = $2`,
    values: [run, uscc, week],
  });
  return rows[0] && split(rows[0]);
}

/** The enterprise if in scope and all its warnings, newest first: one statement. */
export async function subjectAndWarnings(db: Queryable, run: string, uscc: string) {
  const { rows } = await db.query<SubjectRow>({
    name: 'risk.subject-warnings',
    text: `SELECT w.*, ${SUBJECT}
             LEFT JOIN LATERAL (
               SELECT ${WARNING_COLUMNS}, f.submitted_at AS "feedbackAt"
                 FROM risk_warnings w LEFT JOIN risk_feedback f ON f.run = w.run AND f.enterprise_id = w.enterprise_id AND f.week = w.week
                WHERE w.run = e.run AND w.enterprise_id = e.id) w ON true
            WHERE e.run = $1 AND e.uscc = $2 ORDER BY w.week DESC`,
    values: [run, uscc],
  });
  if (!rows[0]) return undefined;
  return { subject: split(rows[0]).subject, warnings: rows.map((r) => split(r).warning).filter((w): w is Warning => w !== undefined) };
}

// In sign and feedback the warning and its feedback are looked up by their whole key whatever the
// planner's statistics say: planned as joins to the enterprise CTE, a lookup was planned as a scan
// of every feedback of the week while the table's statistics were still those of an empty table
// (as early in every run), so each request cost more than the last. A correlated subquery, or a
// LATERAL one with LIMIT (which the planner does not flatten into a join), always uses the key.
//
// Both write to the week's own table (weekTableName), not through risk_warnings: a statement on
// the parent is planned afresh for every call (its generic plan spans every run's partitions,
// so PostgreSQL keeps choosing custom plans, ~0.5 ms of planning each), one on the week's table
// keeps its generic plan (~0.13 ms in all). Its warnings count only once the week's fan-out is
// done (ISSUED), as through the parent, where they are attached in the same transaction.
const ISSUED = `EXISTS (SELECT 1 FROM risk_fanouts fo WHERE fo.run = $1 AND fo.week = $3 AND fo.status = 'DONE')`;

/**
 * Runs a statement on the week's table, prepared under a name of its own (`key`); where there is
 * no such table (a week never fanned out, a database of an older layout), on risk_warnings.
 */
async function onWeekTable<T>(run: string, week: string, statement: (table: string, key: string) => Promise<T>): Promise<T> {
  try {
    return await statement(weekTableName(run, week), weekKey(run, week));
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error; // undefined_table
    return statement('risk_warnings', 'parent');
  }
}

/**
 * Signs the week's warning unless it is signed (then nothing changes) or was issued after `now`
 * (a run's clock set back), and answers it as it now is. Undefined when the enterprise is not in
 * scope; no warning when none was issued.
 *
 * One statement when it signs: the warning comes from the update's RETURNING. When nothing was
 * signed, a second reads the warning as it is (its snapshot also sees a signature committed by a
 * concurrent request since). The signing statement does not read the week's table besides
 * updating it: that lookup (to answer a warning not signed now from the same statement) cost as
 * much PostgreSQL CPU as the rest of the statement under 50 concurrent signatures.
 */
export async function sign(db: Queryable, run: string, uscc: string, week: string, by: { id: string; name: string }, now: Date) {
  const values = [run, uscc, week, now, by.id, by.name];
  const { rows } = await onWeekTable(run, week, (table, key) =>
    db.query<SubjectRow>({
      name: `risk.sign.${key}`,
      text: `WITH e AS (SELECT ${SUBJECT} WHERE e.run = $1 AND e.uscc = $2),
              signed AS (
                UPDATE ${table} w SET signed_at = $4, signed_by = $5, signed_by_name = $6
                  FROM e WHERE w.run = $1 AND w.enterprise_id = e.id AND w.week = $3 AND w.signed_at IS NULL AND w.issued_at <= $4 AND ${ISSUED}
                RETURNING ${WARNING_COLUMNS},
                          (SELECT f.submitted_at FROM risk_feedback f WHERE f.run = $1 AND f.enterprise_id = w.enterprise_id AND f.week = $3) AS "feedbackAt",
                          -- Written to the week's table, not through risk_warnings: its trigger does not fire, so announce it here.
                          pg_notify('govsim_risk', $1) AS announced)
             SELECT e.*, s.week, s.level, s."issuedAt", s."signedAt", s."signedByName", s."feedbackAt" FROM e LEFT JOIN signed s ON true`,
      values,
    }),
  );
  const row = rows[0];
  if (!row) return undefined;
  const { subject, warning } = split(row);
  if (warning) return { subject, warning, signedNow: true };
  return { subject, warning: await warningById(db, run, subject, week), signedNow: false };
}

/** The warning of week $3 of the enterprise in scope (by its id), if issued, with when its feedback came. */
async function warningById(db: Queryable, run: string, subject: Subject, week: string): Promise<Warning | undefined> {
  const { rows } = await onWeekTable(run, week, (table, key) =>
    db.query<Omit<Warning, 'kind'>>({
      name: `risk.warning.${key}`,
      text: `SELECT ${WARNING_COLUMNS},
                    (SELECT f.submitted_at FROM risk_feedback f WHERE f.run = $1 AND f.enterprise_id = w.enterprise_id AND f.week = $3) AS "feedbackAt"
               FROM ${table} w WHERE w.run = $1 AND w.enterprise_id = $2 AND w.week = $3 AND ${ISSUED}`,
      values: [run, subject.id, week],
    }),
  );
  return rows[0] && { ...rows[0], kind: subject.kind };
}

export interface Feedback {
  measures: string[];
  description: string;
  contactName: string;
  contactMobile: string;
}

export type StoredFeedback = Feedback & { submittedAt: Date };

/**
 * Stores the feedback of a warning issued and signed by `now`, once (the primary key decides
 * between concurrent submissions): one statement. Answers the warning and the feedback stored now,
 * if any; none stored with the warning issued and signed by `now` means it was stored before.
 *
 * The statement reads nothing of risk_feedback besides its insert: a read of the table in the
 * statement that inserts into it (a lateral lookup of the feedback stored before, or a scalar
 * subquery) cost ~450 µs more of PostgreSQL's CPU per call under 50 concurrent submissions
 * (~100 µs alone), four times the rest of the statement.
 */
export async function insertFeedback(db: Queryable, run: string, uscc: string, week: string, f: Feedback, by: string, now: Date) {
  const values = [run, uscc, week, f.measures, f.description, f.contactName, f.contactMobile, by, now];
  const { rows } = await onWeekTable(run, week, (table, key) => db.query<SubjectRow & { stored: StoredFeedback | null }>({
    name: `risk.feedback.${key}`,
    text: `WITH e AS (SELECT ${SUBJECT} WHERE e.run = $1 AND e.uscc = $2),
            w AS (SELECT w.* FROM e CROSS JOIN LATERAL (SELECT * FROM ${table} w WHERE w.run = $1 AND w.enterprise_id = e.id AND w.week = $3 AND ${ISSUED} LIMIT 1) w),
            stored AS (
              INSERT INTO risk_feedback (run, enterprise_id, uscc, week, measures, description, contact_name, contact_mobile, submitted_by, submitted_at)
              SELECT $1, w.enterprise_id, $2, $3, $4, $5, $6, $7, $8, $9 FROM w WHERE w.issued_at <= $9 AND w.signed_at <= $9
              ON CONFLICT DO NOTHING
              RETURNING measures, description, contact_name AS "contactName", contact_mobile AS "contactMobile", submitted_at AS "submittedAt")
           SELECT e.*, w.week::text AS week, w.level, w.issued_at AS "issuedAt", w.signed_at AS "signedAt", w.signed_by_name AS "signedByName",
                  (SELECT "submittedAt" FROM stored) AS "feedbackAt", (SELECT row_to_json(stored) FROM stored) AS stored
             FROM e LEFT JOIN w ON true`,
    values,
  }));
  const row = rows[0];
  if (!row) return undefined;
  const stored = row.stored && { ...row.stored, submittedAt: new Date(row.stored.submittedAt) };
  return { ...split(row), stored };
}

export async function findFeedback(db: Queryable, run: string, uscc: string, week: string): Promise<StoredFeedback | undefined> {
  return (
    await db.query({
      name: 'risk.find-feedback',
      text: `SELECT f.measures, f.description, f.contact_name AS "contactName", f.contact_mobile AS "contactMobile", f.submitted_at AS "submittedAt"
               FROM risk_enterprises e JOIN risk_feedback f ON f.run = e.run AND f.enterprise_id = e.id WHERE e.run = $1 AND e.uscc = $2 AND f.week = $3`,
      values: [run, uscc, week],
    })
  ).rows[0];
}

/** Whether session $2 put off ([稍后处理]) the popup of enterprise $3's warning of week $4. */
export async function dismissed(db: Queryable, run: string, tokenHash: string, uscc: string, week: string): Promise<boolean> {
  const { rows } = await db.query({
    name: 'risk.dismissed',
    text: 'SELECT 1 FROM risk_popup_dismissals WHERE run = $1 AND token_hash = $2 AND uscc = $3 AND week = $4',
    values: [run, tokenHash, uscc, week],
  });
  return rows.length > 0;
}

export async function dismiss(db: Queryable, run: string, tokenHash: string, uscc: string, week: string): Promise<void> {
  await db.query({
    name: 'risk.dismiss',
    text: 'INSERT INTO risk_popup_dismissals (run, token_hash, uscc, week) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    values: [run, tokenHash, uscc, week],
  });
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
  const { rows } = await db.query<VehicleRisk>({
    name: 'risk.top-vehicles',
    text: `SELECT * FROM (
       SELECT plate, "ownerUscc", "ownerName", "inProvince", level,
              row_number() OVER (PARTITION BY "inProvince" ORDER BY ${SEVERITY}, plate) AS rank
         FROM (SELECT ${VEHICLE} WHERE v.run = $1 AND v.bucket = abs(hashtext($3)) % ${BUCKETS}) rated) ranked
      WHERE rank <= 20 ORDER BY "inProvince" DESC, rank`,
    values: [run, seed, fillerUscc, week],
  });
  return rows;
}

export async function vehiclesOf(db: Queryable, run: string, seed: number, ownerUscc: string, week: string): Promise<VehicleRisk[]> {
  const { rows } = await db.query<VehicleRisk>({ name: 'risk.vehicles-of', text: `SELECT ${VEHICLE} WHERE v.run = $1 AND v.owner_uscc = $3 ORDER BY v.plate`, values: [run, seed, ownerUscc, week] });
  return rows;
}

// D8 reminders -----------------------------------------------------------------------------------

export interface Overdue {
  enterpriseId: number;
  uscc: string;
  week: string;
  level: Level;
  enterpriseName: string;
  mobile: string;
}

/**
 * Claims up to `limit` reminders of red and orange warnings whose week has ended without feedback,
 * in one statement: a new claim, or one whose sender left it unsettled past its lease. Concurrent
 * claims of the same warning wait on its key; the loser gets nothing.
 */
export async function claimReminders(db: Queryable, run: string, today: string, rule: string, now: Date, limit: number, leaseSeconds: number): Promise<{ token: string; claimed: Overdue[] }> {
  const token = randomUUID();
  const { rows } = await db.query<Overdue>({
    name: 'risk.claim-reminders',
    text: `WITH overdue AS (
             SELECT w.enterprise_id, w.uscc, w.week, w.level, r.name AS enterprise_name, p.mobile
               FROM risk_enterprises e
               JOIN risk_warnings w ON w.run = e.run AND w.enterprise_id = e.id
               JOIN registry_enterprises r ON r.run = e.run AND r.uscc = e.uscc
               JOIN registry_persons p ON p.run = r.run AND p.id_number = r.legal_rep_id_number
              WHERE e.run = $1 AND w.level IN ('RED', 'ORANGE') AND w.week <= $2::date - 7
                AND NOT EXISTS (SELECT 1 FROM risk_feedback f WHERE f.run = w.run AND f.enterprise_id = w.enterprise_id AND f.week = w.week)
                AND NOT EXISTS (SELECT 1 FROM risk_reminders m WHERE m.run = w.run AND m.enterprise_id = w.enterprise_id AND m.week = w.week AND m.rule = $3
                                   AND (m.claimed_at IS NULL OR m.claimed_at > clock_timestamp() - make_interval(secs => $7)))
              ORDER BY w.week, w.uscc LIMIT $5),
           claimed AS (
             INSERT INTO risk_reminders AS m (run, enterprise_id, uscc, week, rule, mobile, sent_at, claimed_at, claim)
             SELECT $1, enterprise_id, uscc, week, $3, mobile, $4, clock_timestamp(), $6 FROM overdue
             ON CONFLICT (enterprise_id, week, run, rule) DO UPDATE SET claimed_at = clock_timestamp(), claim = $6, sent_at = EXCLUDED.sent_at
              WHERE m.claimed_at IS NOT NULL AND m.claimed_at <= clock_timestamp() - make_interval(secs => $7)
             RETURNING enterprise_id, week)
           SELECT o.enterprise_id AS "enterpriseId", o.uscc, o.week::text AS week, o.level, o.enterprise_name AS "enterpriseName", o.mobile
             FROM overdue o JOIN claimed c ON c.enterprise_id = o.enterprise_id AND c.week = o.week`,
    values: [run, today, rule, now, limit, token, leaseSeconds],
  });
  return { token, claimed: rows };
}


/** A claim whose SMS went out: settled with its message id (only while the claim is still this job's). */
export async function recordReminder(db: Queryable, run: string, rule: string, token: string, o: Pick<Overdue, 'enterpriseId' | 'week'>, messageId: string | null): Promise<void> {
  await db.query({
    name: 'risk.record-reminder',
    text: `UPDATE risk_reminders SET message_id = $6, claimed_at = NULL WHERE run = $1 AND rule = $2 AND enterprise_id = $3 AND week = $4 AND claim = $5`,
    values: [run, rule, o.enterpriseId, o.week, token, messageId],
  });
}

/** A claim whose SMS the gateway refused: given back for a later run (only while it is still this job's). */
export async function releaseReminder(db: Queryable, run: string, rule: string, token: string, o: Pick<Overdue, 'enterpriseId' | 'week'>): Promise<void> {
  await db.query({
    name: 'risk.release-reminder',
    text: `DELETE FROM risk_reminders WHERE run = $1 AND rule = $2 AND enterprise_id = $3 AND week = $4 AND claim = $5 AND claimed_at IS NOT NULL`,
    values: [run, rule, o.enterpriseId, o.week, token],
  });
}

/** How many reminders of the run are claimed and unsettled within their lease (another job is sending them). */
export async function unsettledReminders(db: Queryable, run: string, rule: string, leaseSeconds: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM risk_reminders WHERE run = $1 AND rule = $2 AND claimed_at > clock_timestamp() - make_interval(secs => $3)`,
    [run, rule, leaseSeconds],
  );
  return rows[0]!.n;
}

/** Waits (polling, at most `timeoutMs`) until no reminder of the run is claimed and unsettled within its lease. */
export async function awaitUnsettledReminders(db: Queryable, run: string, rule: string, timeoutMs: number, leaseSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await unsettledReminders(db, run, rule, leaseSeconds)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The first issued week that has not ended by `today` (its warnings fall overdue when it does). */
export async function nextWeekToEnd(db: Queryable, run: string, today: string): Promise<string | undefined> {
  const { rows } = await db.query<{ week: string | null }>(`SELECT min(week)::text AS week FROM risk_fanouts WHERE run = $1 AND week + 7 > $2::date`, [run, today]);
  return rows[0]?.week ?? undefined;
}
