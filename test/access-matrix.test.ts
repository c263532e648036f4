// B2/B4/B8/B9 as an authorisation matrix generated from the route declarations: every route whose
// access is enterprise-scoped, called by every kind of caller, answers what its declared policy
// says — checked over real HTTP against a started stack. A new enterprise route is in the matrix
// the day it is declared.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { loadConfig } from '../kernel/config.js';
import { createDb, type Db } from '../kernel/db.js';
import { RUN_HEADER, type Api, type Declared } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import { clientsFor, createServicesApp, migrateAll, startStack, type Stack } from '../services/stack.js';
import { fakeEnterprise, fakePerson, Rng } from '../services/world/generate.js';
import type { EnterprisePolicy } from '../services/yueshangtong/access.js';
import { responseChecker, type ResponseCheck } from '../conformance/openapi-check.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 10);
const run = `matrix-${randomUUID()}`;
const WEEK = '2026-11-23';
let stack: Stack;

/** Every answer is checked against the document of the server that sent it. */
const checkers = new Map<string, Promise<ResponseCheck>>();
const checkerOf = (base: string) => {
  if (!checkers.has(base)) checkers.set(base, fetch(`${base}/openapi.json`).then(async (r) => responseChecker(await r.json())));
  return checkers.get(base)!;
};

async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string | undefined } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: method.toUpperCase(),
    headers: { [RUN_HEADER]: run, 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const answer = { status: response.status, body: text ? JSON.parse(text) : undefined };
  assert.equal((await checkerOf(base))(method, path, answer.status, answer.body), undefined);
  return answer;
}
const services = (method: string, path: string, options?: { body?: unknown; token?: string | undefined }) => call(stack.urls.services, method, path, options);
const control = (method: string, path: string, body?: unknown) => call(stack.urls.control, method, path, { body });
async function ok(result: Promise<{ status: number; body: any }>) {
  const { status, body } = await result;
  assert.ok(status < 300, `expected success, got ${status} ${JSON.stringify(body)}`);
  return body;
}

const rng = new Rng(8).child(run);
const person = (name: string) => ({ ...fakePerson(rng.child(name)), name });

/** Face login as `p` (registered in the registry first): the session token. */
async function logIn(p: ReturnType<typeof person>) {
  const started = await ok(services('post', '/yst/v1/face-login', { body: { name: p.name, idNumber: p.idNumber, mobile: p.mobile } }));
  await ok(call(stack.urls.providers, 'post', `/face/v1/sessions/${started.providerSessionId}/verify`, { body: {} }));
  return (await ok(services('post', `/yst/v1/face-login/${started.faceCheckId}/complete`))).token as string;
}

/** An agent of `accountId` invited by `inviter`, accepted by face: their own session afterwards. */
async function agentOf(accountId: string, inviterToken: string, p: ReturnType<typeof person>, authEnd: string) {
  const invitation = await ok(services('post', `/yst/v1/enterprise-accounts/${accountId}/agents`, { token: inviterToken, body: { name: p.name, idNumber: p.idNumber, mobile: p.mobile, authEnd } }));
  const started = await ok(services('post', `/yst/v1/invitations/${invitation.invitationToken}/face-check`));
  await ok(call(stack.urls.providers, 'post', `/face/v1/sessions/${started.providerSessionId}/verify`, { body: {} }));
  await ok(services('post', `/yst/v1/invitations/${invitation.invitationToken}/accept`, { body: { faceCheckId: started.faceCheckId } }));
  return invitation.memberId as string;
}

const actFor = (token: string, accountId: string) => ok(services('put', '/yst/v1/me/acting-account', { token, body: { accountId } }));

