// 粤商通 workflows as the guides describe them (SPEC A1–A3, B1–B9). Routes parse and delegate
// here; store.ts holds the SQL; providers are reached over HTTP.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { newToken, tokenHash } from '../../kernel/tokens.js';
import { shanghaiDay } from '../../kernel/clock.js';
import { decideInTransaction, inTransaction, refuse, type Db } from '../../kernel/db.js';
import { badRequest, conflict, forbidden, notFound, tooMany } from '../../kernel/errors.js';
import { authEndLabel, FOREVER } from '../../kernel/fields.js';
import type { RunContext } from '../../kernel/http.js';
import type { Providers } from '../verification/clients.js';
import { maskIdNumber, maskMobile, maskName } from '../../kernel/identifiers.js';
import { enterprisesOfLegalRep, findEnterprise, findPerson } from '../world/store.js';
import * as store from './store.js';
import type { EnterpriseAccount, Member, PersonalAccount } from './store.js';
import { markFaceCheckUsed, startFaceCheck, verifiedFaceCheck } from '../verification/face-checks.js';
import type { EnterpriseCaller, PersonCaller } from './access.js';
import type { PoolClient } from 'pg';

export interface Deps {
  db: Db;
  providers: Providers;
  /** Public base URL of the services, for the links the app shares (WeChat). */
  publicUrl: () => string;
}

export const CODE_RULES = { length: 6, validMs: 5 * 60_000, resendMs: 60_000, maxFailures: 5, lockMs: 15 * 60_000 };
const TRUST_LABEL = { CERTIFIED: '已认证', UNCERTIFIED: '未认证' } as const;
const ROLE_LABEL = { APPLICANT: '账号申请人', AGENT: '经办人', LINKED: '关联成员' } as const;

const sha256 = tokenHash;
const newAccountName = () => randomBytes(4).toString('hex');

// Views --------------------------------------------------------------------------------------

export const personalView = (p: PersonalAccount) => ({ id: p.id, name: p.name, idNumber: p.idNumber, mobile: p.mobile });

export function accountView(a: EnterpriseAccount, mine?: Pick<Member, 'role' | 'joinedOn' | 'authEnd'>) {
  return {
    accountId: a.id,
    accountName: a.accountName,
    enterprise: { uscc: a.uscc, name: a.enterpriseName, status: a.enterpriseStatus, industry: a.industry },
    trust: { code: a.trust, label: TRUST_LABEL[a.trust] },
    applicant: maskName(a.applicantName),
    ...(mine
      ? { myRole: { code: mine.role, label: ROLE_LABEL[mine.role] }, joinedOn: mine.joinedOn, authEnd: mine.authEnd, authEndLabel: authEndLabel(mine.authEnd) }
      : {}),
  };
}

export const memberView = (m: Member) => ({
  memberId: m.id,
  name: m.name,
  idNumber: maskIdNumber(m.idNumber),
  mobile: m.mobile ? maskMobile(m.mobile) : null,
  role: { code: m.role, label: ROLE_LABEL[m.role] },
  status: m.status,
  joinedOn: m.joinedOn,
  authEnd: m.authEnd,
  authEndLabel: authEndLabel(m.authEnd),
});

// Sessions -----------------------------------------------------------------------------------

async function openSession(ctx: RunContext, db: Db | PoolClient, account: PersonalAccount) {
  const token = newToken();
  await store.insertSession(db, ctx.run, sha256(token), account.id, ctx.now);
  return token;
}

// Face checks (粤信签) ------------------------------------------------------------------------

const SERVICE = 'yst';
type Purpose = 'LOGIN' | 'INVITATION' | 'CERTIFICATION';
const startCheck = (deps: Deps, ctx: RunContext, purpose: Purpose, ref: string | null, person: { name: string; idNumber: string; mobile: string | null }) =>
  startFaceCheck(deps, ctx, { service: SERVICE, purpose, ref, ...person });
const verifiedCheck = (deps: Deps, ctx: RunContext, id: string, purpose: Purpose, ref: string | null) => verifiedFaceCheck(deps, ctx, id, { service: SERVICE, purpose, ref });

/**
 * Sends an SMS about something already stored, with no connection held (never inside the
 * transaction that stored it); if the gateway refuses, `undo` takes back what was stored and the
 * refusal (502 SMS_SEND_FAILED …) is the answer.
 */
async function sendOrUndo(deps: Deps, ctx: RunContext, mobile: string, text: string, undo: () => Promise<void>) {
  try {
    await deps.providers.sms.send(ctx, mobile, text);
  } catch (error) {
    await undo();
    throw error;
  }
}

