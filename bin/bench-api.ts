// Benchmark (not a test): govsim's request path against a bare Express 5 JSON echo and WireMock,
// side by side in one process and one run. Rounds alternate every endpoint (round-robin), each for
// a fixed duration at the same concurrency; the table shows medians over rounds, and every ratio is
// taken within a round (endpoint ÷ bare Express of that same round) before its median.
//
//   npm run bench:api                                   # 3 rounds of 10 s per endpoint, ~6 min
//   npm run bench:api -- --duration 3 --rounds 1        # a quick look
//   npm run bench:api -- --only popup,sign              # a subset (their baselines come along)
//   npm run bench:api -- --workers 1,2                  # govsim as `npm start` runs it, with 1 and with 2 workers
//
// What is measured, all against 127.0.0.1, by a load generator on a worker thread (see
// bench-support/load.ts) so it does not share the servers' event loop:
//   echo-get, echo-post   bare Express 5: GET /echo (res.json(req.query)), POST /echo (express.json() echo)
//   echo-period           bare Express GET answering the period view's own answers (taken from govsim, served in
//                         turn): what sending an answer of that size costs, the floor of an endpoint that answers it
//   node-post             bare node:http, no framework: POST /echo (the body parsed and sent back): the most any
//                         Node server answers here, the ceiling for face verify (which must also write to PostgreSQL)
//   echo-pg, echo-pg-write, echo-pg-read-write
//                         the floors: bare Express plus one prepared query (GET), plus one single-row
//                         UPDATE … RETURNING (POST), plus a keyed read then that write (POST: what a
//                         write by a session not met before needs at least), on govsim's database
//                         and a pool of its size
//   popup, warnings, period, sign, feedback
//                         粤商通 企业风险预警, every request with the next of thousands of sessions, each
//                         logged in and acting for its own 已认证 enterprise account; sign and feedback
//                         write for real: unsigned red warnings, signed red warnings without feedback
//   face-verify           the face provider mock's POST /face/v1/sessions/:id/verify, a fresh PENDING session each time
//   wiremock              WireMock 3.13, one stub for the same call (skipped without java)
//   face-login            the whole face login (start → 粤信签 verify → complete), looped by 20, 50, 200 clients
// With --workers, every govsim endpoint is measured once per worker count in each round, each
// against its own `npm start` (GOVSIM_WORKERS) over a database of its own, and a table compares them.
import express from 'express';
import { loadConfig } from '../kernel/config.js';
import { createDb, type Db } from '../kernel/db.js';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Control, certifiedAccounts, faceSessions, forgetFeedback, makeRed, openSessions, signAll, unsign, WEEK } from './bench-support/fixtures.js';
import { startGovsim, startGovsimWorkers, type Govsim, type Target } from './bench-support/govsim.js';
import { LoadGenerator, type HttpJob, type HttpResult, type Person } from './bench-support/load.js';
import { cpuMark, cpuSince, type CpuSpent } from './bench-support/cpu.js';
import { fmtMs, fmtRate, fmtRatio, median, table } from './bench-support/stats.js';
import { javaAvailable, startWireMock, stubJson, type WireMock } from './bench-support/wiremock.js';

