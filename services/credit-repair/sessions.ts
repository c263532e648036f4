// Mobile + SMS code, for both apps of 信用修复: 广州企业一网通 (the applicant, and a mobile entered
// in 进度查询) and the 信用监管综合系统 (E4). The code rules are 粤商通's (A2): 6 digits, valid 5
// minutes, single use, one send per 60 s, locked 15 minutes after 5 wrong tries.
import { randomInt } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Config } from '../../kernel/config.js';
import { decideInTransaction, inTransaction, refuse, type Db } from '../../kernel/db.js';
import { badRequest, notFound, tooMany } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { newToken, tokenHash } from '../../kernel/tokens.js';
import type { Providers } from '../verification/clients.js';
import { CODE_RULES } from '../yueshangtong/use-cases.js';
import type { StaffCaller } from './access.js';
import { ROLE_LABEL } from './rules.js';
import * as store from './store.js';

export interface Deps {
  db: Db;
  providers: Providers;
  config?: Pick<Config, 'jobLeaseSeconds'> | undefined;
}

const TEXT: Record<store.CodePurpose, (code: string) => string> = {
  APPLICANT_LOGIN: (code) => `【广州企业一网通】您的登录验证码为${code}，5分钟内有效，请勿泄露给他人。`,
  PROGRESS_QUERY: (code) => `【广州企业一网通】您正在查询信用修复办理进度，验证码为${code}，5分钟内有效，请勿泄露给他人。`,
  STAFF_LOGIN: (code) => `【广州市市场监督管理局信用监管综合系统】您的登录验证码为${code}，5分钟内有效，请勿泄露给他人。`,
};

const codeHashOf = (mobile: string, code: string) => tokenHash(`${mobile}:${code}`);
const lockedOut = (until: Date, now: Date) =>
  tooMany('CODE_LOCKED', `验证码错误次数过多，请${Math.ceil((until.getTime() - now.getTime()) / 60_000)}分钟后再试`, { lockedUntil: until.toISOString() });

/**
 * Stores a new code (the 60 s rule decided in one short transaction), then sends it with no
 * connection held; a refused SMS puts back what was there.
 */
export async function sendCode(deps: Deps, ctx: RunContext, purpose: store.CodePurpose, mobile: string, precheck?: (tx: PoolClient) => Promise<void>) {
  const code = String(randomInt(0, 10 ** CODE_RULES.length)).padStart(CODE_RULES.length, '0');
  const codeHash = codeHashOf(mobile, code);
  const previous = await inTransaction(deps.db, async (tx) => {
    await precheck?.(tx);
    const current = await store.lockCode(tx, ctx.run, purpose, mobile);
    if (current?.lockedUntil && current.lockedUntil > ctx.now) throw lockedOut(current.lockedUntil, ctx.now);
    const wait = current ? current.sentAt.getTime() + CODE_RULES.resendMs - ctx.now.getTime() : 0;
    if (wait > 0) throw tooMany('SMS_TOO_FREQUENT', `验证码发送过于频繁，请${Math.ceil(wait / 1000)}秒后再试`, { retryAfterSeconds: Math.ceil(wait / 1000) });
    await store.putCode(tx, ctx.run, purpose, mobile, { codeHash, sentAt: ctx.now, expiresAt: new Date(ctx.now.getTime() + CODE_RULES.validMs) });
    return current;
  });
  try {
    await deps.providers.sms.send(ctx, mobile, TEXT[purpose](code));
  } catch (error) {
    await store.restoreCode(deps.db, ctx.run, purpose, mobile, codeHash, previous);
    throw error;
  }
  return { sent: true, validSeconds: CODE_RULES.validMs / 1000, resendAfterSeconds: CODE_RULES.resendMs / 1000 };
}

/** Checks a code and, when right, does `then` in the same transaction; a wrong try is counted even though the answer is an error. */
export async function withCode<T>(deps: Deps, ctx: RunContext, purpose: store.CodePurpose, mobile: string, code: string, then: (tx: PoolClient) => Promise<T>): Promise<T> {
  return decideInTransaction(deps.db, async (tx) => {
    const current = await store.lockCode(tx, ctx.run, purpose, mobile);
    if (!current) return refuse(badRequest('CODE_INVALID', '验证码错误'));
    if (current.lockedUntil && current.lockedUntil > ctx.now) return refuse(lockedOut(current.lockedUntil, ctx.now));
    if (current.usedAt || current.expiresAt <= ctx.now) return refuse(badRequest('CODE_EXPIRED', '验证码已失效，请重新获取'));
    if (current.codeHash !== codeHashOf(mobile, code)) {
      const failedAttempts = current.failedAttempts + 1;
      if (failedAttempts >= CODE_RULES.maxFailures) {
        const lockedUntil = new Date(ctx.now.getTime() + CODE_RULES.lockMs);
        await store.updateCode(tx, ctx.run, purpose, mobile, { failedAttempts, usedAt: ctx.now, lockedUntil });
        return refuse(lockedOut(lockedUntil, ctx.now));
      }
      await store.updateCode(tx, ctx.run, purpose, mobile, { failedAttempts, usedAt: null, lockedUntil: null });
      return refuse(badRequest('CODE_INVALID', `验证码错误，还可尝试${CODE_RULES.maxFailures - failedAttempts}次`));
    }
    await store.updateCode(tx, ctx.run, purpose, mobile, { failedAttempts: current.failedAttempts, usedAt: ctx.now, lockedUntil: null });
    return then(tx);
  });
}

// 广州企业一网通 ------------------------------------------------------------------------------------

export const sendApplicantCode = (deps: Deps, ctx: RunContext, mobile: string) => sendCode(deps, ctx, 'APPLICANT_LOGIN', mobile);

export function applicantLogin(deps: Deps, ctx: RunContext, mobile: string, code: string) {
  return withCode(deps, ctx, 'APPLICANT_LOGIN', mobile, code, async (tx) => {
    const token = newToken();
    await store.insertApplicantSession(tx, ctx.run, tokenHash(token), mobile, ctx.now);
    return { token, mobile };
  });
}

// 信用监管综合系统 (E4) --------------------------------------------------------------------------

const noStaff = () => notFound('STAFF_NOT_FOUND', '该手机号未开通信用监管综合系统账号');

export const sendStaffCode = (deps: Deps, ctx: RunContext, mobile: string) =>
  sendCode(deps, ctx, 'STAFF_LOGIN', mobile, async (tx) => {
    if (!(await store.findStaffByMobile(tx, ctx.run, mobile))) throw noStaff();
  });

export function staffLogin(deps: Deps, ctx: RunContext, mobile: string, code: string) {
  return withCode(deps, ctx, 'STAFF_LOGIN', mobile, code, async (tx) => {
    const staff = await store.findStaffByMobile(tx, ctx.run, mobile);
    if (!staff) throw noStaff();
    const office = (await store.findOffice(tx, ctx.run, staff.office))!;
    const bureau = (await store.findOffice(tx, ctx.run, office.bureau))!;
    const token = newToken();
    await store.insertStaffSession(tx, ctx.run, tokenHash(token), staff.id, ctx.now);
    return { token, user: staffView({ tokenHash: '', staff, office: { code: office.code, name: office.name }, bureau: { code: bureau.code, name: bureau.name } }) };
  });
}

/** The user, their office (监管所) in its district bureau (区局), and their roles there. */
export const staffView = (c: StaffCaller) => ({
  name: c.staff.name,
  mobile: c.staff.mobile,
  office: c.office,
  bureau: c.bureau,
  roles: c.staff.roles.map((code) => ({ code, label: ROLE_LABEL[code] })),
});