// A1 face login, A3 personal account, B1 auto-linking ---------------------------------------

export function startFaceLogin(deps: Deps, ctx: RunContext, input: { name: string; idNumber: string; mobile?: string | undefined }) {
  return startCheck(deps, ctx, 'LOGIN', null, { name: input.name, idNumber: input.idNumber, mobile: input.mobile ?? null });
}

export async function completeFaceLogin(deps: Deps, ctx: RunContext, faceCheckId: string) {
  const check = await verifiedCheck(deps, ctx, faceCheckId, 'LOGIN', null);
  return inTransaction(deps.db, async (tx) => {
    await markFaceCheckUsed(tx, ctx, check.id);
    const { account, created, mobileTaken } = await store.ensurePersonal(tx, ctx.run, { id: randomUUID(), idNumber: check.idNumber, name: check.name, mobile: check.mobile, now: ctx.now });
    if (mobileTaken) throw conflict('MOBILE_TAKEN', '该手机号已绑定其他实名账号');
    const linked = await autoLinkEnterprises(tx, ctx, account);
    const token = await openSession(ctx, tx, account);
    return { token, account: personalView(account), accountCreated: created, linkedEnterpriseAccounts: linked.map((a) => accountView(a)) };
  });
}

/** B1: every enterprise whose legal rep/operator is this person gets a 已认证 account they own, once. */
async function autoLinkEnterprises(tx: PoolClient, ctx: RunContext, person: PersonalAccount): Promise<EnterpriseAccount[]> {
  const linked: EnterpriseAccount[] = [];
  for (const enterprise of await enterprisesOfLegalRep(tx, ctx.run, person.idNumber)) {
    const account = await createAccount(tx, ctx, person, enterprise.uscc, 'CERTIFIED');
    if (account) linked.push(account);
  }
  return linked;
}

/** A new account with its applicant as member, or undefined when the applicant has one of the enterprise already. */
async function createAccount(tx: PoolClient, ctx: RunContext, applicant: PersonalAccount, uscc: string, trust: store.Trust) {
  const id = randomUUID();
  if (!(await store.insertAccount(tx, ctx.run, { id, accountName: newAccountName(), uscc, trust, applicantId: applicant.id, now: ctx.now }))) return undefined;
  await store.insertMember(tx, ctx.run, {
    id: randomUUID(),
    accountId: id,
    role: 'APPLICANT',
    status: 'ACTIVE',
    personId: applicant.id,
    name: applicant.name,
    idNumber: applicant.idNumber,
    mobile: applicant.mobile,
    authEnd: FOREVER,
    joinedOn: shanghaiDay(ctx.now),
    invitedBy: null,
    now: ctx.now,
  });
  return (await store.findAccount(tx, ctx.run, id))!;
}

// A2 phone login -----------------------------------------------------------------------------

/**
 * A2 [获取验证码]: every mobile gets the same answer, bound to a real-name account or not, so that
 * the answer tells nobody whose a mobile is: the code is stored, and the 60 s rule and the
 * lock-out apply, alike; the SMS goes only to a bound mobile.
 */
export async function sendLoginCode(deps: Deps, ctx: RunContext, mobile: string) {
  const code = String(randomInt(0, 10 ** CODE_RULES.length)).padStart(CODE_RULES.length, '0');
  const fresh = { codeHash: sha256(`${mobile}:${code}`), sentAt: ctx.now, expiresAt: new Date(ctx.now.getTime() + CODE_RULES.validMs) };
  const bound = Boolean(await store.findPersonalByMobile(deps.db, ctx.run, mobile));
  // The code is stored first (the 60 s rule decided in one short transaction, on the mobile's row:
  // a first request inserts it, requests at once wait for it), then sent with no connection held;
  // a refused SMS puts back what was there, unless a later code replaced it.
  const previous = await inTransaction(deps.db, async (tx) => {
    for (;;) {
      if (await store.insertFirstSmsCode(tx, ctx.run, mobile, fresh)) return undefined;
      const current = await store.lockSmsCode(tx, ctx.run, mobile);
      if (!current) continue; // a first code whose SMS was refused was taken back meanwhile
      if (current.lockedUntil && current.lockedUntil > ctx.now) throw lockedOut(current.lockedUntil, ctx.now);
      const wait = current.sentAt.getTime() + CODE_RULES.resendMs - ctx.now.getTime();
      if (wait > 0) throw tooMany('SMS_TOO_FREQUENT', `验证码发送过于频繁，请${Math.ceil(wait / 1000)}秒后再试`, { retryAfterSeconds: Math.ceil(wait / 1000) });
      await store.replaceSmsCode(tx, ctx.run, mobile, fresh);
      return current;
    }
  });
  if (bound) {
    const text = `【粤商通】您的登录验证码为${code}，5分钟内有效，请勿泄露给他人。`;
    await sendOrUndo(deps, ctx, mobile, text, () => store.restoreSmsCode(deps.db, ctx.run, mobile, fresh.codeHash, previous));
  }
  return { sent: true, validSeconds: CODE_RULES.validMs / 1000, resendAfterSeconds: CODE_RULES.resendMs / 1000 };
}

