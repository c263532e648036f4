// 信用修复's SQL, and the only place with any: offices, staff, listing records, cases and their
// log, materials, numbers, sessions and codes, the SMS owed, the calendar.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../kernel/db.js';
import { bureauShort, OFFICES } from './offices.js';
import type { ContentType, Kind, MaterialType, Origin, Role } from './rules.js';
import type { Event, Notice, Party, State, Step } from './workflow.js';

export interface OfficeRow {
  code: string;
  name: string;
  bureau: string;
  kind: 'BUREAU' | 'STATION';
}

export interface StaffRow {
  id: string;
  name: string;
  mobile: string;
  office: string;
  roles: Role[];
}

export interface RecordRow {
  id: string;
  kind: Kind;
  uscc: string;
  registrationNo: string;
  subjectName: string;
  office: string;
  officeName: string;
  reason: string;
  listedOn: string;
  decisionNo: string;
  curedOn: string | null;
  status: 'LISTED' | 'REPAIRED';
  repairedOn: string | null;
  repairDecisionNo: string | null;
  /** The acceptance number of the case under way that holds it, if any. */
  heldBy: string | null;
}

export interface CaseRow {
  id: string;
  acceptanceNo: string | null;
  kind: Kind;
  uscc: string;
  registrationNo: string;
  subjectName: string;
  origin: Origin;
  state: State;
  version: number;
  office: string;
  officeName: string;
  applicantMobile: string | null;
  verifiedName: string | null;
  verifiedIdNumber: string | null;
  receivedOn: string | null;
  dueOn: string | null;
  overdueSince: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface TransitionRow {
  seq: number;
  event: Event;
  from: State;
  to: State;
  step: Step;
  party: Party;
  staffId: string | null;
  actorName: string;
  office: string | null;
  officeName: string | null;
  toOffice: string | null;
  toOfficeName: string | null;
  opinion: string | null;
  reason: string | null;
  at: Date;
}

export interface MaterialRow {
  id: string;
  materialType: MaterialType;
  fileName: string;
  contentType: ContentType;
  size: number;
  sha256: string;
  uploadedAt: Date;
}

export interface Page<T> {
  total: number;
  items: T[];
}

// Offices and staff ------------------------------------------------------------------------------

/** The run's offices, from the data (offices.ts); idempotent. */
export async function ensureOffices(db: Queryable, run: string): Promise<void> {
  await db.query(
    `INSERT INTO credit_offices (run, code, name, bureau, kind)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
    [run, OFFICES.map((o) => o.code), OFFICES.map((o) => o.name), OFFICES.map((o) => o.bureau), OFFICES.map((o) => o.kind)],
  );
}

const OFFICE_COLUMNS = `code, name, bureau, kind`;

export async function findOffice(db: Queryable, run: string, code: string): Promise<OfficeRow | undefined> {
  const { rows } = await db.query<OfficeRow>(`SELECT ${OFFICE_COLUMNS} FROM credit_offices WHERE run = $1 AND code = $2`, [run, code]);
  return rows[0];
}

export async function listOffices(db: Queryable, run: string, bureau?: string): Promise<OfficeRow[]> {
  const { rows } = await db.query<OfficeRow>(`SELECT ${OFFICE_COLUMNS} FROM credit_offices WHERE run = $1 AND ($2::text IS NULL OR bureau = $2) ORDER BY code`, [run, bureau ?? null]);
  return rows;
}

const STAFF_COLUMNS = `id, name, mobile, office, roles`;

/** Adds a back-office user, or more roles to one already in the same office; undefined when the mobile is another office's user. */
export async function upsertStaff(db: Queryable, run: string, s: StaffRow & { now: Date }): Promise<StaffRow | undefined> {
  const { rows } = await db.query<StaffRow>(
    `INSERT INTO credit_staff AS s (run, id, name, mobile, office, roles, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (run, mobile) DO UPDATE SET roles = ARRAY(SELECT DISTINCT unnest(s.roles || EXCLUDED.roles) ORDER BY 1), name = EXCLUDED.name
      WHERE s.office = EXCLUDED.office
     RETURNING ${STAFF_COLUMNS}`,
    [run, s.id, s.name, s.mobile, s.office, s.roles, s.now],
  );
  return rows[0];
}

export async function insertStaff(db: Queryable, run: string, staff: StaffRow[], now: Date): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO credit_staff (run, id, name, mobile, office, roles, created_at)
     SELECT $1, id, name, mobile, office, string_to_array(roles, ','), $7 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS s(id, name, mobile, office, roles)
     ON CONFLICT DO NOTHING`,
    [run, staff.map((s) => s.id), staff.map((s) => s.name), staff.map((s) => s.mobile), staff.map((s) => s.office), staff.map((s) => s.roles.join(',')), now],
  );
  return rowCount ?? 0;
}

export async function findStaffByMobile(db: Queryable, run: string, mobile: string): Promise<StaffRow | undefined> {
  const { rows } = await db.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM credit_staff WHERE run = $1 AND mobile = $2`, [run, mobile]);
  return rows[0];
}

// Listing records --------------------------------------------------------------------------------

export interface NewRecord {
  id: string;
  kind: Kind;
  uscc: string;
  registrationNo: string;
  subjectName: string;
  office: string;
  reason: string;
  listedOn: string;
  decisionNo: string;
  curedOn: string | null;
}

export async function insertRecords(db: Queryable, run: string, records: NewRecord[], now: Date): Promise<number> {
  const columns = ['id', 'kind', 'uscc', 'registrationNo', 'subjectName', 'office', 'reason', 'listedOn', 'decisionNo', 'curedOn'] as const;
  const { rowCount } = await db.query(
    `INSERT INTO credit_records (run, id, kind, uscc, registration_no, subject_name, office, reason, listed_on, decision_no, cured_on, status, created_at)
     SELECT $1, *, 'LISTED', $12 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::text[], $11::date[])
     ON CONFLICT DO NOTHING`,
    [run, ...columns.map((c) => records.map((r) => r[c])), now],
  );
  return rowCount ?? 0;
}

const RECORD_COLUMNS = `r.id, r.kind, r.uscc, r.registration_no AS "registrationNo", r.subject_name AS "subjectName", r.office, o.name AS "officeName",
  r.reason, r.listed_on AS "listedOn", r.decision_no AS "decisionNo", r.cured_on AS "curedOn", r.status, r.repaired_on AS "repairedOn",
  r.repair_decision_no AS "repairDecisionNo",
  (SELECT c.acceptance_no FROM credit_case_records h JOIN credit_cases c ON c.run = h.run AND c.id = h.case_id
    WHERE h.run = r.run AND h.record_id = r.id AND h.held) AS "heldBy"`;
const RECORD_FROM = `credit_records r JOIN credit_offices o ON o.run = r.run AND o.code = r.office`;

export async function findRecord(db: Queryable, run: string, id: string): Promise<RecordRow | undefined> {
  const { rows } = await db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} WHERE r.run = $1 AND r.id = $2`, [run, id]);
  return rows[0];
}

