// Conformance mode (`govsim conform`, docs/conformance.md), run as an integrator runs it, against
// govsim started as a separate process (as `npm start` starts it, on free ports, over a database of
// its own on the test's PostgreSQL). Its services are the implementation under test; its control
// and providers are govsim's. Then:
//   - govsim conforms to itself: every capability of the @api scenarios conforms;
//   - a faulty proxy in front of its services — one answer missing a field, a 403 answered 200
//     with a body of the success schema, a route answered 404 — is reported against exactly the
//     capabilities whose scenarios it breaks (the registration app's, C1–C11, to keep it short),
//     each with its verdict, its first failing step and the call that led to it, every other
//     capability of the run conforming.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGovsimProcess, type GovsimProcess } from '../bin/govsim-process.js';
import { capabilitiesOf, byCapability, type ConformanceReport } from '../conformance/report.js';
import { createScratchDatabase, type ScratchDatabase } from '../kernel/database.js';
import { createDb } from '../kernel/db.js';
import { migrateAll } from '../services/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');

const ROOT = path.resolve(import.meta.dirname, '..');

/** The capabilities the @api scenarios carry (those a conformance run counts). */
async function apiCapabilities(only?: RegExp): Promise<string[]> {
  const files = (await readdir(path.join(ROOT, 'features'), { recursive: true })).filter((f) => f.endsWith('.feature'));
  const ids = new Set<string>();
  for (const file of files) {
    for (const line of (await readFile(path.join(ROOT, 'features', file), 'utf8')).split('\n')) {
      const tags = line.trim().split(/\s+/);
      if (tags.includes('@api')) for (const id of capabilitiesOf(tags)) if (!only || only.test(id)) ids.add(id);
    }
  }
  return [...ids].sort(byCapability);
}

/** `govsim conform` as a command: its exit code, its output and the report it wrote. */
async function conform(args: string[], reports: string): Promise<{ code: number; output: string; report: ConformanceReport }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/govsim.ts', 'conform', ...args, '--reports', reports], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
  const report = JSON.parse(await readFile(path.join(reports, 'report.json'), 'utf8').catch(() => 'null')) as ConformanceReport;
  assert.ok(report, `no report; govsim conform printed:\n${output}`);
  return { code, output, report };
}

/** What the faulty proxy does to one answer of the services behind it, if anything. */
type Fault = (request: { method: string; path: string; body: any }, answer: { status: number; body: any }) => { status: number; body: unknown } | undefined;

/** The request's body as JSON (undefined when there is none). */
async function jsonOf(req: IncomingMessage): Promise<{ text: string; json: any }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { text, json: text ? JSON.parse(text) : undefined };
}

