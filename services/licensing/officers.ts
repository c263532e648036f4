// The authorities' officers: made by the harness (seeded per authority, or one by one), logging in
// with a username and password (argon2id hashes, computed before any statement).
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../kernel/db.js';
import { claimLoginTry, clearLoginGuard, lockedOut } from '../../kernel/login-guards.js';
import { conflict, unauthorised } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import { newToken, tokenHash } from '../../kernel/tokens.js';
import { AUTHORITIES } from './rules.js';
import { ROLE_LABEL } from './access.js';
import * as store from './store.js';

export interface NewOfficer extends Omit<store.Officer, 'id'> {
  password: string;
}

/** Officers not yet in the run (a taken username is left as it is). */
export async function addOfficers(db: Db, run: string, officers: NewOfficer[]): Promise<store.Officer[]> {
  const hashed = await Promise.all(officers.map(async ({ password, ...o }) => ({ ...o, passwordHash: await hash(password) })));
  return store.insertOfficers(db, run, hashed);
}

export async function addOfficer(db: Db, ctx: RunContext, officer: NewOfficer) {
  const [added] = await addOfficers(db, ctx.run, [officer]);
  if (!added) throw conflict('USERNAME_TAKEN', '该用户名已被使用');
  return officerView(added);
}

export const officerView = (o: store.Officer) => ({
  officerId: o.id,
  username: o.username,
  name: o.name,
  authority: { code: o.authority, label: AUTHORITIES[o.authority] },
  roles: o.roles.map((code) => ({ code, label: ROLE_LABEL[code] })),
});

/** Five wrong passwords in a row lock a username for 30 minutes *(assumed, as 登记注册's C4)*. */
export const LOCKOUT = { maxFailures: 5, lockMs: 30 * 60_000 };

// What a password is checked against for a username nobody has: the same argon2 work and answer as a wrong one.
let unmatchable: Promise<string> | undefined;

export async function logIn(db: Db, ctx: RunContext, input: { username: string; password: string }) {
  const tried = await claimLoginTry(db, store.LOGIN_GUARD, ctx.run, input.username, ctx.now, LOCKOUT);
  if (!tried.allowed) throw lockedOut(tried.lockedUntil, ctx.now);
  const officer = await store.officerForLogin(db, ctx.run, input.username);
  const right = await verify(officer?.passwordHash ?? (await (unmatchable ??= hash(newToken()))), input.password);
  if (!officer || !right) throw unauthorised('WRONG_CREDENTIALS', '用户名或密码错误');
  await clearLoginGuard(db, store.LOGIN_GUARD, ctx.run, input.username);
  const token = newToken();
  await store.openOfficerSession(db, ctx.run, tokenHash(token), officer.id, ctx.now);
  const { passwordHash: _, ...rest } = officer;
  return { token, officer: officerView(rest) };
}
