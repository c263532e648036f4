// Benchmark (not a test): what the in-process provider mocks (createProviders, govsim/mocks) cost
// a consumer's test.
//   npm run bench:mocks                      # 3 start-ups of each kind, 1,000 calls of each kind
//   npm run bench:mocks -- --calls 200 --rounds 1 --no-postgres
//
// Start-up, each in a fresh process as a test file's worker is: the first PGlite on a machine
// (initdb in WebAssembly, migrations, the copy kept), a PGlite started from the kept copy, and a
// further createProviders() in the same process. Then calls through MSW and fetch, one at a time:
// a bare MSW handler (what MSW and fetch cost alone), face `start` and face `verify` (a session each),
// on PGlite and, for comparison, on embedded PostgreSQL (createProviders({ databaseUrl })).
// Besides wall-clock times, the CPU time of the test's process: on a machine shared with other
// work it varies far less (PGlite works in that process; PostgreSQL's own work is not in it).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { loadConfig } from '../kernel/config.js';
import { acquireDatabase } from '../kernel/database.js';
import { fmtMs, median, percentile, table } from './bench-support/stats.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    'no-postgres': { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const ID = '11010519491231002X';

if (values.child) {
  // One start-up, measured from inside a fresh process; prints its figures as JSON.
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const started = performance.now();
  const mocks = await import('../mocks/index.js');
  const imported = performance.now();
  const importCpu = cpu();
  if (values.child === 'cold') {
    // Migrations no kept copy matches: the first start on a machine. The copy it keeps is removed after.
    const { keptCopiesDir, openPglite } = await import('../kernel/pglite.js');
    const { mocksMigrations } = await import('../mocks/module.js');
    const extra = await mkdtemp(path.join(tmpdir(), 'govsim-bench-'));
    await writeFile(path.join(extra, '0001_bench.sql'), `-- ${extra}\nSELECT 1;\n`);
    const copies = new Set(await readdir(keptCopiesDir()).catch(() => []));
    const db = await openPglite([...mocksMigrations, { owner: 'bench', dir: extra }]);
    const ready = performance.now();
    await db.end();
    await rm(extra, { recursive: true });
    for (const file of await readdir(keptCopiesDir())) if (!copies.has(file)) await rm(path.join(keptCopiesDir(), file), { force: true });
    console.log(JSON.stringify({ importMs: imported - started, startMs: ready - imported, startCpuMs: cpu() - importCpu }));
  } else {
    const first = await mocks.createProviders();
    const ready = performance.now();
    const startCpuMs = cpu() - importCpu;
    const second = await mocks.createProviders();
    const again = performance.now();
    await Promise.all([first.close(), second.close()]);
    console.log(JSON.stringify({ importMs: imported - started, startMs: ready - imported, startCpuMs, againMs: again - ready }));
  }
  process.exit(0);
}

const calls = Number(values.calls);
const rounds = Number(values.rounds);
const self = fileURLToPath(import.meta.url);

function child(kind: 'cold' | 'kept'): { importMs: number; startMs: number; startCpuMs: number; againMs?: number } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', kind], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`start-up (${kind}) failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

const cold = Array.from({ length: rounds }, () => child('cold'));
const kept = Array.from({ length: rounds }, () => child('kept'));
console.log('\nStart-up (fresh process each; median of', rounds, 'rounds)');
console.log(
  table([
    ['what', 'ms', 'CPU ms'],
    ['import govsim/mocks (source through tsx)', fmtMs(median(kept.map((k) => k.importMs))), ''],
    ['first PGlite on the machine: initdb + migrations + keeping a copy', fmtMs(median(cold.map((c) => c.startMs))), fmtMs(median(cold.map((c) => c.startCpuMs)))],
    ['createProviders(), PGlite from the kept copy + migrations checked', fmtMs(median(kept.map((k) => k.startMs))), fmtMs(median(kept.map((k) => k.startCpuMs)))],
    ['another createProviders() in the same process', fmtMs(median(kept.map((k) => k.againMs!))), ''],
  ]),
);

const { createProviders } = await import('../mocks/index.js');
const bare = http.post('http://bare.test/echo', () => HttpResponse.json({ passed: true }));

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** `calls` calls one at a time: per-call latencies in ms, sorted, and this process's CPU time per call. */
async function timed(call: (i: number) => Promise<unknown>): Promise<{ sorted: Float64Array; cpuMs: number }> {
  const samples = new Float64Array(calls);
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call(i);
    samples[i] = performance.now() - started;
  }
  const used = process.cpuUsage(cpu);
  return { sorted: samples.sort(), cpuMs: (used.user + used.system) / 1000 / calls };
}

async function perCall(label: string, databaseUrl?: string) {
  const providers = await createProviders({ databaseUrl });
  const server = setupServer(bare, ...providers.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  try {
    for (let i = 0; i < 50; i++) await post('http://bare.test/echo', {}); // warm-up
    const echo = await timed(() => post('http://bare.test/echo', {}));
    const sessions: string[] = [];
    const start = await timed(async () => sessions.push((await post(`${providers.baseUrl}/face/v1/sessions`, { name: '田军', idNumber: ID })).sessionId));
    const verify = await timed((i) => post(`${providers.baseUrl}/face/v1/sessions/${sessions[i]}/verify`, {}));
    const journaled = (await providers.journal({ provider: 'face', limit: 5000 })).length;
    if (journaled !== 2 * calls) throw new Error(`journal holds ${journaled} calls, expected ${2 * calls}`);
    const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const row = (what: string, { sorted, cpuMs }: { sorted: Float64Array; cpuMs: number }) => [`${label}: ${what}`, fmtMs(mean(sorted)), fmtMs(percentile(sorted, 50)), fmtMs(percentile(sorted, 95)), fmtMs(percentile(sorted, 99)), fmtMs(cpuMs)];
    const own = [`${label}: verify − bare (govsim's own)`, fmtMs(mean(verify.sorted) - mean(echo.sorted)), fmtMs(percentile(verify.sorted, 50) - percentile(echo.sorted, 50)), '', '', fmtMs(verify.cpuMs - echo.cpuMs)];
    return [row('bare MSW handler', echo), row('face start', start), row('face verify', verify), own];
  } finally {
    server.close();
    await providers.close();
  }
}

const rows = [['calls one at a time through MSW + fetch', 'mean ms', 'p50', 'p95', 'p99', 'CPU ms'], ...(await perCall('PGlite'))];
if (!values['no-postgres']) {
  const database = await acquireDatabase({ ...loadConfig(), database: 'embedded', databaseUrl: '' });
  try {
    rows.push(...(await perCall('PostgreSQL', database.url)));
  } finally {
    await database.stop();
  }
}
console.log(`\nPer call (${calls} of each)`);
console.log(table(rows));