const NAMES = ['echo-get', 'echo-pg', 'echo-period', 'popup', 'warnings', 'period', 'echo-post', 'echo-pg-write', 'echo-pg-read-write', 'sign', 'feedback', 'node-post', 'face-verify', 'wiremock', 'face-login'] as const;
type Name = (typeof NAMES)[number];

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    warmup: { type: 'string' },
    'wiremock-warmup': { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    enterprises: { type: 'string', default: '2000' },
    'write-enterprises': { type: 'string', default: '100000' },
    'face-sessions': { type: 'string', default: '100000' },
    'login-clients': { type: 'string', default: '20,50,200' },
    workers: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`usage: npm run bench:api -- [--duration 10] [--rounds 3] [--only ${NAMES.join(',')}]
       [--warmup 1 (5 with --workers)] [--wiremock-warmup 5] [--connections 50] [--enterprises 2000] [--write-enterprises 100000]
       [--face-sessions 100000] [--login-clients 20,50,200] [--workers 1,2]`);
  process.exit(0);
}
const positive = (flag: string, raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a positive number, not ${raw}`);
  return n;
};
const options = {
  seconds: positive('duration', values.duration),
  rounds: Math.round(positive('rounds', values.rounds)),
  // With --workers, 5 s: every worker keeps its own copy of what it caches (sessions, warnings), so
  // each must meet every session of the rotation before the figures stand for its steady state.
  warmup: values.warmup === undefined ? (values.workers ? 5 : 1) : Number(values.warmup) || 0,
  wiremockWarmup: Number(values['wiremock-warmup']) || 0,
  connections: Math.round(positive('connections', values.connections)),
  enterprises: Math.round(positive('enterprises', values.enterprises)),
  writeEnterprises: Math.round(positive('write-enterprises', values['write-enterprises'])),
  faceSessions: Math.round(positive('face-sessions', values['face-sessions'])),
  loginClients: (values['login-clients'] ?? '').split(',').map((c) => Math.round(positive('login-clients', c))),
  /** Worker counts to measure govsim with, each as `npm start` runs it; undefined: the stack in this process. */
  workers: values.workers?.split(',').map((n) => Math.round(positive('workers', n))),
};

// Run keys of this benchmark (x-govsim-run on every request, `run` in every row it writes): one per
// data set, so that sign and feedback write to warnings nobody else reads.
const RUN = { read: 'bench-api-read', sign: 'bench-api-sign', feedback: 'bench-api-feedback', face: 'bench-api-face', login: 'bench-api-login' };
const FEEDBACK = { measures: ['SAFETY_TRAINING'], description: '已开展培训', contactName: '田军', contactMobile: '13800138000' };
const FACE_ANSWER = { passed: true, code: 'PASS', message: '认证成功' };
const json = { 'content-type': 'application/json' };

// Which endpoints run: --only, plus the baselines their ratios and targets need.
const chosen = new Set<Name>(
  values.only
    ? values.only.split(',').map((name) => {
        if (!(NAMES as readonly string[]).includes(name.trim())) throw new Error(`--only: unknown ${name}; one of ${NAMES.join(', ')}`);
        return name.trim() as Name;
      })
    : NAMES,
);
const java = javaAvailable();
const added: Name[] = [];
const need = (name: Name) => {
  if (!chosen.has(name)) added.push(name);
  chosen.add(name);
};
if (['popup', 'warnings', 'period'].some((n) => chosen.has(n as Name))) {
  need('echo-get');
  need('echo-pg');
}
if (chosen.has('period')) need('echo-period');
if (['sign', 'feedback', 'face-verify', 'wiremock'].some((n) => chosen.has(n as Name))) need('echo-post');
if (['sign', 'feedback'].some((n) => chosen.has(n as Name))) {
  need('echo-pg-write');
  need('echo-pg-read-write');
}
if (chosen.has('face-verify')) need('node-post');
if (chosen.has('face-verify') && java) need('wiremock');
if (!java) chosen.delete('wiremock');
const has = (name: Name) => chosen.has(name);
const govsimNeeded = NAMES.some((n) => has(n) && !['echo-get', 'echo-post', 'echo-period', 'node-post', 'wiremock'].includes(n));
let floorDb: Db | undefined;
const floorDbFor = (url: string) => (floorDb ??= createDb(url, loadConfig().dbPool));

/** An endpoint measured every round: the job to run, what to do before it, what its ratio is against. */
interface Endpoint {
  name: Name;
  /** The name, and with --workers the worker count (popup@2): what its samples are kept under. */
  key: string;
  /** The worker count of the govsim it is measured against (--workers). */
  workers?: number | undefined;
  label: string;
  /** The bare Express variant its ratio is taken against (same method). */
  bare?: 'echo-get' | 'echo-post';
  job(): HttpJob;
  /** Before every run (warm-up included): put its data back as the measurement expects it. */
  prepare?(): Promise<void>;
  /** After every run, with its result. */
  after?(result: HttpResult): void;
  /** A note for the summary (e.g. sessions reused). */
  notes: Set<string>;
}

interface Sample {
  round: number;
  result: HttpResult;
  ok: number; // 2xx answers per second
  /** CPU spent during the run, µs: this process, PostgreSQL. */
  cpu: CpuSpent;
}

const log = (line: string) => console.log(line);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const load = new LoadGenerator();
let govsim: Govsim | undefined;
let bare: Server | undefined;
let bareNode: Server | undefined;
/** The bare Express app: routes that need govsim's data (echo-period) are added once it is there. */
let bareApp: express.Express;
let wiremock: WireMock | undefined;

/** Stops everything this run started (the database folder is thrown away), once. */
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    await load.close();
    await wiremock?.stop();
    for (const server of [bare, bareNode]) {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }
    await floorDb?.end();
    await govsim?.stop();
  })());
// Ctrl-C, or output piped into `head`: without this the JVM and PostgreSQL (and its throw-away
// folder) would outlive the benchmark.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping WireMock, govsim and PostgreSQL…`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') void cleanUp().finally(() => process.exit(1));
});

