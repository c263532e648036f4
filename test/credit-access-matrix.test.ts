// E4–E9 as an authorisation matrix generated from the route declarations: every 信用监管综合系统
// route, called by every kind of caller — handler of the listing office, handler of another
// supervision office, reviewer, approver, a user holding every role who accepted the case, a
// stranger (a 广州企业一网通 session), anonymous — answers what its declared policy and the
// workflow table say, over real HTTP against a started stack. Then: several reviewers acting on
// one case at once, exactly one wins; and the seeded world is the same in every run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { loadConfig } from '../kernel/config.js';
import { createDb, type Db } from '../kernel/db.js';
import { RUN_HEADER, type Api, type Declared } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import type { BackOfficePolicy } from '../services/credit-repair/access.js';
import type { Role } from '../services/credit-repair/rules.js';
import { partiesFor, stepFor, type Step } from '../services/credit-repair/workflow.js';
import { clientsFor, createServicesApp, startStack, migrateAll, type Stack } from '../services/stack.js';
import { fakeEnterprise, fakePerson, Rng } from '../services/world/generate.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 10);
const run = `credit-matrix-${randomUUID()}`;
let stack: Stack;

async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string | undefined } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: method.toUpperCase(),
    headers: { [RUN_HEADER]: run, 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
const services = (method: string, path: string, options?: { body?: unknown; token?: string | undefined }) => call(stack.urls.services, method, path, options);
const control = (method: string, path: string, body?: unknown) => call(stack.urls.control, method, path, { body });
async function ok(result: Promise<{ status: number; body: any }>) {
  const { status, body } = await result;
  assert.ok(status < 300, `expected success, got ${status} ${JSON.stringify(body)}`);
  return body;
}
const code = async (mobile: string) => (await ok(control('get', `/harness/v1/sms/outbox/${mobile}/latest-code`))).code as string;

const rng = new Rng(10).child(run);
const person = (name: string) => ({ ...fakePerson(rng.child(name)), name });
const SHIPAI = '天河区市场监督管理局石牌监管所';
const WUSHAN = '天河区市场监督管理局五山监管所';
const SHIPAI_CODE = '440106-01';

/** What each caller is, relative to the case (listed by 石牌, accepted by the all-roles user, now 待审核). */
interface Caller {
  token: string | undefined;
  office: string | null;
  roles: Role[];
  acted: Step[];
}
const callers = new Map<string, Caller>();
let caseId = '';
let recordId = '';
let materialId = '';

async function staffLogin(mobile: string) {
  await ok(services('post', '/gzxyjg/v1/sms-codes', { body: { mobile } }));
  return (await ok(services('post', '/gzxyjg/v1/sessions', { body: { mobile, code: await code(mobile) } }))).token as string;
}
async function appoint(name: string, office: string, roles: Role[]) {
  const p = person(name);
  await ok(control('post', '/harness/v1/credit-repair/staff', { name: p.name, mobile: p.mobile, office, roles }));
  return { ...p, token: await staffLogin(p.mobile) };
}

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, () => {});
  await ok(control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  const legalRep = person('法定代表人');
  await ok(control('post', '/harness/v1/registry/persons', legalRep));
  const enterprise = { ...fakeEnterprise(rng.child('enterprise'), legalRep, { kind: 'company', city: '广州市' }), office: SHIPAI, district: '天河区市场监督管理局' };
  await ok(control('post', '/harness/v1/registry/enterprises', enterprise));
  recordId = (await ok(control('post', '/harness/v1/credit-repair/records', { uscc: enterprise.uscc, kind: 'ABNORMAL', reason: 'ANNUAL_REPORT', listedOn: '2025-07-01', curedOn: '2026-11-01' }))).recordId;

  const handler = await appoint('石牌经办', SHIPAI, ['HANDLER']);
  const other = await appoint('五山经办', WUSHAN, ['HANDLER']);
  const reviewer = await appoint('石牌审核', SHIPAI, ['REVIEWER']);
  const approver = await appoint('石牌审批', SHIPAI, ['APPROVER']);
  const everything = await appoint('石牌全能', SHIPAI, ['HANDLER', 'REVIEWER', 'APPROVER']);

  // The legal representative applies on 广州企业一网通; the user with every role accepts.
  await ok(services('post', '/gzqy/v1/sms-codes', { body: { mobile: legalRep.mobile } }));
  const applicant = (await ok(services('post', '/gzqy/v1/sessions', { body: { mobile: legalRep.mobile, code: await code(legalRep.mobile) } }))).token as string;
  await ok(services('post', '/gzqy/v1/credit-repair/subject-login', { token: applicant, body: { kind: 'ABNORMAL', readGuide: true, subject: { choice: 'MINE', uscc: enterprise.uscc } } }));
  const draft = await ok(services('post', '/gzqy/v1/credit-repair/applications', { token: applicant, body: { recordIds: [recordId] } }));
  caseId = draft.caseId;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 7)]).toString('base64');
  for (const materialType of ['APPLICATION_FORM', 'PLEDGE', 'CORRECTION_PROOF']) {
    materialId = (await ok(services('post', `/gzqy/v1/credit-repair/applications/${caseId}/materials`, { token: applicant, body: { materialType, fileName: `${materialType}.pdf`, content: pdf } }))).materialId;
  }
  const submitted = await ok(services('post', `/gzqy/v1/credit-repair/applications/${caseId}/submission`, { token: applicant, body: { version: draft.version } }));
  await ok(services('post', `/gzxyjg/v1/credit-repair/cases/${caseId}/acceptance`, { token: everything.token, body: { version: submitted.version, opinion: '同意受理' } }));

  callers.set('handler of the listing office', { token: handler.token, office: SHIPAI_CODE, roles: ['HANDLER'], acted: [] });
  callers.set('handler of another office of the bureau', { token: other.token, office: '440106-02', roles: ['HANDLER'], acted: [] });
  callers.set('reviewer', { token: reviewer.token, office: SHIPAI_CODE, roles: ['REVIEWER'], acted: [] });
  callers.set('approver', { token: approver.token, office: SHIPAI_CODE, roles: ['APPROVER'], acted: [] });
  callers.set('every role, accepted the case', { token: everything.token, office: SHIPAI_CODE, roles: ['HANDLER', 'REVIEWER', 'APPROVER'], acted: ['ACCEPTANCE'] });
  callers.set('stranger (a 广州企业一网通 session)', { token: applicant, office: null, roles: [], acted: [] });
  callers.set('anonymous', { token: undefined, office: null, roles: [], acted: [] });
});

