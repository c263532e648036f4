// 粤商通 persistence: the only file of this service with SQL.
import type { PoolClient } from 'pg';
import type { Queryable } from '../../kernel/db.js';

export interface PersonalAccount {
  id: string;
  idNumber: string;
  name: string;
  mobile: string | null;
}

export type Trust = 'CERTIFIED' | 'UNCERTIFIED';
export type Role = 'APPLICANT' | 'AGENT' | 'LINKED';
export type MemberStatus = 'INVITED' | 'ACTIVE' | 'REVOKED';

export interface EnterpriseAccount {
  id: string;
  accountName: string;
  uscc: string;
  enterpriseName: string;
  enterpriseStatus: string;
  industry: string;
  legalRepIdNumber: string;
  legalRepName: string;
  trust: Trust;
  applicantId: string;
  applicantName: string;
  applicantMobile: string | null;
  createdAt: Date;
}

export interface Member {
  id: string;
  accountId: string;
  role: Role;
  status: MemberStatus;
  personId: string | null;
  name: string;
  idNumber: string;
  mobile: string | null;
  authEnd: string;
  joinedOn: string | null;
  inviteToken: string | null;
}

const ACCOUNT = `a.id, a.account_name AS "accountName", a.uscc, e.name AS "enterpriseName", e.status AS "enterpriseStatus", e.industry,
  e.legal_rep_id_number AS "legalRepIdNumber", e.legal_rep_name AS "legalRepName", a.trust, a.applicant_id AS "applicantId",
  p.name AS "applicantName", p.mobile AS "applicantMobile", a.created_at AS "createdAt"
  FROM yst_enterprise_accounts a
  JOIN registry_enterprises e ON e.run = a.run AND e.uscc = a.uscc
  JOIN yst_personal_accounts p ON p.run = a.run AND p.id = a.applicant_id`;

const MEMBER = `id, account_id AS "accountId", role, status, person_id AS "personId", name, id_number AS "idNumber", mobile,
  auth_end AS "authEnd", joined_on AS "joinedOn", invite_token AS "inviteToken" FROM yst_members`;

const PERSONAL = `id, id_number AS "idNumber", name, mobile FROM yst_personal_accounts`;

// Personal accounts and sessions -------------------------------------------------------------

export async function findPersonalByIdNumber(db: Queryable, run: string, idNumber: string): Promise<PersonalAccount | undefined> {
  return (await db.query<PersonalAccount>(`SELECT ${PERSONAL} WHERE run = $1 AND id_number = $2`, [run, idNumber])).rows[0];
}

export async function findPersonalByMobile(db: Queryable, run: string, mobile: string): Promise<PersonalAccount | undefined> {
  return (await db.query<PersonalAccount>(`SELECT ${PERSONAL} WHERE run = $1 AND mobile = $2`, [run, mobile])).rows[0];
}

const insertPersonal = (db: Queryable, run: string, p: { id: string; idNumber: string; name: string; mobile: string | null; now: Date }) =>
  db.query<PersonalAccount>(
    `INSERT INTO yst_personal_accounts (run, id, id_number, name, mobile, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING ${PERSONAL.replace(' FROM yst_personal_accounts', '')}`,
    [run, p.id, p.idNumber, p.name, p.mobile, p.now],
  );

/**
 * The real-name personal account of an ID number, created on its first face verification. The
 * unique keys decide between verifications at once: one account per ID number, one per mobile.
 * A mobile another account holds is not bound (`mobileTaken`); an account that has a mobile keeps it.
 */
export async function ensurePersonal(
  tx: PoolClient,
  run: string,
  p: { id: string; idNumber: string; name: string; mobile: string | null; now: Date },
): Promise<{ account: PersonalAccount; created: boolean; mobileTaken: boolean }> {
  const inserted = (await insertPersonal(tx, run, p)).rows[0];
  if (inserted) return { account: inserted, created: true, mobileTaken: false };
  const existing = await findPersonalByIdNumber(tx, run, p.idNumber);
  if (!existing) {
    // Nobody holds the ID number: the mobile stopped the insert.
    const withoutMobile = (await insertPersonal(tx, run, { ...p, mobile: null })).rows[0];
    return { account: withoutMobile ?? (await findPersonalByIdNumber(tx, run, p.idNumber))!, created: Boolean(withoutMobile), mobileTaken: true };
  }
  if (!p.mobile || existing.mobile === p.mobile) return { account: existing, created: false, mobileTaken: false };
  if (existing.mobile) return { account: existing, created: false, mobileTaken: Boolean(await findPersonalByMobile(tx, run, p.mobile)) };
  const bound = await bindMobile(tx, run, existing.id, p.mobile);
  return { account: bound ? { ...existing, mobile: p.mobile } : existing, created: false, mobileTaken: !bound };
}

