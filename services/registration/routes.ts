// 登记注册身份验证 app HTTP routes: declare who may call, parse, delegate to use-cases.
import { anonymous } from '../../kernel/access.js';
import { calendarDay, idNumber, mobile, personName, uuid } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import { IDENTITY_FAILURES, PROVIDER_ERRORS } from '../verification/clients.js';
import { CTID_ERRORS, CtidVerified, FACE_CHECK_ERRORS, FACE_CHECK_START_ERRORS, FaceCheckStarted } from '../verification/face-checks.js';
import { ENTITY_KINDS, ROLES } from './filings.js';
import * as uc from './use-cases.js';

const ACCOUNT = '登记注册身份验证 · account (C1–C9)';
const FILINGS = '登记注册身份验证 · filings (C10)';

const password = z.string().max(100).openapi({ example: 'Abc12345' });
const newPassword = { password, confirmPassword: password };
const faceCheckParam = z.object({ faceCheckId: uuid });
const RegistrationAuthorisation = z
  .strictObject({ participate: z.boolean(), deadline: z.string().nullable().openapi({ example: '2027-01-01' }), valid: z.boolean(), label: z.string().openapi({ example: '有效' }) })
  .openapi('RegistrationAuthorisation');
const User = z
  .strictObject({
    id: z.uuid(),
    name: z.string(),
    idNumber: z.string(),
    mobile: z.string().nullable(),
    status: z.enum(['ACTIVE', 'PENDING_ACTIVATION']),
    level: z.strictObject({ code: z.number().int(), label: z.string().openapi({ example: '三级实名' }) }),
    registrationAuthorisation: RegistrationAuthorisation,
  })
  .openapi('RegistrationUser');
const LoggedIn = z.strictObject({ token: z.string(), user: User }).openapi('RegistrationLoggedIn');
const Labelled = z.strictObject({ code: z.string(), label: z.string() });
const Readiness = z
  .strictObject({
    entityKind: Labelled,
    ready: z.boolean(),
    persons: z.array(
      z.strictObject({
        name: z.string(),
        idNumber: z.string().openapi({ description: 'Masked for mainland persons' }),
        roles: z.array(Labelled),
        status: z.enum(['VERIFIED', 'MISSING', 'EXEMPT']),
        missing: z.array(Labelled),
      }),
    ),
  })
  .openapi('FilingReadiness');

const PASSWORD_RULES = ['WEAK_PASSWORD', 'PASSWORD_MISMATCH'];

