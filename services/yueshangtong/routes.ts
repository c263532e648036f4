// 粤商通 HTTP routes: declare who may call, parse, delegate to use-cases. Nothing else.
import { anonymous } from '../../kernel/access.js';
import { z } from '../../kernel/zod.js';
import { authorisationEnd, enterpriseName, idNumber, mobile, personName, smsCode, uscc, uuid } from '../../kernel/fields.js';
import { Api, oneOf } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import type { YstAccess } from './access.js';
import { SMS_ERRORS } from '../verification/clients.js';
import { FACE_CHECK_ERRORS, FACE_CHECK_START_ERRORS, FaceCheckStarted } from '../verification/face-checks.js';
import * as uc from './use-cases.js';

const LOGIN = '粤商通 · login (A1–A3)';
const ACCOUNTS = '粤商通 · enterprise accounts (B1–B9)';

const accountParam = z.object({ accountId: uuid });
const tokenParam = z.object({ token: z.string().min(10) });
const faceCheckBody = z.object({ faceCheckId: uuid });

const EnterpriseAccount = z
  .strictObject({
    accountId: z.uuid(),
    accountName: z.string(),
    enterprise: z.strictObject({ uscc: z.string(), name: z.string(), status: z.string(), industry: z.string() }),
    trust: z.strictObject({ code: z.enum(['CERTIFIED', 'UNCERTIFIED']), label: z.string() }),
    applicant: z.string().openapi({ description: '账号申请人 (masked)' }),
    myRole: z.strictObject({ code: z.enum(['APPLICANT', 'AGENT', 'LINKED']), label: z.string() }).optional(),
    joinedOn: z.string().nullable().optional().openapi({ description: '您加入的日期' }),
    authEnd: z.string().optional().openapi({ description: '您的授权日期 (9999-12-31 = 长期有效)' }),
    authEndLabel: z.string().optional(),
  })
  .openapi('EnterpriseAccount');
const Member = z
  .strictObject({
    memberId: z.uuid(),
    name: z.string(),
    idNumber: z.string().openapi({ example: '450****227' }),
    mobile: z.string().nullable().openapi({ example: '180****1234' }),
    role: z.strictObject({ code: z.enum(['APPLICANT', 'AGENT', 'LINKED']), label: z.string() }),
    status: z.enum(['INVITED', 'ACTIVE', 'REVOKED']),
    joinedOn: z.string().nullable().openapi({ description: '加入日期' }),
    authEnd: z.string().openapi({ description: '授权截止日期' }),
    authEndLabel: z.string(),
  })
  .openapi('Member');
const PersonalAccount = z.strictObject({ id: z.uuid(), name: z.string(), idNumber: z.string(), mobile: z.string().nullable() }).openapi('PersonalAccount');
const LoggedIn = z.strictObject({ token: z.string(), account: PersonalAccount }).openapi('YstLoggedIn');
const FaceLoggedIn = z
  .strictObject({
    token: z.string(),
    account: PersonalAccount,
    accountCreated: z.boolean(),
    linkedEnterpriseAccounts: z.array(EnterpriseAccount).openapi({ description: 'B1: accounts created now for the enterprises this person represents' }),
  })
  .openapi('YstFaceLoggedIn');
const LINK_INVALID = { 404: ['LINK_INVALID'] };

