// 登记注册身份验证 app workflows (SPEC C1–C11), as the 山东 guide and its FAQ describe them.
// Security choices: argon2id password hashes; 8–20 characters with letters and digits; five wrong
// passwords lock an ID number for 30 minutes, whether or not it is registered; logout and password
// changes end sessions. Whether an ID is registered, and under which name, is told only to someone
// who has shown they hold it (four elements at registration, or their face).
import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { shanghaiDay } from '../../kernel/clock.js';
import { inTransaction, type Db, type Queryable } from '../../kernel/db.js';
import { claimLoginTry, clearLoginGuard, lockedOut } from '../../kernel/login-guards.js';
import type { Access } from '../../kernel/access.js';
import { AppError, badRequest, conflict, forbidden, notFound, verificationFailed, unauthorised } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { newToken, tokenHash } from '../../kernel/tokens.js';
import type { Providers } from '../verification/clients.js';
import { markFaceCheckUsed, startFaceCheck, verifiedFaceCheck, verifyWithCtid } from '../verification/face-checks.js';
import { idNumber } from '../../kernel/fields.js';
import { maskIdNumber } from '../../kernel/identifiers.js';
import * as store from './store.js';
import type { User } from './store.js';
import { applicableRoles, ENTITY_KINDS, ROLES, type EntityKind, type Role } from './filings.js';

export interface Deps {
  db: Db;
  providers: Providers;
}

const SERVICE = 'sdreg';
export const PASSWORD_POLICY = { min: 8, max: 20, message: '密码须为8-20位，且同时包含字母和数字' };
export const LOCKOUT = { maxFailures: 5, lockMs: 30 * 60_000 };
const LEVEL_LABEL = { 3: '三级实名', 4: '四级实名' } as const;

// Views and checks ---------------------------------------------------------------------------

/** The account as the app shows it; inside a transaction, read through it (never a second connection). */
export async function userView(db: Queryable, ctx: RunContext, user: User) {
  const authorisation = await store.findAuthorisation(db, ctx.run, user.id);
  return {
    id: user.id,
    name: user.name,
    idNumber: user.idNumber,
    mobile: user.mobile,
    status: user.status,
    level: { code: user.level, label: LEVEL_LABEL[user.level] },
    registrationAuthorisation: authorisationView(authorisation, ctx),
  };
}

function authorisationView(authorisation: { deadline: string } | undefined, ctx: RunContext) {
  if (!authorisation) return { participate: false, deadline: null, valid: false, label: '未选择' };
  const valid = shanghaiDay(ctx.now) <= authorisation.deadline;
  return { participate: true, deadline: authorisation.deadline, valid, label: valid ? '有效' : '已过截止日期，无效' };
}

function checkPassword(password: string, confirm: string, idNumber: string) {
  const ok = password.length >= PASSWORD_POLICY.min && password.length <= PASSWORD_POLICY.max && /[A-Za-z]/.test(password) && /\d/.test(password) && !/\s/.test(password);
  if (!ok || password.toUpperCase() === idNumber) throw badRequest('WEAK_PASSWORD', PASSWORD_POLICY.message);
  if (password !== confirm) throw badRequest('PASSWORD_MISMATCH', '两次输入的密码不一致');
}

function checkIdDates(validFrom: string, validTo: string, ctx: RunContext) {
  const today = shanghaiDay(ctx.now);
  if (validFrom > today) throw badRequest('ID_DATES_INVALID', '身份证有效期开始日期不能晚于今天');
  if (validTo !== '长期' && validTo <= validFrom) throw badRequest('ID_DATES_INVALID', '身份证有效期结束日期须晚于开始日期');
  if (validTo !== '长期' && validTo < today) throw badRequest('ID_EXPIRED', '身份证已过期，请使用有效期内的身份证');
}

const passwordHash = (password: string) => hash(password);

async function openSession(db: Db | PoolClient, ctx: RunContext, user: User) {
  const token = newToken();
  await store.insertSession(db, ctx.run, tokenHash(token), user.id, ctx.now);
  return token;
}