const lockedOut = (until: Date, now: Date) =>
  tooMany('CODE_LOCKED', `验证码错误次数过多，请${Math.ceil((until.getTime() - now.getTime()) / 60_000)}分钟后再试`, { lockedUntil: until.toISOString() });

/**
 * A2 login: wrong codes are counted per mobile, across the codes sent to it (a new code does not
 * start the count again; a success or the end of a lock-out does), under the mobile's row lock, so
 * that tries made at once are counted one after another. A mobile bound to no account is refused
 * as a wrong code.
 */
export async function loginWithCode(deps: Deps, ctx: RunContext, mobile: string, code: string) {
  // The failed-try count must be stored even though the answer is an error.
  return decideInTransaction(deps.db, async (tx) => {
    const current = await store.lockSmsCode(tx, ctx.run, mobile);
    if (!current) return refuse(badRequest('CODE_INVALID', '验证码错误'));
    if (current.lockedUntil && current.lockedUntil > ctx.now) return refuse(lockedOut(current.lockedUntil, ctx.now));
    if (current.usedAt || current.expiresAt <= ctx.now) return refuse(badRequest('CODE_EXPIRED', '验证码已失效，请重新获取'));
    const account = current.codeHash === sha256(`${mobile}:${code}`) ? await store.findPersonalByMobile(tx, ctx.run, mobile) : undefined;
    if (!account) {
      const failedAttempts = current.failedAttempts + 1;
      if (failedAttempts >= CODE_RULES.maxFailures) {
        // The count starts again when the lock-out ends; the code is spent.
        const lockedUntil = new Date(ctx.now.getTime() + CODE_RULES.lockMs);
        await store.updateSmsCode(tx, ctx.run, mobile, { failedAttempts: 0, usedAt: ctx.now, lockedUntil });
        return refuse(lockedOut(lockedUntil, ctx.now));
      }
      await store.updateSmsCode(tx, ctx.run, mobile, { failedAttempts, usedAt: null, lockedUntil: current.lockedUntil });
      return refuse(badRequest('CODE_INVALID', `验证码错误，还可尝试${CODE_RULES.maxFailures - failedAttempts}次`));
    }
    await store.updateSmsCode(tx, ctx.run, mobile, { failedAttempts: 0, usedAt: ctx.now, lockedUntil: null });
    return { token: await openSession(ctx, tx, account), account: personalView(account) };
  });
}

/** [退出登录]: the session ends; logging in again starts a new one. */
export async function logOut(deps: Deps, ctx: RunContext, caller: PersonCaller) {
  await store.deleteSession(deps.db, ctx.run, caller.tokenHash);
}

// B2 act for an enterprise, B8 expiry/revocation, B9 isolation -------------------------------

export async function myEnterpriseAccounts(deps: Deps, ctx: RunContext, person: PersonalAccount) {
  const today = shanghaiDay(ctx.now);
  return (await store.accountsOfPerson(deps.db, ctx.run, person.id)).filter(({ member }) => member.authEnd >= today).map(({ account, member }) => accountView(account, member));
}

/** [选择办事]: the kernel has checked the caller is a live member of the chosen account. */
export async function chooseAccount(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  await store.setActing(deps.db, ctx.run, caller.tokenHash, caller.account.id);
  return accountView(caller.account, caller.member);
}

/** The account the session acts for, or the one named in the path: membership re-checked on every call. */
export const accountOfCaller = (caller: EnterpriseCaller) => accountView(caller.account, caller.member);

// B3 add an enterprise -----------------------------------------------------------------------

