// The licence's SQL: the register, officers, applications and their moves, appointments,
// inspections, problems, files and reminders. Reads that a request needs come in one statement
// where the rule allows; writes return what the answer needs.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../kernel/db.js';
import type { GuardTable } from '../../kernel/login-guards.js';
import type { Authority, ChecklistCode, ImageType, Qualification } from './rules.js';
import { MOVES, type MoveName, type Status } from './workflow.js';

export type Channel = 'WEB' | 'APP';

// The register --------------------------------------------------------------------------------------

export interface Staff {
  id: string;
  name: string;
  idNumber: string;
  certificateNo: string;
  unitType: string;
  qualification: Qualification;
  assessedOn: string;
}
export interface Filing {
  number: string;
  filingType: string;
  authority: string;
  filedOn: string;
}
export interface Licence {
  number: string;
  validFrom: string;
  validTo: string;
  applicationId: string | null;
  issuedAt: Date;
}
export interface RegisterEntry {
  uscc: string;
  staff: Staff[];
  filings: Filing[];
  licences: Licence[];
}

const STAFF_COLUMNS = `id, name, id_number AS "idNumber", certificate_no AS "certificateNo", unit_type AS "unitType", qualification, assessed_on AS "assessedOn"`;
const FILING_COLUMNS = `number, filing_type AS "filingType", authority, filed_on AS "filedOn"`;
const LICENCE_COLUMNS = `number, valid_from AS "validFrom", valid_to AS "validTo", application_id AS "applicationId", issued_at AS "issuedAt"`;

export interface NewRegisterEntry {
  uscc: string;
  staff: Omit<Staff, 'id'>[];
  filings: Filing[];
  licences: Pick<Licence, 'number' | 'validFrom' | 'validTo'>[];
}

/** Puts enterprises on the register with their staff, filings and licences (one already there stays as it is). */
export async function addToRegister(db: Queryable, run: string, entries: NewRegisterEntry[], now: Date): Promise<number> {
  const { rows } = await db.query<{ added: number }>(
    `WITH e AS (SELECT * FROM json_to_recordset($2::json) AS e(uscc text, staff json, filings json, licences json)),
     added AS (INSERT INTO lic_enterprises (run, uscc, added_at) SELECT $1, uscc, $3 FROM e ON CONFLICT DO NOTHING RETURNING uscc),
     staff AS (INSERT INTO lic_staff (run, id, uscc, name, id_number, certificate_no, unit_type, qualification, assessed_on)
               SELECT $1, gen_random_uuid(), e.uscc, s.name, s."idNumber", s."certificateNo", s."unitType", s.qualification, s."assessedOn"
                 FROM e JOIN added USING (uscc), json_to_recordset(e.staff) AS s(name text, "idNumber" text, "certificateNo" text, "unitType" text, qualification text, "assessedOn" date)),
     filings AS (INSERT INTO lic_plan_filings (run, uscc, number, filing_type, authority, filed_on)
               SELECT $1, e.uscc, f.number, f."filingType", f.authority, f."filedOn"
                 FROM e JOIN added USING (uscc), json_to_recordset(e.filings) AS f(number text, "filingType" text, authority text, "filedOn" date)),
     licences AS (INSERT INTO lic_licences (run, number, uscc, valid_from, valid_to, issued_at)
               SELECT $1, l.number, e.uscc, l."validFrom", l."validTo", l."validFrom"::timestamp AT TIME ZONE 'Asia/Shanghai'
                 FROM e JOIN added USING (uscc), json_to_recordset(e.licences) AS l(number text, "validFrom" date, "validTo" date))
     SELECT count(*)::int AS added FROM added`,
    [run, JSON.stringify(entries), now],
  );
  return rows[0]!.added;
}