try {
  log(`bench:api — ${options.rounds} round(s) × ${options.seconds} s per endpoint, ${options.connections} connections, warm-up ${options.warmup} s; endpoints: ${[...chosen].join(', ')}${added.length ? ` (baselines added: ${added.join(', ')})` : ''}`);
  const servers = options.workers ? ['node (bare Express)', ...(govsimNeeded ? [`govsim's processes (${options.workers.map((n) => `${n} worker${n > 1 ? 's' : ''}`).join(', ')}, each measured in turn)`] : [])] : ['node (servers)'];
  const sharing = ['the load generator (worker thread)', ...servers, ...(govsimNeeded ? ['PostgreSQL'] : []), ...(has('wiremock') ? ['WireMock (JVM)'] : [])];
  log(`machine: ${availableParallelism()} cores shared by ${sharing.join(', ')}`);

  // --- servers ------------------------------------------------------------------------------
  const echo = express();
  bareApp = echo;
  echo.get('/echo', (req, res) => void res.json(req.query));
  echo.post('/echo', express.json(), (req, res) => void res.json(req.body));
  bare = await new Promise<Server>((resolve) => {
    const server = echo.listen(0, '127.0.0.1', () => resolve(server));
  });
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  log(`bare Express 5  ${bareUrl}  (in this process)`);
  // No framework at all: read the body, parse it, send it back.
  bareNode = await new Promise<Server>((resolve) => {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(body));
      });
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
  const bareNodeUrl = `http://127.0.0.1:${(bareNode.address() as AddressInfo).port}`;
  log(`bare node:http  ${bareNodeUrl}  (in this process)`);

  if (has('wiremock')) {
    wiremock = await startWireMock();
    await stubJson(wiremock, '/face/v1/sessions/x/verify', FACE_ANSWER);
    log(`WireMock        ${wiremock.url}  java -jar ${wiremock.jar.replace(`${process.cwd()}/`, '')} ${wiremock.flags.join(' ')}`);
  } else if (!java) {
    log('WireMock        skipped: no `java` on PATH; face verify is compared with bare Express only');
  }

  const endpoints: Endpoint[] = [];
  const endpoint = (spec: Omit<Endpoint, 'notes' | 'key'>): Endpoint => {
    const e = {
      ...spec,
      key: spec.workers ? `${spec.name}@${spec.workers}` : spec.name,
      label: spec.workers ? `${spec.label} (${spec.workers} worker${spec.workers > 1 ? 's' : ''})` : spec.label,
      notes: new Set<string>(),
    };
    endpoints.push(e);
    return e;
  };
  const http = (url: string, method: 'GET' | 'POST', path: string, run: string, extra: Partial<HttpJob> = {}): HttpJob => ({
    kind: 'http',
    url,
    method,
    path,
    headers: { 'x-govsim-run': run, ...(method === 'POST' ? json : {}) },
    connections: options.connections,
    seconds: options.seconds,
    ...extra,
  });
  if (has('echo-get')) endpoint({ name: 'echo-get', label: 'bare Express GET /echo', job: () => http(bareUrl, 'GET', `/echo?week=${WEEK}`, RUN.read) });
  // The same body as feedback's: a small JSON object parsed and serialised again.
  // The fastest POST rate seen so far (answers/s): how many fresh face sessions a run may use up.
  let fastestPost = 0;
  const notePostRate = (result: HttpResult) => {
    if (result.seconds > 0) fastestPost = Math.max(fastestPost, result.answers / result.seconds);
  };
  if (has('echo-post')) endpoint({ name: 'echo-post', label: 'bare Express POST /echo', job: () => http(bareUrl, 'POST', '/echo', RUN.read, { body: JSON.stringify(FEEDBACK) }), after: notePostRate });
  if (has('node-post')) endpoint({ name: 'node-post', label: 'bare node:http POST /echo (no framework)', bare: 'echo-post', job: () => http(bareNodeUrl, 'POST', '/echo', RUN.read, { body: '{}' }) });

  // --- govsim and its data -------------------------------------------------------------------
  /** Per govsim measured: the people its face logins use. */
  const loginTargets: { target: Target; persons: Person[] }[] = [];
  if (govsimNeeded) {
    const t0 = performance.now();
    govsim = options.workers ? await startGovsimWorkers(options.workers, (line) => log(`  ${line}`)) : await startGovsim((line) => log(`  ${line}`));
    for (const { urls, workers } of govsim.targets)
      log(`govsim          ${workers ? `${workers} worker(s): ` : ''}services ${urls.services}, providers ${urls.providers}, control ${urls.control}`);
    log(`                ${govsim.database}, started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (has('echo-pg')) {
      // The floor of any endpoint that reads PostgreSQL: bare Express plus one prepared query
      // over loopback, on a pool as large as govsim's. What no DB-backed route can beat here.
      const pool = floorDbFor(govsim.targets[0]!.url);
      echo.get('/echo-pg', async (req, res) => {
        const { rows } = await pool.query({ name: 'floor', text: 'SELECT $1::text AS week', values: [String(req.query.week)] });
        res.json(rows[0]);
      });
      endpoint({ name: 'echo-pg', label: 'bare Express + 1 PostgreSQL query', bare: 'echo-get', job: () => http(bareUrl, 'GET', `/echo-pg?week=${WEEK}`, RUN.read) });
    }
    if (has('echo-pg-write') || has('echo-pg-read-write')) {
      // The floor of any endpoint that writes: bare Express POST plus one prepared single-row
      // UPDATE … RETURNING (its own transaction), each request the next of as many rows as sign's
      // warnings. Sign and feedback must also learn who calls (a session this process has not met).
      const pool = floorDbFor(govsim.targets[0]!.url);
      const rows = options.writeEnterprises;
      await pool.query('CREATE TABLE bench_floor (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, at timestamptz)');
      await pool.query('INSERT INTO bench_floor (id) SELECT generate_series(1, $1)', [rows]);
      let next = 0;
      echo.post('/echo-pg-write', express.json(), async (req, res) => {
        const id = (next++ % rows) + 1;
        const { rows: written } = await pool.query({ name: 'floor-write', text: 'UPDATE bench_floor SET n = n + 1, at = now() WHERE id = $1 RETURNING id, n, at', values: [id] });
        res.json({ ...written[0], echo: req.body });
      });
      // And the floor of a write by a caller this process has not met: a keyed read (who calls),
      // then the write, two round trips, as a sign or a feedback by a new session makes.
      echo.post('/echo-pg-read-write', express.json(), async (req, res) => {
        const id = (next++ % rows) + 1;
        const { rows: read } = await pool.query({ name: 'floor-read', text: 'SELECT id, n FROM bench_floor WHERE id = $1', values: [id] });
        const { rows: written } = await pool.query({ name: 'floor-write', text: 'UPDATE bench_floor SET n = n + 1, at = now() WHERE id = $1 RETURNING id, n, at', values: [read[0].id] });
        res.json({ ...written[0], echo: req.body });
      });
      if (has('echo-pg-write')) endpoint({ name: 'echo-pg-write', label: 'bare Express POST + 1 PostgreSQL write', bare: 'echo-post', job: () => http(bareUrl, 'POST', '/echo-pg-write', RUN.read, { body: JSON.stringify(FEEDBACK) }) });
      if (has('echo-pg-read-write')) endpoint({ name: 'echo-pg-read-write', label: 'bare Express POST + 1 read + 1 write', bare: 'echo-post', job: () => http(bareUrl, 'POST', '/echo-pg-read-write', RUN.read, { body: JSON.stringify(FEEDBACK) }) });
    }
    for (const target of govsim.targets) await prepare(target);
  }

  /** One govsim's data, and its endpoints. */
  async function prepare(target: Target) {
    const { urls, fixtures: db, workers } = target;
    const step = async <T>(what: string, work: () => Promise<T>, say: (value: T) => string): Promise<T> => {
      const t = performance.now();
      const value = await work();
      log(`  ${workers ? `[${workers} worker(s)] ` : ''}${what}: ${say(value)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      return value;
    };
    /** A risk world whose every enterprise has an applicant logged in and acting for it. */
    const riskRun = async (run: string, enterprises: number) => {
      const control = new Control(urls.control, run);
      await step(`${run}: risk world + fan-out of ${WEEK}`, () => control.riskWorld(enterprises), (w) => `${w.inScope.toLocaleString('en')} in scope, ${w.issued.toLocaleString('en')} warnings`);
      await step(`${run}: certified enterprise accounts (SQL)`, () => certifiedAccounts(db, run, { inScopeOnly: true }), (n) => n.toLocaleString('en'));
    };
    const sessions = (run: string, label: string) => step(`${run}: sessions for ${label} (SQL)`, () => openSessions(db, run), (t) => t.length.toLocaleString('en'));
    const riskGet = async (name: 'popup' | 'warnings' | 'period', path: string) => {
      if (!has(name)) return;
      const tokens = await sessions(RUN.read, name);
      endpoint({ name, workers, label: `GET ${path.replace(WEEK, ':week')}`, bare: 'echo-get', job: () => http(urls.services, 'GET', path, RUN.read, { tokens }) });
      if (name === 'period' && has('echo-period') && !endpoints.some((e) => e.name === 'echo-period')) {
        // The period's own answers (the first 200 sessions' enterprises), served in turn by bare Express.
        const answers = await Promise.all(
          tokens.slice(0, 200).map(async (token) => {
            const response = await fetch(`${urls.services}${path}`, { headers: { 'x-govsim-run': RUN.read, authorization: `Bearer ${token}` } });
            if (!response.ok) throw new Error(`period answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
            return (await response.json()) as unknown;
          }),
        );
        let turn = 0;
        bareApp.get('/echo-period', (_req, res) => void res.json(answers[turn++ % answers.length]));
        const bytes = Math.round(answers.reduce((sum: number, a) => sum + Buffer.byteLength(JSON.stringify(a)), 0) / answers.length);
        endpoint({ name: 'echo-period', label: `bare Express GET sending period's answers (${bytes.toLocaleString('en')} B)`, bare: 'echo-get', job: () => http(bareUrl, 'GET', '/echo-period', RUN.read) });
      }
    };
    if (has('popup') || has('warnings') || has('period')) await riskRun(RUN.read, options.enterprises);
    await riskGet('popup', '/yst/v1/risk/popup');
    await riskGet('warnings', '/yst/v1/risk/warnings');
    await riskGet('period', `/yst/v1/risk/warnings/${WEEK}`);

    /** Requests past the number of prepared warnings act for an enterprise a second time: say so. */
    const wrapped = (e: Endpoint, tokens: string[], what: string) => (result: HttpResult) => {
      if (result.sent > tokens.length) e.notes.add(`a run sent up to ${result.sent.toLocaleString('en')} requests for ${tokens.length.toLocaleString('en')} warnings: ${what}; raise --write-enterprises`);
    };
    if (has('sign')) {
      await riskRun(RUN.sign, options.writeEnterprises);
      await step(`${RUN.sign}: warnings made red (SQL)`, () => makeRed(db, RUN.sign), (n) => n.toLocaleString('en'));
      const tokens = await sessions(RUN.sign, 'sign');
      const e = endpoint({
        name: 'sign',
        workers,
        label: 'POST /yst/v1/risk/warnings/:week/sign',
        bare: 'echo-post',
        job: () => http(urls.services, 'POST', `/yst/v1/risk/warnings/${WEEK}/sign`, RUN.sign, { tokens, body: '{}' }),
        prepare: () => unsign(db, RUN.sign),
      });
      e.after = wrapped(e, tokens, 'some were signed again (200, nothing written)');
    }
    if (has('feedback')) {
      await riskRun(RUN.feedback, options.writeEnterprises);
      await step(`${RUN.feedback}: warnings made red and signed (SQL)`, async () => ({ red: await makeRed(db, RUN.feedback), signed: await signAll(db, RUN.feedback) }), (n) => `${n.red.toLocaleString('en')} red, ${n.signed.toLocaleString('en')} signed`);
      const tokens = await sessions(RUN.feedback, 'feedback');
      const e = endpoint({
        name: 'feedback',
        workers,
        label: 'POST /yst/v1/risk/warnings/:week/feedback',
        bare: 'echo-post',
        job: () => http(urls.services, 'POST', `/yst/v1/risk/warnings/${WEEK}/feedback`, RUN.feedback, { tokens, body: JSON.stringify(FEEDBACK) }),
        prepare: () => forgetFeedback(db, RUN.feedback),
      });
      e.after = wrapped(e, tokens, 'the rest answered 409 FEEDBACK_SUBMITTED');
    }

    if (has('face-verify')) {
      // Fresh PENDING sessions face-1, face-2, …: every request verifies the next one. Before each
      // run there must be enough left for it: half as many again as the fastest POST so far (bare
      // Express's or its own) would use in a run. A request past the last one answers 404.
      await new Control(urls.control, RUN.face).freezeClock();
      let created = 0;
      let next = 1;
      const topUp = async () => {
        const wanted = Math.max(options.faceSessions, Math.ceil(1.5 * fastestPost * options.seconds));
        const left = created - next + 1;
        if (left >= wanted) return;
        await faceSessions(db, RUN.face, created, wanted - left);
        created += wanted - left;
      };
      await step(`${RUN.face}: PENDING face sessions (SQL)`, topUp, () => created.toLocaleString('en'));
      const e = endpoint({
        name: 'face-verify',
        workers,
        label: 'POST /face/v1/sessions/:id/verify',
        bare: 'echo-post',
        job: () => http(urls.providers, 'POST', '/face/v1/sessions/face-{n}/verify', RUN.face, { body: '{}', nFrom: next }),
        prepare: topUp,
      });
      e.after = (result) => {
        if (result.byStatus['404']) e.notes.add(`a run ran out of fresh face sessions (the rest answered 404 SESSION_NOT_FOUND); raise --face-sessions`);
        next += result.sent;
        notePostRate(result);
      };
    }

    if (has('face-login')) {
      const control = new Control(urls.control, RUN.login);
      const persons = await step(
        `${RUN.login}: world of ${options.enterprises.toLocaleString('en')} enterprises, their legal reps`,
        async () => {
          await control.world(options.enterprises);
          return control.persons();
        },
        (p) => `${p.length.toLocaleString('en')} persons`,
      );
      // Each login binds its mobile: people who share a mobile would refuse each other (MOBILE_TAKEN).
      const mobiles = new Map<string, number>();
      for (const p of persons) mobiles.set(p.mobile, (mobiles.get(p.mobile) ?? 0) + 1);
      const unique = persons.filter((p) => mobiles.get(p.mobile) === 1);
      if (unique.length < Math.max(...options.loginClients)) throw new Error(`face login: ${unique.length} persons for up to ${Math.max(...options.loginClients)} clients; raise --enterprises`);
      // Everyone has logged in before (accounts exist): every measured login is the same work,
      // whichever level reaches a person first.
      await step(`${RUN.login}: their personal and certified enterprise accounts (SQL)`, () => certifiedAccounts(db, RUN.login, { inScopeOnly: false }), (n) => n.toLocaleString('en'));
      loginTargets.push({ target, persons: unique });
    }
  }
  if (has('wiremock') && wiremock) {
    const url = wiremock.url;
    endpoint({ name: 'wiremock', label: 'WireMock POST …/x/verify (1 stub)', bare: 'echo-post', job: () => http(url, 'POST', '/face/v1/sessions/x/verify', RUN.face, { body: '{}' }) });
  }
  // The same order every round (with --workers, each endpoint's worker counts one after another).
  endpoints.sort((a, b) => NAMES.indexOf(a.name) - NAMES.indexOf(b.name) || (a.workers ?? 0) - (b.workers ?? 0));
  log(`set-up done at ${elapsed()}`);

  // --- one probe each: say at once what an endpoint answers when it is not 2xx ----------------
  for (const e of endpoints) {
    await e.prepare?.();
    const job = e.job();
    const response = await fetch(`${job.url}${job.path.replace('{n}', String(job.nFrom ?? 0))}`, {
      method: job.method,
      headers: { ...job.headers, ...(job.tokens?.length ? { authorization: `Bearer ${job.tokens[0]}` } : {}) },
      ...(job.body === undefined ? {} : { body: job.body }),
    });
    const text = await response.text();
    e.after?.({ kind: 'http', seconds: 0, byStatus: {}, answers: 1, errors: 0, timeouts: 0, p50: 0, p95: 0, p99: 0, sent: 1 });
    if (response.status < 200 || response.status > 299) log(`  probe ${e.key}: ${response.status} ${text.slice(0, 200)}`);
  }

  // --- rounds ---------------------------------------------------------------------------------
  const samples = new Map<string, Sample[]>(endpoints.map((e) => [e.key, []]));
  const measure = async (e: Endpoint, seconds: number) => {
    await e.prepare?.();
    const result = await load.run({ ...e.job(), seconds });
    e.after?.(result);
    return result;
  };
  const count2xx = (r: HttpResult) => Object.entries(r.byStatus).reduce((sum, [status, n]) => (status.startsWith('2') ? sum + n : sum), 0);
  const statuses = (r: HttpResult) =>
    Object.entries(r.byStatus)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, n]) => `${status}×${n.toLocaleString('en')}`)
      .join(' ') + (r.errors ? ` errors×${r.errors} (timeouts ${r.timeouts})` : '');
  // Warm-up runs, not counted. The JVM compiles WireMock's hot path only after some thousands of
  // requests: a one-second warm-up would leave it slow in round 1 and flatter the face mock.
  for (const e of endpoints) {
    const seconds = e.name === 'wiremock' ? Math.max(options.warmup, options.wiremockWarmup) : options.warmup;
    if (seconds <= 0) continue;
    const r = await measure(e, seconds);
    log(`warm-up  ${e.key.padEnd(14)} ${seconds} s  ${statuses(r)}`);
  }
  // With --workers, the counts take turns going first: round 1 measures 1 then 2 workers, round 2 the other way.
  const inRound = (round: number) =>
    round % 2 === 1 ? endpoints : [...endpoints].sort((a, b) => NAMES.indexOf(a.name) - NAMES.indexOf(b.name) || (b.workers ?? 0) - (a.workers ?? 0));
  for (let round = 1; round <= options.rounds && endpoints.length; round++) {
    for (const e of inRound(round)) {
      const mark = cpuMark();
      const result = await measure(e, options.seconds);
      const cpu = cpuSince(mark);
      const ok = count2xx(result) / result.seconds;
      samples.get(e.key)!.push({ round, result, ok, cpu });
      log(`round ${round}  ${e.key.padEnd(14)} ${fmtRate(ok).padStart(7)} 2xx/s  p95 ${fmtMs(result.p95).padStart(6)} ms  ${statuses(result)}  [${elapsed()}]`);
    }
  }

  // --- face login at several concurrencies ---------------------------------------------------
  const logins: { workers: number | undefined; clients: number; perSecond: number; p95: number; failures: Record<string, number> }[] = [];
  for (const clients of options.loginClients) {
    for (const { target, persons } of loginTargets) {
      const personsByClient = Array.from({ length: clients }, (_, c) => persons.filter((_, i) => i % clients === c));
      const r = await load.run({ kind: 'login', services: target.urls.services, providers: target.urls.providers, run: RUN.login, personsByClient, seconds: options.seconds });
      const failures = Object.values(r.failures).reduce((a, b) => a + b, 0);
      logins.push({ workers: target.workers, clients, perSecond: r.completed / r.seconds, p95: r.p95, failures: r.failures });
      log(
        `face login  ${target.workers ? `${target.workers} worker(s), ` : ''}${String(clients).padStart(3)} clients  ${fmtRate(r.completed / r.seconds).padStart(5)} logins/s  p95 ${fmtMs(r.p95)} ms  failures ${failures}${failures ? ` (${Object.entries(r.failures).map(([k, n]) => `${k}×${n}`).join(', ')})` : ''}  [${elapsed()}]`,
      );
    }
  }

  // --- summary --------------------------------------------------------------------------------
  // By key: an endpoint's name, and with --workers its worker count (popup@2).
  const okOf = (key: string, round: number) => samples.get(key)?.find((s) => s.round === round)?.ok ?? Number.NaN;
  /** Median over rounds of (this endpoint ÷ that one, both from the same round). */
  const ratio = (key: string, against: string) => median((samples.get(key) ?? []).map((s) => s.ok / okOf(against, s.round)).filter(Number.isFinite));
  const medianOk = (key: string) => median((samples.get(key) ?? []).map((s) => s.ok));
  const medianP95 = (key: string) => median((samples.get(key) ?? []).map((s) => s.result.p95));
  const nonOk = (key: string) => {
    const counts: Record<string, number> = {};
    for (const s of samples.get(key) ?? []) {
      for (const [status, n] of Object.entries(s.result.byStatus)) if (!status.startsWith('2')) counts[status] = (counts[status] ?? 0) + n;
      if (s.result.errors) counts.errors = (counts.errors ?? 0) + s.result.errors;
    }
    return Object.entries(counts).map(([k, n]) => `${k}×${n.toLocaleString('en')}`).join(' ') || '0';
  };
  /** CPU µs per answer (any status) over all rounds, of this process or of PostgreSQL. */
  const cpuPerAnswer = (key: string, who: keyof CpuSpent) => {
    const runs = samples.get(key) ?? [];
    const answers = runs.reduce((sum, s) => sum + s.result.answers, 0);
    if (!answers || runs.some((s) => s.cpu[who] === undefined)) return Number.NaN;
    return runs.reduce((sum, s) => sum + s.cpu[who]!, 0) / answers;
  };
  const fmtMicros = (us: number) => (Number.isFinite(us) ? us.toFixed(1) : '—');
  const okTotal = (key: string) => (samples.get(key) ?? []).reduce((sum, s) => sum + count2xx(s.result), 0);
  const answersTotal = (key: string) => (samples.get(key) ?? []).reduce((sum, s) => sum + s.result.answers + s.result.errors, 0);
  const measured = (...names: Name[]) => endpoints.filter((e) => names.includes(e.name));

  if (endpoints.length) {
    log('');
    log(`Summary: medians of ${options.rounds} round(s) of ${options.seconds} s at ${options.connections} connections. 2xx/s counts 2xx answers only; p95 is over every answer;`);
    log('the ratio is to bare Express (same method) measured in the same round, median over rounds. CPU µs per answer (all rounds, every answer):');
    log(`node = this process, the servers in it and the load generator's thread${options.workers ? " (govsim's own processes not included)" : ''}; PostgreSQL = every postgres process; WireMock's JVM not counted.`);
    log(
      table([
        ['endpoint', '2xx/s', 'p95 ms', '× bare Express', 'CPU µs: node', 'PostgreSQL', '2xx (all rounds)', 'non-2xx (all rounds)'],
        ...endpoints.map((e) => [e.label, fmtRate(medianOk(e.key)), fmtMs(medianP95(e.key)), e.bare ? fmtRatio(ratio(e.key, e.bare)) : '1.00×', fmtMicros(cpuPerAnswer(e.key, 'node')), fmtMicros(cpuPerAnswer(e.key, 'postgres')), okTotal(e.key).toLocaleString('en'), nonOk(e.key)]),
      ]),
    );
    for (const e of endpoints) for (const note of e.notes) log(`note: ${e.key}: ${note}`);

    const counts = options.workers ?? [];
    if (counts.length > 1) {
      // Each endpoint at every worker count, and the last count's rate over the first's (within a round, median over rounds).
      const [first, last] = [counts[0]!, counts.at(-1)!];
      log('');
      log(`Workers: 2xx/s of govsim as \`npm start\` runs it with GOVSIM_WORKERS=${counts.join(', ')} (machine: ${availableParallelism()} cores, shared with the load generator and PostgreSQL)`);
      log(
        table([
          ['endpoint', ...counts.map((n) => `${n} worker${n > 1 ? 's' : ''}`), `${last} ÷ ${first}`],
          ...NAMES.filter((name) => endpoints.some((e) => e.name === name && e.workers)).map((name) => [
            name,
            ...counts.map((n) => fmtRate(medianOk(`${name}@${n}`))),
            fmtRatio(ratio(`${name}@${last}`, `${name}@${first}`)),
          ]),
        ]),
      );
    }

    log('');
    log('Targets');
    const verdicts: string[][] = [['target', 'measured', 'result']];
    const at = (e: Endpoint) => (e.workers ? ` (${e.workers} worker${e.workers > 1 ? 's' : ''})` : '');
    for (const e of measured('popup', 'warnings', 'period', 'sign', 'feedback')) {
      const r = ratio(e.key, e.bare!);
      const p95 = medianP95(e.key);
      // More than 1 % of answers not 2xx: the endpoint is not serving what is measured.
      const failing = okTotal(e.key) < 0.99 * answersTotal(e.key);
      const pass = r >= 0.5 && p95 <= 50 && !failing;
      const why = [r >= 0.5 ? '' : 'throughput', p95 <= 50 ? '' : 'p95', failing ? 'non-2xx answers' : ''].filter(Boolean).join(', ');
      verdicts.push([`${e.name}${at(e)}: ≥ 0.5× bare Express, p95 ≤ 50 ms`, `${fmtRatio(r)}, ${fmtMs(p95)} ms`, pass ? 'PASS' : `MISS: ${why}`]);
    }
    if (has('echo-pg')) {
      verdicts.push(['(floor) bare Express + 1 query', `${fmtRatio(ratio('echo-pg', 'echo-get'))} bare Express`, 'reference']);
      for (const e of measured('popup', 'warnings', 'period')) verdicts.push([`(floor) ${e.name}${at(e)} ÷ bare Express + 1 query`, fmtRatio(ratio(e.key, 'echo-pg')), 'reference']);
    }
    if (has('echo-period')) {
      verdicts.push(["(floor) bare Express sending period's answers", `${fmtRatio(ratio('echo-period', 'echo-get'))} bare Express`, 'reference']);
      for (const e of measured('period')) verdicts.push([`(floor) period${at(e)} ÷ bare Express sending its answers`, fmtRatio(ratio(e.key, 'echo-period')), 'reference']);
    }
    if (has('echo-pg-write')) {
      verdicts.push(['(floor) bare Express + 1 write', `${fmtRatio(ratio('echo-pg-write', 'echo-post'))} bare Express`, 'reference']);
      for (const e of measured('sign', 'feedback')) verdicts.push([`(floor) ${e.name}${at(e)} ÷ bare Express + 1 write`, fmtRatio(ratio(e.key, 'echo-pg-write')), 'reference']);
    }
    if (has('echo-pg-read-write')) {
      verdicts.push(['(floor) bare Express + 1 read + 1 write', `${fmtRatio(ratio('echo-pg-read-write', 'echo-post'))} bare Express`, 'reference']);
      for (const e of measured('sign', 'feedback')) verdicts.push([`(floor) ${e.name}${at(e)} ÷ bare Express + 1 read + 1 write`, fmtRatio(ratio(e.key, 'echo-pg-read-write')), 'reference']);
    }
    for (const e of measured('face-verify')) {
      if (has('wiremock')) {
        const r = ratio(e.key, 'wiremock');
        verdicts.push([`face verify${at(e)}: ≥ 1.5× WireMock`, fmtRatio(r), r >= 1.5 ? 'PASS' : 'MISS']);
        if (has('node-post')) {
          verdicts.push(['(ceiling) bare node:http, no framework, no work', `${fmtRatio(ratio('node-post', 'wiremock'))} WireMock`, 'reference']);
          // At 1.5× WireMock the machine's cores give each answer this much CPU, all processes together;
          // a verify needs at least a bare answer's (server + generator) and PostgreSQL's share of its writes.
          const budget = (availableParallelism() * 1e6) / (1.5 * medianOk('wiremock'));
          const least = cpuPerAnswer('node-post', 'node') + cpuPerAnswer(e.key, 'postgres');
          verdicts.push([`(ceiling) CPU per answer at 1.5× WireMock, ${availableParallelism()} cores`, `${fmtMicros(budget)} µs; a verify needs ≥ ${fmtMicros(least)} µs (bare node:http + PostgreSQL)`, 'reference']);
        }
      } else {
        verdicts.push([`face verify${at(e)}: ≥ 1.5× WireMock`, `no java; ${fmtRatio(ratio(e.key, 'echo-post'))} bare Express`, 'SKIPPED']);
      }
    }
    if (verdicts.length > 1) log(table(verdicts));
    else log('(none of the targets\' endpoints ran)');
  }
  if (logins.length) {
    log('');
    log(`Face login (start → verify → complete), ${options.seconds} s per level, run once after the rounds`);
    log(
      table([
        [...(options.workers ? ['workers'] : []), 'clients', 'logins/s', 'p95 ms (journey)', 'failures'],
        ...logins.map((l) => [...(options.workers ? [String(l.workers)] : []), String(l.clients), fmtRate(l.perSecond), fmtMs(l.p95), Object.entries(l.failures).map(([k, n]) => `${k}×${n}`).join(', ') || '0']),
      ]),
    );
    for (const workers of new Set(logins.map((l) => l.workers))) {
      const mine = logins.filter((l) => l.workers === workers);
      const base = mine.find((l) => l.clients === 20) ?? mine[0]!;
      for (const l of mine) {
        if (l.clients > base.clients && l.perSecond < base.perSecond) log(`FLAG: ${l.clients} clients complete fewer logins/s (${fmtRate(l.perSecond)}) than ${base.clients} clients (${fmtRate(base.perSecond)})${workers ? ` with ${workers} worker(s)` : ''}`);
      }
    }
  }
  log('');
  log(`peak RSS        node (${options.workers ? 'bare Express' : 'servers'} + load generator thread) ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB${wiremock?.peakRssMiB() ? `, WireMock JVM ${wiremock.peakRssMiB()} MiB` : ''}`);
  log(`total time      ${elapsed()}`);
} finally {
  await cleanUp();
}
