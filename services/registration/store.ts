// 登记注册身份验证 app persistence: the only file of this service with SQL.
import type { Queryable } from '../../kernel/db.js';
import type { GuardTable } from '../../kernel/login-guards.js';

export interface User {
  id: string;
  idNumber: string;
  name: string;
  mobile: string | null;
  idValidFrom: string | null;
  idValidTo: string | null;
  passwordHash: string | null;
  status: 'ACTIVE' | 'PENDING_ACTIVATION';
  level: 3 | 4;
  activationOffered: boolean;
}

const USER = `id, id_number AS "idNumber", name, mobile, id_valid_from AS "idValidFrom", id_valid_to AS "idValidTo", password_hash AS "passwordHash",
  status, level, activation_offered AS "activationOffered" FROM sdreg_users`;

export async function findUserByIdNumber(db: Queryable, run: string, idNumber: string, lock = false): Promise<User | undefined> {
  return (await db.query<User>(`SELECT ${USER} WHERE run = $1 AND id_number = $2${lock ? ' FOR UPDATE' : ''}`, [run, idNumber])).rows[0];
}

export async function findUser(db: Queryable, run: string, id: string, lock = false): Promise<User | undefined> {
  return (await db.query<User>(`SELECT ${USER} WHERE run = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [run, id])).rows[0];
}

/** Stores a new user unless one holds the ID number already (the unique key decides between concurrent registrations). */
export async function insertUser(db: Queryable, run: string, u: Omit<User, 'activationOffered'>, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO sdreg_users (run, id, id_number, name, mobile, id_valid_from, id_valid_to, password_hash, status, level, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (run, id_number) DO NOTHING`,
    [run, u.id, u.idNumber, u.name, u.mobile, u.idValidFrom, u.idValidTo, u.passwordHash, u.status, u.level, now],
  );
  return rowCount === 1;
}

export type UserChange = Partial<Pick<User, 'mobile' | 'passwordHash' | 'status' | 'level' | 'activationOffered'>>;

const COLUMN: Record<keyof UserChange, string> = {
  mobile: 'mobile',
  passwordHash: 'password_hash',
  status: 'status',
  level: 'level',
  activationOffered: 'activation_offered',
};

export async function updateUser(db: Queryable, run: string, id: string, change: UserChange): Promise<void> {
  const entries = Object.entries(change) as [keyof UserChange, unknown][];
  if (!entries.length) return;
  const sets = entries.map(([key], i) => `${COLUMN[key]} = $${i + 3}`).join(', ');
  await db.query(`UPDATE sdreg_users SET ${sets} WHERE run = $1 AND id = $2`, [run, id, ...entries.map(([, value]) => value)]);
}

// Password tries per ID number (C4) -----------------------------------------------------------

/** Password tries are counted per ID number, registered or not (kernel/login-guards.ts). */
export const LOGIN_GUARD: GuardTable = { table: 'sdreg_login_guards', key: 'id_number' };

export async function insertSession(db: Queryable, run: string, tokenHash: string, userId: string, now: Date): Promise<void> {
  await db.query('INSERT INTO sdreg_sessions (run, token_hash, user_id, created_at) VALUES ($1, $2, $3, $4)', [run, tokenHash, userId, now]);
}

export async function findSessionUser(db: Queryable, run: string, tokenHash: string): Promise<User | undefined> {
  const { rows } = await db.query<{ userId: string }>(`SELECT user_id AS "userId" FROM sdreg_sessions WHERE run = $1 AND token_hash = $2 AND ended_at IS NULL`, [run, tokenHash]);
  return rows[0] && findUser(db, run, rows[0].userId);
}

export async function endSession(db: Queryable, run: string, tokenHash: string, now: Date): Promise<void> {
  await db.query('UPDATE sdreg_sessions SET ended_at = $3 WHERE run = $1 AND token_hash = $2 AND ended_at IS NULL', [run, tokenHash, now]);
}

export async function endAllSessions(db: Queryable, run: string, userId: string, now: Date): Promise<void> {
  await db.query('UPDATE sdreg_sessions SET ended_at = $3 WHERE run = $1 AND user_id = $2 AND ended_at IS NULL', [run, userId, now]);
}

export async function putAuthorisation(db: Queryable, run: string, userId: string, deadline: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO sdreg_authorisations (run, user_id, deadline, granted_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run, user_id) DO UPDATE SET deadline = EXCLUDED.deadline, granted_at = EXCLUDED.granted_at`,
    [run, userId, deadline, now],
  );
}

export async function deleteAuthorisation(db: Queryable, run: string, userId: string): Promise<void> {
  await db.query('DELETE FROM sdreg_authorisations WHERE run = $1 AND user_id = $2', [run, userId]);
}

export async function findAuthorisation(db: Queryable, run: string, userId: string): Promise<{ deadline: string } | undefined> {
  return (await db.query<{ deadline: string }>('SELECT deadline FROM sdreg_authorisations WHERE run = $1 AND user_id = $2', [run, userId])).rows[0];
}

/** Users and their authorisation deadlines, by ID number (for a filing's readiness check). */
export async function usersWithAuthorisation(db: Queryable, run: string, idNumbers: string[]): Promise<(User & { deadline: string | null })[]> {
  const { rows } = await db.query<User & { deadline: string | null }>(
    `SELECT u.id, u.id_number AS "idNumber", u.name, u.status, u.level, a.deadline
       FROM sdreg_users u LEFT JOIN sdreg_authorisations a ON a.run = u.run AND a.user_id = u.id
      WHERE u.run = $1 AND u.id_number = ANY($2::text[])`,
    [run, idNumbers],
  );
  return rows;
}