export async function registerEntry(db: Queryable, run: string, uscc: string): Promise<RegisterEntry | undefined> {
  const { rows } = await db.query<RegisterEntry>(
    `SELECT e.uscc,
            COALESCE((SELECT json_agg(s ORDER BY s.qualification DESC, s."assessedOn", s."certificateNo") FROM (SELECT ${STAFF_COLUMNS} FROM lic_staff WHERE run = e.run AND uscc = e.uscc) s), '[]') AS staff,
            COALESCE((SELECT json_agg(f ORDER BY f."filedOn" DESC) FROM (SELECT ${FILING_COLUMNS} FROM lic_plan_filings WHERE run = e.run AND uscc = e.uscc) f), '[]') AS filings,
            COALESCE((SELECT json_agg(l ORDER BY l."validTo" DESC) FROM (SELECT ${LICENCE_COLUMNS} FROM lic_licences WHERE run = e.run AND uscc = e.uscc) l), '[]') AS licences
       FROM lic_enterprises e WHERE e.run = $1 AND e.uscc = $2`,
    [run, uscc],
  );
  const entry = rows[0];
  return entry && { ...entry, licences: entry.licences.map((l) => ({ ...l, issuedAt: new Date(l.issuedAt) })) };
}

/** 员工信息管理 [添加员工]: undefined when the enterprise is not on the register or the certificate is listed already. */
export async function addStaff(db: Queryable, run: string, uscc: string, staff: Omit<Staff, 'id'>): Promise<Staff | undefined> {
  const { rows } = await db.query<Staff>(
    `INSERT INTO lic_staff (run, id, uscc, name, id_number, certificate_no, unit_type, qualification, assessed_on)
     SELECT $1, $3, uscc, $4, $5, $6, $7, $8, $9 FROM lic_enterprises WHERE run = $1 AND uscc = $2
     ON CONFLICT (run, uscc, certificate_no) DO NOTHING
     RETURNING ${STAFF_COLUMNS}`,
    [run, uscc, randomUUID(), staff.name, staff.idNumber, staff.certificateNo, staff.unitType, staff.qualification, staff.assessedOn],
  );
  return rows[0];
}

/** Issues a licence numbered `numberPrefix` + six digits. */
export async function issueLicence(tx: Queryable, run: string, licence: { numberPrefix: string; uscc: string; validFrom: string; validTo: string; applicationId: string }, now: Date): Promise<Licence> {
  const { rows } = await tx.query<Licence>(
    `INSERT INTO lic_licences (run, number, uscc, valid_from, valid_to, application_id, issued_at)
     VALUES ($1, ${numbered('$2::text', 'lic_licence_numbers')}, $3, $4, $5, $6, $7) RETURNING ${LICENCE_COLUMNS}`,
    [run, licence.numberPrefix, licence.uscc, licence.validFrom, licence.validTo, licence.applicationId, now],
  );
  return rows[0]!;
}

export async function licenceIssuedFor(db: Queryable, run: string, applicationId: string): Promise<Licence | undefined> {
  const { rows } = await db.query<Licence>(`SELECT ${LICENCE_COLUMNS} FROM lic_licences WHERE run = $1 AND application_id = $2`, [run, applicationId]);
  return rows[0];
}

// Officers -------------------------------------------------------------------------------------------

export type OfficerRole = 'REVIEWER' | 'INSPECTOR';
export interface Officer {
  id: string;
  username: string;
  name: string;
  idNumber: string;
  authority: Authority;
  roles: OfficerRole[];
}
const OFFICER_COLUMNS = `o.id, o.username, o.name, o.id_number AS "idNumber", o.authority, o.roles`;

/** undefined when the username is taken in the run. */
export async function insertOfficers(db: Queryable, run: string, officers: (Omit<Officer, 'id'> & { passwordHash: string })[]): Promise<Officer[]> {
  const { rows } = await db.query<Officer>(
    `INSERT INTO lic_officers AS o (run, id, username, name, id_number, authority, roles, password_hash)
     SELECT $1, gen_random_uuid(), username, name, "idNumber", authority, roles, "passwordHash"
       FROM json_to_recordset($2::json) AS x(username text, name text, "idNumber" text, authority text, roles text[], "passwordHash" text)
     ON CONFLICT (run, username) DO NOTHING
     RETURNING ${OFFICER_COLUMNS}`,
    [run, JSON.stringify(officers)],
  );
  return rows;
}

export async function officerForLogin(db: Queryable, run: string, username: string): Promise<(Officer & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<Officer & { passwordHash: string }>(`SELECT ${OFFICER_COLUMNS}, o.password_hash AS "passwordHash" FROM lic_officers o WHERE o.run = $1 AND o.username = $2`, [run, username]);
  return rows[0];
}