/** C4 sessions as a declared access: the kernel resolves the user once per request (one query). */
export function sdregUser(db: Db): Access<{ user: User; tokenHash: string }> {
  return {
    kind: 'sdreg.user',
    description: '登记注册身份验证 app session (Authorization: Bearer).',
    secured: true,
    policy: { scope: 'person' },
    errors: { 401: ['NOT_LOGGED_IN'] },
    async resolve({ ctx, credential }) {
      const hash = credential && tokenHash(credential);
      const user = hash && (await store.findSessionUser(db, ctx.run, hash));
      if (!hash || !user) throw unauthorised();
      return { user, tokenHash: hash };
    },
  };
}

const activationRequired = () => conflict('ACTIVATION_REQUIRED', '省用户需要在国家平台激活');

const alreadyRegistered = async (deps: Deps, ctx: RunContext, existing: User) => {
  if (existing.status === 'PENDING_ACTIVATION') return activationRequired();
  await store.updateUser(deps.db, ctx.run, existing.id, { activationOffered: true });
  return conflict('ALREADY_REGISTERED', '账号已注册，请直接登录');
};

// C1 register, C3 already registered ---------------------------------------------------------

export interface Registration {
  name: string;
  idNumber: string;
  idValidFrom: string;
  idValidTo: string;
  mobile: string;
  password: string;
  confirmPassword: string;
  agreementAccepted: boolean;
}

export async function register(deps: Deps, ctx: RunContext, input: Registration) {
  if (!input.agreementAccepted) throw badRequest('AGREEMENT_REQUIRED', '请阅读并同意《用户协议》');
  checkIdDates(input.idValidFrom, input.idValidTo, ctx);
  checkPassword(input.password, input.confirmPassword, input.idNumber);
  // The four elements first: only someone who holds them learns that the ID is registered (FAQ 2).
  const verdict = await deps.providers.identity.verify(ctx, { name: input.name, idNumber: input.idNumber, idValidFrom: input.idValidFrom, idValidTo: input.idValidTo });
  if (!verdict.passed && verdict.code !== 'PROVINCE_ACTIVATION') throw verificationFailed(verdict.code, verdict.message);
  const existing = await store.findUserByIdNumber(deps.db, ctx.run, input.idNumber);
  if (existing) throw await alreadyRegistered(deps, ctx, existing);
  const pending = verdict.code === 'PROVINCE_ACTIVATION';
  const user: Omit<User, 'activationOffered'> = {
    id: randomUUID(),
    idNumber: input.idNumber,
    name: input.name,
    mobile: input.mobile,
    idValidFrom: input.idValidFrom,
    idValidTo: input.idValidTo,
    passwordHash: pending ? null : await passwordHash(input.password),
    status: pending ? 'PENDING_ACTIVATION' : 'ACTIVE',
    level: 3,
  };
  // Registrations of one ID at once: the unique key keeps the first, the others are told as a later one would be.
  if (!(await store.insertUser(deps.db, ctx.run, user, ctx.now))) throw await alreadyRegistered(deps, ctx, (await store.findUserByIdNumber(deps.db, ctx.run, input.idNumber))!);
  if (pending) throw activationRequired();
  return userView(deps.db, ctx, (await store.findUser(deps.db, ctx.run, user.id))!);
}

// C2 activation, C5 forgot password: name + ID + face, then a new password ----------------------

type PasswordFlow = 'ACTIVATION' | 'RESET';

/**
 * Step 1 answers alike for every name and ID number: whether the ID is registered, under this
 * name and in which state, is told only once the face has shown the person holds the ID.
 */
export function startPasswordFlow(deps: Deps, ctx: RunContext, flow: PasswordFlow, input: { name: string; idNumber: string }) {
  return startFaceCheck(deps, ctx, { service: SERVICE, purpose: flow, ref: null, name: input.name, idNumber: input.idNumber, mobile: null });
}

/** Who may set a password after a face check of the ID's holder (the name is the one they typed). */
function passwordFlowUser(flow: PasswordFlow, user: User | undefined, name: string): User {
  if (!user) throw notFound('USER_NOT_FOUND', '该身份证号尚未注册，请先注册');
  if (user.name !== name) throw verificationFailed('MISMATCH', '验证失败，请检查输入信息');
  if (flow === 'ACTIVATION' && user.status === 'ACTIVE' && !user.activationOffered) throw conflict('ALREADY_ACTIVE', '账号已激活，请直接登录');
  if (flow === 'RESET' && user.status === 'PENDING_ACTIVATION') throw activationRequired();
  return user;
}