after(async () => {
  await control('post', '/harness/v1/reset');
  await stack.close();
  await db.end();
});

/** The refusal the declaration and the workflow table imply for a caller, or undefined when the call must get through. */
function expected(policy: BackOfficePolicy, c: Caller): { status: number; code: string } | undefined {
  if (c.office === null) return { status: 401, code: 'NOT_LOGGED_IN' };
  if (policy.scope === 'staff') return undefined;
  if (policy.scope === 'record' && c.office !== SHIPAI_CODE) return { status: 403, code: 'RECORD_NOT_IN_OFFICE' };
  if (policy.scope === 'case' && c.office !== SHIPAI_CODE) return { status: 403, code: 'CASE_NOT_IN_OFFICE' };
  const roles = policy.scope === 'case' && policy.event ? partiesFor(policy.event, 'PENDING_REVIEW') : policy.roles;
  if (!c.roles.some((r) => roles.includes(r))) return { status: 403, code: 'ROLE_NOT_ALLOWED' };
  const step = policy.scope === 'case' && policy.event ? stepFor(policy.event, 'PENDING_REVIEW') : undefined;
  if (step && c.acted.some((s) => s !== step)) return { status: 403, code: 'ROLE_SEPARATION' };
  return undefined;
}

async function declaredServiceRoutes(): Promise<Declared[]> {
  const live = await Live.start(db, undefined);
  const deps = { db, live, providers: clientsFor(loadConfig({}), 'http://unused.invalid'), publicUrl: () => '', config: loadConfig({}) };
  return ((createServicesApp(deps, () => {}).locals.apis ?? []) as Api[]).flatMap((api) => api.declared);
}

const FIXTURES: Record<string, () => string> = { caseId: () => caseId, recordId: () => recordId, materialId: () => materialId };

function requestFor(route: Declared) {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = FIXTURES[name];
    if (!value) throw new Error(`no fixture for path parameter ${name} of ${route.path}: add one`);
    return value();
  });
  const query = route.query ? '?kind=ABNORMAL' : '';
  // A stale version: a step that gets through is refused by the workflow (409), and nothing moves.
  const body = route.method === 'get' ? undefined : { version: 0, opinion: '同意', reason: '测试', toOffice: WUSHAN };
  return { path: `${path}${query}`, body };
}