/** Binds a mobile to an account that has none, unless another account holds it (the unique index decides). */
async function bindMobile(tx: PoolClient, run: string, id: string, mobile: string): Promise<boolean> {
  await tx.query('SAVEPOINT bind_mobile');
  try {
    const { rowCount } = await tx.query('UPDATE yst_personal_accounts SET mobile = $3 WHERE run = $1 AND id = $2 AND mobile IS NULL', [run, id, mobile]);
    await tx.query('RELEASE SAVEPOINT bind_mobile');
    return rowCount === 1;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT bind_mobile');
    return false;
  }
}
const UNIQUE_VIOLATION = '23505';

export async function insertSession(db: Queryable, run: string, tokenHash: string, accountId: string, now: Date): Promise<void> {
  await db.query('INSERT INTO yst_sessions (run, token_hash, account_id, created_at) VALUES ($1, $2, $3, $4)', [run, tokenHash, accountId, now]);
}

/** [退出登录]: the session is gone (its token resolves to nobody). */
export async function deleteSession(db: Queryable, run: string, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM yst_sessions WHERE run = $1 AND token_hash = $2', [run, tokenHash]);
}

export async function setActing(db: Queryable, run: string, tokenHash: string, accountId: string): Promise<void> {
  await db.query('UPDATE yst_sessions SET acting_account_id = $3 WHERE run = $1 AND token_hash = $2', [run, tokenHash, accountId]);
}

// SMS codes ----------------------------------------------------------------------------------

export interface SmsCode {
  codeHash: string;
  sentAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  usedAt: Date | null;
  lockedUntil: Date | null;
}

export async function lockSmsCode(db: Queryable, run: string, mobile: string): Promise<SmsCode | undefined> {
  const { rows } = await db.query<SmsCode>(
    `SELECT code_hash AS "codeHash", sent_at AS "sentAt", expires_at AS "expiresAt", failed_attempts AS "failedAttempts", used_at AS "usedAt", locked_until AS "lockedUntil"
       FROM yst_sms_codes WHERE run = $1 AND mobile = $2 FOR UPDATE`,
    [run, mobile],
  );
  return rows[0];
}

type NewCode = Pick<SmsCode, 'codeHash' | 'sentAt' | 'expiresAt'>;

/**
 * Stores a mobile's first code; false when the mobile has a row already. Requests at once for a
 * mobile with no row: the first inserts, the others wait for it to commit, then find its row.
 */
export async function insertFirstSmsCode(db: Queryable, run: string, mobile: string, c: NewCode): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO yst_sms_codes (run, mobile, code_hash, sent_at, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (run, mobile) DO NOTHING`,
    [run, mobile, c.codeHash, c.sentAt, c.expiresAt],
  );
  return rowCount === 1;
}

/** A new code for a mobile: its wrong-try count and lock-out stay (a new code does not clear them). */
export async function replaceSmsCode(db: Queryable, run: string, mobile: string, c: NewCode): Promise<void> {
  await db.query('UPDATE yst_sms_codes SET code_hash = $3, sent_at = $4, expires_at = $5, used_at = NULL WHERE run = $1 AND mobile = $2', [run, mobile, c.codeHash, c.sentAt, c.expiresAt]);
}

export async function updateSmsCode(db: Queryable, run: string, mobile: string, c: Pick<SmsCode, 'failedAttempts' | 'usedAt' | 'lockedUntil'>): Promise<void> {
  await db.query('UPDATE yst_sms_codes SET failed_attempts = $3, used_at = $4, locked_until = $5 WHERE run = $1 AND mobile = $2', [run, mobile, c.failedAttempts, c.usedAt, c.lockedUntil]);
}

// Enterprise accounts and members ------------------------------------------------------------

/** Stores an account unless the applicant has one of the enterprise already (false: the unique index decided). */
export async function insertAccount(db: Queryable, run: string, a: { id: string; accountName: string; uscc: string; trust: Trust; applicantId: string; now: Date }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO yst_enterprise_accounts (run, id, account_name, uscc, trust, applicant_id, created_at, certified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'CERTIFIED' THEN $7::timestamptz END)
     ON CONFLICT (run, uscc, applicant_id) DO NOTHING`,
    [run, a.id, a.accountName, a.uscc, a.trust, a.applicantId, a.now],
  );
  return rowCount === 1;
}

export async function findAccount(db: Queryable, run: string, id: string): Promise<EnterpriseAccount | undefined> {
  return (await db.query<EnterpriseAccount>(`SELECT ${ACCOUNT} WHERE a.run = $1 AND a.id = $2`, [run, id])).rows[0];
}