export async function findRecordByDecisionNo(db: Queryable, run: string, decisionNo: string): Promise<RecordRow | undefined> {
  const { rows } = await db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} WHERE r.run = $1 AND r.decision_no = $2`, [run, decisionNo]);
  return rows[0];
}

/** A subject's records of a kind (or of every kind), listed ones first, newest first. */
export async function recordsOfSubject(db: Queryable, run: string, uscc: string, kind?: Kind): Promise<RecordRow[]> {
  const { rows } = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} WHERE r.run = $1 AND r.uscc = $2 AND ($3::text IS NULL OR r.kind = $3)
      ORDER BY r.status = 'LISTED' DESC, r.listed_on DESC, r.decision_no`,
    [run, uscc, kind ?? null],
  );
  return rows;
}

/** The credit code a 注册号 stands for, from the listing records that name it. */
export async function usccOfRegistrationNo(db: Queryable, run: string, registrationNo: string): Promise<string | undefined> {
  const { rows } = await db.query<{ uscc: string }>(`SELECT uscc FROM credit_records WHERE run = $1 AND registration_no = $2 LIMIT 1`, [run, registrationNo]);
  return rows[0]?.uscc;
}

export interface RecordSearch {
  kind: Kind;
  code?: string | undefined;
  reason?: string | undefined;
  name?: string | undefined;
  listedFrom?: string | undefined;
  listedTo?: string | undefined;
  status: 'LISTED' | 'REPAIRED';
  limit: number;
  offset: number;
}