export async function addEnterprise(deps: Deps, ctx: RunContext, person: PersonalAccount, input: { enterpriseName: string; uscc: string }) {
  const enterprise = await findEnterprise(deps.db, ctx.run, input.uscc);
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '未查询到该企业，请核对企业名称和统一社会信用代码');
  if (enterprise.name !== input.enterpriseName) throw badRequest('ENTERPRISE_NAME_MISMATCH', '企业名称与统一社会信用代码不一致');
  return inTransaction(deps.db, async (tx) => {
    const trust = enterprise.legalRepIdNumber === person.idNumber ? 'CERTIFIED' : 'UNCERTIFIED';
    const account = await createAccount(tx, ctx, person, enterprise.uscc, trust);
    if (!account) throw conflict('ACCOUNT_EXISTS', '您已添加该企业');
    const member = (await store.membershipsOf(tx, ctx.run, account.id, person.id))[0]!;
    return accountView(account, member);
  });
}

/** Accounts of an enterprise as a person looking to link one sees them (B7). */
export async function accountsOfEnterprise(deps: Deps, ctx: RunContext, uscc: string) {
  if (!(await findEnterprise(deps.db, ctx.run, uscc))) throw notFound('ENTERPRISE_NOT_FOUND', '未查询到该企业，请核对企业名称和统一社会信用代码');
  return (await store.accountsOfEnterprise(deps.db, ctx.run, uscc)).map((a) => accountView(a));
}

// B4 certification by the legal rep's face ---------------------------------------------------

export async function requestCertification(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  const { account, person } = caller;
  const accountId = account.id;
  if (account.trust === 'CERTIFIED') throw conflict('ALREADY_CERTIFIED', '该企业账号已认证');
  const token = newToken();
  const link = `${deps.publicUrl()}/yst/certifications/${token}`; // the page the legal representative opens (pages.ts)
  const legalRep = await findPerson(deps.db, ctx.run, account.legalRepIdNumber);
  await store.insertCertificationRequest(deps.db, ctx.run, { token, accountId, requestedBy: person.id, now: ctx.now });
  if (legalRep) {
    const text = `【粤商通】${maskName(person.name)}邀请您认证${account.enterpriseName}的企业账号${account.accountName}，请点击链接刷脸认证：${link}`;
    await sendOrUndo(deps, ctx, legalRep.mobile, text, () => store.deleteCertificationRequest(deps.db, ctx.run, token));
  }
  return { token, link, legalRep: maskName(account.legalRepName) };
}

async function pendingCertification(deps: Deps, ctx: RunContext, token: string) {
  const request = await store.lockCertificationRequest(deps.db, ctx.run, token);
  if (!request) throw notFound('LINK_INVALID', '链接无效或已过期');
  if (request.status === 'DONE') throw conflict('ALREADY_CERTIFIED', '该企业账号已认证');
  return { request, account: (await store.findAccount(deps.db, ctx.run, request.accountId))! };
}

export async function startCertificationFace(deps: Deps, ctx: RunContext, token: string) {
  const { account } = await pendingCertification(deps, ctx, token);
  return startCheck(deps, ctx, 'CERTIFICATION', token, { name: account.legalRepName, idNumber: account.legalRepIdNumber, mobile: null });
}

export async function confirmCertification(deps: Deps, ctx: RunContext, token: string, faceCheckId: string) {
  await pendingCertification(deps, ctx, token);
  const check = await verifiedCheck(deps, ctx, faceCheckId, 'CERTIFICATION', token).catch(async (error: unknown) => {
    // Used meanwhile by a confirmation that won: answer what a later confirmation gets (已认证).
    if ((error as { code?: string }).code === 'FACE_CHECK_USED') await pendingCertification(deps, ctx, token);
    throw error;
  });
  return inTransaction(deps.db, async (tx) => {
    const request = await store.lockCertificationRequest(tx, ctx.run, token);
    if (!request) throw notFound('LINK_INVALID', '链接无效或已过期');
    if (request.status === 'DONE') throw conflict('ALREADY_CERTIFIED', '该企业账号已认证');
    await markFaceCheckUsed(tx, ctx, check.id);
    await store.certifyAccount(tx, ctx.run, request.accountId, ctx.now);
    await store.completeCertificationRequest(tx, ctx.run, token, ctx.now);
    return accountView((await store.findAccount(tx, ctx.run, request.accountId))!);
  });
}

// B5 add agent, B6 agents delegate -----------------------------------------------------------