export async function accountsOfEnterprise(db: Queryable, run: string, uscc: string): Promise<EnterpriseAccount[]> {
  return (await db.query<EnterpriseAccount>(`SELECT ${ACCOUNT} WHERE a.run = $1 AND a.uscc = $2 ORDER BY a.created_at, a.account_name`, [run, uscc])).rows;
}

export async function certifyAccount(db: Queryable, run: string, id: string, now: Date): Promise<void> {
  await db.query(`UPDATE yst_enterprise_accounts SET trust = 'CERTIFIED', certified_at = $3 WHERE run = $1 AND id = $2`, [run, id, now]);
}

/** Stores a member unless the person is a live (invited or active) member of the account already: false then (the partial unique index decides). */
export async function insertMember(
  db: Queryable,
  run: string,
  m: Omit<Member, 'inviteToken'> & { inviteToken?: string | null; invitedBy: string | null; now: Date },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO yst_members (run, id, account_id, role, status, person_id, name, id_number, mobile, auth_end, joined_on, invited_by, invite_token, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (run, account_id, id_number) WHERE status IN ('INVITED', 'ACTIVE') DO NOTHING`,
    [run, m.id, m.accountId, m.role, m.status, m.personId, m.name, m.idNumber, m.mobile, m.authEnd, m.joinedOn, m.invitedBy, m.inviteToken ?? null, m.now],
  );
  return rowCount === 1;
}

/** The person's memberships of an account, newest first (a revoked agent may be invited again). */
export async function membershipsOf(db: Queryable, run: string, accountId: string, personId: string): Promise<Member[]> {
  return (await db.query<Member>(`SELECT ${MEMBER} WHERE run = $1 AND account_id = $2 AND person_id = $3 ORDER BY created_at DESC`, [run, accountId, personId])).rows;
}

export async function membersOf(db: Queryable, run: string, accountId: string): Promise<Member[]> {
  return (await db.query<Member>(`SELECT ${MEMBER} WHERE run = $1 AND account_id = $2 ORDER BY created_at`, [run, accountId])).rows;
}

export async function findMember(db: Queryable, run: string, accountId: string, memberId: string): Promise<Member | undefined> {
  return (await db.query<Member>(`SELECT ${MEMBER} WHERE run = $1 AND account_id = $2 AND id = $3`, [run, accountId, memberId])).rows[0];
}

export async function lockInvitation(db: Queryable, run: string, token: string): Promise<Member | undefined> {
  return (await db.query<Member>(`SELECT ${MEMBER} WHERE run = $1 AND invite_token = $2 FOR UPDATE`, [run, token])).rows[0];
}

export async function activateMember(db: Queryable, run: string, memberId: string, personId: string, joinedOn: string): Promise<void> {
  await db.query(`UPDATE yst_members SET status = 'ACTIVE', person_id = $3, joined_on = $4, invite_token = NULL WHERE run = $1 AND id = $2`, [run, memberId, personId, joinedOn]);
}

/** Revokes an agent or linked member once: false when it is revoked already (or is the applicant). */
export async function revokeMember(db: Queryable, run: string, accountId: string, memberId: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE yst_members SET status = 'REVOKED', revoked_at = $4, invite_token = NULL WHERE run = $1 AND account_id = $2 AND id = $3 AND status <> 'REVOKED' AND role <> 'APPLICANT'`,
    [run, accountId, memberId, now],
  );
  return rowCount === 1;
}

/** Accounts a person is an active member of, with their membership, oldest first: one query. */
export async function accountsOfPerson(db: Queryable, run: string, personId: string): Promise<{ account: EnterpriseAccount; member: Member }[]> {
  const { rows } = await db.query<EnterpriseAccount & { member: Member }>(
    `SELECT ${ACCOUNT.replace(' FROM yst_enterprise_accounts a', `, json_build_object('id', m.id, 'accountId', m.account_id, 'role', m.role, 'status', m.status, 'personId', m.person_id,
            'name', m.name, 'idNumber', m.id_number, 'mobile', m.mobile, 'authEnd', m.auth_end::text, 'joinedOn', m.joined_on::text, 'inviteToken', m.invite_token) AS member
       FROM yst_members m JOIN yst_enterprise_accounts a ON a.run = m.run AND a.id = m.account_id`)}
      WHERE m.run = $1 AND m.person_id = $2 AND m.status = 'ACTIVE' ORDER BY m.created_at`,
    [run, personId],
  );
  return rows.map(({ member, ...account }) => ({ account, member }));
}

// Certification and link requests ------------------------------------------------------------