export async function finishPasswordFlow(deps: Deps, ctx: RunContext, flow: PasswordFlow, faceCheckId: string, input: { password: string; confirmPassword: string }) {
  const check = await verifiedFaceCheck(deps, ctx, faceCheckId, { service: SERVICE, purpose: flow });
  passwordFlowUser(flow, await store.findUserByIdNumber(deps.db, ctx.run, check.idNumber), check.name);
  checkPassword(input.password, input.confirmPassword, check.idNumber);
  const hashed = await passwordHash(input.password); // argon2 takes a while: before the transaction, not in it
  return inTransaction(deps.db, async (tx) => {
    const user = passwordFlowUser(flow, await store.findUserByIdNumber(tx, ctx.run, check.idNumber, true), check.name);
    await markFaceCheckUsed(tx, ctx, check.id);
    await store.updateUser(tx, ctx.run, user.id, { passwordHash: hashed, status: 'ACTIVE', activationOffered: false });
    // The owner has shown their face: the wrong-password count and any lock-out end (C5).
    await clearLoginGuard(tx, store.LOGIN_GUARD, ctx.run, user.idNumber);
    await store.endAllSessions(tx, ctx.run, user.id, ctx.now);
    return userView(tx, ctx, (await store.findUser(tx, ctx.run, user.id))!);
  });
}

// C4 login by ID + password, or ID + face --------------------------------------------------------

const loginFailed = (left: number) => new AppError(401, 'LOGIN_FAILED', `身份证号或密码错误，还可尝试${left}次`);

// What a password is checked against when the ID has none (not registered, or not activated):
// the same argon2 work and the same answer as a wrong password.
let unmatchable: Promise<string> | undefined;
const passwordOf = (user: User | undefined) => user?.passwordHash ?? (unmatchable ??= passwordHash(randomUUID()));

/**
 * Checks a password against the ID number's stored one, as one counted try: refused at once while
 * the ID is locked out, and counted before the check, so that tries made at once cannot pass the
 * limit. Every ID is counted and locked alike, registered or not.
 */
async function triedPassword(deps: Deps, ctx: RunContext, idNumber: string, password: string) {
  const tried = await claimLoginTry(deps.db, store.LOGIN_GUARD, ctx.run, idNumber, ctx.now, LOCKOUT);
  if (!tried.allowed) throw lockedOut(tried.lockedUntil, ctx.now);
  const user = await store.findUserByIdNumber(deps.db, ctx.run, idNumber);
  const right = (await verify(await passwordOf(user), password)) && user?.status === 'ACTIVE' && user.passwordHash !== null;
  return { user: right ? user : undefined, tried, registered: user };
}

export async function logIn(deps: Deps, ctx: RunContext, input: { idNumber: string; password: string }) {
  const { user, tried, registered } = await triedPassword(deps, ctx, input.idNumber, input.password);
  if (user) {
    return inTransaction(deps.db, async (tx) => {
      await clearLoginGuard(tx, store.LOGIN_GUARD, ctx.run, user.idNumber);
      await store.updateUser(tx, ctx.run, user.id, { activationOffered: false });
      return { token: await openSession(tx, ctx, user), user: await userView(tx, ctx, user) };
    });
  }
  if (tried.lockedUntil) throw lockedOut(tried.lockedUntil, ctx.now);
  // C3: after 账号已注册，请直接登录 (told only to someone holding the four elements), a wrong
  // password leads into activation, which resets it; it still counts towards the lock-out.
  if (registered?.status === 'ACTIVE' && registered.activationOffered) throw conflict('ACTIVATION_REQUIRED', '请通过账号激活（姓名、身份证号、刷脸）重置密码');
  throw loginFailed(LOCKOUT.maxFailures - tried.failures);
}