export async function officerById(db: Queryable, run: string, id: string): Promise<Officer | undefined> {
  const { rows } = await db.query<Officer>(`SELECT ${OFFICER_COLUMNS} FROM lic_officers o WHERE o.run = $1 AND o.id = $2`, [run, id]);
  return rows[0];
}

export async function openOfficerSession(db: Queryable, run: string, tokenHash: string, officerId: string, now: Date): Promise<void> {
  await db.query(`INSERT INTO lic_officer_sessions (run, token_hash, officer_id, created_at) VALUES ($1, $2, $3, $4)`, [run, tokenHash, officerId, now]);
}

export async function officerOfSession(db: Queryable, run: string, tokenHash: string): Promise<Officer | undefined> {
  const { rows } = await db.query<Officer>({
    name: 'licensing.officer-of-session',
    text: `SELECT ${OFFICER_COLUMNS} FROM lic_officer_sessions s JOIN lic_officers o ON o.run = s.run AND o.id = s.officer_id WHERE s.run = $1 AND s.token_hash = $2`,
    values: [run, tokenHash],
  });
  return rows[0];
}

// Applications ---------------------------------------------------------------------------------------

export interface PersonnelEntry {
  staffId: string;
  name: string;
  certificateNo: string;
  unitType: string;
  qualification: Qualification;
  assessedOn: string;
}

/** The form's fields (F1, F2): any may be missing in a draft. */
export interface DraftFields {
  applicationType: string | null;
  affiliation: string | null;
  personnel: PersonnelEntry[];
  emergencyPlan: Filing | null;
  goodsScope: string[];
  businessModes: string[];
  inspectionMethod: string | null;
  authority: string | null;
}

export interface Application extends DraftFields {
  id: string;
  number: string;
  uscc: string;
  enterpriseName: string;
  legalRepName: string;
  legalRepIdNumber: string;
  status: Status;
  version: number;
  appointmentAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
}

const APPLICATION_COLUMNS = `a.id, a.number, a.uscc, r.name AS "enterpriseName", r.legal_rep_name AS "legalRepName", r.legal_rep_id_number AS "legalRepIdNumber",
  a.status, a.version, a.application_type AS "applicationType", a.affiliation, a.personnel, a.emergency_plan AS "emergencyPlan",
  a.goods_scope AS "goodsScope", a.business_modes AS "businessModes", a.inspection_method AS "inspectionMethod", a.authority,
  a.appointment_at AS "appointmentAt", a.created_by AS "createdBy", a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.submitted_at AS "submittedAt"`;
const APPLICATION_FROM = `lic_applications a JOIN registry_enterprises r ON r.run = a.run AND r.uscc = a.uscc`;

/** Whose applications a caller sees: an enterprise its own, an authority those addressed to it (never drafts). */
export type Scope = { uscc: string } | { authority: Authority };
const scopeSql = (scope: Scope, param: string) => ('uscc' in scope ? `a.uscc = ${param}` : `a.authority = ${param} AND a.status <> 'DRAFT'`);
const scopeValue = (scope: Scope) => ('uscc' in scope ? scope.uscc : scope.authority);

const fieldValues = (f: DraftFields) => [f.applicationType, f.affiliation, JSON.stringify(f.personnel), f.emergencyPlan ? JSON.stringify(f.emergencyPlan) : null, f.goodsScope, f.businessModes, f.inspectionMethod, f.authority];

/** A new draft; undefined when the enterprise has an open application already (the unique index decides). */
/** A number: `prefix` and the next six digits of `sequence` (migrations/0002_numbers.sql). */
const numbered = (prefix: string, sequence: 'lic_application_numbers' | 'lic_licence_numbers') => `${prefix} || lpad((nextval('${sequence}') % 1000000)::text, 6, '0')`;

