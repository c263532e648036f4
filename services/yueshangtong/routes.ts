// 粤商通 HTTP routes: declare who may call, parse, delegate to use-cases. Nothing else.
import { anonymous } from '../../kernel/access.js';
import { z } from '../../kernel/zod.js';
import { authorisationEnd, enterpriseName, idNumber, mobile, personName, smsCode, uscc, uuid } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import type { YstAccess } from './access.js';
import { FaceCheckStarted } from '../verification/face-checks.js';
import * as uc from './use-cases.js';

const LOGIN = '粤商通 · login (A1–A3)';
const ACCOUNTS = '粤商通 · enterprise accounts (B1–B9)';

const accountParam = z.object({ accountId: uuid });
const tokenParam = z.object({ token: z.string().min(10) });
const faceCheckBody = z.object({ faceCheckId: uuid });

const EnterpriseAccount = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    enterprise: z.object({ uscc: z.string(), name: z.string(), status: z.string(), industry: z.string() }),
    trust: z.object({ code: z.enum(['CERTIFIED', 'UNCERTIFIED']), label: z.string() }),
    applicant: z.string().openapi({ description: '账号申请人 (masked)' }),
    myRole: z.object({ code: z.string(), label: z.string() }).optional(),
    joinedOn: z.string().nullable().optional().openapi({ description: '您加入的日期' }),
    authEnd: z.string().optional().openapi({ description: '您的授权日期 (9999-12-31 = 长期有效)' }),
    authEndLabel: z.string().optional(),
  })
  .openapi('EnterpriseAccount');
const Member = z
  .object({
    memberId: z.string(),
    name: z.string(),
    idNumber: z.string().openapi({ example: '450****227' }),
    mobile: z.string().nullable().openapi({ example: '180****1234' }),
    role: z.object({ code: z.string(), label: z.string() }),
    status: z.enum(['INVITED', 'ACTIVE', 'REVOKED']),
    joinedOn: z.string().nullable().openapi({ description: '加入日期' }),
    authEnd: z.string().openapi({ description: '授权截止日期' }),
    authEndLabel: z.string(),
  })
  .openapi('Member');
const LoggedIn = z.object({ token: z.string(), account: z.object({ id: z.string(), name: z.string(), idNumber: z.string(), mobile: z.string().nullable() }) }).passthrough();

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
    access: anonymous,
    handler: ({ body, ctx }) => uc.startFaceLogin(deps, ctx, body),
  });
  api.route({
    method: 'post',
    path: '/yst/v1/face-login/:faceCheckId/complete',
    tag: LOGIN,
    summary: 'Back in the app after 粤信签: logs in (creating the personal account and linking enterprises on first login)',
    params: z.object({ faceCheckId: uuid }),
    response: LoggedIn,
    status: 200,
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
    status: 200,
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
    access: anonymous,
    handler: ({ body, ctx }) => uc.loginWithCode(deps, ctx, body.mobile, body.code),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/me',
    tag: LOGIN,
    summary: 'The logged-in personal account',
    access: person,
    handler: async ({ caller }) => uc.personalView(caller.person),
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
    access: memberOf('accountId', 'ANY', 'MANAGER'),
    handler: ({ params, caller, ctx }) => uc.revokeMember(deps, ctx, caller, params.memberId),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/invitations/:token',
    tag: ACCOUNTS,
    summary: 'What an invitation link shows the invitee',
    params: tokenParam,
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
    access: person,
    handler: ({ params, caller, ctx }) => uc.requestLink(deps, ctx, caller, params.accountId),
  });
  api.route({
    method: 'get',
    path: '/yst/v1/enterprise-accounts/:accountId/link-requests',
    tag: ACCOUNTS,
    summary: 'Link requests to an account (its applicant only)',
    params: accountParam,
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
    access: memberOf('accountId', 'ANY', 'APPLICANT'),
    handler: ({ params, body, caller, ctx }) => uc.decideLink(deps, ctx, caller, params.requestId, body),
  });
  return api;
}