export async function addAgent(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, input: { name: string; idNumber: string; mobile: string; authEnd: string }) {
  const { account, member: me, person } = caller;
  const accountId = account.id;
  if (input.authEnd < shanghaiDay(ctx.now)) throw badRequest('AUTH_END_PAST', '授权截止日期不能早于今天');
  if (input.authEnd > me.authEnd) throw forbidden('AUTH_BEYOND_OWN', `授权期限不能超过您本人的授权期限（${authEndLabel(me.authEnd)}）`);
  return inTransaction(deps.db, async (tx) => {
    const inviteToken = newToken();
    const memberId = randomUUID();
    const invited = await store.insertMember(tx, ctx.run, {
      id: memberId,
      accountId,
      role: 'AGENT',
      status: 'INVITED',
      personId: null,
      name: input.name,
      idNumber: input.idNumber,
      mobile: input.mobile,
      authEnd: input.authEnd,
      joinedOn: null,
      invitedBy: person.id,
      inviteToken,
      now: ctx.now,
    });
    if (!invited) throw conflict('AGENT_EXISTS', '该人员已是此企业账号的经办人或已被邀请');
    const link = `${deps.publicUrl()}/yst/invitations/${inviteToken}`; // the page the invitee opens (pages.ts)
    return {
      memberId,
      status: 'INVITED',
      invitationToken: inviteToken,
      invitationLink: link,
      shareText: `${maskName(person.name)}邀请您成为企业${account.enterpriseName}的经办人`,
    };
  });
}

async function pendingInvitation(deps: Deps, ctx: RunContext, token: string) {
  const invitation = await store.lockInvitation(deps.db, ctx.run, token);
  if (!invitation || invitation.status !== 'INVITED') throw notFound('LINK_INVALID', '链接无效或已过期');
  return invitation;
}

export async function invitationInfo(deps: Deps, ctx: RunContext, token: string) {
  const invitation = await pendingInvitation(deps, ctx, token);
  const account = (await store.findAccount(deps.db, ctx.run, invitation.accountId))!;
  return { enterprise: account.enterpriseName, accountName: account.accountName, invitee: maskName(invitation.name), authEnd: invitation.authEnd, authEndLabel: authEndLabel(invitation.authEnd) };
}

export async function startInvitationFace(deps: Deps, ctx: RunContext, token: string) {
  const invitation = await pendingInvitation(deps, ctx, token);
  return startCheck(deps, ctx, 'INVITATION', token, { name: invitation.name, idNumber: invitation.idNumber, mobile: invitation.mobile });
}

export async function acceptInvitation(deps: Deps, ctx: RunContext, token: string, faceCheckId: string) {
  await pendingInvitation(deps, ctx, token);
  // An accept that raced the one that won finds the face check used: the link is what it is told about.
  const check = await verifiedCheck(deps, ctx, faceCheckId, 'INVITATION', token).catch(async (error: unknown) => {
    await pendingInvitation(deps, ctx, token);
    throw error;
  });
  const accepted = await inTransaction(deps.db, async (tx) => {
    const invitation = await store.lockInvitation(tx, ctx.run, token);
    if (!invitation || invitation.status !== 'INVITED') throw notFound('LINK_INVALID', '链接无效或已过期');
    if (invitation.authEnd < shanghaiDay(ctx.now)) throw forbidden('AUTHORISATION_EXPIRED', '该邀请的授权期限已过');
    await markFaceCheckUsed(tx, ctx, check.id);
    // The mobile the inviter typed is bound to the invitee's new account unless another account holds it *(assumed)*.
    const { account: person } = await store.ensurePersonal(tx, ctx.run, { id: randomUUID(), idNumber: invitation.idNumber, name: invitation.name, mobile: invitation.mobile, now: ctx.now });
    await store.activateMember(tx, ctx.run, invitation.id, person.id, shanghaiDay(ctx.now));
    const account = (await store.findAccount(tx, ctx.run, invitation.accountId))!;
    const message = `您已认证成功并成为${account.enterpriseName}(${TRUST_LABEL[account.trust]})的经办人，请打开粤商通APP查看详情。`;
    return { mobile: invitation.mobile, message, member: memberView((await store.findMember(tx, ctx.run, account.id, invitation.id))!), account: accountView(account) };
  });
  // The agent is authorised once the transaction commits; the SMS tells them, with no connection
  // held. A refused SMS does not undo the authorisation: the answer says it was not sent.
  const { mobile, ...view } = accepted;
  const notified = mobile ? await deps.providers.sms.send(ctx, mobile, `【粤商通】${view.message}`).then(() => true, () => false) : false;
  return { ...view, notified };
}

export async function listMembers(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  return (await store.membersOf(deps.db, ctx.run, caller.account.id)).map(memberView);
}