test('every back-office route answers each kind of caller as its declaration and the workflow table say', async () => {
  const routes = (await declaredServiceRoutes()).filter((r) => r.access.kind === 'gzxyjg.back-office');
  assert.ok(routes.length >= 12, `only ${routes.length} back-office routes declared`);
  const cells: string[] = [];
  for (const route of routes) {
    const policy = route.access.policy as BackOfficePolicy;
    for (const [who, caller] of callers) {
      const { path, body } = requestFor(route);
      const answer = await services(route.method, path, { token: caller.token, body });
      const refusal = expected(policy, caller);
      const cell = `${route.method.toUpperCase()} ${route.path} × ${who}: ${answer.status} ${answer.body?.code ?? ''}`;
      cells.push(cell);
      if (refusal) assert.deepEqual({ status: answer.status, code: answer.body?.code }, refusal, cell);
      else assert.ok(![401, 403].includes(answer.status) && answer.status < 500, `${cell} (expected to get through)`);
    }
  }
  assert.equal(cells.length, routes.length * callers.size);
  // A few cells spelled out, so the matrix cannot agree with itself by mistake.
  const cell = (suffix: string) => cells.find((c) => c.includes(suffix));
  assert.match(cell('/review × every role, accepted the case')!, /403 ROLE_SEPARATION$/);
  assert.match(cell('/review × reviewer')!, /409 VERSION_CONFLICT$/);
  assert.match(cell('/review × handler of the listing office')!, /403 ROLE_NOT_ALLOWED$/);
  assert.match(cell('/cases/:caseId × handler of another office of the bureau')!, /403 CASE_NOT_IN_OFFICE$/);
  assert.match(cell('/records/:recordId/cases × handler of the listing office')!, /409 RECORD_IN_CASE$/);
  assert.match(cell('/acceptance × every role, accepted the case')!, /409 VERSION_CONFLICT$/);
});

test('nothing the matrix sent moved the case', async () => {
  const { case: kase, log } = await ok(control('get', `/harness/v1/credit-repair/cases/${(await ok(services('get', `/gzxyjg/v1/credit-repair/cases/${caseId}`, { token: callers.get('reviewer')!.token }))).acceptanceNo}/log`));
  assert.deepEqual({ state: kase.state.code, events: log.map((e: { event: { code: string } }) => e.event.code) }, { state: 'PENDING_REVIEW', events: ['START', 'SUBMIT', 'ACCEPT'] });
});

test('four reviewers review one case at once: one wins, the others get 409 VERSION_CONFLICT, one review is logged', async () => {
  const reviewers = [callers.get('reviewer')!.token, ...(await Promise.all(['审核乙', '审核丙', '审核丁'].map(async (n) => (await appoint(n, SHIPAI, ['REVIEWER'])).token)))];
  const { version } = await ok(services('get', `/gzxyjg/v1/credit-repair/cases/${caseId}`, { token: reviewers[0] }));
  const answers = await Promise.all(reviewers.map((token) => services('post', `/gzxyjg/v1/credit-repair/cases/${caseId}/review`, { token, body: { version, opinion: '同意' } })));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409, 409]);
  assert.ok(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'VERSION_CONFLICT'));
  const view = await ok(services('get', `/gzxyjg/v1/credit-repair/cases/${caseId}`, { token: callers.get('approver')!.token }));
  assert.deepEqual({ state: view.state.code, reviews: view.approvalForm.entries.filter((e: { event: { code: string } }) => e.event.code === 'REVIEW').length }, { state: 'PENDING_APPROVAL', reviews: 1 });
  // The user who accepted it holds the approver's role too, and still may not approve it.
  const approval = await services('post', `/gzxyjg/v1/credit-repair/cases/${caseId}/approval`, { token: callers.get('every role, accepted the case')!.token, body: { version: view.version, opinion: '同意' } });
  assert.deepEqual({ status: approval.status, code: approval.body.code }, { status: 403, code: 'ROLE_SEPARATION' });
});

test('a seeded 信用修复 world is the same in every run: offices, staff in every supervision office, records on 广州 entities (H4)', async () => {
  const runs = [`credit-world-${randomUUID()}`, `credit-world-${randomUUID()}`];
  const seeded = [];
  for (const key of runs) {
    const response = await fetch(`${stack.urls.control}/harness/v1/credit-repair/world`, {
      method: 'POST',
      headers: { [RUN_HEADER]: key, 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 5, enterprises: 60 }),
    });
    seeded.push(await response.json());
  }
  assert.deepEqual(seeded[0], seeded[1]);
  assert.deepEqual({ offices: seeded[0].offices, staff: seeded[0].staff }, { offices: 101, staff: 360 });
  assert.ok(seeded[0].records > 0);
  const records = await Promise.all(
    runs.map(async (key) => (await db.query(`SELECT kind, uscc, registration_no, reason, listed_on, decision_no, cured_on, office FROM credit_records WHERE run = $1 ORDER BY uscc`, [key])).rows),
  );
  assert.deepEqual(records[0], records[1]);
  const kinds = await db.query<{ ok: boolean }>(
    `SELECT bool_and(CASE r.kind WHEN 'INDIVIDUAL_ABNORMAL' THEN e.kind = 'individual' WHEN 'COOPERATIVE_ABNORMAL' THEN e.kind = 'cooperative' ELSE e.kind = 'company' END) AS ok
       FROM credit_records r JOIN registry_enterprises e ON e.run = r.run AND e.uscc = r.uscc WHERE r.run = $1`,
    [runs[0]],
  );
  assert.equal(kinds.rows[0]!.ok, true);
  for (const key of runs) await fetch(`${stack.urls.control}/harness/v1/reset`, { method: 'POST', headers: { [RUN_HEADER]: key } });
});