export function registrationApi(deps: uc.Deps & { live: Live }): Api {
  const api = new Api(deps.live, { title: 'govsim 登记注册身份验证', description: 'Reference 山东 registration identity verification app.' });
  const user = uc.sdregUser(deps.db);

  api.route({
    method: 'post',
    path: '/sdreg/v1/users',
    tag: ACCOUNT,
    summary: 'C1 新用户注册: four elements checked at the identity provider; level 3. 409 ALREADY_REGISTERED (C3) or ACTIVATION_REQUIRED (C2).',
    body: z.object({
      name: personName,
      idNumber,
      idValidFrom: calendarDay,
      idValidTo: z.union([calendarDay, z.literal('长期')]),
      mobile,
      ...newPassword,
      agreementAccepted: z.boolean().openapi({ description: '已阅读并同意《用户协议》' }),
    }),
    response: User,
    errors: {
      400: ['AGREEMENT_REQUIRED', 'ID_DATES_INVALID', 'ID_EXPIRED', ...PASSWORD_RULES],
      409: ['ALREADY_REGISTERED', 'ACTIVATION_REQUIRED'],
      422: IDENTITY_FAILURES,
      ...PROVIDER_ERRORS,
    },
    access: anonymous,
    handler: ({ body, ctx }) => uc.register(deps, ctx, body),
  });
  for (const [flow, path, summary] of [
    ['ACTIVATION', '/sdreg/v1/activations', 'C2/C3 账号激活 step 1: name + ID, then face'],
    ['RESET', '/sdreg/v1/password-resets', 'C5 忘记密码 step 1: name + ID, then face'],
  ] as const) {
    api.route({
      method: 'post',
      path,
      tag: ACCOUNT,
      summary,
      body: z.object({ name: personName, idNumber }),
      response: FaceCheckStarted,
      // Answers alike for every name and ID: who is registered is told only after the face (step 2).
      errors: FACE_CHECK_START_ERRORS,
      access: anonymous,
      handler: ({ body, ctx }) => uc.startPasswordFlow(deps, ctx, flow, body),
    });
    api.route({
      method: 'post',
      path: `${path}/:faceCheckId/password`,
      tag: ACCOUNT,
      summary: `${summary.split(' step')[0]} step 2: password + confirm; ends every session`,
      params: faceCheckParam,
      body: z.object(newPassword),
      response: User,
      status: 200,
      errors: {
        ...FACE_CHECK_ERRORS,
        400: PASSWORD_RULES,
        404: [...(FACE_CHECK_ERRORS[404] ?? []), 'USER_NOT_FOUND'],
        409: [...(FACE_CHECK_ERRORS[409] ?? []), flow === 'ACTIVATION' ? 'ALREADY_ACTIVE' : 'ACTIVATION_REQUIRED'],
        422: [...(FACE_CHECK_ERRORS[422] ?? []), 'MISMATCH'],
      },
      access: anonymous,
      handler: ({ params, body, ctx }) => uc.finishPasswordFlow(deps, ctx, flow, params.faceCheckId, body),
    });
  }
  api.route({
    method: 'post',
    path: '/sdreg/v1/sessions',
    tag: ACCOUNT,
    summary: 'C4 login with ID + password (5 wrong passwords lock the account for 30 minutes)',
    body: z.object({ idNumber, password }),
    response: LoggedIn,
    errors: { 401: ['LOGIN_FAILED'], 409: ['ACTIVATION_REQUIRED'], 423: ['ACCOUNT_LOCKED'] },
    access: anonymous,
    handler: ({ body, ctx }) => uc.logIn(deps, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/sdreg/v1/face-login',
    tag: ACCOUNT,
    summary: 'C4 login with ID + face, step 1',
    body: z.object({ idNumber }),
    response: FaceCheckStarted,
    errors: FACE_CHECK_START_ERRORS, // alike for every ID: whether it is registered is told at step 2
    access: anonymous,
    handler: ({ body, ctx }) => uc.startFaceLogin(deps, ctx, body.idNumber),
  });
  api.route({
    method: 'post',
    path: '/sdreg/v1/face-login/:faceCheckId/complete',
    tag: ACCOUNT,
    summary: 'C4 login with ID + face, step 2',
    params: faceCheckParam,
    response: LoggedIn,
    errors: { ...FACE_CHECK_ERRORS, 404: [...(FACE_CHECK_ERRORS[404] ?? []), 'USER_NOT_FOUND'], 409: [...(FACE_CHECK_ERRORS[409] ?? []), 'ACTIVATION_REQUIRED'] },
    access: anonymous,
    handler: ({ params, ctx }) => uc.completeFaceLogin(deps, ctx, params.faceCheckId),
  });
  api.route({
    method: 'post',
    path: '/sdreg/v1/face-checks/:faceCheckId/ctid',
    tag: ACCOUNT,
    status: 200,
    summary: 'C11 remedy for 验证失败，请到登记窗口办理业务 (no portrait on file): verify with a CTID instead of the face',
    params: faceCheckParam,
    response: CtidVerified,
    errors: CTID_ERRORS,
    access: anonymous,
    handler: ({ params, ctx }) => uc.remedyWithCtid(deps, ctx, params.faceCheckId),
  });
  api.route({ method: 'get', path: '/sdreg/v1/me', tag: ACCOUNT, access: user, summary: '账号管理', response: User, handler: ({ caller, ctx }) => uc.userView(deps.db, ctx, caller.user) });
  api.route({
    method: 'post',
    path: '/sdreg/v1/me/face-checks',
    tag: ACCOUNT,
    access: user,
    summary: 'A face check of the logged-in user before C6 修改手机号码 or C7 四级实名',
    body: z.object({ purpose: z.enum(['CHANGE_PHONE', 'LEVEL_UP']) }),
    response: FaceCheckStarted,
    errors: FACE_CHECK_START_ERRORS,
    handler: ({ body, caller, ctx }) => uc.startSelfCheck(deps, ctx, caller.user, body.purpose),
  });
  api.route({
    method: 'put',
    path: '/sdreg/v1/me/mobile',
    tag: ACCOUNT,
    access: user,
    summary: 'C6 修改手机号码 after a CHANGE_PHONE face check',
    body: z.object({ faceCheckId: uuid, mobile }),
    response: User,
    errors: FACE_CHECK_ERRORS,
    handler: ({ body, caller, ctx }) => uc.changeMobile(deps, ctx, caller.user, body),
  });
  api.route({
    method: 'put',
    path: '/sdreg/v1/me/level',
    tag: ACCOUNT,
    access: user,
    summary: 'C7 实名等级 → 四级实名 after a LEVEL_UP face check',
    body: z.object({ faceCheckId: uuid }),
    response: User,
    errors: FACE_CHECK_ERRORS,
    handler: ({ body, caller, ctx }) => uc.raiseLevel(deps, ctx, caller.user, body.faceCheckId),
  });
  api.route({
    method: 'put',
    path: '/sdreg/v1/me/registration-authorisation',
    tag: ACCOUNT,
    access: user,
    summary: 'C8 企业登记注册: 是否办理 + 截止日期 (level 4 only); invalid after the deadline',
    body: z.object({ participate: z.boolean(), deadline: calendarDay.optional() }),
    response: RegistrationAuthorisation,
    errors: { 400: ['DEADLINE_REQUIRED', 'DEADLINE_PAST'], 403: ['LEVEL_4_REQUIRED'] },
    handler: ({ body, caller, ctx }) => uc.answerRegistration(deps, ctx, caller.user, body),
  });
  api.route({
    method: 'put',
    path: '/sdreg/v1/me/password',
    tag: ACCOUNT,
    access: user,
    summary: 'C9 修改密码: old + new + confirm; every session ends',
    body: z.object({ oldPassword: password, newPassword: password, confirmPassword: password }),
    response: z.strictObject({ changed: z.boolean(), message: z.string() }),
    errors: { 400: ['OLD_PASSWORD_WRONG', ...PASSWORD_RULES], 423: ['ACCOUNT_LOCKED'] },
    handler: ({ body, caller, ctx }) => uc.changePassword(deps, ctx, caller.user, body),
  });
  api.route({
    method: 'post',
    path: '/sdreg/v1/logout',
    tag: ACCOUNT,
    access: user,
    summary: 'C9 退出登录: the session ends',
    status: 204,
    handler: ({ caller, ctx }) => uc.logOut(deps, ctx, caller.tokenHash),
  });
  api.route({
    method: 'post',
    path: '/sdreg/v1/filings/readiness',
    tag: FILINGS,
    status: 200,
    summary: 'C10 before filing: is every natural person verified (level 4, authorised, before the deadline)? Investors from Hong Kong, Macao, Taiwan and abroad are exempt.',
    body: z.object({
      entityKind: z.enum(Object.keys(ENTITY_KINDS) as [keyof typeof ENTITY_KINDS]),
      persons: z
        .array(
          z.object({
            name: z.string().min(1),
            idNumber: z.string().min(1),
            roles: z.array(z.enum(Object.keys(ROLES) as [keyof typeof ROLES])).min(1),
            origin: z.enum(['MAINLAND', 'HONG_KONG', 'MACAO', 'TAIWAN', 'FOREIGN']).default('MAINLAND'),
          }),
        )
        .min(1),
    }),
    response: Readiness,
    errors: { 400: ['ROLE_NOT_APPLICABLE', 'INVALID_ID_NUMBER'] },
    access: anonymous,
    handler: ({ body, ctx }) => uc.checkReadiness(deps, ctx, body),
  });
  return api;
}