/**
 * C4 by face, step 1: answers alike for every ID number. The face control is asked for the ID's
 * holder (本人), not a name looked up, which its page would show; whether the ID is registered is
 * told once the face has passed.
 */
export function startFaceLogin(deps: Deps, ctx: RunContext, idNumber: string) {
  return startFaceCheck(deps, ctx, { service: SERVICE, purpose: 'LOGIN', ref: null, name: FACE_LOGIN_NAME, idNumber, mobile: null });
}
const FACE_LOGIN_NAME = '本人';

export async function completeFaceLogin(deps: Deps, ctx: RunContext, faceCheckId: string) {
  const check = await verifiedFaceCheck(deps, ctx, faceCheckId, { service: SERVICE, purpose: 'LOGIN' });
  return inTransaction(deps.db, async (tx) => {
    const user = await store.findUserByIdNumber(tx, ctx.run, check.idNumber);
    if (!user) throw notFound('USER_NOT_FOUND', '该身份证号尚未注册，请先注册');
    if (user.status === 'PENDING_ACTIVATION') throw activationRequired();
    await markFaceCheckUsed(tx, ctx, check.id);
    return { token: await openSession(tx, ctx, user), user: await userView(tx, ctx, user) };
  });
}

/** FAQ 5's remedy: a face check that found no portrait passes with a CTID instead. */
export const remedyWithCtid = (deps: Deps, ctx: RunContext, faceCheckId: string) => verifyWithCtid(deps, ctx, faceCheckId, { service: SERVICE });

// C6 change phone, C7 level 4: a face check of the logged-in user first ------------------------

export type SelfCheck = 'CHANGE_PHONE' | 'LEVEL_UP';

export function startSelfCheck(deps: Deps, ctx: RunContext, user: User, purpose: SelfCheck) {
  return startFaceCheck(deps, ctx, { service: SERVICE, purpose, ref: user.id, name: user.name, idNumber: user.idNumber, mobile: null });
}

export async function changeMobile(deps: Deps, ctx: RunContext, user: User, input: { faceCheckId: string; mobile: string }) {
  const check = await verifiedFaceCheck(deps, ctx, input.faceCheckId, { service: SERVICE, purpose: 'CHANGE_PHONE', ref: user.id });
  return inTransaction(deps.db, async (tx) => {
    await markFaceCheckUsed(tx, ctx, check.id);
    await store.updateUser(tx, ctx.run, user.id, { mobile: input.mobile });
    return userView(tx, ctx, (await store.findUser(tx, ctx.run, user.id))!);
  });
}

export async function raiseLevel(deps: Deps, ctx: RunContext, user: User, faceCheckId: string) {
  const check = await verifiedFaceCheck(deps, ctx, faceCheckId, { service: SERVICE, purpose: 'LEVEL_UP', ref: user.id });
  return inTransaction(deps.db, async (tx) => {
    await markFaceCheckUsed(tx, ctx, check.id);
    await store.updateUser(tx, ctx.run, user.id, { level: 4 });
    return userView(tx, ctx, (await store.findUser(tx, ctx.run, user.id))!);
  });
}

// C8 enterprise registration authorisation ---------------------------------------------------------

export async function answerRegistration(deps: Deps, ctx: RunContext, user: User, input: { participate: boolean; deadline?: string | undefined }) {
  if (user.level !== 4) throw forbidden('LEVEL_4_REQUIRED', '只有四级实名的用户才可以参与企业登记注册');
  if (!input.participate) {
    await store.deleteAuthorisation(deps.db, ctx.run, user.id);
  } else {
    if (!input.deadline) throw badRequest('DEADLINE_REQUIRED', '请选择企业登记注册截止日期');
    if (input.deadline < shanghaiDay(ctx.now)) throw badRequest('DEADLINE_PAST', '截止日期不能早于今天');
    await store.putAuthorisation(deps.db, ctx.run, user.id, input.deadline, ctx.now);
  }
  return authorisationView(await store.findAuthorisation(deps.db, ctx.run, user.id), ctx);
}

// C9 change password, logout ---------------------------------------------------------------------