/** E6: records an office listed, searched and paged; the total counts every match. */
export async function searchRecords(db: Queryable, run: string, office: string, q: RecordSearch): Promise<Page<RecordRow>> {
  const { rows } = await db.query<RecordRow & { total: number }>(
    `WITH matched AS (
       SELECT r.* FROM credit_records r
        WHERE r.run = $1 AND r.office = $2 AND r.kind = $3 AND r.status = $4
          AND ($5::text IS NULL OR r.uscc = $5 OR r.registration_no = $5)
          AND ($6::text IS NULL OR r.reason = $6)
          AND ($7::text IS NULL OR strpos(r.subject_name, $7) > 0)
          AND ($8::date IS NULL OR r.listed_on >= $8) AND ($9::date IS NULL OR r.listed_on <= $9)),
     counted AS (SELECT count(*)::int AS total FROM matched)
     SELECT counted.total, page.* FROM counted LEFT JOIN LATERAL (
       SELECT ${RECORD_COLUMNS} FROM matched r JOIN credit_offices o ON o.run = r.run AND o.code = r.office
        ORDER BY r.listed_on DESC, r.decision_no LIMIT $10 OFFSET $11) page ON true`,
    [run, office, q.kind, q.status, q.code ?? null, q.reason ?? null, q.name ?? null, q.listedFrom ?? null, q.listedTo ?? null, q.limit, q.offset],
  );
  return { total: rows[0]?.total ?? 0, items: rows.filter((r) => r.id !== null) };
}

export async function cureRecord(db: Queryable, run: string, id: string, on: string | null): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE credit_records SET cured_on = $3 WHERE run = $1 AND id = $2`, [run, id, on]);
  return (rowCount ?? 0) > 0;
}

// Cases ------------------------------------------------------------------------------------------

const CASE_COLUMNS = `c.id, c.acceptance_no AS "acceptanceNo", c.kind, c.uscc, c.registration_no AS "registrationNo", c.subject_name AS "subjectName",
  c.origin, c.state, c.version, c.office, (SELECT name FROM credit_offices o WHERE o.run = c.run AND o.code = c.office) AS "officeName",
  c.applicant_mobile AS "applicantMobile", c.verified_name AS "verifiedName", c.verified_id_number AS "verifiedIdNumber",
  c.received_on AS "receivedOn", c.due_on AS "dueOn", c.overdue_since AS "overdueSince", c.created_at AS "createdAt", c.closed_at AS "closedAt"`;

export interface NewCase {
  id: string;
  kind: Kind;
  uscc: string;
  registrationNo: string;
  subjectName: string;
  origin: Origin;
  office: string;
  applicantMobile: string | null;
  verifiedName: string | null;
  verifiedIdNumber: string | null;
  recordIds: string[];
  now: Date;
}

/** A case in state NEW (only ever seen inside the transaction that fires its first transition), with its records. */
export async function insertCase(db: Queryable, run: string, c: NewCase): Promise<CaseRow> {
  await db.query(
    `INSERT INTO credit_cases (run, id, kind, uscc, registration_no, subject_name, origin, state, version, office, applicant_mobile, verified_name, verified_id_number, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'NEW', 0, $8, $9, $10, $11, $12)`,
    [run, c.id, c.kind, c.uscc, c.registrationNo, c.subjectName, c.origin, c.office, c.applicantMobile, c.verifiedName, c.verifiedIdNumber, c.now],
  );
  await db.query(`INSERT INTO credit_case_records (run, case_id, record_id) SELECT $1, $2, unnest($3::uuid[])`, [run, c.id, c.recordIds]);
  return (await findCase(db, run, c.id))!;
}

export async function findCase(db: Queryable, run: string, id: string): Promise<CaseRow | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM credit_cases c WHERE c.run = $1 AND c.id = $2`, [run, id]);
  return rows[0];
}

export async function findCaseByAcceptanceNo(db: Queryable, run: string, acceptanceNo: string): Promise<CaseRow | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM credit_cases c WHERE c.run = $1 AND c.acceptance_no = $2`, [run, acceptanceNo]);
  return rows[0];
}

/** The case, locked until the caller's transaction ends: every transition starts here. */
export async function lockCase(db: Queryable, run: string, id: string): Promise<CaseRow | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM credit_cases c WHERE c.run = $1 AND c.id = $2 FOR UPDATE`, [run, id]);
  return rows[0];
}

export async function recordsOfCase(db: Queryable, run: string, caseId: string): Promise<RecordRow[]> {
  const { rows } = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} JOIN credit_case_records cr ON cr.run = r.run AND cr.record_id = r.id
      WHERE r.run = $1 AND cr.case_id = $2 ORDER BY r.listed_on, r.decision_no`,
    [run, caseId],
  );
  return rows;
}

/** Whether another case under way holds one of this case's records. */
export async function heldElsewhere(db: Queryable, run: string, caseId: string): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM credit_case_records mine JOIN credit_case_records other ON other.run = mine.run AND other.record_id = mine.record_id AND other.held
                     WHERE mine.run = $1 AND mine.case_id = $2 AND other.case_id <> $2) AS held`,
    [run, caseId],
  );
  return rows[0]!.held;
}

