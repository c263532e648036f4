// No input makes a govsim server fail. Every operation of the three servers (services, provider
// mocks, harness control), as declared with its zod schemas, is called with requests generated
// from those schemas (test/support/fuzz.ts): valid ones and valid ones with one part made
// hostile or invalid — anonymously, and for a secured route also as a caller who passes its
// access, so that the body reaches validation and the handler. Asserted on every answer: no 5xx;
// the answer is one the server's OpenAPI document describes (conformance/openapi-check.ts); a
// refusal (4xx) is JSON with a stable `code` and the Chinese `message`, and stores nothing (the
// run's footprint, read from the control API, is the same after it as before).
//
// Then each operation gets the same valid request five times at once: a rule held by the
// database answers the losers with a 4xx, never a 5xx.
//
// Bounded for CI: GOVSIM_FUZZ_RUNS requests per operation and caller, drawn from
// GOVSIM_FUZZ_SEED (the same seed draws the same requests, but for the ids the servers hand out).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../kernel/config.js';
import { createDb, type Db } from '../kernel/db.js';
import { RUN_HEADER, type Api, type Declared } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import type { ServiceDeps } from '../services/deps.js';
import { clientsFor, createControlApp, createProvidersApp, createServicesApp, migrateAll, startStack, type Stack, type StackUrls } from '../services/stack.js';
import { officeOf, STATIONS } from '../services/credit-repair/offices.js';
import { REASON_CODES } from '../services/credit-repair/rules.js';
import { CHECKLIST } from '../services/licensing/rules.js';
import { fakeEnterprise, fakePerson, Rng, type Person } from '../services/world/generate.js';
import { eventually } from '../features/support/eventually.js';
import { requestsFor, validRequestsFor, type FuzzRequest, type Hints, type Json } from './support/fuzz.js';
import { responseChecker, type ResponseCheck } from '../conformance/openapi-check.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const config = loadConfig();
const db: Db = createDb(databaseUrl, 10);
const WEEK = '2026-11-23';
const PASSWORD = 'Abc12345';
/**
 * Tables a refusal adds to by design, left out of "a refusal stores nothing": the provider journal
 * records every call, refused ones too; 登记注册 counts a wrong password per ID number (C4, C9: a
 * login or a password change refused for it is the counted try that locks the account).
 */
const KEPT_ON_REFUSAL = new Set(['provider_calls', 'sdreg_login_guards', 'lic_login_guards']);

type Server = keyof StackUrls;
/** Services and providers share a run (the services' own provider calls land there); the controls, which may reset or move the clock, have their own. */
const runs: Record<Server, string> = { services: `fuzz-${randomUUID()}`, providers: '', control: `fuzz-control-${randomUUID()}` };
runs.providers = runs.services;

let stack: Stack;
const rng = new Rng(config.fuzzSeed);
const people: Person[] = Array.from({ length: 4 }, (_, i) => fakePerson(rng.child(`person ${i}`)));
const owner = people[0]!;
const enterpriseA = fakeEnterprise(rng.child('A'), owner);
/** 信用修复: a 广州 company listed twice (one record goes into the applicant's case), its legal representative the applicant; a back-office user of its office. */
const applicant = people[2]!;
const creditSubject = fakeEnterprise(rng.child('G'), applicant, { kind: 'company', city: '广州市' });
const creditOffice = officeOf(creditSubject.office)!;
const staffPerson = people[3]!;
/** 常州: an officer of 天宁区应急管理局 who inspects and reviews. */
const officer = { username: 'fuzz-officer', authority: 'TN', person: fakePerson(rng.child('officer')) };
let officersMade = 0;
const fixtures = { accountA: '', plateA: '', faceSession: '', creditRecords: [] as string[], creditCase: '', staffIds: [] as string[], filing: '' };
/** What the servers logged (an unexpected error's stack): shown with the 5xx it caused. */
const logged: string[] = [];

interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** Location header: where a 202's job is followed. */
  location: string | null;
  /** What the server's OpenAPI document says is wrong with the answer (undefined: it describes it). */
  undocumented: string | undefined;
}

/** Each server's document, read once: its validators compile on first use and are kept. */
const checkers = new Map<Server, Promise<ResponseCheck>>();
const checkerOf = (server: Server) => {
  if (!checkers.has(server)) checkers.set(server, fetch(`${stack.urls[server]}/openapi.json`).then(async (r) => responseChecker(await r.json())));
  return checkers.get(server)!;
};