/** A new draft numbered `numberPrefix` + six digits; undefined when the enterprise already has one open. */
export async function insertDraft(db: Queryable, run: string, uscc: string, numberPrefix: string, fields: DraftFields, by: string, now: Date): Promise<string | undefined> {
  const id = randomUUID();
  const { rowCount } = await db.query(
    `INSERT INTO lic_applications (run, id, number, uscc, status, application_type, affiliation, personnel, emergency_plan, goods_scope, business_modes, inspection_method, authority, created_by, created_at, updated_at)
     VALUES ($1, $2, ${numbered('$3::text', 'lic_application_numbers')}, $4, 'DRAFT', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
     ON CONFLICT (run, uscc) WHERE status <> 'APPROVED' DO NOTHING`,
    [run, id, numberPrefix, uscc, ...fieldValues(fields), by, now],
  );
  return rowCount ? id : undefined;
}

export async function findApplication(db: Queryable, run: string, id: string, scope: Scope): Promise<Application | undefined> {
  const { rows } = await db.query<Application>(`SELECT ${APPLICATION_COLUMNS} FROM ${APPLICATION_FROM} WHERE a.run = $1 AND a.id = $2 AND ${scopeSql(scope, '$3')}`, [run, id, scopeValue(scope)]);
  return rows[0];
}

export async function listApplications(db: Queryable, run: string, scope: Scope, status?: Status): Promise<Application[]> {
  const { rows } = await db.query<Application>(
    `SELECT ${APPLICATION_COLUMNS} FROM ${APPLICATION_FROM} WHERE a.run = $1 AND ${scopeSql(scope, '$2')} AND ($3::text IS NULL OR a.status = $3) ORDER BY a.created_at DESC, a.number`,
    [run, scopeValue(scope), status ?? null],
  );
  return rows;
}

