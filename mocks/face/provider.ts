// Face verification (WeChat mini-program 粤信签 / the registration app's face control).
// The app starts a session for a person; the person verifies in the mini-program (the outcome
// table decides, and a face that is not the session's person never passes); the app reads the result.
import { randomUUID } from 'node:crypto';
import { isValidResidentId, normaliseCode } from '../../kernel/identifiers.js';
import { z } from '../../kernel/zod.js';
import { Batcher, batcherPer } from '../core/batch.js';
import { defineOperation, verdict, verdictOf, type ProviderDefinition, type ProviderEnv } from '../core/provider.js';

export const faceOutcomes = {
  PASS: { message: '认证成功', description: 'The person is who they claim to be.' },
  PORTRAIT_MISMATCH: { message: '人像比对未通过', description: 'The captured face does not match the photo on file (not the same person).' },
  PHOTO_QUALITY: { message: '人像照片质量不合格', description: 'Low resolution or a dark capture.' },
  NO_PORTRAIT: { message: '验证失败，请到登记窗口办理业务', description: 'No portrait on file; the remedy is the counter or a CTID. A session started for an ID number that is not a valid GB 11643 number starts closed with this result, whatever is scripted.' },
  SYSTEM_BUSY: { message: '验证失败，请稍后重试', description: 'System problem; the person may try again.' },
  OUTDATED_CONTROL: { message: '请升级到最新版本', description: 'The face control in the app is out of date.' },
};

const Session = z
  .strictObject({
    sessionId: z.uuid(),
    status: z.enum(['PENDING', 'PASSED', 'FAILED']),
    name: z.string(),
    idNumber: z.string(),
    purpose: z.string(),
    code: z.enum(Object.keys(faceOutcomes) as [keyof typeof faceOutcomes]).nullable(),
    message: z.string().nullable(),
    miniProgramUrl: z.string(),
  })
  .openapi('FaceSession');
const NO_SESSION = { 404: ['SESSION_NOT_FOUND'] };

export interface SessionRow {
  id: string;
  name: string;
  id_number: string;
  purpose: string;
  status: 'PENDING' | 'PASSED' | 'FAILED';
  code: string | null;
  message: string | null;
}

export async function findSession(env: ProviderEnv, id: string): Promise<SessionRow | undefined> {
  const { rows } = await env.db.query<SessionRow>({
    name: 'govsim_face_session',
    text: 'SELECT id, name, id_number, purpose, status, code, message FROM face_sessions WHERE run = $1 AND id = $2',
    values: [env.run, id],
  });
  return rows[0];
}

// The verdicts of the verify calls of one turn of the event loop, in one statement: each call's
// outcome (with its message) closes its PENDING session, except that a face presented that is not
// the session's person never passes. A session closed already (or twice in the batch: it joins
// once) answers no row, and the call finds out why.
interface VerifyInput {
  run: string;
  id: string;
  outcome: string;
  message: string;
  presented: string | null;
  at: Date;
}
interface VerifyRow {
  id_number: string;
  code: string;
  message: string;
}
const VERIFY = `UPDATE face_sessions s
    SET status = CASE WHEN v.outcome = 'PASS' AND (v.presented IS NULL OR v.presented = s.id_number) THEN 'PASSED' ELSE 'FAILED' END,
        code = CASE WHEN v.outcome = 'PASS' AND v.presented <> s.id_number THEN 'PORTRAIT_MISMATCH' ELSE v.outcome END,
        message = CASE WHEN v.outcome = 'PASS' AND v.presented <> s.id_number THEN $2 ELSE v.message END,
        completed_at = v.at
   FROM json_to_recordset($1::json) AS v(i int, run text, id text, outcome text, message text, presented text, at timestamptz)
  WHERE s.run = v.run AND s.id = v.id AND s.status = 'PENDING'
  RETURNING v.i, s.id_number, s.code, s.message`;
const verifications = batcherPer(
  (db) =>
    new Batcher<VerifyInput, VerifyRow>(async (inputs) => {
      const { rows } = await db.query<VerifyRow & { i: number }>({
        name: 'govsim_face_verify',
        text: VERIFY,
        values: [JSON.stringify(inputs.map((v, i) => ({ ...v, i }))), faceOutcomes.PORTRAIT_MISMATCH.message],
      });
      const answers: (VerifyRow | undefined)[] = new Array(inputs.length);
      for (const row of rows) answers[row.i] = row;
      return answers;
    }),
);

