// No input makes a govsim server fail. Every operation of the three servers (services, provider
// mocks, harness control), as declared with its zod schemas, is called with requests generated
// from those schemas (test/support/fuzz.ts): valid ones and valid ones with one part made
// hostile or invalid — anonymously, and for a secured route also as a caller who passes its
// access, so that the body reaches validation and the handler. Asserted on every answer: no 5xx;
// a refusal (4xx) is JSON with a stable `code` and the Chinese `message`, and stores nothing (the run's
// footprint, read from the control API, is the same after it as before).
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
import { fakeEnterprise, fakePerson, Rng, type Person } from '../services/world/generate.js';
import { requestsFor, validRequestsFor, type FuzzRequest, type Hints, type Json } from './support/fuzz.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const config = loadConfig();
const db: Db = createDb(databaseUrl, 10);
const WEEK = '2026-11-23';
const PASSWORD = 'Abc12345';
/**
 * Tables a refusal adds to by design, left out of "a refusal stores nothing": the provider journal
 * records every call, refused ones too (a wrong-guess counter kept per subject would be another).
 */
const KEPT_ON_REFUSAL = new Set(['provider_calls']);

type Server = keyof StackUrls;
/** Services and providers share a run (the services' own provider calls land there); the controls, which may reset or move the clock, have their own. */
const runs: Record<Server, string> = { services: `fuzz-${randomUUID()}`, providers: '', control: `fuzz-control-${randomUUID()}` };
runs.providers = runs.services;

let stack: Stack;
const rng = new Rng(config.fuzzSeed);
const people: Person[] = Array.from({ length: 4 }, (_, i) => fakePerson(rng.child(`person ${i}`)));
const owner = people[0]!;
const enterpriseA = fakeEnterprise(rng.child('A'), owner);
const fixtures = { accountA: '', plateA: '', faceSession: '' };
/** What the servers logged (an unexpected error's stack): shown with the 5xx it caused. */
const logged: string[] = [];

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function send(server: Server, method: string, path: string, options: { body?: unknown; raw?: { text: string; contentType: string } | undefined; token?: string | undefined; run?: string } = {}): Promise<Answer> {
  const raw = options.raw ?? (options.body === undefined ? undefined : { text: JSON.stringify(options.body), contentType: 'application/json' });
  const response = await fetch(`${stack.urls[server]}${path}`, {
    method: method.toUpperCase(),
    headers: { [RUN_HEADER]: options.run ?? runs[server], ...(raw ? { 'content-type': raw.contentType } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: raw?.text,
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function ok(answer: Promise<Answer>): Promise<any> {
  const { status, text } = await answer;
  assert.ok(status < 300, `expected success, got ${status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

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
  callers.set('yst.person', enterpriseOwner);
  callers.set('yst.enterprise', enterpriseOwner);
  callers.set('sdreg.user', sdregUser);
  for (const caller of new Set(callers.values())) await caller.renew();
}

// --- hints: valid values by field name, so that a request gets past the fields it does not vary ---

/**
 * Ids and tokens the servers handed out, kept under the name requests ask for them by: a face
 * check started by one operation is completed by the next, an invitation made is opened, so the
 * hostile values reach the states behind them too.
 */
const LEARNT_AS: Record<string, string> = { faceCheckId: 'faceCheckId', providerSessionId: 'sessionId', sessionId: 'sessionId', invitationToken: 'token', token: 'token', memberId: 'memberId', requestId: 'requestId' };
const learnt = new Map<string, string[]>();
function learn(value: unknown, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    const as = LEARNT_AS[key];
    if (as && typeof v === 'string') learnt.set(as, [v, ...(learnt.get(as) ?? []).filter((known) => known !== v)].slice(0, 8));
    else learn(v, depth + 1);
  }
}

const pick = (...values: Json[]): fc.Arbitrary<Json> => fc.constantFrom(...values);
/** A value handed out earlier, or `otherwise`. */
const learntOr = (name: string, otherwise: fc.Arbitrary<Json>): fc.Arbitrary<Json> => (learnt.get(name)?.length ? fc.oneof(pick(...learnt.get(name)!), otherwise) : otherwise);
const hints: Hints = (name) => {
  const ids = people.map((p) => p.idNumber);
  const table: Record<string, () => fc.Arbitrary<Json>> = {
    name: () => pick(...people.map((p) => p.name)),
    contactName: () => pick(owner.name),
    idNumber: () => pick(...ids),
    legalRepIdNumber: () => pick(owner.idNumber),
    presentedIdNumber: () => pick(...ids),
    subject: () => pick(owner.idNumber, owner.mobile, enterpriseA.uscc, fixtures.plateA),
    mobile: () => pick(...people.map((p) => p.mobile)),
    contactMobile: () => pick(owner.mobile),
    uscc: () => pick(enterpriseA.uscc),
    enterpriseName: () => pick(enterpriseA.name),
    week: () => pick(WEEK, '2026-11-16'),
    deadline: () => pick('2027-01-01'),
    idValidFrom: () => pick(owner.idValidFrom),
    idValidTo: () => pick(owner.idValidTo),
    authEnd: () => pick('长期有效', '2027-06-30'),
    at: () => pick('2026-11-23T09:00', '2026-11-30T10:00:00+08:00'),
    by: () => pick('1d', '90s', 60_000),
    seed: () => pick(3, 7),
    enterprises: () => pick(0, 1, 2),
    times: () => pick(1, 2),
    latencyMs: () => pick(0, 5),
    limit: () => pick(10),
    offset: () => pick(0),
    accountId: () => pick(fixtures.accountA),
    faceCheckId: () => learntOr('faceCheckId', fc.uuid()),
    memberId: () => learntOr('memberId', fc.uuid()),
    requestId: () => learntOr('requestId', fc.uuid()),
    token: () => learntOr('token', pick('0123456789abcdef0123456789abcdef')),
    sessionId: () => learntOr('sessionId', pick(fixtures.faceSession)),
    provider: () => pick('face', 'identity', 'ctid', 'sms'),
    operation: () => pick('verify', 'send', 'start'),
    outcome: () => pick('PASS', 'MISMATCH', 'PORTRAIT_MISMATCH'),
    plate: () => pick(fixtures.plateA),
    code: () => pick('123456'),
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
  await makeCallers();
});

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
        perServer.set(server, (perServer.get(server) ?? 0) + 1);
        // Read before any assertion: a failing call must not leave the next one compared with a stale footprint.
        const before = last.get(run)!;
        const now = await footprint(run);
        last.set(run, now);
        const context = `${request.mutation} → ${answer.status} ${answer.text.slice(0, 300)}`;
        assert.ok(answer.status < 500, `5xx: ${context}\n${logged.join('\n').split('\n').slice(0, 6).join('\n')}`);
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
    const wrong = answers.find((a) => a.status >= 500 || (a.status >= 400 && !/"code":"[A-Z][A-Z0-9_]+"/.test(a.text)));
    if (wrong) failures.push(`${server} ${route.method.toUpperCase()} ${path} ${JSON.stringify(request!.body)?.slice(0, 160) ?? ''} → ${answers.map((a) => a.status).join(', ')}: ${wrong.text.slice(0, 200)}\n${logged.join('\n').split('\n').slice(0, 4).join('\n')}`);
    if (caller && route.method !== 'get') caller.check = true;
  }
  console.log(`fuzz, five at once: ${operations.length * 5} requests; statuses ${[...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  assert.deepEqual(failures, [], `${failures.length} operation(s) failed at once:\n${failures.join('\n\n')}`);
});