async function send(server: Server, method: string, path: string, options: { body?: unknown; raw?: { text: string; contentType: string } | undefined; token?: string | undefined; run?: string } = {}): Promise<Answer> {
  const raw = options.raw ?? (options.body === undefined ? undefined : { text: JSON.stringify(options.body), contentType: 'application/json' });
  const url = new URL(`${stack.urls[server]}${path}`);
  const response = await fetch(url, {
    method: method.toUpperCase(),
    headers: { [RUN_HEADER]: options.run ?? runs[server], ...(raw ? { 'content-type': raw.contentType } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: raw?.text,
    signal: AbortSignal.timeout(20_000),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  // Checked at the path the request went to (dot segments resolved, as the server saw it); a path
  // no operation has (a parameter left empty, `..`) reached the servers' fallback, which no
  // document describes: the answer is still held to no 5xx and `{ code, message }`.
  const body = !text ? undefined : contentType.startsWith('application/json') ? JSON.parse(text) : text;
  const problem = (await checkerOf(server))(method, url.pathname, response.status, body);
  const undocumented = problem?.endsWith('no such operation in the document') ? undefined : problem;
  return { status: response.status, contentType, text, location: response.headers.get('location'), undocumented };
}

async function ok(answer: Promise<Answer>): Promise<any> {
  const { status, text, undocumented } = await answer;
  assert.ok(status < 300, `expected success, got ${status} ${text}`);
  assert.equal(undocumented, undefined, `an answer its document does not describe: ${undocumented}`);
  return text ? JSON.parse(text) : undefined;
}

/** The code in the latest SMS to a mobile, as the harness's outbox shows it. */
const latestCode = async (mobile: string): Promise<string> => (await ok(send('control', 'get', `/harness/v1/sms/outbox/${mobile}/latest-code`, { run: runs.services }))).code;

/** Polls a job's status (a 202's Location) until it is neither QUEUED nor RUNNING. */
const jobEnded = (server: Server, location: string, run: string) =>
  eventually(async () => assert.ok(!['QUEUED', 'RUNNING'].includes((await ok(send(server, 'get', location, { run }))).state), `${location} has not ended`), { timeoutMs: 60_000, intervalMs: 50 });

const footprint = async (run: string): Promise<Record<string, number>> => {
  const all = (await ok(send('control', 'get', '/harness/v1/footprint', { run }))) as Record<string, number>;
  return Object.fromEntries(Object.entries(all).filter(([table]) => !KEPT_ON_REFUSAL.has(table)));
};

// --- callers: a valid session per kind of access, made again when a call has ended it -----------

interface Caller {
  name: string;
  token: string;
  /** A write may have ended the session or moved it (logout, password change …): check before the next use. */
  check: boolean;
  renew(): Promise<void>;
}

async function faceLogin(p: Person): Promise<string> {
  const started = await ok(send('services', 'post', '/yst/v1/face-login', { body: { name: p.name, idNumber: p.idNumber, mobile: p.mobile } }));
  await ok(send('providers', 'post', `/face/v1/sessions/${started.providerSessionId}/verify`, { body: {} }));
  return (await ok(send('services', 'post', `/yst/v1/face-login/${started.faceCheckId}/complete`))).token;
}

let sdregPeople = 0;
async function sdregSession(current?: Person): Promise<{ person: Person; token: string }> {
  if (current) {
    const login = await send('services', 'post', '/sdreg/v1/sessions', { body: { idNumber: current.idNumber, password: PASSWORD } });
    if (login.status === 201) return { person: current, token: JSON.parse(login.text).token };
  }
  // The password was changed or the account locked by an earlier call: a new user.
  const person = fakePerson(rng.child(`sdreg ${sdregPeople++}`));
  await ok(send('services', 'post', '/sdreg/v1/users', { body: { ...person, password: PASSWORD, confirmPassword: PASSWORD, agreementAccepted: true } }));
  return { person, token: (await ok(send('services', 'post', '/sdreg/v1/sessions', { body: { idNumber: person.idNumber, password: PASSWORD } }))).token };
}

const callers = new Map<string, Caller>();

async function makeCallers() {
  const enterpriseOwner: Caller = {
    name: 'the owner of a certified enterprise, acting for it',
    token: '',
    check: true,
    async renew() {
      const acting = await send('services', 'get', '/yst/v1/me/acting-account', { token: this.token });
      if (acting.status === 200 && JSON.parse(acting.text).accountId === fixtures.accountA) return;
      if (acting.status === 401) this.token = await faceLogin(owner);
      await ok(send('services', 'put', '/yst/v1/me/acting-account', { token: this.token, body: { accountId: fixtures.accountA } }));
    },
  };
  let sdreg: { person: Person; token: string } | undefined;
  const sdregUser: Caller = {
    name: 'a registered 登记注册 user',
    token: '',
    check: true,
    async renew() {
      if (this.token && (await send('services', 'get', '/sdreg/v1/me', { token: this.token })).status === 200) return;
      sdreg = await sdregSession(sdreg?.person);
      this.token = sdreg.token;
    },
  };
  let applicants = 0;
  const creditApplicant: Caller = {
    name: 'a 广州企业一网通 user logged in for a listed subject',
    token: '',
    check: true,
    async renew() {
      const records = this.token ? await send('services', 'get', '/gzqy/v1/credit-repair/subject/records', { token: this.token }) : undefined;
      if (records?.status === 200) return;
      if (records?.status !== 409) {
        // The session is gone: another mobile logs in (codes to the applicant's own may be locked by earlier guesses).
        const mobile = applicants++ ? fakePerson(rng.child(`gzqy ${applicants}`)).mobile : applicant.mobile;
        await ok(send('services', 'post', '/gzqy/v1/sms-codes', { body: { mobile } }));
        this.token = (await ok(send('services', 'post', '/gzqy/v1/sessions', { body: { mobile, code: await latestCode(mobile) } }))).token;
      }
      const subject = { choice: 'OTHER', code: creditSubject.uscc, legalRepName: creditSubject.legalRepName, idNumber: creditSubject.legalRepIdNumber };
      learn(await ok(send('services', 'post', '/gzqy/v1/credit-repair/subject-login', { token: this.token, body: { kind: 'ABNORMAL', readGuide: true, subject } })));
    },
  };
  let staffMembers = 0;
  const creditStaff: Caller = {
    name: `a 经办人, 审核人员 and 审批人员 of ${creditOffice.name}`,
    token: '',
    check: true,
    async renew() {
      if (this.token && (await send('services', 'get', '/gzxyjg/v1/me', { token: this.token })).status === 200) return;
      // Another user of the office when the first one's codes are locked by earlier guesses.
      const person = staffMembers++ ? fakePerson(rng.child(`staff ${staffMembers}`)) : staffPerson;
      await ok(send('control', 'post', '/harness/v1/credit-repair/staff', { run: runs.services, body: { name: person.name, mobile: person.mobile, office: creditOffice.name, roles: ['HANDLER', 'REVIEWER', 'APPROVER'] } }));
      await ok(send('services', 'post', '/gzxyjg/v1/sms-codes', { body: { mobile: person.mobile } }));
      this.token = (await ok(send('services', 'post', '/gzxyjg/v1/sessions', { body: { mobile: person.mobile, code: await latestCode(person.mobile) } }))).token;
    },
  };
  const licensingOfficer: Caller = {
    name: `an 核查人员 and 审核人员 of ${officer.authority}`,
    token: '',
    check: true,
    async renew() {
      if (this.token && (await send('services', 'get', '/changzhou/v1/authority/applications', { token: this.token })).status === 200) return;
      let login = await send('services', 'post', '/changzhou/v1/authority/sessions', { body: { username: officer.username, password: PASSWORD } });
      if (login.status === 423) {
        // Wrong passwords sent by earlier calls locked the username: the same person under a new one.
        const { person } = officer;
        officer.username = `fuzz-officer-${++officersMade}`;
        await ok(send('control', 'post', '/harness/v1/licensing/officers', { run: runs.services, body: { username: officer.username, name: person.name, idNumber: person.idNumber, authority: officer.authority, roles: ['INSPECTOR', 'REVIEWER'], password: PASSWORD } }));
        login = await send('services', 'post', '/changzhou/v1/authority/sessions', { body: { username: officer.username, password: PASSWORD } });
      }
      this.token = (await ok(Promise.resolve(login))).token;
    },
  };
  callers.set('yst.person', enterpriseOwner);
  callers.set('yst.enterprise', enterpriseOwner);
  callers.set('sdreg.user', sdregUser);
  callers.set('gzqy.applicant', creditApplicant);
  callers.set('gzxyjg.back-office', creditStaff);
  callers.set('licensing.officer', licensingOfficer);
  for (const caller of new Set(callers.values())) await caller.renew();
}

// --- hints: valid values by field name, so that a request gets past the fields it does not vary ---

/**
 * Ids and tokens the servers handed out, kept under the name requests ask for them by: a face
 * check started by one operation is completed by the next, an invitation made is opened, so the
 * hostile values reach the states behind them too.
 */
const LEARNT_AS: Record<string, string> = {
  faceCheckId: 'faceCheckId',
  providerSessionId: 'sessionId',
  sessionId: 'sessionId',
  invitationToken: 'token',
  token: 'token',
  memberId: 'memberId',
  requestId: 'requestId',
  caseId: 'caseId',
  recordId: 'recordId',
  materialId: 'materialId',
  acceptanceNo: 'acceptanceNo',
  applicationId: 'applicationId',
  problemId: 'problemId',
  staffId: 'staffId',
  roomId: 'roomId',
  version: 'version',
};
const learnt = new Map<string, Json[]>();
function learn(value: unknown, depth = 0): void {
  if (depth > 5 || value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    const as = LEARNT_AS[key];
    if (as && (typeof v === 'string' || typeof v === 'number')) learnt.set(as, [v, ...(learnt.get(as) ?? []).filter((known) => known !== v)].slice(0, 8));
    else learn(v, depth + 1);
  }
}

const pick = (...values: Json[]): fc.Arbitrary<Json> => fc.constantFrom(...values);
/** A value handed out earlier (mostly: an id made up names nothing, and is refused before the handler), or `otherwise`. */
const learntOr = (name: string, otherwise: fc.Arbitrary<Json>): fc.Arbitrary<Json> =>
  learnt.get(name)?.length ? fc.oneof({ weight: 3, arbitrary: pick(...learnt.get(name)!) }, { weight: 1, arbitrary: otherwise }) : otherwise;
/** A small PDF and a 1×1 PNG, base64: what the upload routes take. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n').toString('base64');
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const hints: Hints = (name, schema) => {
  const ids = people.map((p) => p.idNumber);
  const days = ['2025-06-02', '2026-11-02', '2026-11-23'];
  const table: Record<string, () => fc.Arbitrary<Json> | undefined> = {
    name: () => pick(...people.map((p) => p.name)),
    contactName: () => pick(owner.name),
    idNumber: () => pick(...ids),
    legalRepIdNumber: () => pick(owner.idNumber),
    presentedIdNumber: () => pick(...ids),
    // 信用修复's 登录 takes a subject chosen (one of mine, or 其他 typed in); a journal's filter, a string.
    subject: () =>
      schema.anyOf || schema.oneOf
        ? pick({ choice: 'MINE', uscc: creditSubject.uscc }, { choice: 'OTHER', code: creditSubject.uscc, legalRepName: creditSubject.legalRepName, idNumber: creditSubject.legalRepIdNumber })
        : pick(owner.idNumber, owner.mobile, enterpriseA.uscc, fixtures.plateA),
    mobile: () => pick(...people.map((p) => p.mobile)),
    contactMobile: () => pick(owner.mobile),
    uscc: () => pick(enterpriseA.uscc, creditSubject.uscc),
    enterpriseName: () => pick(enterpriseA.name),
    week: () => pick(WEEK, '2026-11-16'),
    deadline: () => pick('2027-01-01'),
    idValidFrom: () => pick(owner.idValidFrom),
    idValidTo: () => pick(owner.idValidTo),
    authEnd: () => pick('长期有效', '2027-06-30'),
    at: () => pick('2026-11-23T09:00', '2026-11-30T10:00:00+08:00', '2026-11-24 10:00', '2026-11-25T14:00'),
    by: () => pick('1d', '90s', 60_000),
    seed: () => pick(3, 7),
    enterprises: () => pick(0, 1, 2),
    times: () => pick(1, 2),
    latencyMs: () => pick(0, 5),
    limit: () => pick(10),
    page: () => pick(1, 2),
    pageSize: () => pick(10, 50),
    offset: () => pick(0),
    accountId: () => pick(fixtures.accountA),
    // 信用修复
    kind: () => (schema.enum?.includes('ABNORMAL') ? fc.constantFrom<Json>('ABNORMAL', ...schema.enum) : undefined),
    reason: () => pick('ANNUAL_REPORT', '未按规定期限公示年度报告', '材料不齐全', ...REASON_CODES),
    listedOn: () => pick(...days),
    curedOn: () => pick(...days, null),
    listedFrom: () => pick('2022-01-03', '2025-06-02'),
    listedTo: () => pick('2026-11-23'),
    on: () => pick(...days),
    day: () => pick('2026-11-24', '2026-12-01'),
    from: () => pick('2026-11-01'),
    to: () => pick('2026-12-31'),
    office: () => pick(creditOffice.name, creditOffice.code, STATIONS[0]!.name),
    toOffice: () => pick(...STATIONS.filter((o) => o.bureau === creditOffice.bureau && o !== creditOffice).map((o) => o.name)),
    // The case received at setup first: the applicant's drafts, learnt later, are not the back office's.
    caseId: () => fc.oneof(pick(fixtures.creditCase), learntOr('caseId', fc.uuid())),
    recordId: () => learntOr('recordId', fc.uuid()),
    recordIds: () => fc.array(learntOr('recordId', fc.uuid()), { minLength: 1, maxLength: 2 }),
    materialId: () => learntOr('materialId', fc.uuid()),
    acceptanceNo: () => learntOr('acceptanceNo', pick('XYXF202611230001')),
    fileName: () => pick('信用修复申请书.pdf', '守信承诺书.pdf'),
    content: () => pick(PDF),
    opinion: () => pick('材料齐全，同意'),
    readGuide: () => pick(true),
    version: () => learntOr('version', fc.integer({ min: 1, max: 6 })),
    // 常州 licensing
    applicationId: () => learntOr('applicationId', fc.uuid()),
    problemId: () => learntOr('problemId', fc.uuid()),
    roomId: () => learntOr('roomId', fc.uuid()),
    participantId: () => pick(owner.idNumber, officer.person.idNumber),
    personnel: () => fc.subarray(fixtures.staffIds, { minLength: 1 }),
    emergencyPlanNo: () => pick(fixtures.filing),
    authority: () => pick(officer.authority, officer.authority, 'CZ'),
    username: () => pick(officer.username),
    certificateNo: () => pick('2026320402123456'),
    assessedOn: () => pick('2025-06-02'),
    inspectedOn: () => pick('2026-11-23'),
    validFrom: () => pick('2024-01-02'),
    mimeType: () => pick('image/png'),
    data: () => pick(PNG),
    note: () => pick('已整改完毕'),
    faceCheckId: () => learntOr('faceCheckId', fc.uuid()),
    memberId: () => learntOr('memberId', fc.uuid()),
    requestId: () => learntOr('requestId', fc.uuid()),
    token: () => learntOr('token', pick('0123456789abcdef0123456789abcdef')),
    sessionId: () => learntOr('sessionId', pick(fixtures.faceSession)),
    provider: () => pick('face', 'identity', 'ctid', 'sms'),
    operation: () => pick('verify', 'send', 'start'),
    outcome: () => pick('PASS', 'MISMATCH', 'PORTRAIT_MISMATCH'),
    plate: () => pick(fixtures.plateA),
    // An SMS code, or (信用修复's searches) a credit code or 注册号.
    code: () => (schema.pattern ? pick('123456') : pick('123456', creditSubject.uscc)),
    password: () => pick(PASSWORD),
    oldPassword: () => pick(PASSWORD),
    newPassword: () => pick(PASSWORD),
    confirmPassword: () => pick(PASSWORD),
    q: () => pick('风险预警'),
    text: () => pick('【粤商通】您的验证码为123456'),
    description: () => pick('已开展安全培训'),
  };
  return table[name]?.();
};

// --- the operations ------------------------------------------------------------------------------

async function declaredOperations(): Promise<{ server: Server; route: Declared }[]> {
  const unusedDb = {} as Db; // building the apps reads no data
  const live = await Live.start(unusedDb, undefined);
  const deps: ServiceDeps = { db: unusedDb, live, providers: clientsFor(config, 'http://providers.invalid'), publicUrl: () => '', config };
  const apps = { services: createServicesApp(deps, () => {}), providers: createProvidersApp({ db: unusedDb, live }, () => {}), control: createControlApp(deps, () => ({}), () => {}) };
  return (Object.entries(apps) as [Server, typeof apps.services][]).flatMap(([server, app]) => ((app.locals.apis ?? []) as Api[]).flatMap((api) => api.declared.map((route) => ({ server, route }))));
}

// --- the run -------------------------------------------------------------------------------------

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...config, servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, (line) => logged.push(line));
  for (const run of new Set(Object.values(runs))) await ok(send('control', 'put', '/harness/v1/clock', { run, body: { at: `${WEEK}T09:00` } }));
  for (const p of people) await ok(send('control', 'post', '/harness/v1/registry/persons', { run: runs.services, body: p }));
  await ok(send('control', 'post', '/harness/v1/registry/enterprises', { run: runs.services, body: enterpriseA }));
  await ok(send('control', 'post', '/harness/v1/risk/enterprises', { run: runs.services, body: { uscc: enterpriseA.uscc, kind: 'TRANSPORT' } }));
  await ok(send('control', 'post', '/harness/v1/jobs/weekly-fanout', { run: runs.services, body: { week: WEEK } }));
  const token = await faceLogin(owner);
  fixtures.accountA = (await ok(send('services', 'get', '/yst/v1/me/enterprise-accounts', { token })))[0].accountId;
  await ok(send('services', 'put', '/yst/v1/me/acting-account', { token, body: { accountId: fixtures.accountA } }));
  fixtures.plateA = (await ok(send('services', 'get', `/yst/v1/risk/warnings/${WEEK}`, { token }))).vehicles[0].plate;
  fixtures.faceSession = (await ok(send('providers', 'post', '/face/v1/sessions', { body: { name: people[1]!.name, idNumber: people[1]!.idNumber } }))).sessionId;
  // 信用修复: staff in every office, the fuzz subject listed twice (its cause cured).
  assert.ok(creditOffice?.kind === 'STATION', `${creditSubject.office} is not a supervision office of 广州`);
  await ok(send('control', 'post', '/harness/v1/credit-repair/world', { run: runs.services, body: { seed: 7, enterprises: 30 } }));
  await ok(send('control', 'post', '/harness/v1/registry/enterprises', { run: runs.services, body: creditSubject }));
  for (const reason of ['ANNUAL_REPORT', 'UNREACHABLE']) {
    const record = await ok(send('control', 'post', '/harness/v1/credit-repair/records', { run: runs.services, body: { uscc: creditSubject.uscc, kind: 'ABNORMAL', reason, listedOn: '2025-06-02', curedOn: '2026-11-02' } }));
    fixtures.creditRecords.push(record.recordId);
  }
  // 常州: the fuzz enterprise on the register with no licence yet, and an officer.
  const entry = await ok(send('control', 'post', '/harness/v1/licensing/enterprises', { run: runs.services, body: { uscc: enterpriseA.uscc, licence: null } }));
  fixtures.staffIds = entry.staff.map((s: { staffId: string }) => s.staffId);
  fixtures.filing = entry.filings[0].number;
  const { person } = officer;
  await ok(send('control', 'post', '/harness/v1/licensing/officers', { run: runs.services, body: { username: officer.username, name: person.name, idNumber: person.idNumber, authority: officer.authority, roles: ['INSPECTOR', 'REVIEWER'], password: PASSWORD } }));
  await makeCallers();
  await receivedCreditCase();
  await licenceBeingRectified();
});

/** A case of the fuzz subject, made and submitted from the applicant's mobile: 待受理 at the back-office user's office. */
async function receivedCreditCase() {
  const { token } = callers.get('gzqy.applicant')!;
  const draft = await ok(send('services', 'post', '/gzqy/v1/credit-repair/applications', { token, body: { recordIds: [fixtures.creditRecords[0]] } }));
  fixtures.creditCase = draft.caseId;
  const materials = [['APPLICATION_FORM', '信用修复申请书.pdf', PDF], ['PLEDGE', '守信承诺书.pdf', PDF], ['CORRECTION_PROOF', '年度报告公示截图.png', PNG]];
  for (const [materialType, fileName, content] of materials) learn(await ok(send('services', 'post', `/gzqy/v1/credit-repair/applications/${draft.caseId}/materials`, { token, body: { materialType, fileName, content } })));
  learn(await ok(send('services', 'post', `/gzqy/v1/credit-repair/applications/${draft.caseId}/submission`, { token, body: { version: draft.version } })));
}

/**
 * The fuzz enterprise's licence application taken through its cloud inspection to 企业修复中 with
 * two problems, the app's signature given: the routes of every step have an application to act
 * on (in a status most of them refuse), those of 整改 one they act on.
 */
async function licenceBeingRectified() {
  const enterprise = callers.get('yst.enterprise')!.token;
  const inspector = callers.get('licensing.officer')!.token;
  const image = { mimeType: 'image/png', data: PNG };
  const form = { applicationType: 'FIRST', affiliation: 'OTHER', personnel: fixtures.staffIds, emergencyPlanNo: fixtures.filing, goodsScope: ['GENERAL_ONLY'], businessModes: ['OTHER'], inspectionMethod: 'CLOUD', authority: officer.authority };
  let view = await ok(send('services', 'post', '/changzhou/v1/web/applications', { token: enterprise, body: form }));
  const web = `/changzhou/v1/web/applications/${view.applicationId}`;
  const app = `/changzhou/v1/app/applications/${view.applicationId}`;
  const authority = `/changzhou/v1/authority/applications/${view.applicationId}`;
  view = await ok(send('services', 'post', `${web}/submit`, { token: enterprise, body: { version: view.version } }));
  view = await ok(send('services', 'post', `${authority}/appointment/propose`, { token: inspector, body: { version: view.version, at: `${WEEK} 09:10` } }));
  view = await ok(send('services', 'post', `${app}/appointment/confirm`, { token: enterprise, body: { version: view.version } }));
  await ok(send('services', 'post', `${authority}/inspection/start`, { token: inspector, body: { version: view.version } }));
  await ok(send('services', 'post', `${app}/inspection/commitment-signature`, { token: enterprise, body: { image } }));
  await ok(send('services', 'post', `${app}/inspection/handler-photo`, { token: enterprise, body: { image } }));
  await ok(send('services', 'post', `${app}/inspection/video/join`, { token: enterprise, body: {} }));
  for (const [i, item] of CHECKLIST.entries()) {
    await ok(send('services', 'put', `${authority}/inspection/checklist/${item.code}`, { token: inspector, body: i < 2 ? { result: 'NON_COMPLIANT', note: `${item.label}不符合要求` } : { result: 'COMPLIANT' } }));
  }
  view = await ok(send('services', 'get', authority, { token: inspector }));
  await ok(send('services', 'post', `${authority}/inspection/hang-up`, { token: inspector, body: { version: view.version } }));
  learn(await ok(send('services', 'post', `${app}/rectification/signature`, { token: enterprise, body: { image } })));
}

after(async () => {
  for (const run of new Set(Object.values(runs))) await send('control', 'post', '/harness/v1/reset', { run });
  await stack.close();
  await db.end();
});

function pathOf(route: Declared, request: FuzzRequest): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => request.params[name] ?? '');
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

test('no input makes any server answer 5xx; every refusal is { code, message } in Chinese and stores nothing', { timeout: 600_000 }, async () => {
  const started = performance.now();
  const operations = await declaredOperations();
  const statuses = new Map<string, number>();
  const perServer = new Map<Server, number>();
  const failures: string[] = [];
  const last = new Map<string, Record<string, number>>();
  for (const run of new Set(Object.values(runs))) last.set(run, await footprint(run));

  for (const [index, { server, route }] of operations.entries()) {
    const who: (Caller | undefined)[] = route.access.secured ? [undefined, callers.get(route.access.kind)] : [undefined];
    assert.ok(!route.access.secured || callers.has(route.access.kind), `no caller for access ${route.access.kind} (${route.method} ${route.path}): add one`);
    for (const caller of who) {
      const label = `${server} ${route.method.toUpperCase()} ${route.path} as ${caller?.name ?? 'anonymous'}`;
      const property = fc.asyncProperty(requestsFor(route, hints), async (request) => {
        const run = runs[server];
        if (caller?.check) {
          await caller.renew();
          caller.check = false;
          last.set(run, await footprint(run)); // a renewed session is stored: not the call's doing
        }
        const path = pathOf(route, request);
        logged.length = 0;
        const answer = await send(server, route.method, path, { body: request.body, raw: request.rawBody, token: caller?.token, run });
        const status = String(answer.status);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // Accepted: the job it started is followed (its Location) until it ends, so that what it stores is not the next call's.
        if (answer.status === 202 && answer.location) await jobEnded(server, answer.location, run);
        perServer.set(server, (perServer.get(server) ?? 0) + 1);
        // Read before any assertion: a failing call must not leave the next one compared with a stale footprint.
        const before = last.get(run)!;
        const now = await footprint(run);
        last.set(run, now);
        const context = `${request.mutation} → ${answer.status} ${answer.text.slice(0, 300)}`;
        assert.ok(answer.status < 500, `5xx: ${context}\n${logged.join('\n').split('\n').slice(0, 6).join('\n')}`);
        assert.equal(answer.undocumented, undefined, `an answer the document does not describe (${request.mutation}): ${answer.undocumented}`);
        if (answer.status >= 400) {
          assert.match(answer.contentType, /^application\/json/, `a refusal that is not JSON: ${context}`);
          const body = JSON.parse(answer.text) as { code?: unknown; message?: unknown };
          assert.ok(typeof body.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(body.code), `a refusal without a stable code: ${context}`);
          assert.ok(typeof body.message === 'string' && /[\u4e00-\u9fff]/.test(body.message), `a refusal without the app's (Chinese) message: ${context}`);
          assert.deepEqual(now, before, `a refusal stored something: ${context}`);
        } else {
          if (caller && route.method !== 'get') caller.check = true;
          if (answer.contentType.startsWith('application/json')) learn(JSON.parse(answer.text));
        }
      });
      try {
        // Access comes first: without a session every call is a 401, so fewer of them show as much.
        const numRuns = route.access.secured && !caller ? Math.ceil(config.fuzzRuns / 4) : config.fuzzRuns;
        await fc.assert(property, { seed: config.fuzzSeed + index, numRuns });
      } catch (error) {
        const cause = (error as Error).cause as Error | undefined;
        const lines = `${cause?.message ?? ''}\n${(error as Error).message}`.split('\n').filter((line) => line.trim() && !/^\s+at /.test(line));
        failures.push(`${label}: ${lines.slice(0, 12).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join('\n')}`);
        for (const c of new Set(callers.values())) c.check = true;
        for (const run of new Set(Object.values(runs))) last.set(run, await footprint(run));
      }
    }
  }

  const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
  const histogram = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join(' ');
  console.log(
    `fuzz: ${operations.length} operations, ${requests} requests (${[...perServer.entries()].map(([s, n]) => `${s} ${n}`).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s; statuses ${histogram}; seed ${config.fuzzSeed}, ${config.fuzzRuns} per operation and caller`,
  );
  assert.deepEqual(failures, [], `${failures.length} operation(s) failed:\n${failures.join('\n\n')}`);
  assert.ok(requests >= operations.length * Math.ceil(config.fuzzRuns / 4), `only ${requests} requests`);
});


test('the same valid request five times at once: no 5xx, every refusal is { code, message }', { timeout: 600_000 }, async () => {
  const operations = await declaredOperations();
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (const [index, { server, route }] of operations.entries()) {
    const caller = route.access.secured ? callers.get(route.access.kind) : undefined;
    if (caller?.check) {
      await caller.renew();
      caller.check = false;
    }
    const [request] = fc.sample(validRequestsFor(route, hints), { seed: config.fuzzSeed + index, numRuns: 1 });
    const path = pathOf(route, request!);
    logged.length = 0;
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(server, route.method, path, { body: request!.body, token: caller?.token })));
    for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    const wrong = answers.find((a) => a.status >= 500 || a.undocumented || (a.status >= 400 && !/"code":"[A-Z][A-Z0-9_]+"/.test(a.text)));
    if (wrong) failures.push(`${server} ${route.method.toUpperCase()} ${path} ${JSON.stringify(request!.body)?.slice(0, 160) ?? ''} → ${answers.map((a) => a.status).join(', ')}: ${wrong.undocumented ?? wrong.text.slice(0, 200)}\n${logged.join('\n').split('\n').slice(0, 4).join('\n')}`);
    if (caller && route.method !== 'get') caller.check = true;
  }
  console.log(`fuzz, five at once: ${operations.length * 5} requests; statuses ${[...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  assert.deepEqual(failures, [], `${failures.length} operation(s) failed at once:\n${failures.join('\n\n')}`);
});