/** A proxy in front of `upstream` that passes everything through, but for what `faults` change. */
async function faultyProxy(upstream: string, faults: Fault[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const { text, json } = await jsonOf(req);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      const answered = await fetch(`${upstream}${req.url}`, { method: req.method!, headers, ...(text ? { body: text } : {}) });
      const answerText = await answered.text();
      const answer = { status: answered.status, body: answerText ? JSON.parse(answerText) : undefined };
      const request = { method: req.method!, path: req.url!.split('?')[0]!, body: json };
      const changed = faults.map((fault) => fault(request, answer)).find(Boolean);
      if (!changed) {
        res.writeHead(answered.status, { 'content-type': answered.headers.get('content-type') ?? 'application/json' }).end(answerText);
      } else if (typeof changed.body === 'string') {
        res.writeHead(changed.status, { 'content-type': 'text/html; charset=utf-8' }).end(changed.body);
      } else {
        res.writeHead(changed.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(changed.body));
      }
    })().catch((error: Error) => res.writeHead(502).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let database: ScratchDatabase | undefined;
let govsim: GovsimProcess | undefined;

describe('govsim conform', { timeout: 300_000 }, () => {
  before(
    async () => {
      database = await createScratchDatabase(databaseUrl, 'govsim_conform');
      const url = database.url;
      const db = createDb(url, 1);
      await migrateAll(db);
      await db.end();
      govsim = await startGovsimProcess({
        DATABASE_URL: url,
        GOVSIM_DATABASE: 'url',
        GOVSIM_SERVICES_PORT: '0',
        GOVSIM_PROVIDERS_PORT: '0',
        GOVSIM_CONTROL_PORT: '0',
        GOVSIM_SEED_ENTERPRISES: '0',
        // A scripted provider timeout then costs a scenario a second, not five.
        GOVSIM_PROVIDER_TIMEOUT_MS: '1000',
        GOVSIM_LOG: 'info',
      });
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await govsim?.stop();
    await database?.drop().catch(() => {});
  });

  test('govsim, started as a separate process, conforms to itself: every capability', { timeout: 240_000 }, async () => {
    const reports = path.join(ROOT, 'reports', 'conformance');
    const { code, output, report } = await conform(['--target', govsim!.urls.services, '--target-control', govsim!.urls.control, '--control', govsim!.urls.control], reports);
    const expected = await apiCapabilities();
    assert.deepEqual(
      report.capabilities.filter((c) => c.verdict !== 'passed').map((c) => ({ id: c.id, verdict: c.verdict, failure: c.failure })),
      [],
      output,
    );
    assert.deepEqual(
      report.capabilities.map((c) => c.id),
      expected,
    );
    assert.equal(report.summary, `${expected.length} of ${expected.length} capabilities conform`);
    assert.match(output, new RegExp(`^${report.summary}$`, 'm'));
    assert.equal(code, 0, output);
    const junit = await readFile(path.join(reports, 'junit.xml'), 'utf8');
    assert.match(junit, new RegExp(`tests="${expected.length}" failures="0" errors="0" skipped="0"`));
    assert.match(await readFile(path.join(reports, 'report.html'), 'utf8'), new RegExp(report.summary));
  });

  test('a faulty proxy in front of it is reported against exactly the capabilities it breaks', { timeout: 120_000 }, async () => {
    const faults: Fault[] = [
      // C10: the filing check's answer loses `ready`.
      (request, answer) => {
        if (request.method !== 'POST' || request.path !== '/sdreg/v1/filings/readiness' || answer.status !== 200) return undefined;
        const { ready: _dropped, ...rest } = answer.body;
        return { status: 200, body: rest };
      },
      // C8: a level-3 user taking part in enterprise registration is let through — 200 with an answer of the success schema, where 403 is due.
      (request, answer) =>
        request.method === 'PUT' && request.path === '/sdreg/v1/me/registration-authorisation' && answer.status === 403
          ? { status: 200, body: { participate: true, deadline: request.body.deadline ?? null, valid: true, label: '有效' } }
          : undefined,
      // C6: changing the mobile is not implemented: the route answers 404 as a bare web server does.
      (request) => (request.method === 'PUT' && request.path === '/sdreg/v1/me/mobile' ? { status: 404, body: 'Cannot PUT /sdreg/v1/me/mobile' } : undefined),
    ];
    const proxy = await faultyProxy(govsim!.urls.services, faults);
    const reports = await mkdtemp(path.join(tmpdir(), 'govsim-conform-'));
    try {
      const registration = await apiCapabilities(/^C/);
      const { code, output, report } = await conform(
        ['--target', proxy.url, '--target-control', govsim!.urls.control, '--control', govsim!.urls.control, '--tags', registration.map((id) => `@${id}`).join(' or ')],
        reports,
      );
      const verdicts = Object.fromEntries(report.capabilities.map((c) => [c.id, c.verdict]));
      assert.deepEqual(verdicts, { ...Object.fromEntries(registration.map((id) => [id, 'passed'])), C6: 'not implemented', C8: 'failed', C10: 'failed' }, output);
      assert.equal(report.summary, `${registration.length - 3} of ${registration.length} capabilities conform`);
      assert.equal(code, 1);

      const failure = (id: string) => report.capabilities.find((c) => c.id === id)!.failure!;
      // The dropped field: the schema error, and the answer that lacked it.
      assert.match(failure('C10').error, /^UndocumentedAnswer: .*POST \/sdreg\/v1\/filings\/readiness → 200: the body does not match the document\n.*must have required property 'ready'/s);
      assert.deepEqual({ url: failure('C10').exchange?.request.url, status: failure('C10').exchange?.response.status }, { url: `${proxy.url}/sdreg/v1/filings/readiness`, status: 200 });
      assert.equal((failure('C10').exchange?.response.body as Record<string, unknown>).ready, undefined);
      // The 200 where 403 was due: the step that expected the refusal, and the answer that let him through.
      assert.equal(failure('C8').step, 'Then 张伟 is refused with 403 "LEVEL_4_REQUIRED" "只有四级实名的用户才可以参与企业登记注册"');
      assert.deepEqual({ method: failure('C8').exchange?.request.method, status: failure('C8').exchange?.response.status }, { method: 'PUT', status: 200 });
      // The route answered 404: not implemented, at the step that first called it.
      assert.match(failure('C6').error, /^NotImplemented: PUT \/sdreg\/v1\/me\/mobile → 404/);
      assert.match(failure('C6').step, /^When 张伟 changes his mobile to "13912345678" after a face check$/);
      assert.deepEqual(failure('C6').exchange?.response, { status: 404, body: 'Cannot PUT /sdreg/v1/me/mobile' });

      const junit = await readFile(path.join(reports, 'junit.xml'), 'utf8');
      assert.match(junit, new RegExp(`tests="${registration.length}" failures="3" errors="0" skipped="0"`));
      assert.match(junit, /<testcase classname="govsim.conformance" name="C6" assertions="\d+">\n    <failure type="not implemented"/);
    } finally {
      await proxy.close();
      await rm(reports, { recursive: true, force: true });
    }
  });
});