export class RecordHeld extends Error {}

/** The case's records are now held by it: a record held by another case refuses (the unique index decides). */
export async function holdRecords(db: Queryable, run: string, caseId: string): Promise<void> {
  try {
    await db.query(`UPDATE credit_case_records SET held = true WHERE run = $1 AND case_id = $2`, [run, caseId]);
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'credit_case_records_one_holder') throw new RecordHeld();
    throw error;
  }
}

export async function releaseRecords(db: Queryable, run: string, caseId: string): Promise<void> {
  await db.query(`UPDATE credit_case_records SET held = false WHERE run = $1 AND case_id = $2`, [run, caseId]);
}

/** 办结: the case's records leave their list today, under one removal decision of the bureau. */
export async function repairRecords(db: Queryable, run: string, caseId: string, day: string, word: string): Promise<void> {
  const { rows } = await db.query<{ bureau: string }>(`SELECT o.bureau FROM credit_cases c JOIN credit_offices o ON o.run = c.run AND o.code = c.office WHERE c.run = $1 AND c.id = $2`, [
    run,
    caseId,
  ]);
  const bureau = rows[0]!.bureau;
  const year = day.slice(0, 4);
  const n = await nextCounter(db, run, `decision:${bureau}:${word}:${year}`);
  const decisionNo = `穗${bureauShort(bureau)}市监${word}字〔${year}〕第${String(n).padStart(4, '0')}号`;
  await db.query(
    `UPDATE credit_records r SET status = 'REPAIRED', repaired_on = $3, repair_decision_no = $4
       FROM credit_case_records cr WHERE cr.run = r.run AND cr.record_id = r.id AND cr.run = $1 AND cr.case_id = $2`,
    [run, caseId, day, decisionNo],
  );
}

async function nextCounter(db: Queryable, run: string, name: string): Promise<number> {
  const { rows } = await db.query<{ value: number }>(
    `INSERT INTO credit_counters AS c (run, name, value) VALUES ($1, $2, 1) ON CONFLICT (run, name) DO UPDATE SET value = c.value + 1 RETURNING value`,
    [run, name],
  );
  return rows[0]!.value;
}

/** 受理编号: GZXF, the day, its number that day. */
export async function nextAcceptanceNo(db: Queryable, run: string, day: string): Promise<string> {
  const n = await nextCounter(db, run, `acceptance:${day}`);
  return `GZXF${day.replaceAll('-', '')}${String(n).padStart(4, '0')}`;
}

export interface Move {
  version: number;
  to: State;
  office: string;
  /** SUBMIT / OPEN: the case's number, the day it was received and the working days it has. */
  registered?: { acceptanceNo: string; receivedOn: string; decisionDays: number } | undefined;
  closedAt: Date | null;
}

/** The case's next state and version, if it is still at the version given (else undefined). */
export async function moveCase(db: Queryable, run: string, id: string, m: Move): Promise<CaseRow | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE credit_cases SET state = $4, version = version + 1, office = $5,
            acceptance_no = COALESCE($6, acceptance_no),
            received_on = COALESCE($7::date, received_on),
            due_on = CASE WHEN $7::date IS NULL THEN due_on ELSE credit_working_day_after(run, $7::date, $8) END,
            closed_at = COALESCE($9, closed_at)
      WHERE run = $1 AND id = $2 AND version = $3
     RETURNING id`,
    [run, id, m.version, m.to, m.office, m.registered?.acceptanceNo ?? null, m.registered?.receivedOn ?? null, m.registered?.decisionDays ?? 0, m.closedAt],
  );
  return rows[0] ? findCase(db, run, id) : undefined;
}

/** A transition as appended: the log row without the office names, which are read with it. */
export type NewTransition = Omit<TransitionRow, 'officeName' | 'toOfficeName'> & { caseId: string };

export async function appendTransition(db: Queryable, run: string, t: NewTransition): Promise<void> {
  await db.query(
    `INSERT INTO credit_transitions (run, case_id, seq, event, from_state, to_state, step, party, staff_id, actor_name, office, to_office, opinion, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [run, t.caseId, t.seq, t.event, t.from, t.to, t.step, t.party, t.staffId, t.actorName, t.office, t.toOffice, t.opinion, t.reason, t.at],
  );
}

