// Face checks as every service uses them: start one in the face provider (粤信签 / the app's face
// control), then use it once for the purpose it was started for. A check whose face result was
// 验证失败，请到登记窗口办理业务 (no portrait on file) may instead pass through the CTID remedy.
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../kernel/db.js';
import { conflict, notFound, verificationFailed } from '../../kernel/errors.js';
import { normaliseCode } from '../../kernel/identifiers.js';
import type { ErrorCodes, RunContext } from '../../kernel/http.js';
import { z } from '../../kernel/zod.js';
import { PROVIDER_ERRORS, type Providers } from './clients.js';

export const FaceCheckStarted = z
  .strictObject({ faceCheckId: z.uuid(), miniProgramUrl: z.string().openapi({ description: 'Where the person verifies their face' }), providerSessionId: z.string() })
  .openapi('FaceCheckStarted');

export const CtidVerified = z.strictObject({ faceCheckId: z.uuid(), verifiedBy: z.literal('CTID') }).openapi('CtidVerified');

/** The face provider's failures a check passes on (FACE_FAILED: one without a code). */
const FACE_FAILURES = ['PORTRAIT_MISMATCH', 'PHOTO_QUALITY', 'NO_PORTRAIT', 'SYSTEM_BUSY', 'OUTDATED_CONTROL', 'FACE_FAILED'];

/** Starting a face check (startFaceCheck): only the provider may fail. */
export const FACE_CHECK_START_ERRORS: ErrorCodes = PROVIDER_ERRORS;
/** Using a face check (verifiedFaceCheck, then markFaceCheckUsed). */
export const FACE_CHECK_ERRORS: ErrorCodes = {
  404: ['FACE_CHECK_NOT_FOUND'],
  409: ['FACE_CHECK_USED', 'FACE_PENDING'],
  422: FACE_FAILURES,
  ...PROVIDER_ERRORS,
};
/** The CTID remedy (verifyWithCtid). */
export const CTID_ERRORS: ErrorCodes = { 404: ['FACE_CHECK_NOT_FOUND'], 409: ['FACE_CHECK_USED', 'CTID_NOT_APPLICABLE'], 422: ['FAIL'], ...PROVIDER_ERRORS };

export interface FaceCheck {
  id: string;
  service: string;
  purpose: string;
  ref: string | null;
  name: string;
  idNumber: string;
  mobile: string | null;
  providerSessionId: string;
  ctidVerifiedAt: Date | null;
  usedAt: Date | null;
}

export interface FaceCheckDeps {
  db: Db;
  providers: Providers;
}

export type NewFaceCheck = Pick<FaceCheck, 'service' | 'purpose' | 'ref' | 'name' | 'idNumber' | 'mobile'>;

const COLUMNS = `id, service, purpose, ref, name, id_number AS "idNumber", mobile, provider_session_id AS "providerSessionId",
  ctid_verified_at AS "ctidVerifiedAt", used_at AS "usedAt"`;

export async function startFaceCheck(deps: FaceCheckDeps, ctx: RunContext, check: NewFaceCheck) {
  const session = await deps.providers.face.start(ctx, { name: check.name, idNumber: check.idNumber, purpose: `${check.service}:${check.purpose}` });
  const id = randomUUID();
  await deps.db.query(
    `INSERT INTO face_checks (run, id, service, purpose, ref, name, id_number, mobile, provider_session_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [ctx.run, id, check.service, check.purpose, check.ref, check.name, check.idNumber, check.mobile, session.sessionId, ctx.now],
  );
  return { faceCheckId: id, miniProgramUrl: session.miniProgramUrl, providerSessionId: session.sessionId };
}

async function findCheck(db: Queryable, ctx: RunContext, id: string, lock: boolean): Promise<FaceCheck | undefined> {
  const { rows } = await db.query<FaceCheck>(`SELECT ${COLUMNS} FROM face_checks WHERE run = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [ctx.run, id]);
  return rows[0];
}

/** What a check must be: of this service, and of this purpose and ref when given. */
type Expected = { service: string; purpose?: string; ref?: string | null };

function expect(check: FaceCheck | undefined, expected: Expected): FaceCheck {
  if (!check || check.service !== expected.service || (expected.purpose !== undefined && check.purpose !== expected.purpose) || (expected.ref !== undefined && check.ref !== expected.ref))
    throw notFound('FACE_CHECK_NOT_FOUND', '人脸识别记录不存在');
  if (check.usedAt) throw conflict('FACE_CHECK_USED', '本次人脸识别已使用，请重新发起');
  return check;
}

/**
 * A face check that may be used now: of this service and purpose (and ref), unused, and the
 * provider says the face was exactly this person's — or the CTID remedy passed. Holds no
 * connection while the provider answers: the caller then marks it used in its own transaction
 * (markFaceCheckUsed), where a second request using the same check loses.
 * A failed face carries the provider's documented code and message.
 */
export async function verifiedFaceCheck(deps: FaceCheckDeps, ctx: RunContext, id: string, expected: Expected): Promise<FaceCheck> {
  const check = expect(await findCheck(deps.db, ctx, id, false), expected);
  if (!check.ctidVerifiedAt) {
    const result = await deps.providers.face.result(ctx, check.providerSessionId);
    if (result.status === 'PENDING') throw conflict('FACE_PENDING', '请先完成人脸识别');
    if (result.status === 'FAILED') {
      const remedy = result.code === 'NO_PORTRAIT' ? { remedy: { kind: 'CTID', message: '可开通CTID（网络身份认证）后再进行刷脸身份验证，或本人持身份证到登记窗口办理' } } : undefined;
      throw verificationFailed(result.code ?? 'FACE_FAILED', result.message ?? '人脸识别未通过', remedy);
    }
    if (normaliseCode(result.idNumber) !== check.idNumber) throw verificationFailed('PORTRAIT_MISMATCH', '人像比对未通过');
  }
  return check;
}

/** Uses a verified check once, in the caller's transaction: a check already used answers 409. */
export async function markFaceCheckUsed(tx: Queryable, ctx: RunContext, id: string): Promise<void> {
  const { rowCount } = await tx.query('UPDATE face_checks SET used_at = $3 WHERE run = $1 AND id = $2 AND used_at IS NULL', [ctx.run, id, ctx.now]);
  if (rowCount !== 1) throw conflict('FACE_CHECK_USED', '本次人脸识别已使用，请重新发起');
}

/**
 * The CTID remedy (FAQ 5): when the face provider has no portrait of the person, a CTID
 * verification of the same person stands in for the face check.
 */
export async function verifyWithCtid(deps: FaceCheckDeps, ctx: RunContext, id: string, expected: Expected) {
  const check = expect(await findCheck(deps.db, ctx, id, false), expected);
  const result = await deps.providers.face.result(ctx, check.providerSessionId);
  if (result.status !== 'FAILED' || result.code !== 'NO_PORTRAIT') throw conflict('CTID_NOT_APPLICABLE', 'CTID认证仅用于后台无人像照片的情况');
  const verdict = await deps.providers.ctid.verify(ctx, { name: check.name, idNumber: check.idNumber });
  if (!verdict.passed) throw verificationFailed(verdict.code, verdict.message);
  await deps.db.query('UPDATE face_checks SET ctid_verified_at = $3 WHERE run = $1 AND id = $2', [ctx.run, id, ctx.now]);
  return { faceCheckId: id, verifiedBy: 'CTID' as const };
}