export async function changePassword(deps: Deps, ctx: RunContext, user: User, input: { oldPassword: string; newPassword: string; confirmPassword: string }) {
  // A session is no licence to guess the password: a wrong old one counts like a wrong login.
  const { user: proven, tried } = await triedPassword(deps, ctx, user.idNumber, input.oldPassword);
  if (!proven) throw tried.lockedUntil ? lockedOut(tried.lockedUntil, ctx.now) : badRequest('OLD_PASSWORD_WRONG', '原密码错误');
  await clearLoginGuard(deps.db, store.LOGIN_GUARD, ctx.run, user.idNumber);
  checkPassword(input.newPassword, input.confirmPassword, user.idNumber);
  const hashed = await passwordHash(input.newPassword);
  await inTransaction(deps.db, async (tx) => {
    await store.updateUser(tx, ctx.run, user.id, { passwordHash: hashed });
    await store.endAllSessions(tx, ctx.run, user.id, ctx.now);
  });
  return { changed: true, message: '密码修改成功，请重新登录' };
}

export async function logOut(deps: Deps, ctx: RunContext, sessionTokenHash: string) {
  await store.endSession(deps.db, ctx.run, sessionTokenHash, ctx.now);
}

// C10 readiness of a registration filing ------------------------------------------------------------

export interface FilingPerson {
  name: string;
  idNumber: string;
  roles: Role[];
  origin: 'MAINLAND' | 'HONG_KONG' | 'MACAO' | 'TAIWAN' | 'FOREIGN';
}

const MISSING = {
  NOT_REGISTERED: '未在登记注册身份验证APP注册',
  NOT_ACTIVATED: '账号未激活',
  LEVEL_4_REQUIRED: '未完成四级实名认证',
  NOT_AUTHORISED: '未同意办理企业登记注册',
  AUTHORISATION_EXPIRED: '企业登记注册截止日期已过',
} as const;

export async function checkReadiness(deps: Deps, ctx: RunContext, input: { entityKind: EntityKind; persons: FilingPerson[] }) {
  // A mainland person's number is a resident ID, normalised and checked like every other.
  const filing = { ...input, persons: input.persons.map((person) => (person.origin === 'MAINLAND' ? { ...person, idNumber: idNumber.parse(person.idNumber) } : person)) };
  const allowed = applicableRoles(filing.entityKind);
  for (const person of filing.persons)
    for (const role of person.roles)
      if (!allowed.includes(role)) throw badRequest('ROLE_NOT_APPLICABLE', `“${ROLES[role]}”不适用于${ENTITY_KINDS[filing.entityKind]}`);

  const mainland = filing.persons.filter((p) => p.origin === 'MAINLAND');
  const users = new Map((await store.usersWithAuthorisation(deps.db, ctx.run, mainland.map((p) => p.idNumber))).map((u) => [u.idNumber, u]));
  const today = shanghaiDay(ctx.now);
  const persons = filing.persons.map((person) => {
    const base = { name: person.name, idNumber: person.origin === 'MAINLAND' ? maskIdNumber(person.idNumber) : person.idNumber, roles: person.roles.map((r) => ({ code: r, label: ROLES[r] })) };
    if (person.origin !== 'MAINLAND') return { ...base, status: 'EXEMPT' as const, missing: [] };
    const user = users.get(person.idNumber);
    const missing: (keyof typeof MISSING)[] = [];
    // A name that is not the ID's reads as not registered: the check must not tell whose an ID is.
    if (!user || user.name !== person.name) missing.push('NOT_REGISTERED');
    else {
      if (user.status !== 'ACTIVE') missing.push('NOT_ACTIVATED');
      if (user.level !== 4) missing.push('LEVEL_4_REQUIRED');
      if (!user.deadline) missing.push('NOT_AUTHORISED');
      else if (user.deadline < today) missing.push('AUTHORISATION_EXPIRED');
    }
    return { ...base, status: missing.length ? ('MISSING' as const) : ('VERIFIED' as const), missing: missing.map((code) => ({ code, label: MISSING[code] })) };
  });
  return { entityKind: { code: filing.entityKind, label: ENTITY_KINDS[filing.entityKind] }, ready: persons.every((p) => p.status !== 'MISSING'), persons };
}