const view = (row: SessionRow, env: ProviderEnv) => ({
  sessionId: row.id,
  status: row.status,
  name: row.name,
  idNumber: row.id_number,
  purpose: row.purpose,
  code: row.code,
  message: row.message,
  miniProgramUrl: `${env.baseUrl}${miniProgramPath(row.id)}`,
});

/** Where 粤信签 shows a session to the person who verifies (mocks/face/page.ts). */
export const miniProgramPath = (sessionId: string) => `/yuexinqian/${sessionId}`;

export const sessionNotFound = { status: 404, body: { code: 'SESSION_NOT_FOUND', message: '人脸识别会话不存在' } };

export const faceProvider: ProviderDefinition = {
  name: 'face',
  title: 'Face verification (粤信签)',
  description: 'Start a face session for a person, verify in the mini-program, read the result.',
  outcomes: faceOutcomes,
  operations: [
    defineOperation({
      name: 'start',
      method: 'post',
      path: '/face/v1/sessions',
      summary: 'Start a face session for a person (the app opens 粤信签 at miniProgramUrl)',
      body: z.object({ name: z.string().min(1), idNumber: z.string().min(1).transform(normaliseCode), purpose: z.string().default('LOGIN') }),
      response: Session,
      status: 201,
      // Nobody has a portrait on file under a number that cannot exist.
      refuse: ({ body }, env) => (isValidResidentId(body.idNumber, env.now) ? undefined : 'NO_PORTRAIT'),
      subject: ({ body }) => body.idNumber,
      async handle({ body }, env) {
        const closed = env.outcome === 'PASS' ? undefined : verdict(faceProvider, env.outcome);
        const row: SessionRow = { id: randomUUID(), name: body.name, id_number: body.idNumber, purpose: body.purpose, status: closed ? 'FAILED' : 'PENDING', code: closed?.code ?? null, message: closed?.message ?? null };
        await env.db.query({
          name: 'govsim_face_start',
          text: `INSERT INTO face_sessions (run, id, name, id_number, purpose, status, code, message, created_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          values: [env.run, row.id, row.name, row.id_number, row.purpose, row.status, row.code, row.message, env.now, closed ? env.now : null],
        });
        return { status: 201, body: view(row, env) };
      },
    }),
    defineOperation({
      name: 'verify',
      method: 'post',
      path: '/face/v1/sessions/:sessionId/verify',
      summary: 'The person verifies their face in the mini-program; presentedIdNumber says whose face is in front of the camera (default: the session’s person)',
      body: z.object({ presentedIdNumber: z.string().optional() }),
      response: verdictOf('Face', faceOutcomes),
      errors: { ...NO_SESSION, 409: ['SESSION_CLOSED'] },
      decides: true,
      subject: async ({ params }, env) => (await findSession(env, params.sessionId!))?.id_number,
      async handle({ params, body }, env) {
        const asked = verdict(faceProvider, env.outcome);
        const presented = body.presentedIdNumber === undefined ? null : normaliseCode(body.presentedIdNumber);
        const closed = await verifications(env.db).submit({ run: env.run, id: params.sessionId!, outcome: asked.code, message: asked.message, presented, at: env.now });
        if (closed) return { status: 200, body: { passed: closed.code === 'PASS', code: closed.code, message: closed.message }, subject: closed.id_number };
        // Not closed by this call: no such session, or one already closed. Either way it decided nothing.
        const row = await findSession(env, params.sessionId!);
        if (!row) return { ...sessionNotFound, subject: null, decided: false };
        return { status: 409, body: { code: 'SESSION_CLOSED', message: '本次人脸识别已结束，请重新发起' }, subject: row.id_number, decided: false };
      },
    }),
    defineOperation({
      name: 'result',
      method: 'get',
      path: '/face/v1/sessions/:sessionId',
      summary: 'Read a face session and its result',
      response: Session,
      errors: NO_SESSION,
      subject: async ({ params }, env) => (await findSession(env, params.sessionId!))?.id_number,
      async handle({ params }, env) {
        const row = await findSession(env, params.sessionId!);
        return row ? { status: 200, body: view(row, env), subject: row.id_number } : { ...sessionNotFound, subject: null };
      },
    }),
  ],
};