/** What each caller is, relative to enterprise A's certified account (the account the matrix targets). */
interface Caller {
  token: string;
  /** The session's acting account: A's certified one, another, or none. */
  acting: 'A' | 'A_UNCERTIFIED' | 'B' | null;
  /** Their membership of A's certified account. */
  member: 'ACTIVE' | 'EXPIRED' | 'REVOKED' | null;
  applicant: boolean;
  legalRep: boolean;
}
const callers = new Map<string, Caller>();
let accountA = '';
let plateA = '';
let usccA = '';

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, () => {});
  await ok(control('put', '/harness/v1/clock', { at: `${WEEK}T09:00` }));
  const owner = person('法定代表人');
  const ownerB = person('他企业代表');
  const cast = { owner, ownerB, agent: person('经办人甲'), expired: person('过期经办'), revoked: person('撤销经办'), stranger: person('陌生人甲'), squatter: person('陌生人乙') };
  for (const p of Object.values(cast)) await ok(control('post', '/harness/v1/registry/persons', p));
  const enterpriseA = fakeEnterprise(rng.child('A'), owner);
  const enterpriseB = fakeEnterprise(rng.child('B'), ownerB);
  usccA = enterpriseA.uscc;
  for (const e of [enterpriseA, enterpriseB]) {
    await ok(control('post', '/harness/v1/registry/enterprises', e));
    await ok(control('post', '/harness/v1/risk/enterprises', { uscc: e.uscc, kind: 'TRANSPORT' }));
  }
  await ok(control('post', '/harness/v1/jobs/weekly-fanout', { week: WEEK }));

  const ownerToken = await logIn(owner);
  accountA = (await ok(services('get', '/yst/v1/me/enterprise-accounts', { token: ownerToken })))[0].accountId;
  await actFor(ownerToken, accountA);
  const ownerBToken = await logIn(ownerB);
  await actFor(ownerBToken, (await ok(services('get', '/yst/v1/me/enterprise-accounts', { token: ownerBToken })))[0].accountId);

  await agentOf(accountA, ownerToken, cast.agent, '9999-12-31');
  await agentOf(accountA, ownerToken, cast.expired, WEEK);
  const revokedId = await agentOf(accountA, ownerToken, cast.revoked, '9999-12-31');
  const tokens = { agent: await logIn(cast.agent), expired: await logIn(cast.expired), revoked: await logIn(cast.revoked), stranger: await logIn(cast.stranger), squatter: await logIn(cast.squatter) };
  for (const who of ['agent', 'expired', 'revoked'] as const) {
    await actFor(tokens[who], accountA);
    // They use the account before losing it: whatever was kept of them must not outlive their rights.
    await ok(services('get', '/yst/v1/risk/warnings', { token: tokens[who] }));
    await ok(services('get', `/yst/v1/enterprise-accounts/${accountA}/agents`, { token: tokens[who] }));
  }
  // The revoked agent keeps the session that acted for A; the squatter adds A itself (未认证) and acts for that.
  await ok(services('delete', `/yst/v1/enterprise-accounts/${accountA}/agents/${revokedId}`, { token: ownerToken }));
  const squatted = await ok(services('post', '/yst/v1/enterprise-accounts', { token: tokens.squatter, body: { enterpriseName: enterpriseA.name, uscc: enterpriseA.uscc } }));
  assert.equal(squatted.trust.code, 'UNCERTIFIED');
  await actFor(tokens.squatter, squatted.accountId);
  plateA = (await ok(services('get', `/yst/v1/risk/warnings/${WEEK}`, { token: ownerToken }))).vehicles[0].plate;
  // The next day: the agent whose authorisation ended yesterday has lost it.
  await ok(control('post', '/harness/v1/clock/advance', { by: '1d' }));

  const none = { applicant: false, legalRep: false };
  callers.set('owner', { token: ownerToken, acting: 'A', member: 'ACTIVE', applicant: true, legalRep: true });
  callers.set('valid agent', { token: tokens.agent, acting: 'A', member: 'ACTIVE', ...none });
  callers.set('expired agent', { token: tokens.expired, acting: 'A', member: 'EXPIRED', ...none });
  callers.set('revoked agent, old session', { token: tokens.revoked, acting: 'A', member: 'REVOKED', ...none });
  callers.set('stranger', { token: tokens.stranger, acting: null, member: null, ...none });
  callers.set('stranger with a 未认证 account of A', { token: tokens.squatter, acting: 'A_UNCERTIFIED', member: null, ...none });
  callers.set("another enterprise's owner", { token: ownerBToken, acting: 'B', member: null, ...none });
});

after(async () => {
  await control('post', '/harness/v1/reset');
  await stack.close();
  await db.end();
});

/** The refusal the declaration implies for a caller, or undefined when the call must get through. */
function expected(policy: EnterprisePolicy, c: Caller): { status: number; code: string } | undefined {
  if (policy.via === 'acting') {
    if (c.acting === null) return { status: 409, code: 'NO_ACTING_ENTERPRISE' };
    if (c.acting === 'A' && c.member === 'REVOKED') return { status: 403, code: 'AUTHORISATION_REVOKED' };
    if (c.acting === 'A' && c.member === 'EXPIRED') return { status: 403, code: 'AUTHORISATION_EXPIRED' };
    if (policy.trust === 'CERTIFIED' && c.acting === 'A_UNCERTIFIED') return { status: 403, code: 'ACCOUNT_NOT_CERTIFIED' };
    // B's owner acts for B (certified), the squatter for its own account: both are that account's applicant.
    if (c.acting !== 'A') return undefined;
  } else {
    if (c.member === null) return { status: 403, code: 'NOT_A_MEMBER' };
    if (c.member === 'REVOKED') return { status: 403, code: 'AUTHORISATION_REVOKED' };
    if (c.member === 'EXPIRED') return { status: 403, code: 'AUTHORISATION_EXPIRED' };
  }
  if (policy.role === 'APPLICANT' && !c.applicant) return { status: 403, code: 'NOT_APPLICANT' };
  if (policy.role === 'MANAGER' && !c.applicant && !c.legalRep) return { status: 403, code: 'NOT_ALLOWED_TO_REVOKE' };
  if (policy.role === 'LEGAL_REP' && !c.legalRep) return { status: 403, code: 'LEGAL_REP_REQUIRED' };
  return undefined;
}

