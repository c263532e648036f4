// The provider behaviour is written once and served twice: the MSW handlers and the HTTP
// server must give the same answers from the same outcome table, faults included. The HTTP server
// runs as the stack runs it (with Live: clocks and "this run has no scripts" from memory, the
// journal in batches, each call answered once its entry is in); the MSW handlers as a consumer's
// test would (a pool and nothing else), over PostgreSQL and over PGlite in this process: the same
// stores and SQL on both.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setupServer, type SetupServer } from 'msw/node';
import { addScript, clearScripts, flushJournals, providerHandlers, providers, readJournal } from '../mocks/index.js';
import { ScriptIndex } from '../mocks/core/scripts.js';
import { listScripts } from '../mocks/core/store.js';
import { setClock } from '../kernel/clock.js';
import { createDb, type Db } from '../kernel/db.js';
import { openPglite } from '../kernel/pglite.js';
import { mocksMigrations } from '../mocks/module.js';
import { listen, RUN_HEADER, type Listening } from '../kernel/http.js';
import { CHANNELS, Live } from '../kernel/live.js';
import { createProvidersApp, migrateAll } from '../services/stack.js';
import { responseChecker, type ResponseCheck } from '../conformance/openapi-check.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 5);
const MSW_ORIGIN = 'http://providers.msw.test';
// The MSW handlers once more, over PGlite in this process (what createProviders() gives a consumer).
const PGLITE_ORIGIN = 'http://providers.pglite.test';
let pglite: Db;
let server: SetupServer;
let live: Live;
let http: Listening;
// A second govsim process over the same database: its own pool, its own Live, its own server.
const otherDb = createDb(databaseUrl, 5);
let otherLive: Live;
let other: Listening;
/** Every adapter's answers are checked against the providers' document. */
let check: ResponseCheck;

before(async () => {
  await migrateAll(db);
  live = await Live.start(db, databaseUrl);
  otherLive = await Live.start(otherDb, databaseUrl);
  pglite = await openPglite(mocksMigrations);
  server = setupServer(...providerHandlers(db, providers, { baseUrl: MSW_ORIGIN, holdMs: 50 }), ...providerHandlers(pglite, providers, { baseUrl: PGLITE_ORIGIN, holdMs: 50 }));
  server.listen({ onUnhandledFrame: 'bypass' }); // the http adapter's requests go to a real local server
  http = await listen(createProvidersApp({ db, live, holdMs: 50 }, () => {}), 0, '127.0.0.1');
  other = await listen(createProvidersApp({ db: otherDb, live: otherLive, holdMs: 50 }, () => {}), 0, '127.0.0.1');
  check = responseChecker(await (await fetch(`${http.url}/openapi.json`)).json());
});
after(async () => {
  server.close();
  await Promise.all([http.close(), other.close()]);
  await flushJournals();
  await Promise.all([live.close(), otherLive.close()]);
  await Promise.all([db.end(), otherDb.end(), pglite.end()]);
});

const ID = '11010519491231002X';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(origin: string, run: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { [RUN_HEADER]: run, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000), // a hang, not a slow machine: 200 calls at once over PGlite take their turns on this thread
  });
  const answer = { status: response.status, body: await response.json() };
  assert.equal(check(method, path, answer.status, answer.body), undefined);
  return answer;
}

async function startSession(origin: string, run: string): Promise<string> {
  const started = await call(origin, run, 'POST', '/face/v1/sessions', { name: '田军', idNumber: ID });
  assert.equal(started.status, 201);
  return started.body.sessionId;
}

/** Start a face session for the test person and verify it; returns the verdict. */
async function faceCheck(origin: string, run: string, presentedIdNumber = ID) {
  const sessionId = await startSession(origin, run);
  return call(origin, run, 'POST', `/face/v1/sessions/${sessionId}/verify`, { presentedIdNumber });
}