/** F1 保存: the draft's fields replaced, if it is still the draft at `version`. */
export async function saveDraft(db: Queryable, run: string, id: string, uscc: string, version: number, fields: DraftFields, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE lic_applications SET application_type = $5, affiliation = $6, personnel = $7, emergency_plan = $8, goods_scope = $9, business_modes = $10,
            inspection_method = $11, authority = $12, version = version + 1, updated_at = $13
      WHERE run = $1 AND id = $2 AND uscc = $3 AND version = $4 AND status = ANY($14)`,
    [run, id, uscc, version, ...fieldValues(fields), now, MOVES.edit.from],
  );
  return rowCount === 1;
}

/**
 * Applies a move of the workflow table in one guarded statement: only from the move's statuses
 * and at the version the caller decided on. Answers the new version, or undefined (the caller
 * then finds out why with `explain`).
 */
export async function move(db: Queryable, run: string, id: string, version: number, name: MoveName, now: Date, appointmentAt?: Date | null): Promise<number | undefined> {
  const { from, to } = MOVES[name];
  const { rows } = await db.query<{ version: number }>(
    `UPDATE lic_applications SET status = $5, version = version + 1, updated_at = $6,
            appointment_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE appointment_at END,
            submitted_at = CASE WHEN $5 = 'SUBMITTED' THEN COALESCE(submitted_at, $6) ELSE submitted_at END
      WHERE run = $1 AND id = $2 AND version = $3 AND status = ANY($4) RETURNING version`,
    [run, id, version, from, to, now, appointmentAt !== undefined, appointmentAt ?? null],
  );
  return rows[0]?.version;
}

/** Where an application stands now (to explain a refused move). */
export async function standing(db: Queryable, run: string, id: string): Promise<{ status: Status; version: number } | undefined> {
  const { rows } = await db.query<{ status: Status; version: number }>(`SELECT status, version FROM lic_applications WHERE run = $1 AND id = $2`, [run, id]);
  return rows[0];
}

/** The application's row locked for the rest of the transaction (moves that depend on its children). */
export async function lockApplication(tx: Queryable, run: string, id: string): Promise<{ status: Status; version: number } | undefined> {
  const { rows } = await tx.query<{ status: Status; version: number }>(`SELECT status, version FROM lic_applications WHERE run = $1 AND id = $2 FOR UPDATE`, [run, id]);
  return rows[0];
}

// F3 appointments ------------------------------------------------------------------------------------

export interface Proposal {
  seq: number;
  proposedBy: 'AUTHORITY' | 'ENTERPRISE';
  channel: Channel | null;
  proposerName: string;
  at: Date;
  proposedAt: Date;
  outcome: 'PENDING' | 'CONFIRMED' | 'SUPERSEDED' | 'CANCELLED';
  decidedBy: string | null;
  decidedChannel: Channel | null;
  decidedAt: Date | null;
}

/** A new proposal; the one pending before it is superseded. */
export async function propose(tx: Queryable, run: string, applicationId: string, p: { by: Proposal['proposedBy']; channel: Channel | null; name: string; at: Date; now: Date }): Promise<void> {
  await tx.query(
    `WITH superseded AS (
       UPDATE lic_appointment_proposals SET outcome = 'SUPERSEDED', decided_by = $4, decided_channel = $3, decided_at = $6
        WHERE run = $1 AND application_id = $2 AND outcome = 'PENDING')
     INSERT INTO lic_appointment_proposals (run, application_id, seq, proposed_by, channel, proposer_name, at, proposed_at)
     SELECT $1, $2, COALESCE(max(seq), 0) + 1, $7, $3, $4, $5, $6 FROM lic_appointment_proposals WHERE run = $1 AND application_id = $2`,
    [run, applicationId, p.channel, p.name, p.at, p.now, p.by],
  );
}

/** The latest proposal confirmed (when pending), or cancelled (an inspection at that time could not be finished). */
export async function settleProposal(tx: Queryable, run: string, applicationId: string, outcome: 'CONFIRMED' | 'CANCELLED', d: { name: string; channel: Channel | null; now: Date }): Promise<void> {
  const from = outcome === 'CONFIRMED' ? ['PENDING'] : ['PENDING', 'CONFIRMED'];
  await tx.query(
    `UPDATE lic_appointment_proposals SET outcome = $3, decided_by = $4, decided_channel = $5, decided_at = $6
      WHERE run = $1 AND application_id = $2 AND outcome = ANY($7)
        AND seq = (SELECT max(seq) FROM lic_appointment_proposals WHERE run = $1 AND application_id = $2)`,
    [run, applicationId, outcome, d.name, d.channel, d.now, from],
  );
}

export async function proposalsOf(db: Queryable, run: string, applicationId: string): Promise<Proposal[]> {
  const { rows } = await db.query<Proposal>(
    `SELECT seq, proposed_by AS "proposedBy", channel, proposer_name AS "proposerName", at, proposed_at AS "proposedAt", outcome,
            decided_by AS "decidedBy", decided_channel AS "decidedChannel", decided_at AS "decidedAt"
       FROM lic_appointment_proposals WHERE run = $1 AND application_id = $2 ORDER BY seq`,
    [run, applicationId],
  );
  return rows;
}

// F5/F6 inspections ----------------------------------------------------------------------------------

export type InspectionStatus = 'IN_PROGRESS' | 'PASSED' | 'PROBLEMS' | 'UNFINISHED';
export interface ChecklistItem {
  code: ChecklistCode;
  label: string;
  result: 'COMPLIANT' | 'NON_COMPLIANT' | null;
  note: string | null;
  recordedBy: string | null;
  recordedAt: string | null;
}
export interface FileMeta {
  id: string;
  kind: FileKind;
  problemId: string | null;
  mimeType: ImageType;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  channel: Channel;
  uploadedAt: string;
}
export interface Inspection {
  id: string;
  method: 'CLOUD' | 'ON_SITE';
  status: InspectionStatus;
  appointmentAt: Date | null;
  roomId: string | null;
  officerId: string;
  officerName: string;
  enterpriseJoinedAt: Date | null;
  note: string | null;
  startedAt: Date;
  endedAt: Date | null;
  checklist: ChecklistItem[];
  files: FileMeta[];
}

export async function insertInspection(
  tx: Queryable,
  run: string,
  i: { applicationId: string; method: Inspection['method']; status: InspectionStatus; appointmentAt: Date | null; roomId: string | null; officerId: string; officerName: string; note: string | null; now: Date },
  checklist: readonly { code: string; label: string }[],
): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `WITH inspection AS (
       INSERT INTO lic_inspections (run, id, application_id, method, status, appointment_at, room_id, officer_id, officer_name, note, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $5 = 'IN_PROGRESS' THEN NULL ELSE $11::timestamptz END) RETURNING run, id)
     INSERT INTO lic_checklist_items (run, inspection_id, code, position, label)
     SELECT i.run, i.id, c.item->>'code', c.position, c.item->>'label' FROM inspection i, json_array_elements($12::json) WITH ORDINALITY AS c(item, position)`,
    [run, id, i.applicationId, i.method, i.status, i.appointmentAt, i.roomId, i.officerId, i.officerName, i.note, i.now, JSON.stringify(checklist)],
  );
  return id;
}

/** The application's latest inspection with its checklist and files (without their bytes). */
export async function latestInspection(db: Queryable, run: string, applicationId: string): Promise<Inspection | undefined> {
  const { rows } = await db.query<Inspection>(
    `SELECT i.id, i.method, i.status, i.appointment_at AS "appointmentAt", i.room_id AS "roomId", i.officer_id AS "officerId", i.officer_name AS "officerName",
            i.enterprise_joined_at AS "enterpriseJoinedAt", i.note, i.started_at AS "startedAt", i.ended_at AS "endedAt",
            COALESCE((SELECT json_agg(json_build_object('code', c.code, 'label', c.label, 'result', c.result, 'note', c.note, 'recordedBy', c.recorded_by, 'recordedAt', c.recorded_at) ORDER BY c.position)
                        FROM lic_checklist_items c WHERE c.run = i.run AND c.inspection_id = i.id), '[]') AS checklist,
            COALESCE((SELECT json_agg(json_build_object('id', f.id, 'kind', f.kind, 'problemId', f.problem_id, 'mimeType', f.mime_type, 'sizeBytes', octet_length(f.data), 'sha256', encode(sha256(f.data), 'hex'),
                                                        'uploadedBy', f.uploaded_by, 'channel', f.channel, 'uploadedAt', f.uploaded_at) ORDER BY f.uploaded_at, f.id)
                        FROM lic_files f WHERE f.run = i.run AND f.inspection_id = i.id), '[]') AS files
       FROM lic_inspections i WHERE i.run = $1 AND i.application_id = $2 ORDER BY i.started_at DESC, i.id LIMIT 1`,
    [run, applicationId],
  );
  return rows[0];
}

export async function markEnterpriseJoined(db: Queryable, run: string, inspectionId: string, now: Date): Promise<void> {
  await db.query(`UPDATE lic_inspections SET enterprise_joined_at = COALESCE(enterprise_joined_at, $3) WHERE run = $1 AND id = $2`, [run, inspectionId, now]);
}

/**
 * Records one item while the inspection runs; false when it no longer does. The inspection's row
 * is shared-locked, so an inspection being concluded (lockInspection) waits for the item, or the
 * item finds it concluded.
 */
export async function recordItem(db: Queryable, run: string, inspectionId: string, code: string, result: string, note: string | null, by: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH i AS (SELECT run, id FROM lic_inspections WHERE run = $1 AND id = $2 AND status = 'IN_PROGRESS' FOR SHARE)
     UPDATE lic_checklist_items c SET result = $4, note = $5, recorded_by = $6, recorded_at = $7
       FROM i WHERE c.run = i.run AND c.inspection_id = i.id AND c.code = $3`,
    [run, inspectionId, code, result, note, by, now],
  );
  return rowCount === 1;
}