export async function transitionsOf(db: Queryable, run: string, caseId: string): Promise<TransitionRow[]> {
  const { rows } = await db.query<TransitionRow>(
    `SELECT t.seq, t.event, t.from_state AS "from", t.to_state AS "to", t.step, t.party, t.staff_id AS "staffId", t.actor_name AS "actorName",
            t.office, o.name AS "officeName", t.to_office AS "toOffice", tt.name AS "toOfficeName", t.opinion, t.reason, t.at
       FROM credit_transitions t
       LEFT JOIN credit_offices o ON o.run = t.run AND o.code = t.office
       LEFT JOIN credit_offices tt ON tt.run = t.run AND tt.code = t.to_office
      WHERE t.run = $1 AND t.case_id = $2 ORDER BY t.seq`,
    [run, caseId],
  );
  return rows;
}

export async function stepsActed(db: Queryable, run: string, caseId: string, staffId: string): Promise<Step[]> {
  const { rows } = await db.query<{ step: Step }>(`SELECT DISTINCT step FROM credit_transitions WHERE run = $1 AND case_id = $2 AND staff_id = $3`, [run, caseId, staffId]);
  return rows.map((r) => r.step);
}

export interface TodoSearch {
  acceptanceNo?: string | undefined;
  name?: string | undefined;
  kind?: Kind | undefined;
  state?: State | undefined;
  code?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * E5: the cases of an office waiting for a step one of the user's roles acts in (`waiting`:
 * state → step), leaving out those the user acted on in another step; searched and paged.
 */
export async function todo(db: Queryable, run: string, staff: Pick<StaffRow, 'id' | 'office'>, waiting: { state: State; step: Step }[], q: TodoSearch): Promise<Page<CaseRow>> {
  const { rows } = await db.query<CaseRow & { total: number }>(
    `WITH matched AS (
       SELECT c.* FROM credit_cases c JOIN unnest($4::text[], $5::text[]) AS w(state, step) ON w.state = c.state
        WHERE c.run = $1 AND c.office = $2
          AND NOT EXISTS (SELECT 1 FROM credit_transitions t WHERE t.run = c.run AND t.case_id = c.id AND t.staff_id = $3 AND t.step <> w.step)
          AND ($6::text IS NULL OR c.acceptance_no = $6)
          AND ($7::text IS NULL OR strpos(c.subject_name, $7) > 0)
          AND ($8::text IS NULL OR c.kind = $8)
          AND ($9::text IS NULL OR c.state = $9)
          AND ($10::text IS NULL OR c.uscc = $10 OR c.registration_no = $10)),
     counted AS (SELECT count(*)::int AS total FROM matched)
     SELECT counted.total, page.* FROM counted LEFT JOIN LATERAL (
       SELECT ${CASE_COLUMNS} FROM matched c ORDER BY c.received_on, c.acceptance_no LIMIT $11 OFFSET $12) page ON true`,
    [run, staff.office, staff.id, waiting.map((w) => w.state), waiting.map((w) => w.step), q.acceptanceNo ?? null, q.name ?? null, q.kind ?? null, q.state ?? null, q.code ?? null, q.limit, q.offset],
  );
  return { total: rows[0]?.total ?? 0, items: rows.filter((r) => r.id !== null) };
}

export interface ProgressRow extends CaseRow {
  refusedAt: Step | null;
  refusalReason: string | null;
  repairedOn: string | null;
}

/**
 * E3: every submitted case of the enterprises linked to a mobile — those it applied for (a draft
 * is not an application yet: starting one links nothing), and those whose legal representative
 * has it in the registry — newest first.
 */