export async function insertCertificationRequest(db: Queryable, run: string, r: { token: string; accountId: string; requestedBy: string; now: Date }): Promise<void> {
  await db.query(`INSERT INTO yst_certification_requests (run, token, account_id, requested_by, status, created_at) VALUES ($1, $2, $3, $4, 'PENDING', $5)`, [
    run,
    r.token,
    r.accountId,
    r.requestedBy,
    r.now,
  ]);
}

export async function lockCertificationRequest(db: Queryable, run: string, token: string): Promise<{ token: string; accountId: string; status: 'PENDING' | 'DONE' } | undefined> {
  return (await db.query(`SELECT token, account_id AS "accountId", status FROM yst_certification_requests WHERE run = $1 AND token = $2 FOR UPDATE`, [run, token])).rows[0];
}

export async function completeCertificationRequest(db: Queryable, run: string, token: string, now: Date): Promise<void> {
  await db.query(`UPDATE yst_certification_requests SET status = 'DONE', completed_at = $3 WHERE run = $1 AND token = $2`, [run, token, now]);
}

export interface LinkRequest {
  id: string;
  accountId: string;
  requesterId: string;
  requesterName: string;
  requesterIdNumber: string;
  requesterMobile: string | null;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  createdAt: Date;
}

const LINK = `r.id, r.account_id AS "accountId", r.requester_id AS "requesterId", p.name AS "requesterName", p.id_number AS "requesterIdNumber",
  p.mobile AS "requesterMobile", r.status, r.created_at AS "createdAt"
  FROM yst_link_requests r JOIN yst_personal_accounts p ON p.run = r.run AND p.id = r.requester_id`;

export async function insertLinkRequest(db: Queryable, run: string, r: { id: string; accountId: string; requesterId: string; now: Date }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO yst_link_requests (run, id, account_id, requester_id, status, created_at) VALUES ($1, $2, $3, $4, 'PENDING', $5) ON CONFLICT DO NOTHING`,
    [run, r.id, r.accountId, r.requesterId, r.now],
  );
  return rowCount === 1;
}

export async function linkRequestsOf(db: Queryable, run: string, accountId: string): Promise<LinkRequest[]> {
  return (await db.query<LinkRequest>(`SELECT ${LINK} WHERE r.run = $1 AND r.account_id = $2 ORDER BY r.created_at`, [run, accountId])).rows;
}

export async function lockLinkRequest(db: Queryable, run: string, accountId: string, id: string): Promise<LinkRequest | undefined> {
  return (await db.query<LinkRequest>(`SELECT ${LINK} WHERE r.run = $1 AND r.account_id = $2 AND r.id = $3 FOR UPDATE OF r`, [run, accountId, id])).rows[0];
}

export async function decideLinkRequest(db: Queryable, run: string, id: string, status: 'APPROVED' | 'REJECTED', now: Date): Promise<void> {
  await db.query(`UPDATE yst_link_requests SET status = $3, decided_at = $4 WHERE run = $1 AND id = $2`, [run, id, status, now]);
}

/**
 * Puts back the code a refused SMS replaced (`previous`, or none), unless a later code replaced it
 * since. Its wrong tries stay counted: a first code's row goes only if nobody has tried it.
 */
export async function restoreSmsCode(db: Queryable, run: string, mobile: string, sentHash: string, previous: SmsCode | undefined): Promise<void> {
  if (!previous) {
    await db.query(
      `WITH gone AS (DELETE FROM yst_sms_codes WHERE run = $1 AND mobile = $2 AND code_hash = $3 AND failed_attempts = 0 AND locked_until IS NULL RETURNING 1)
       UPDATE yst_sms_codes SET code_hash = '', sent_at = 'epoch', expires_at = 'epoch'
        WHERE run = $1 AND mobile = $2 AND code_hash = $3 AND NOT EXISTS (SELECT 1 FROM gone)`,
      [run, mobile, sentHash],
    );
    return;
  }
  await db.query('UPDATE yst_sms_codes SET code_hash = $4, sent_at = $5, expires_at = $6, used_at = $7 WHERE run = $1 AND mobile = $2 AND code_hash = $3', [
    run,
    mobile,
    sentHash,
    previous.codeHash,
    previous.sentAt,
    previous.expiresAt,
    previous.usedAt,
  ]);
}

export async function deleteCertificationRequest(db: Queryable, run: string, token: string): Promise<void> {
  await db.query(`DELETE FROM yst_certification_requests WHERE run = $1 AND token = $2 AND status = 'PENDING'`, [run, token]);
}

export async function deleteLinkRequest(db: Queryable, run: string, id: string): Promise<void> {
  await db.query(`DELETE FROM yst_link_requests WHERE run = $1 AND id = $2 AND status = 'PENDING'`, [run, id]);
}