export async function lockInspection(tx: Queryable, run: string, inspectionId: string): Promise<void> {
  await tx.query(`SELECT 1 FROM lic_inspections WHERE run = $1 AND id = $2 FOR UPDATE`, [run, inspectionId]);
}

/** Ends the running inspection; for PROBLEMS its 不符合 items become the 问题汇总. */
export async function endInspection(tx: Queryable, run: string, inspectionId: string, status: Exclude<InspectionStatus, 'IN_PROGRESS'>, note: string | null, now: Date): Promise<number> {
  const { rows } = await tx.query<{ problems: number }>(
    `WITH ended AS (
       UPDATE lic_inspections SET status = $3, note = COALESCE($4, note), ended_at = $5 WHERE run = $1 AND id = $2 AND status = 'IN_PROGRESS' RETURNING run, id, application_id),
     found AS (
       INSERT INTO lic_problems (run, id, application_id, inspection_id, item_code, position, label, finding)
       SELECT c.run, gen_random_uuid(), e.application_id, c.inspection_id, c.code, c.position, c.label, c.note
         FROM ended e JOIN lic_checklist_items c ON c.run = e.run AND c.inspection_id = e.id
        WHERE $3 = 'PROBLEMS' AND c.result = 'NON_COMPLIANT'
       RETURNING 1)
     SELECT count(*)::int AS problems FROM found`,
    [run, inspectionId, status, note, now],
  );
  return rows[0]!.problems;
}

