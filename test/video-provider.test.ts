// The video provider, written once and served twice like the others (test/providers.test.ts):
// the MSW handlers and the HTTP server give the same answers from the same outcome table.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setupServer } from 'msw/node';
import { addScript, flushJournals, providerHandlers, providers, readJournal } from '../mocks/index.js';
import { createDb } from '../kernel/db.js';
import { listen, RUN_HEADER, type Listening } from '../kernel/http.js';
import { Live } from '../kernel/live.js';
import { createProvidersApp, migrateAll } from '../services/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 5);
const MSW_ORIGIN = 'http://video.msw.test';
const server = setupServer(...providerHandlers(db, providers, { baseUrl: MSW_ORIGIN, holdMs: 50 }));
let live: Live;
let http: Listening;

before(async () => {
  await migrateAll(db);
  live = await Live.start(db, databaseUrl);
  server.listen({ onUnhandledFrame: 'bypass' });
  http = await listen(createProvidersApp({ db, live, holdMs: 50 }, () => {}), 0, '127.0.0.1');
});
after(async () => {
  server.close();
  await http.close();
  await flushJournals();
  await live.close();
  await db.end();
});

const INSPECTOR = { id: '32040219800101001X', name: '王核查' };
const LEGAL_REP = { id: '320402198203150027', name: '李法人' };

async function call(origin: string, run: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { [RUN_HEADER]: run, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, body: await response.json() };
}

for (const adapter of ['msw', 'http'] as const) {
  describe(`the video provider through ${adapter}`, () => {
    const origin = () => (adapter === 'msw' ? MSW_ORIGIN : http.url);
    const room = async (run: string) => {
      const created = await call(origin(), run, 'POST', '/video/v1/rooms', { reference: 'HC-1', host: INSPECTOR });
      assert.equal(created.status, 201);
      return created.body.roomId as string;
    };
    const join = (run: string, roomId: string, who = LEGAL_REP) => call(origin(), run, 'POST', `/video/v1/rooms/${roomId}/participants`, who);
    const state = async (run: string, roomId: string) => (await call(origin(), run, 'GET', `/video/v1/rooms/${roomId}`)).body;

    test('unscripted: room created, both join, one hangs up, the host ends it; every call journaled', async () => {
      const run = randomUUID();
      const roomId = await room(run);
      const joined = await join(run, roomId);
      assert.deepEqual([joined.status, joined.body.passed, joined.body.code, joined.body.message, joined.body.participant.status], [200, true, 'PASS', '已接通', 'JOINED']);
      await join(run, roomId, INSPECTOR);
      const hungUp = await call(origin(), run, 'POST', `/video/v1/rooms/${roomId}/participants/${LEGAL_REP.id}/leave`);
      assert.deepEqual(hungUp.body.participants.map((p: { id: string; status: string }) => [p.id, p.status]), [[LEGAL_REP.id, 'LEFT'], [INSPECTOR.id, 'JOINED']]);
      const ended = await call(origin(), run, 'POST', `/video/v1/rooms/${roomId}/end`);
      assert.deepEqual([ended.body.status, ended.body.label], ['ENDED', '视频核查已结束']);
      assert.ok(ended.body.participants.every((p: { status: string }) => p.status === 'LEFT'));
      const entries = await readJournal(db, { run, provider: 'video' });
      assert.deepEqual(entries.map((e) => [e.operation, e.subject, e.status, e.outcome]), [
        ['create', INSPECTOR.id, 201, null],
        ['join', LEGAL_REP.id, 200, 'PASS'],
        ['join', INSPECTOR.id, 200, 'PASS'],
        ['leave', LEGAL_REP.id, 200, null],
        ['end', INSPECTOR.id, 200, null],
      ]);
    });

    test('a participant scripted to fail to connect joins nothing; the next try joins', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'video', subject: LEGAL_REP.id, outcome: 'CONNECT_FAILED' }, live);
      const roomId = await room(run);
      const failed = await join(run, roomId);
      assert.deepEqual(failed.body, { passed: false, code: 'CONNECT_FAILED', message: '视频连接失败，请检查网络后重试' });
      assert.deepEqual((await state(run, roomId)).participants, []);
      assert.equal((await join(run, roomId)).body.participant.status, 'JOINED');
    });

    test('a dropped call answers 已接通, then the room shows the line dropped until the participant joins again', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'video', subject: LEGAL_REP.id, outcome: 'DROPPED' }, live);
      const roomId = await room(run);
      const joined = await join(run, roomId);
      assert.deepEqual([joined.body.code, joined.body.participant.status], ['PASS', 'JOINED']);
      const [dropped] = (await state(run, roomId)).participants;
      assert.deepEqual([dropped.status, dropped.label], ['DROPPED', '视频通话已中断']);
      await join(run, roomId);
      const [back] = (await state(run, roomId)).participants;
      assert.deepEqual([back.status, back.joins], ['JOINED', 2]);
      const outcomes = (await readJournal(db, { run, provider: 'video', operation: 'join' })).map((e) => e.outcome);
      assert.deepEqual(outcomes, ['DROPPED', 'PASS']);
    });

    test('an ended room takes nobody in; an unknown room is not found', async () => {
      const run = randomUUID();
      const roomId = await room(run);
      await call(origin(), run, 'POST', `/video/v1/rooms/${roomId}/end`);
      const late = await join(run, roomId);
      assert.deepEqual([late.status, late.body.code, late.body.message], [409, 'ROOM_ENDED', '视频核查已结束']);
      const again = await call(origin(), run, 'POST', `/video/v1/rooms/${roomId}/end`);
      assert.equal(again.status, 200);
      const unknown = await join(run, randomUUID());
      assert.deepEqual([unknown.status, unknown.body.code], [404, 'ROOM_NOT_FOUND']);
    });

    test('faults and latency apply to any operation, by subject', async () => {
      const run = randomUUID();
      await addScript(db, { run, provider: 'video', subject: INSPECTOR.id, operation: 'create', fault: 'http503' }, live);
      const refused = await call(origin(), run, 'POST', '/video/v1/rooms', { reference: 'HC-2', host: INSPECTOR });
      assert.equal(refused.status, 503);
      const roomId = await room(run);
      await addScript(db, { run, provider: 'video', subject: LEGAL_REP.id, latencyMs: 120 }, live);
      const started = performance.now();
      assert.equal((await join(run, roomId)).body.code, 'PASS');
      assert.ok(performance.now() - started >= 110);
      const entries = await readJournal(db, { run, provider: 'video' });
      assert.deepEqual(entries.map((e) => [e.operation, e.fault, e.latencyMs]), [
        ['create', 'http503', 0],
        ['create', null, 0],
        ['join', null, 120],
      ]);
    });
  });
}