// B8 revocation ------------------------------------------------------------------------------

/** The kernel has checked the caller is the account's legal representative or applicant. */
export async function revokeMember(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, memberId: string) {
  const accountId = caller.account.id;
  const target = await store.findMember(deps.db, ctx.run, accountId, memberId);
  if (!target || target.status === 'REVOKED') throw notFound('MEMBER_NOT_FOUND', '经办人不存在或已撤销');
  if (target.role === 'APPLICANT') throw forbidden('CANNOT_REVOKE_APPLICANT', '不能撤销账号申请人');
  // Revocations at once: the first revokes, the others find it revoked, as a later one would.
  if (!(await store.revokeMember(deps.db, ctx.run, accountId, memberId, ctx.now))) throw notFound('MEMBER_NOT_FOUND', '经办人不存在或已撤销');
  return memberView({ ...target, status: 'REVOKED' });
}

// B7 link to another's certified account with consent ---------------------------------------

export async function requestLink(deps: Deps, ctx: RunContext, { person }: PersonCaller, accountId: string) {
  const account = await store.findAccount(deps.db, ctx.run, accountId);
  if (!account) throw notFound('ACCOUNT_NOT_FOUND', '企业账号不存在');
  if (account.trust !== 'CERTIFIED') throw conflict('ACCOUNT_NOT_CERTIFIED', '只能关联已认证的企业账号');
  if ((await store.membershipsOf(deps.db, ctx.run, accountId, person.id)).some((m) => m.status === 'ACTIVE')) throw conflict('ALREADY_MEMBER', '您已是该企业账号的成员');
  const id = randomUUID();
  if (!(await store.insertLinkRequest(deps.db, ctx.run, { id, accountId, requesterId: person.id, now: ctx.now }))) throw conflict('LINK_PENDING', '关联申请已提交，请等待账号申请人同意');
  if (account.applicantMobile) {
    const text = `【粤商通】${maskName(person.name)}申请关联您创建的${account.enterpriseName}企业账号${account.accountName}，请在粤商通APP中处理。`;
    await sendOrUndo(deps, ctx, account.applicantMobile, text, () => store.deleteLinkRequest(deps.db, ctx.run, id));
  }
  return { requestId: id, status: 'PENDING', applicant: maskName(account.applicantName) };
}

/** The kernel has checked the caller is the account's applicant (B7). */
export async function listLinkRequests(deps: Deps, ctx: RunContext, caller: EnterpriseCaller) {
  return (await store.linkRequestsOf(deps.db, ctx.run, caller.account.id)).map((r) => ({
    requestId: r.id,
    requester: r.requesterName,
    requesterIdNumber: maskIdNumber(r.requesterIdNumber),
    status: r.status,
    createdAt: r.createdAt,
  }));
}

export async function decideLink(deps: Deps, ctx: RunContext, caller: EnterpriseCaller, requestId: string, decision: { approve: boolean; authEnd: string }) {
  const { person } = caller;
  const accountId = caller.account.id;
  if (decision.approve && decision.authEnd < shanghaiDay(ctx.now)) throw badRequest('AUTH_END_PAST', '授权截止日期不能早于今天');
  return inTransaction(deps.db, async (tx) => {
    const request = await store.lockLinkRequest(tx, ctx.run, accountId, requestId);
    if (!request) throw notFound('LINK_REQUEST_NOT_FOUND', '关联申请不存在');
    if (request.status !== 'PENDING') throw conflict('LINK_DECIDED', '该关联申请已处理');
    await store.decideLinkRequest(tx, ctx.run, requestId, decision.approve ? 'APPROVED' : 'REJECTED', ctx.now);
    if (!decision.approve) return { requestId, status: 'REJECTED' };
    const memberId = randomUUID();
    const linked = await store.insertMember(tx, ctx.run, {
      id: memberId,
      accountId,
      role: 'LINKED',
      status: 'ACTIVE',
      personId: request.requesterId,
      name: request.requesterName,
      idNumber: request.requesterIdNumber,
      mobile: request.requesterMobile,
      authEnd: decision.authEnd,
      joinedOn: shanghaiDay(ctx.now),
      invitedBy: person.id,
      now: ctx.now,
    });
    // Invited as an agent since the request was made: the request stays undecided.
    if (!linked) throw conflict('ALREADY_MEMBER', '该申请人已是此企业账号的成员');
    return { requestId, status: 'APPROVED', member: memberView((await store.findMember(tx, ctx.run, accountId, memberId))!) };
  });
}