for (const adapter of ['msw', 'http', 'msw over PGlite'] as const) {
  describe(`provider mocks through ${adapter}`, () => {
    const origin = () => ({ msw: MSW_ORIGIN, http: http.url, 'msw over PGlite': PGLITE_ORIGIN })[adapter];
    /** The database the adapter's mocks keep their state in. */
    const store = () => (adapter === 'msw over PGlite' ? pglite : db);

    test('an unscripted person gets the happy path, journaled with its subject', async () => {
      const run = randomUUID();
      const verdict = await faceCheck(origin(), run);
      assert.deepEqual(verdict, { status: 200, body: { passed: true, code: 'PASS', message: '认证成功' } });
      const entries = await readJournal(store(), { run, provider: 'face' });
      assert.deepEqual(entries.map((e) => [e.operation, e.subject, e.status, e.outcome]), [
        ['start', ID, 201, null],
        ['verify', ID, 200, 'PASS'],
      ]);
    });

    test('scripted outcomes are used in order, then the happy path returns', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'face', subject: ID, outcome: 'PHOTO_QUALITY', times: 2 }, live);
      await addScript(store(), { run, provider: 'face', subject: ID, outcome: 'SYSTEM_BUSY' }, live);
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await faceCheck(origin(), run)).body.code);
      assert.deepEqual(codes, ['PHOTO_QUALITY', 'PHOTO_QUALITY', 'SYSTEM_BUSY', 'PASS']);
      const entries = await readJournal(store(), { run, provider: 'face', operation: 'verify' });
      assert.deepEqual(entries.map((e) => e.outcome), codes);
    });

    test('a face that is not the session’s person never passes', async () => {
      const verdict = await faceCheck(origin(), randomUUID(), '440106199504081761');
      assert.equal(verdict.body.code, 'PORTRAIT_MISMATCH');
      assert.equal(verdict.body.message, '人像比对未通过');
    });

    test('a scripted failure wins over the impostor rule; the session keeps the verdict', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'face', subject: ID, outcome: 'NO_PORTRAIT' }, live);
      const sessionId = await startSession(origin(), run);
      const verdict = await call(origin(), run, 'POST', `/face/v1/sessions/${sessionId}/verify`, { presentedIdNumber: '440106199504081761' });
      assert.equal(verdict.body.code, 'NO_PORTRAIT');
      const session = await call(origin(), run, 'GET', `/face/v1/sessions/${sessionId}`);
      assert.deepEqual([session.body.status, session.body.code, session.body.message], ['FAILED', 'NO_PORTRAIT', '验证失败，请到登记窗口办理业务']);
    });

    test('a session verifies once; an unknown one is not found', async () => {
      const run = randomUUID();
      const sessionId = await startSession(origin(), run);
      const first = await call(origin(), run, 'POST', `/face/v1/sessions/${sessionId}/verify`, {});
      const again = await call(origin(), run, 'POST', `/face/v1/sessions/${sessionId}/verify`, {});
      const unknown = await call(origin(), run, 'POST', `/face/v1/sessions/${randomUUID()}/verify`, {});
      assert.deepEqual([first.status, first.body.code], [200, 'PASS']);
      assert.deepEqual([again.status, again.body.code], [409, 'SESSION_CLOSED']);
      assert.deepEqual([unknown.status, unknown.body.code], [404, 'SESSION_NOT_FOUND']);
      const session = await call(origin(), run, 'GET', `/face/v1/sessions/${sessionId}`);
      assert.deepEqual([session.body.status, session.body.code, session.body.message], ['PASSED', 'PASS', '认证成功']);
      const entries = await readJournal(store(), { run, provider: 'face', operation: 'verify' });
      assert.deepEqual(entries.map((e) => [e.status, e.subject]), [[200, ID], [409, ID], [404, null]]);
    });

    test('an http503 fault answers 503 and is journaled', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'identity', subject: ID, fault: 'http503' }, live);
      const answer = await call(origin(), run, 'POST', '/identity/v1/verifications', { name: '田军', idNumber: ID });
      assert.equal(answer.status, 503);
      const [entry] = await readJournal(store(), { run, provider: 'identity' });
      assert.equal(entry?.fault, 'http503');
    });

    test('reset and timeout faults fail the request at the network level', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'sms', subject: '13800138000', fault: 'reset' }, live);
      await addScript(store(), { run, provider: 'sms', subject: '13800138000', fault: 'timeout' }, live);
      for (let i = 0; i < 2; i++) await assert.rejects(call(origin(), run, 'POST', '/sms/v1/messages', { mobile: '13800138000', text: '验证码123456' }));
      const outbox = await call(origin(), run, 'GET', '/sms/v1/outbox/13800138000');
      assert.deepEqual(outbox.body.messages, []);
      const entries = await readJournal(store(), { run, provider: 'sms' });
      assert.deepEqual(entries.map((e) => [e.fault, e.status]), [['reset', null], ['timeout', null]]);
    });

    test('an accepted SMS reaches the outbox; a scripted SEND_FAILED does not', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'sms', subject: '13800138000', outcome: 'SEND_FAILED' }, live);
      const refused = await call(origin(), run, 'POST', '/sms/v1/messages', { mobile: '13800138000', text: '第一条' });
      const accepted = await call(origin(), run, 'POST', '/sms/v1/messages', { mobile: '13800138000', text: '第二条' });
      assert.deepEqual([refused.body.code, accepted.body.code], ['SEND_FAILED', 'PASS']);
      const outbox = await call(origin(), run, 'GET', '/sms/v1/outbox/13800138000');
      assert.deepEqual(outbox.body.messages.map((m: { text: string }) => m.text), ['第二条']);
    });

    test('latency is applied before the answer', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'ctid', subject: ID, latencyMs: 120 }, live);
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
      assert.equal((await readJournal(store(), { run })).length, 1);
    });

    test('the journal holds every call by the time it is read: 200 concurrent verifies', async () => {
      const run = randomUUID();
      const sessions = await Promise.all(Array.from({ length: 200 }, () => startSession(origin(), run)));
      const verdicts = await Promise.all(sessions.map((id) => call(origin(), run, 'POST', `/face/v1/sessions/${id}/verify`, {})));
      assert.ok(verdicts.every((v) => v.status === 200 && v.body.code === 'PASS'));
      const entries = await readJournal(store(), { run, provider: 'face', operation: 'verify', limit: 1000 });
      assert.equal(entries.length, 200);
      assert.ok(entries.every((e) => e.subject === ID && e.outcome === 'PASS'));
      assert.deepEqual(new Set(entries.map((e) => e.request.params.sessionId)), new Set(sessions));
    });

    test('a call is answered once its journal entry is written: another process finds it at once', async () => {
      const run = randomUUID();
      await Promise.all(Array.from({ length: 20 }, () => call(origin(), run, 'POST', '/identity/v1/verifications', { name: '田军', idNumber: ID })));
      // The table itself, through the other process's pool (PGlite has no other: through its own): not
      // readJournal, which waits for this process's queue.
      const reader = adapter === 'msw over PGlite' ? pglite : otherDb;
      const { rows } = await reader.query<{ n: number }>('SELECT count(*)::int AS n FROM provider_calls WHERE run = $1', [run]);
      assert.equal(rows[0]!.n, 20);
    });

    test('a call whose request PostgreSQL cannot store as JSON is refused and journaled with the others', async () => {
      const run = randomUUID();
      const answers = await Promise.all(['田军', '田\u0000军', '田军'].map((name) => call(origin(), run, 'POST', '/identity/v1/verifications', { name, idNumber: ID })));
      assert.deepEqual(answers.map((a) => [a.status, a.body.code]), [[200, 'PASS'], [400, 'INVALID_CHARACTER'], [200, 'PASS']]);
      const entries = await readJournal(store(), { run, provider: 'identity' });
      assert.equal(entries.length, 3);
      assert.ok(entries.some((e) => e.request.body.name === '田\uFFFD军'));
    });

    test('an ID number that cannot exist never passes, whatever is scripted, and uses up no script', async () => {
      const run = randomUUID();
      // Born in 2024: a real person on the wall clock, nobody yet on this run's clock.
      await setClock(store(), run, new Date('2020-06-01T00:00:00Z'));
      live.changed(CHANNELS.clock, run);
      const invalid = ['ABC', '000000199001011232', '110105194912310021', '44010620240101123X'];
      for (const subject of invalid) for (const provider of ['identity', 'ctid', 'face']) await addScript(store(), { run, provider, subject, outcome: 'PASS' }, live);
      const sessions: string[] = [];
      for (const idNumber of invalid) {
        const identity = await call(origin(), run, 'POST', '/identity/v1/verifications', { name: '田军', idNumber });
        assert.deepEqual(identity, { status: 200, body: { passed: false, code: 'MISMATCH', message: '验证失败，请检查输入信息' } }, idNumber);
        const ctid = await call(origin(), run, 'POST', '/ctid/v1/verifications', { name: '田军', idNumber });
        assert.deepEqual(ctid, { status: 200, body: { passed: false, code: 'FAIL', message: 'CTID认证未通过' } }, idNumber);
        const started = await call(origin(), run, 'POST', '/face/v1/sessions', { name: '田军', idNumber });
        assert.equal(started.status, 201);
        assert.deepEqual([started.body.status, started.body.code, started.body.message], ['FAILED', 'NO_PORTRAIT', '验证失败，请到登记窗口办理业务'], idNumber);
        sessions.push(started.body.sessionId);
      }
      for (const provider of ['identity', 'ctid', 'face']) assert.equal((await listScripts(store(), run, provider)).length, invalid.length, provider);
      const journal = await readJournal(store(), { run });
      assert.deepEqual(new Set(journal.map((e) => `${e.provider}:${e.outcome}`)), new Set(['identity:MISMATCH', 'ctid:FAIL', 'face:NO_PORTRAIT']));
      for (const sessionId of sessions) assert.equal((await call(origin(), run, 'POST', `/face/v1/sessions/${sessionId}/verify`, {})).body.code, 'SESSION_CLOSED');
    });

    test('a lowercase x is the same person: scripts and the journal agree', async () => {
      const run = randomUUID();
      await addScript(store(), { run, provider: 'identity', subject: ID, outcome: 'NOT_SYNCED' }, live);
      const answer = await call(origin(), run, 'POST', '/identity/v1/verifications', { name: '田军', idNumber: ` ${ID.toLowerCase()}` });
      assert.equal(answer.body.code, 'NOT_SYNCED');
      const verdict = await faceCheck(origin(), run, ID.toLowerCase());
      assert.equal(verdict.body.code, 'PASS'); // the face presented is the session's person
      assert.deepEqual((await readJournal(store(), { run })).map((e) => e.subject), [ID, ID, ID]);
    });

    test('the journal carries the run’s harness time', async () => {
      const run = randomUUID();
      const at = new Date('2026-11-23T01:00:00Z');
      await setClock(store(), run, at);
      live.changed(CHANNELS.clock, run);
      await call(origin(), run, 'POST', '/ctid/v1/verifications', { name: '田军', idNumber: ID });
      const [entry] = await readJournal(store(), { run, provider: 'ctid' });
      assert.equal(entry?.at.toISOString(), at.toISOString());
    });
  });
}