/** Declared services routes, read from the apps the stack composes. */
async function declaredServiceRoutes(): Promise<Declared[]> {
  const live = await Live.start(db, undefined);
  const deps = { db, live, providers: clientsFor(loadConfig({}), 'http://unused.invalid'), publicUrl: () => '', config: loadConfig({}) };
  const apis = (createServicesApp(deps, () => {}).locals.apis ?? []) as Api[];
  return apis.flatMap((api) => api.declared);
}

const FIXTURES: Record<string, () => string> = {
  accountId: () => accountA,
  memberId: () => randomUUID(),
  requestId: () => randomUUID(),
  week: () => WEEK,
  category: () => 'ILLEGAL',
  plate: () => plateA,
  uscc: () => usccA,
  caseId: () => randomUUID(),
  recordId: () => randomUUID(),
  materialId: () => randomUUID(),
  applicationId: () => randomUUID(),
  problemId: () => randomUUID(),
  itemCode: () => 'LEDGER',
};

function requestFor(route: Declared, policy: EnterprisePolicy) {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = FIXTURES[name];
    if (!value) throw new Error(`no fixture for path parameter ${name} of ${route.path}: add one`);
    return encodeURIComponent(value());
  });
  const query = route.query ? `?week=${WEEK}` : '';
  const body = policy.via === 'body' ? { [policy.field!]: accountA } : route.method === 'get' || route.method === 'delete' ? undefined : {};
  return { path: `${path}${query}`, body };
}

test('every enterprise-scoped route answers each kind of caller as its declaration says', async () => {
  const routes = (await declaredServiceRoutes()).filter((r) => r.access.kind === 'yst.enterprise');
  assert.ok(routes.length >= 15, `only ${routes.length} enterprise-scoped routes declared`);
  const cells: string[] = [];
  for (const route of routes) {
    const policy = route.access.policy as EnterprisePolicy;
    for (const [who, caller] of callers) {
      const { path, body } = requestFor(route, policy);
      const answer = await services(route.method, path, { token: caller.token, body });
      const refusal = expected(policy, caller);
      const cell = `${route.method.toUpperCase()} ${route.path} × ${who}: ${answer.status} ${answer.body?.code ?? ''}`;
      cells.push(cell);
      if (refusal) assert.deepEqual({ status: answer.status, code: answer.body?.code }, refusal, cell);
      else assert.ok(![401, 403].includes(answer.status) && answer.body?.code !== 'NO_ACTING_ENTERPRISE', `${cell} (expected to get through)`);
    }
  }
  assert.equal(cells.length, routes.length * callers.size);
});

test('every route that needs a session answers 401 without one, or with a token that is not a session', async () => {
  const routes = (await declaredServiceRoutes()).filter((r) => r.access.secured);
  for (const route of routes) {
    const policy = route.access.policy as EnterprisePolicy;
    const { path, body } = requestFor(route, { ...policy, via: policy.via ?? 'acting' });
    for (const token of [undefined, 'not-a-session']) {
      const answer = await services(route.method, path, { token, body });
      assert.deepEqual({ status: answer.status, code: answer.body?.code }, { status: 401, code: 'NOT_LOGGED_IN' }, `${route.method} ${route.path} with token ${token}`);
    }
  }
});

test('a vehicle opens only through an enterprise it concerns (B9)', async () => {
  const owner = callers.get('owner')!;
  const other = callers.get("another enterprise's owner")!;
  assert.equal((await services('get', `/yst/v1/risk/vehicles/${encodeURIComponent(plateA)}?week=${WEEK}`, { token: owner.token })).status, 200);
  const refused = await services('get', `/yst/v1/risk/vehicles/${encodeURIComponent(plateA)}?week=${WEEK}`, { token: other.token });
  assert.deepEqual({ status: refused.status, code: refused.body.code }, { status: 404, code: 'VEHICLE_NOT_FOUND' });
});

test('the holder of a 未认证 account cannot sign or feed back for the enterprise, and the owner still can (B4)', async () => {
  const squatter = callers.get('stranger with a 未认证 account of A')!;
  const owner = callers.get('owner')!;
  for (const [method, path, body] of [
    ['get', '/yst/v1/risk/warnings', undefined],
    ['post', `/yst/v1/risk/warnings/${WEEK}/sign`, {}],
    ['post', `/yst/v1/risk/warnings/${WEEK}/feedback`, { measures: ['SAFETY_TRAINING'], description: '已开展培训', contactName: '陌生人', contactMobile: '13800138000' }],
  ] as const) {
    const answer = await services(method, path, { token: squatter.token, body });
    assert.deepEqual({ status: answer.status, code: answer.body.code }, { status: 403, code: 'ACCOUNT_NOT_CERTIFIED' }, path);
  }
  const signed = await ok(services('post', `/yst/v1/risk/warnings/${WEEK}/sign`, { token: owner.token, body: {} }));
  assert.notEqual(signed.warning.signed.by, '陌生人乙');
});