// F7 problems and rectification -------------------------------------------------------------------------

export interface Problem {
  id: string;
  itemCode: string;
  label: string;
  finding: string;
  status: 'OPEN' | 'RECTIFIED';
  rectificationNote: string | null;
  rectifiedBy: string | null;
  rectifiedChannel: Channel | null;
  rectifiedAt: Date | null;
}

export async function problemsOf(db: Queryable, run: string, inspectionId: string): Promise<Problem[]> {
  const { rows } = await db.query<Problem>(
    `SELECT id, item_code AS "itemCode", label, finding, status, rectification_note AS "rectificationNote", rectified_by AS "rectifiedBy",
            rectified_channel AS "rectifiedChannel", rectified_at AS "rectifiedAt"
       FROM lic_problems WHERE run = $1 AND inspection_id = $2 ORDER BY position`,
    [run, inspectionId],
  );
  return rows;
}

/** 未整改 → 已整改; false when the problem was submitted already. */
export async function rectifyProblem(tx: Queryable, run: string, problemId: string, r: { note: string; by: string; channel: Channel; now: Date }): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE lic_problems SET status = 'RECTIFIED', rectification_note = $3, rectified_by = $4, rectified_channel = $5, rectified_at = $6
      WHERE run = $1 AND id = $2 AND status = 'OPEN'`,
    [run, problemId, r.note, r.by, r.channel, r.now],
  );
  return rowCount === 1;
}

export async function openProblems(tx: Queryable, run: string, applicationId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM lic_problems WHERE run = $1 AND application_id = $2 AND status = 'OPEN'`, [run, applicationId]);
  return rows[0]!.n;
}

// Files ------------------------------------------------------------------------------------------------------

export type FileKind = 'COMMITMENT_SIGNATURE' | 'HANDLER_PHOTO' | 'RECTIFICATION_SIGNATURE' | 'RECTIFICATION_PHOTO';
export interface NewFile {
  applicationId: string;
  inspectionId: string;
  problemId: string | null;
  kind: FileKind;
  mimeType: ImageType;
  data: Buffer;
  sha256: string;
  uploadedBy: string;
  channel: Channel;
}