describe('which runs have scripts, remembered per process', () => {
  test('a script added while the run is known to have none applies to the very next call', async () => {
    const run = randomUUID();
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
    assert.equal(await ScriptIndex.of(live, db).mayHaveScripts(run), false); // remembered
    await addScript(db, { run, provider: 'face', subject: ID, outcome: 'OUTDATED_CONTROL' }, live);
    assert.equal((await faceCheck(http.url, run)).body.code, 'OUTDATED_CONTROL');
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
  });

  test('a lookup under way while a script is added is not remembered', async () => {
    const index = ScriptIndex.of(live, db);
    for (let i = 0; i < 20; i++) {
      const run = randomUUID();
      const looking = index.mayHaveScripts(run); // the lookup is under way
      await addScript(db, { run, provider: 'ctid', subject: ID, outcome: 'FAIL' }, live);
      await looking; // whatever it found, it must not stay
      assert.equal(await index.mayHaveScripts(run), true);
    }
  });

  test('a script added through one process is seen by a call through another within a short wait', async () => {
    const run = randomUUID();
    // Both processes remember the run as having no scripts.
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
    assert.equal((await faceCheck(other.url, run)).body.code, 'PASS');
    assert.equal(await ScriptIndex.of(otherLive, otherDb).mayHaveScripts(run), false);
    await addScript(db, { run, provider: 'face', subject: ID, outcome: 'PHOTO_QUALITY', times: 2 }, live);
    const started = performance.now();
    const codes: string[] = [];
    while (codes.filter((c) => c === 'PHOTO_QUALITY').length < 2) {
      assert.ok(performance.now() - started < 2_000, `the other process still sees no script after 2 s: ${codes.join(', ')}`);
      codes.push((await faceCheck(other.url, run)).body.code);
    }
    assert.ok(codes.slice(-2).every((c) => c === 'PHOTO_QUALITY'), `in order, once seen: ${codes.join(', ')}`);
    assert.equal((await faceCheck(other.url, run)).body.code, 'PASS');
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
  });

  test('scripts cleared through one process are forgotten by the others', async () => {
    const run = randomUUID();
    await addScript(db, { run, provider: 'face', subject: ID, outcome: 'PHOTO_QUALITY' }, live);
    await sleep(50);
    assert.equal(await ScriptIndex.of(otherLive, otherDb).mayHaveScripts(run), true);
    await clearScripts(db, run, 'face', undefined, live);
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
    const started = performance.now();
    while (await ScriptIndex.of(otherLive, otherDb).mayHaveScripts(run)) {
      assert.ok(performance.now() - started < 2_000, 'the other process still expects scripts after 2 s');
      await sleep(10);
    }
    assert.equal((await faceCheck(other.url, run)).body.code, 'PASS');
  });

  test('a reset forgets the run: its remembered scripts and its calls not yet written', async () => {
    const run = randomUUID();
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
    await flushJournals();
    await call(http.url, run, 'POST', '/ctid/v1/verifications', { name: '田军', idNumber: ID });
    // What the harness's reset does: delete the run's rows, then announce it.
    await db.query('DELETE FROM provider_calls WHERE run = $1', [run]);
    await db.query('DELETE FROM face_sessions WHERE run = $1', [run]);
    live.changed(CHANNELS.reset, run);
    assert.deepEqual(await readJournal(db, { run }), []);
    // Scripts added behind the process's back (no announcement) are seen after a reset.
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS');
    await db.query(`INSERT INTO provider_scripts (run, provider, subject, outcome, remaining) VALUES ($1, 'face', $2, 'PHOTO_QUALITY', 1)`, [run, ID]);
    assert.equal((await faceCheck(http.url, run)).body.code, 'PASS'); // remembered: no scripts
    live.changed(CHANNELS.reset, run);
    assert.equal((await faceCheck(http.url, run)).body.code, 'PHOTO_QUALITY');
  });

  test('a call written while the reset deleted the run’s rows goes too; calls after the reset stay', async () => {
    const run = randomUUID();
    await call(http.url, run, 'POST', '/ctid/v1/verifications', { name: '田军', idNumber: ID });
    await flushJournals(); // written, but (say) after the reset's DELETE had looked
    assert.equal((await readJournal(db, { run })).length, 1);
    await db.query(`SELECT pg_notify('${CHANNELS.reset}', $1)`, [run]); // heard by both processes, this one twice
    live.changed(CHANNELS.reset, run);
    assert.deepEqual(await readJournal(db, { run }), []);
    await call(http.url, run, 'POST', '/identity/v1/verifications', { name: '田军', idNumber: ID });
    await sleep(100); // the NOTIFY has come back by now: the same reset, not a new one
    const entries = await readJournal(db, { run });
    assert.deepEqual(entries.map((e) => e.provider), ['identity']);
  });
});