export function yueshangtongApi(deps: uc.Deps & { live: Live; access: YstAccess }): Api {
  // Its writes change who may act for an enterprise (kept in memory): they answer once this process knows.
  const api = new Api(deps.live, { title: 'govsim 粤商通', description: 'Reference 粤商通 services: face and phone login, enterprise accounts, agents, delegation.' }, { fenceWrites: true });
  const { person, actingFor, memberOf, memberOfBodyAccount } = deps.access;

  // A1 / A3 / B1
  api.route({
    method: 'post',
    path: '/yst/v1/face-login',
    tag: LOGIN,
    summary: '[请登录]→[人脸识别登录]: enter name + ID; the app opens 粤信签 at miniProgramUrl',
    body: z.object({ name: personName, idNumber, mobile: mobile.optional().openapi({ description: 'Bound to the personal account on first login (used by phone login)' }) }),
    response: FaceCheckStarted,
    errors: FACE_CHECK_START_ERRORS,
    access: anonymous,
    handler: ({ body, ctx }) => uc.startFaceLogin(deps, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/face-login/:faceCheckId/complete',
    tag: LOGIN,
    summary: 'Back in the app after 粤信签: logs in (creating the personal account and linking enterprises on first login)',
    params: z.object({ faceCheckId: uuid }),
    response: FaceLoggedIn,
    status: 200,
    errors: { ...FACE_CHECK_ERRORS, 409: [...FACE_CHECK_ERRORS[409]!, 'MOBILE_TAKEN'] },
    access: anonymous,
    handler: ({ params, ctx }) => uc.completeFaceLogin(deps, ctx, params.faceCheckId),
  });
  // A2
  api.route({
    method: 'post',
    path: '/yst/v1/sms-codes',
    tag: LOGIN,
    summary: 'Send a 6-digit login code (valid 5 min, single use, one send per 60 s, locked after 5 wrong tries)',
    body: z.object({ mobile }),
    response: z.strictObject({ sent: z.boolean(), validSeconds: z.number().int(), resendAfterSeconds: z.number().int() }),
    status: 200,
    errors: { 429: ['SMS_TOO_FREQUENT', 'CODE_LOCKED'], ...SMS_ERRORS },
    access: anonymous,
    handler: ({ body, ctx }) => uc.sendLoginCode(deps, ctx, body.mobile),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/phone-login',
    tag: LOGIN,
    summary: 'Log in with mobile + SMS code',
    body: z.object({ mobile, code: smsCode }),
    response: LoggedIn,
    status: 200,
    errors: { 400: ['CODE_INVALID', 'CODE_EXPIRED'], 429: ['CODE_LOCKED'] },
    access: anonymous,
    handler: ({ body, ctx }) => uc.loginWithCode(deps, ctx, body.mobile, body.code),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/me',
    tag: LOGIN,
    summary: 'The logged-in personal account',
    response: PersonalAccount,
    access: person,
    handler: async ({ caller }) => uc.personalView(caller.person),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/logout',
    tag: LOGIN,
    summary: '[退出登录]: the session ends (its token is refused from then on)',
    status: 204,
    access: person,
    handler: ({ caller, ctx }) => uc.logOut(deps, ctx, caller),
  });

  // B2
  api.route({
    method: 'get',
    path: '/yst/v1/me/enterprise-accounts',
    tag: ACCOUNTS,
    summary: '[请选择办事企业]: enterprise accounts this person may use now',
    response: z.array(EnterpriseAccount),
    access: person,
    handler: ({ caller, ctx }) => uc.myEnterpriseAccounts(deps, ctx, caller.person),
  });
  api.route({
    method: 'put',
    path: '/yst/v1/me/acting-account',
    tag: ACCOUNTS,
    summary: '[选择办事]: act for one enterprise account in this session',
    body: z.object({ accountId: uuid }),
    response: EnterpriseAccount,
    access: memberOfBodyAccount('accountId'),
    handler: ({ caller, ctx }) => uc.chooseAccount(deps, ctx, caller),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/me/acting-account',
    tag: ACCOUNTS,
    summary: 'The enterprise account this session acts for (authorisation re-checked on every call)',
    response: EnterpriseAccount,
    access: actingFor('ANY'),
    handler: async ({ caller }) => uc.accountOfCaller(caller),
  });
  // B3
  api.route({
    method: 'post',
    path: '/yst/v1/enterprise-accounts',
    tag: ACCOUNTS,
    summary: '[添加企业]→[立即添加]: a new enterprise account (已认证 when added by the legal rep, else 未认证)',
    body: z.object({ enterpriseName, uscc }),
    response: EnterpriseAccount,
    errors: { 400: ['ENTERPRISE_NAME_MISMATCH'], 404: ['ENTERPRISE_NOT_FOUND'], 409: ['ACCOUNT_EXISTS'] },
    access: person,
    handler: ({ body, caller, ctx }) => uc.addEnterprise(deps, ctx, caller.person, body),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/enterprises/:uscc/accounts',
    tag: ACCOUNTS,
    summary: 'Accounts of an enterprise (to pick one to link to)',
    params: z.object({ uscc }),
    response: z.array(EnterpriseAccount),
    errors: { 404: ['ENTERPRISE_NOT_FOUND'] },
    access: person,
    handler: ({ params, ctx }) => uc.accountsOfEnterprise(deps, ctx, params.uscc),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/enterprise-accounts/:accountId',
    tag: ACCOUNTS,
    summary: '账号信息: trust, 账号申请人, 您加入的日期, 您的授权日期',
    params: accountParam,
    response: EnterpriseAccount,
    access: memberOf('accountId'),
    handler: async ({ caller }) => uc.accountOfCaller(caller),
  });
  // B4
  api.route({
    method: 'post',
    path: '/yst/v1/enterprise-accounts/:accountId/certification-requests',
    tag: ACCOUNTS,
    summary: '[去认证>]: send the legal rep a certification link',
    params: accountParam,
    response: z.strictObject({ token: z.string(), link: z.string(), legalRep: z.string().openapi({ description: 'masked' }) }),
    errors: { 409: ['ALREADY_CERTIFIED'], ...SMS_ERRORS },
    access: memberOf('accountId'),
    handler: ({ caller, ctx }) => uc.requestCertification(deps, ctx, caller),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/certifications/:token/face-check',
    tag: ACCOUNTS,
    summary: 'The legal rep opens the certification link and starts a face check in 粤信签',
    params: tokenParam,
    response: FaceCheckStarted,
    errors: { ...LINK_INVALID, 409: ['ALREADY_CERTIFIED'], ...FACE_CHECK_START_ERRORS },
    access: anonymous,
    handler: ({ params, ctx }) => uc.startCertificationFace(deps, ctx, params.token),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/certifications/:token/confirm',
    tag: ACCOUNTS,
    summary: 'After the legal rep’s face check: the account becomes 已认证',
    params: tokenParam,
    body: faceCheckBody,
    response: EnterpriseAccount,
    status: 200,
    errors: { ...FACE_CHECK_ERRORS, 404: [...LINK_INVALID[404], ...FACE_CHECK_ERRORS[404]!], 409: [...FACE_CHECK_ERRORS[409]!, 'ALREADY_CERTIFIED'] },
    access: anonymous,
    handler: ({ params, body, ctx }) => uc.confirmCertification(deps, ctx, params.token, body.faceCheckId),
  });
  // B5 / B6
  api.route({
    method: 'post',
    path: '/yst/v1/enterprise-accounts/:accountId/agents',
    tag: ACCOUNTS,
    summary: '[经办人管理]→[添加经办人]: name, ID, phone, 授权期限 (date or 长期有效) → a link to share',
    params: accountParam,
    body: z.object({ name: personName, idNumber, mobile, authEnd: authorisationEnd }),
    response: z
      .strictObject({ memberId: z.uuid(), status: oneOf('INVITED'), invitationToken: z.string(), invitationLink: z.string(), shareText: z.string() })
      .openapi('Invitation'),
    errors: { 400: ['AUTH_END_PAST'], 403: ['AUTH_BEYOND_OWN'], 409: ['AGENT_EXISTS'] },
    access: memberOf('accountId'),
    handler: ({ body, caller, ctx }) => uc.addAgent(deps, ctx, caller, body),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/enterprise-accounts/:accountId/agents',
    tag: ACCOUNTS,
    summary: '经办人管理: members with masked ID and phone, 加入日期, 授权截止日期',
    params: accountParam,
    response: z.array(Member),
    access: memberOf('accountId'),
    handler: ({ caller, ctx }) => uc.listMembers(deps, ctx, caller),
  });
  api.route({
    method: 'delete',
    path: '/yst/v1/enterprise-accounts/:accountId/agents/:memberId',
    tag: ACCOUNTS,
    summary: 'Revoke an agent at once (legal rep or account applicant)',
    params: z.object({ accountId: uuid, memberId: uuid }),
    response: Member,
    errors: { 403: ['CANNOT_REVOKE_APPLICANT'], 404: ['MEMBER_NOT_FOUND'] },
    access: memberOf('accountId', 'ANY', 'MANAGER'),
    handler: ({ params, caller, ctx }) => uc.revokeMember(deps, ctx, caller, params.memberId),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/invitations/:token',
    tag: ACCOUNTS,
    summary: 'What an invitation link shows the invitee',
    params: tokenParam,
    response: z.strictObject({ enterprise: z.string(), accountName: z.string(), invitee: z.string().openapi({ description: 'masked' }), authEnd: z.string(), authEndLabel: z.string() }),
    errors: LINK_INVALID,
    access: anonymous,
    handler: ({ params, ctx }) => uc.invitationInfo(deps, ctx, params.token),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/invitations/:token/face-check',
    tag: ACCOUNTS,
    summary: 'The invitee starts a face check for exactly the invited person',
    params: tokenParam,
    response: FaceCheckStarted,
    errors: { ...LINK_INVALID, ...FACE_CHECK_START_ERRORS },
    access: anonymous,
    handler: ({ params, ctx }) => uc.startInvitationFace(deps, ctx, params.token),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/invitations/:token/accept',
    tag: ACCOUNTS,
    summary: 'After the invitee’s face check: authorised; SMS 您已认证成功并成为…的经办人',
    params: tokenParam,
    body: faceCheckBody,
    status: 200,
    response: z.strictObject({
      message: z.string(),
      member: Member,
      account: EnterpriseAccount,
      notified: z.boolean().openapi({ description: 'Whether the SMS telling the agent went out' }),
    }),
    errors: { ...FACE_CHECK_ERRORS, 403: ['AUTHORISATION_EXPIRED'], 404: [...LINK_INVALID[404], ...FACE_CHECK_ERRORS[404]!] },
    access: anonymous,
    handler: ({ params, body, ctx }) => uc.acceptInvitation(deps, ctx, params.token, body.faceCheckId),
  });
  // B7
  api.route({
    method: 'post',
    path: '/yst/v1/enterprise-accounts/:accountId/link-requests',
    tag: ACCOUNTS,
    summary: 'Ask to join a certified account created by someone else (needs the applicant’s consent)',
    params: accountParam,
    response: z.strictObject({ requestId: z.uuid(), status: oneOf('PENDING'), applicant: z.string().openapi({ description: 'masked' }) }),
    errors: { 404: ['ACCOUNT_NOT_FOUND'], 409: ['ACCOUNT_NOT_CERTIFIED', 'ALREADY_MEMBER', 'LINK_PENDING'], ...SMS_ERRORS },
    access: person,
    handler: ({ params, caller, ctx }) => uc.requestLink(deps, ctx, caller, params.accountId),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/enterprise-accounts/:accountId/link-requests',
    tag: ACCOUNTS,
    summary: 'Link requests to an account (its applicant only)',
    params: accountParam,
    response: z.array(
      z.strictObject({ requestId: z.uuid(), requester: z.string(), requesterIdNumber: z.string().openapi({ description: 'masked' }), status: z.enum(['PENDING', 'APPROVED', 'REJECTED']), createdAt: z.date() }),
    ),
    access: memberOf('accountId', 'ANY', 'APPLICANT'),
    handler: ({ caller, ctx }) => uc.listLinkRequests(deps, ctx, caller),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/enterprise-accounts/:accountId/link-requests/:requestId/decision',
    tag: ACCOUNTS,
    summary: 'The applicant consents (with an authorisation end) or refuses',
    params: z.object({ accountId: uuid, requestId: uuid }),
    body: z.object({ approve: z.boolean(), authEnd: authorisationEnd.prefault('长期有效') }),
    status: 200,
    response: z.strictObject({ requestId: z.uuid(), status: oneOf('APPROVED', 'REJECTED'), member: Member.optional().openapi({ description: 'The new member, when approved' }) }),
    errors: { 400: ['AUTH_END_PAST'], 404: ['LINK_REQUEST_NOT_FOUND'], 409: ['LINK_DECIDED', 'ALREADY_MEMBER'] },
    access: memberOf('accountId', 'ANY', 'APPLICANT'),
    handler: ({ params, body, caller, ctx }) => uc.decideLink(deps, ctx, caller, params.requestId, body),
  });
  return api;
}