/** Stores files; false when a once-per-inspection kind is there already (nothing is stored then). */
export async function insertFiles(db: Queryable, run: string, files: NewFile[], now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO lic_files (run, id, application_id, inspection_id, problem_id, kind, mime_type, size_bytes, sha256, data, uploaded_by, channel, uploaded_at)
     SELECT $1, gen_random_uuid(), f."applicationId", f."inspectionId", f."problemId", f.kind, f."mimeType", length(decode(f.data, 'base64')), f.sha256,
            decode(f.data, 'base64'), f."uploadedBy", f.channel, $3
       FROM json_to_recordset($2::json) AS f("applicationId" uuid, "inspectionId" uuid, "problemId" uuid, kind text, "mimeType" text, data text, sha256 text, "uploadedBy" text, channel text)
     ON CONFLICT (run, inspection_id, kind) WHERE kind <> 'RECTIFICATION_PHOTO' DO NOTHING`,
    [run, JSON.stringify(files.map((f) => ({ ...f, data: f.data.toString('base64') }))), now],
  );
  return rowCount === files.length;
}

// Appointment reminders ------------------------------------------------------------------------------------

export interface DueReminder {
  applicationId: string;
  number: string;
  appointmentAt: Date;
  enterpriseName: string;
  mobile: string;
  authority: Authority;
}

/** When a reminder falls due for an appointment at `a.appointment_at` (REMINDER in rules.ts: days before, at a time). */
const DUE = `((date_trunc('day', a.appointment_at AT TIME ZONE 'Asia/Shanghai') - make_interval(days => $3) + $4::interval) AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Claims the reminders due now (one per application and appointed time; the primary key decides
 * between jobs running at once), with the legal representative's mobile from the registry.
 */
export async function claimReminders(db: Queryable, run: string, now: Date, reminder: { daysBefore: number; at: string }, token: string, limit: number, leaseSeconds: number): Promise<DueReminder[]> {
  const { rows } = await db.query<DueReminder>(
    `WITH due AS (
       SELECT a.id, a.number, a.appointment_at, a.authority, r.name AS enterprise_name, p.mobile
         FROM lic_applications a
         JOIN registry_enterprises r ON r.run = a.run AND r.uscc = a.uscc
         JOIN registry_persons p ON p.run = r.run AND p.id_number = r.legal_rep_id_number
        WHERE a.run = $1 AND a.status = 'CONFIRMED' AND a.appointment_at > $2 AND ${DUE} <= $2
          AND NOT EXISTS (SELECT 1 FROM lic_reminders m WHERE m.run = a.run AND m.application_id = a.id AND m.appointment_at = a.appointment_at
                             AND (m.claimed_at IS NULL OR m.claimed_at > clock_timestamp() - make_interval(secs => $7)))
        ORDER BY a.appointment_at LIMIT $6),
     claimed AS (
       INSERT INTO lic_reminders AS m (run, application_id, appointment_at, mobile, claim, claimed_at)
       SELECT $1, id, appointment_at, mobile, $5, clock_timestamp() FROM due
       ON CONFLICT (run, application_id, appointment_at) DO UPDATE SET claim = $5, claimed_at = clock_timestamp()
        WHERE m.claimed_at IS NOT NULL AND m.claimed_at <= clock_timestamp() - make_interval(secs => $7)
       RETURNING application_id)
     SELECT d.id AS "applicationId", d.number, d.appointment_at AS "appointmentAt", d.enterprise_name AS "enterpriseName", d.mobile, d.authority
       FROM due d JOIN claimed c ON c.application_id = d.id`,
    [run, now, reminder.daysBefore, reminder.at, token, limit, leaseSeconds],
  );
  return rows;
}

/** How many reminders of the run are claimed and unsettled within their lease (another job is sending them). */
export async function unsettledReminders(db: Queryable, run: string, leaseSeconds: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lic_reminders WHERE run = $1 AND claimed_at > clock_timestamp() - make_interval(secs => $2)`,
    [run, leaseSeconds],
  );
  return rows[0]!.n;
}

export async function settleReminder(db: Queryable, run: string, token: string, r: Pick<DueReminder, 'applicationId' | 'appointmentAt'>, sent: { messageId: string | null; at: Date } | undefined): Promise<void> {
  if (sent)
    await db.query(`UPDATE lic_reminders SET message_id = $5, sent_at = $6, claimed_at = NULL WHERE run = $1 AND application_id = $2 AND appointment_at = $3 AND claim = $4`, [
      run,
      r.applicationId,
      r.appointmentAt,
      token,
      sent.messageId,
      sent.at,
    ]);
  else await db.query(`DELETE FROM lic_reminders WHERE run = $1 AND application_id = $2 AND appointment_at = $3 AND claim = $4`, [run, r.applicationId, r.appointmentAt, token]);
}

/** When the next reminder of the run falls due (harness time), or null. */
export async function nextReminderDue(db: Queryable, run: string, now: Date, reminder: { daysBefore: number; at: string }): Promise<Date | null> {
  const { rows } = await db.query<{ due: Date | null }>(
    `SELECT min(${DUE}) AS due FROM lic_applications a
      WHERE a.run = $1 AND a.status = 'CONFIRMED' AND a.appointment_at > $2
        AND NOT EXISTS (SELECT 1 FROM lic_reminders m WHERE m.run = a.run AND m.application_id = a.id AND m.appointment_at = a.appointment_at)`,
    [run, now, reminder.daysBefore, reminder.at],
  );
  return rows[0]?.due ?? null;
}

// Officers' login tries -----------------------------------------------------------------------------

/** Password tries are counted per username, an officer's or not (kernel/login-guards.ts). */
export const LOGIN_GUARD: GuardTable = { table: 'lic_login_guards', key: 'username' };
