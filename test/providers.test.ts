// The provider behaviour is written once and served twice: the MSW handlers and the HTTP
// server must give the same answers from the same outcome table, faults included.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setupServer } from 'msw/node';
import { addScript, providerHandlers, providers, readJournal } from '../mocks/index.js';
import { createDb, migrate } from '../services/platform/db.js';
import { listen, RUN_HEADER, type Listening } from '../services/platform/http.js';
import { createProvidersApp } from '../services/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 5);
const MSW_ORIGIN = 'http://providers.msw.test';
const server = setupServer(...providerHandlers(db, providers, { baseUrl: MSW_ORIGIN, holdMs: 50 }));
let http: Listening;

before(async () => {
  await migrate(db);
  server.listen({ onUnhandledFrame: 'bypass' }); // the http adapter's requests go to a real local server
  http = await listen(createProvidersApp(db, () => {}, 50), 0, '127.0.0.1');
});
after(async () => {
  server.close();
  await http.close();
  await db.end();
});

const ID = '11010519491231002X';

async function call(origin: string, run: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { [RUN_HEADER]: run, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(2_000),
  });
  return { status: response.status, body: await response.json() };
}

/** Start a face session for the test person and verify it; returns the verdict. */
async function faceCheck(origin: string, run: string, presentedIdNumber = ID) {
  const started = await call(origin, run, 'POST', '/face/v1/sessions', { name: '田军', idNumber: ID });
  return call(origin, run, 'POST', `/face/v1/sessions/${started.body.sessionId}/verify`, { presentedIdNumber });
}

for (const adapter of ['msw', 'http'] as const) {
  describe(`provider mocks through ${adapter}`, () => {
    const origin = () => (adapter === 'msw' ? MSW_ORIGIN : http.url);

    test('an unscripted person gets the happy path', async () => {
      const verdict = await faceCheck(origin(), randomUUID());
      assert.deepEqual(verdict, { status: 200, body: { passed: true, code: 'PASS', message: '认证成功' } });
    });

    test('scripted outcomes are used in order, then the happy path returns', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'face', subject: ID, outcome: 'PHOTO_QUALITY', times: 2 });
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await faceCheck(origin(), run)).body.code);
      assert.deepEqual(codes, ['PHOTO_QUALITY', 'PHOTO_QUALITY', 'PASS']);
    });

    test('a face that is not the session’s person never passes', async () => {
      const verdict = await faceCheck(origin(), randomUUID(), '440106199504081761');
      assert.equal(verdict.body.code, 'PORTRAIT_MISMATCH');
      assert.equal(verdict.body.message, '人像比对未通过');
    });

    test('an http503 fault answers 503 and is journaled', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'identity', subject: ID, fault: 'http503' });
      const answer = await call(origin(), run, 'POST', '/identity/v1/verifications', { name: '田军', idNumber: ID });
      assert.equal(answer.status, 503);
      const [entry] = await readJournal(db, { run, provider: 'identity' });
      assert.equal(entry.fault, 'http503');
    });

    test('reset and timeout faults fail the request at the network level', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'sms', subject: '13800138000', fault: 'reset' });
      await addScript(db, { run, provider: 'sms', subject: '13800138000', fault: 'timeout' });
      for (let i = 0; i < 2; i++) await assert.rejects(call(origin(), run, 'POST', '/sms/v1/messages', { mobile: '13800138000', text: '验证码123456' }));
      const outbox = await call(origin(), run, 'GET', '/sms/v1/outbox/13800138000');
      assert.deepEqual(outbox.body.messages, []);
    });

    test('an accepted SMS reaches the outbox; a scripted SEND_FAILED does not', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'sms', subject: '13800138000', outcome: 'SEND_FAILED' });
      const refused = await call(origin(), run, 'POST', '/sms/v1/messages', { mobile: '13800138000', text: '第一条' });
      const accepted = await call(origin(), run, 'POST', '/sms/v1/messages', { mobile: '13800138000', text: '第二条' });
      assert.deepEqual([refused.body.code, accepted.body.code], ['SEND_FAILED', 'PASS']);
      const outbox = await call(origin(), run, 'GET', '/sms/v1/outbox/13800138000');
      assert.deepEqual(outbox.body.messages.map((m: { text: string }) => m.text), ['第二条']);
    });

    test('latency is applied before the answer', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'ctid', subject: ID, latencyMs: 120 });
      const started = performance.now();
      const answer = await call(origin(), run, 'POST', '/ctid/v1/verifications', { name: '田军', idNumber: ID });
      assert.ok(performance.now() - started >= 110);
      assert.equal(answer.body.code, 'PASS');
    });

    test('a malformed request is refused with 400 and journaled', async () => {
      const run = randomUUID();
      const answer = await call(origin(), run, 'POST', '/identity/v1/verifications', { name: '田军' });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.code, 'INVALID_REQUEST');
      assert.equal((await readJournal(db, { run })).length, 1);
    });
  });
}