export async function progressOf(db: Queryable, run: string, mobile: string): Promise<ProgressRow[]> {
  const { rows } = await db.query<ProgressRow>(
    `WITH linked AS (
       SELECT uscc FROM credit_cases WHERE run = $1 AND applicant_mobile = $2 AND state NOT IN ('NEW', 'DRAFT')
       UNION
       SELECT e.uscc FROM registry_persons p JOIN registry_enterprises e ON e.run = p.run AND e.legal_rep_id_number = p.id_number
        WHERE p.run = $1 AND p.mobile = $2)
     SELECT ${CASE_COLUMNS}, refusal.step AS "refusedAt", refusal.reason AS "refusalReason",
            (SELECT max(r.repaired_on) FROM credit_case_records cr JOIN credit_records r ON r.run = cr.run AND r.id = cr.record_id
              WHERE cr.run = c.run AND cr.case_id = c.id AND c.state = 'REPAIRED')::text AS "repairedOn"
       FROM credit_cases c JOIN linked l ON l.uscc = c.uscc
       LEFT JOIN LATERAL (SELECT t.step, t.reason FROM credit_transitions t WHERE t.run = c.run AND t.case_id = c.id AND t.to_state = 'REFUSED') refusal ON true
      WHERE c.run = $1 AND c.state NOT IN ('NEW', 'DRAFT')
      ORDER BY c.received_on DESC, c.acceptance_no DESC`,
    [run, mobile],
  );
  return rows;
}

// Materials --------------------------------------------------------------------------------------

const MATERIAL_COLUMNS = `id, material_type AS "materialType", file_name AS "fileName", content_type AS "contentType", size, sha256, uploaded_at AS "uploadedAt"`;

export async function insertMaterial(db: Queryable, run: string, m: { id: string; caseId: string; materialType: MaterialType; fileName: string; contentType: ContentType; content: Buffer; now: Date }): Promise<MaterialRow> {
  const sha256 = createHash('sha256').update(m.content).digest('hex');
  const { rows } = await db.query<MaterialRow>(
    `INSERT INTO credit_materials (run, id, case_id, material_type, file_name, content_type, size, sha256, content, uploaded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${MATERIAL_COLUMNS}`,
    [run, m.id, m.caseId, m.materialType, m.fileName, m.contentType, m.content.length, sha256, m.content, m.now],
  );
  return rows[0]!;
}

export async function materialsOfCase(db: Queryable, run: string, caseId: string): Promise<MaterialRow[]> {
  const { rows } = await db.query<MaterialRow>(`SELECT ${MATERIAL_COLUMNS} FROM credit_materials WHERE run = $1 AND case_id = $2 ORDER BY uploaded_at, file_name, id`, [run, caseId]);
  return rows;
}

export async function materialTypesOfCase(db: Queryable, run: string, caseId: string): Promise<MaterialType[]> {
  const { rows } = await db.query<{ type: MaterialType }>(`SELECT DISTINCT material_type AS type FROM credit_materials WHERE run = $1 AND case_id = $2`, [run, caseId]);
  return rows.map((r) => r.type);
}

export async function readMaterial(db: Queryable, run: string, caseId: string, id: string): Promise<(MaterialRow & { content: Buffer }) | undefined> {
  const { rows } = await db.query<MaterialRow & { content: Buffer }>(`SELECT ${MATERIAL_COLUMNS}, content FROM credit_materials WHERE run = $1 AND case_id = $2 AND id = $3`, [run, caseId, id]);
  return rows[0];
}

// SMS owed to applicants -------------------------------------------------------------------------

export async function insertNotice(db: Queryable, run: string, n: { caseId: string; event: Notice; mobile: string; text: string; now: Date }): Promise<void> {
  await db.query(`INSERT INTO credit_notices (run, case_id, event, mobile, text, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [
    run,
    n.caseId,
    n.event,
    n.mobile,
    n.text,
    n.now,
  ]);
}

export interface ClaimedNotice {
  caseId: string;
  event: Notice;
  mobile: string;
  text: string;
}

/** Claims up to `limit` unsent notices of the run (one statement; a claim left by a dead sender is taken over after its lease). */
export async function claimNotices(db: Queryable, run: string, token: string, limit: number, leaseSeconds: number): Promise<ClaimedNotice[]> {
  const { rows } = await db.query<ClaimedNotice>(
    `UPDATE credit_notices n SET claim = $2, claimed_at = clock_timestamp()
       FROM (SELECT case_id, event FROM credit_notices
              WHERE run = $1 AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < clock_timestamp() - make_interval(secs => $4))
              ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
      WHERE n.run = $1 AND n.case_id = due.case_id AND n.event = due.event
     RETURNING n.case_id AS "caseId", n.event, n.mobile, n.text`,
    [run, token, limit, leaseSeconds],
  );
  return rows;
}

export async function settleNotice(db: Queryable, run: string, token: string, n: ClaimedNotice, sent: { at: Date; messageId: string | null } | null): Promise<void> {
  await db.query(
    sent
      ? `UPDATE credit_notices SET sent_at = $5, message_id = $6, claim = NULL, claimed_at = NULL WHERE run = $1 AND case_id = $2 AND event = $3 AND claim = $4`
      : `UPDATE credit_notices SET claim = NULL, claimed_at = NULL WHERE run = $1 AND case_id = $2 AND event = $3 AND claim = $4`,
    sent ? [run, n.caseId, n.event, token, sent.at, sent.messageId] : [run, n.caseId, n.event, token],
  );
}

/** How many notices of the run are claimed and unsent within their lease (another job is sending them). */
export async function unsettledNotices(db: Queryable, run: string, leaseSeconds: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM credit_notices WHERE run = $1 AND sent_at IS NULL AND claimed_at > clock_timestamp() - make_interval(secs => $2)`,
    [run, leaseSeconds],
  );
  return rows[0]!.n;
}

/** Waits (polling, at most `timeoutMs`) until no notice of the run is claimed and unsent within its lease. */
export async function awaitUnsettledNotices(db: Queryable, run: string, timeoutMs: number, leaseSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await unsettledNotices(db, run, leaseSeconds)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Time limits ------------------------------------------------------------------------------------

/** Flags every case under way whose deadline passed before `today`; answers how many. */
export async function flagOverdue(db: Queryable, run: string, today: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE credit_cases SET overdue_since = due_on + 1
      WHERE run = $1 AND state IN ('PENDING_ACCEPTANCE', 'PENDING_REVIEW', 'PENDING_APPROVAL') AND overdue_since IS NULL AND due_on < $2::date`,
    [run, today],
  );
  return rowCount ?? 0;
}

/** The earliest deadline still to come of a case under way. */
export async function nextDeadline(db: Queryable, run: string): Promise<string | undefined> {
  const { rows } = await db.query<{ day: string | null }>(
    `SELECT min(due_on)::text AS day FROM credit_cases WHERE run = $1 AND state IN ('PENDING_ACCEPTANCE', 'PENDING_REVIEW', 'PENDING_APPROVAL') AND overdue_since IS NULL`,
    [run],
  );
  return rows[0]?.day ?? undefined;
}

export async function putCalendarDay(db: Queryable, run: string, day: string, working: boolean, note: string): Promise<void> {
  await db.query(
    `INSERT INTO credit_calendar (run, day, working, note) VALUES ($1, $2, $3, $4) ON CONFLICT (run, day) DO UPDATE SET working = EXCLUDED.working, note = EXCLUDED.note`,
    [run, day, working, note],
  );
}

export async function calendarBetween(db: Queryable, run: string, from: string, to: string): Promise<{ day: string; working: boolean; note: string | null }[]> {
  const { rows } = await db.query<{ day: string; working: boolean; note: string | null }>(
    `SELECT d::date::text AS day, credit_is_working_day($1, d::date) AS working,
            (SELECT note FROM credit_calendar c WHERE c.run IN ($1, '*') AND c.day = d::date ORDER BY c.run = '*' LIMIT 1) AS note
       FROM generate_series($2::date, $3::date, interval '1 day') d ORDER BY d`,
    [run, from, to],
  );
  return rows;
}

export async function workingDayAfter(db: Queryable, run: string, from: string, n: number): Promise<string> {
  const { rows } = await db.query<{ day: string }>(`SELECT credit_working_day_after($1, $2::date, $3)::text AS day`, [run, from, n]);
  return rows[0]!.day;
}

// Sessions and codes -----------------------------------------------------------------------------

export type CodePurpose = 'APPLICANT_LOGIN' | 'PROGRESS_QUERY' | 'STAFF_LOGIN';

export interface SmsCode {
  codeHash: string;
  sentAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  usedAt: Date | null;
  lockedUntil: Date | null;
}

export async function lockCode(db: Queryable, run: string, purpose: CodePurpose, mobile: string): Promise<SmsCode | undefined> {
  const { rows } = await db.query<SmsCode>(
    `SELECT code_hash AS "codeHash", sent_at AS "sentAt", expires_at AS "expiresAt", failed_attempts AS "failedAttempts", used_at AS "usedAt", locked_until AS "lockedUntil"
       FROM credit_sms_codes WHERE run = $1 AND purpose = $2 AND mobile = $3 FOR UPDATE`,
    [run, purpose, mobile],
  );
  return rows[0];
}

export async function putCode(db: Queryable, run: string, purpose: CodePurpose, mobile: string, c: { codeHash: string; sentAt: Date; expiresAt: Date }): Promise<void> {
  await db.query(
    `INSERT INTO credit_sms_codes (run, purpose, mobile, code_hash, sent_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run, purpose, mobile) DO UPDATE SET code_hash = EXCLUDED.code_hash, sent_at = EXCLUDED.sent_at, expires_at = EXCLUDED.expires_at,
       failed_attempts = 0, used_at = NULL, locked_until = NULL`,
    [run, purpose, mobile, c.codeHash, c.sentAt, c.expiresAt],
  );
}

/** A code the gateway refused to send: what was there before comes back (unless a later code replaced it). */
export async function restoreCode(db: Queryable, run: string, purpose: CodePurpose, mobile: string, codeHash: string, previous: SmsCode | undefined): Promise<void> {
  if (!previous) {
    await db.query(`DELETE FROM credit_sms_codes WHERE run = $1 AND purpose = $2 AND mobile = $3 AND code_hash = $4`, [run, purpose, mobile, codeHash]);
    return;
  }
  await db.query(
    `UPDATE credit_sms_codes SET code_hash = $5, sent_at = $6, expires_at = $7, failed_attempts = $8, used_at = $9, locked_until = $10
      WHERE run = $1 AND purpose = $2 AND mobile = $3 AND code_hash = $4`,
    [run, purpose, mobile, codeHash, previous.codeHash, previous.sentAt, previous.expiresAt, previous.failedAttempts, previous.usedAt, previous.lockedUntil],
  );
}

export async function updateCode(db: Queryable, run: string, purpose: CodePurpose, mobile: string, u: { failedAttempts: number; usedAt: Date | null; lockedUntil: Date | null }): Promise<void> {
  await db.query(`UPDATE credit_sms_codes SET failed_attempts = $4, used_at = $5, locked_until = $6 WHERE run = $1 AND purpose = $2 AND mobile = $3`, [
    run,
    purpose,
    mobile,
    u.failedAttempts,
    u.usedAt,
    u.lockedUntil,
  ]);
}

export async function insertApplicantSession(db: Queryable, run: string, tokenHash: string, mobile: string, now: Date): Promise<void> {
  await db.query(`INSERT INTO credit_applicant_sessions (run, token_hash, mobile, created_at) VALUES ($1, $2, $3, $4)`, [run, tokenHash, mobile, now]);
}

/** 登录 for a subject: the session acts for it, as the person whose identity was checked. */
export async function setSubject(db: Queryable, run: string, tokenHash: string, s: { kind: Kind; uscc: string; verifiedName: string; verifiedIdNumber: string }): Promise<void> {
  await db.query(
    `UPDATE credit_applicant_sessions SET subject_kind = $3, subject_uscc = $4, verified_name = $5, verified_id_number = $6 WHERE run = $1 AND token_hash = $2`,
    [run, tokenHash, s.kind, s.uscc, s.verifiedName, s.verifiedIdNumber],
  );
}

export async function insertStaffSession(db: Queryable, run: string, tokenHash: string, staffId: string, now: Date): Promise<void> {
  await db.query(`INSERT INTO credit_staff_sessions (run, token_hash, staff_id, created_at) VALUES ($1, $2, $3, $4)`, [run, tokenHash, staffId, now]);
}

// The registry, as 信用修复 reads it --------------------------------------------------------------

export interface EnterpriseOfMobile {
  uscc: string;
  name: string;
  kind: 'company' | 'individual' | 'cooperative';
  status: string;
  industry: string;
  legalRepName: string;
  legalRepIdNumber: string;
  district: string;
  office: string;
  registrationNo: string | null;
}

/** Enterprises (of a kind) whose legal representative has this mobile in the registry, with their 注册号 where a record names it. */
export async function enterprisesOfMobile(db: Queryable, run: string, mobile: string, kind?: string): Promise<EnterpriseOfMobile[]> {
  const { rows } = await db.query<EnterpriseOfMobile>(
    `SELECT e.uscc, e.name, e.kind, e.status, e.industry, e.legal_rep_name AS "legalRepName", e.legal_rep_id_number AS "legalRepIdNumber", e.district, e.office,
            (SELECT r.registration_no FROM credit_records r WHERE r.run = e.run AND r.uscc = e.uscc LIMIT 1) AS "registrationNo"
       FROM registry_persons p JOIN registry_enterprises e ON e.run = p.run AND e.legal_rep_id_number = p.id_number
      WHERE p.run = $1 AND p.mobile = $2 AND ($3::text IS NULL OR e.kind = $3) ORDER BY e.uscc`,
    [run, mobile, kind ?? null],
  );
  return rows;
}
