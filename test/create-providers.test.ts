// createProviders (govsim/mocks) as a consumer's test uses it: MSW handlers and their controls in
// one call, over PGlite in this process (no PostgreSQL server, no govsim running), or over a running
// govsim's database, whose control API — read here through govsim/testing's client — then sees the
// same run's scripts, journal and outbox.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupServer } from 'msw/node';
import { createDb } from '../kernel/db.js';
import { RUN_HEADER } from '../kernel/runs.js';
import { createProviders, type Providers } from '../mocks/index.js';
import type { Stack } from '../services/stack.js';
import { controlClient, ControlError } from '../testing/index.js';
import { startTestStack } from './support/stack.js';

const ID = '11010519491231002X';
const MOBILE = '13800138000';

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.json() };
}

/** A face check of the test person through the handlers: start a session, verify it. */
async function faceCheck(providers: Providers, headers: Record<string, string> = {}) {
  const started = await post(`${providers.baseUrl}/face/v1/sessions`, { name: '田军', idNumber: ID }, headers);
  assert.equal(started.status, 201);
  return (await post(`${providers.baseUrl}/face/v1/sessions/${started.body.sessionId}/verify`, {}, headers)).body;
}

describe('in process, over PGlite', () => {
  let providers: Providers;
  let other: Providers;
  const server = setupServer();

  before(async () => {
    providers = await createProviders({ holdMs: 50 });
    other = await createProviders({ baseUrl: 'http://other.govsim.test' });
    server.use(...providers.handlers, ...other.handlers);
    server.listen({ onUnhandledFrame: 'error' });
  });
  after(async () => {
    server.close();
    await providers.close();
    await other.close();
  });

  test('an unscripted person passes; the journal holds both calls', async () => {
    assert.deepEqual(await faceCheck(providers), { passed: true, code: 'PASS', message: '认证成功' });
    assert.deepEqual((await providers.face.journal(ID)).slice(-2).map((c) => [c.operation, c.status, c.outcome]), [
      ['start', 201, null],
      ['verify', 200, 'PASS'],
    ]);
  });

  test('a scripted failure answers the next calls, then the happy path returns', async () => {
    const script = await providers.face.script(ID.toLowerCase(), 'PHOTO_QUALITY', { times: 2 });
    assert.deepEqual([script.subject, script.remaining], [ID, 2]);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await faceCheck(providers)).code);
    assert.deepEqual(codes, ['PHOTO_QUALITY', 'PHOTO_QUALITY', 'PASS']);
    assert.deepEqual(await providers.face.scripts(ID), []);
  });

  test('the outbox holds what the gateway accepted; the latest code is read from it', async () => {
    await providers.sms.script(MOBILE, 'SEND_FAILED');
    const refused = await post(`${providers.baseUrl}/sms/v1/messages`, { mobile: MOBILE, text: '您的验证码是111111' });
    const accepted = await post(`${providers.baseUrl}/sms/v1/messages`, { mobile: MOBILE, text: '您的验证码是246810，5分钟内有效' });
    assert.deepEqual([refused.body.code, accepted.body.code], ['SEND_FAILED', 'PASS']);
    assert.deepEqual((await providers.sms.outbox(MOBILE)).map((m) => m.text), ['您的验证码是246810，5分钟内有效']);
    assert.equal(await providers.sms.latestCode(MOBILE), '246810');
    assert.equal(await providers.sms.latestCode('13900139000'), undefined);
  });

  test('faults: a 503, and a timeout that fails the call at the network level', async () => {
    await providers.identity.script(ID, { fault: 'http503' });
    await providers.identity.script(ID, { fault: 'timeout' });
    const unavailable = await post(`${providers.baseUrl}/identity/v1/verifications`, { name: '田军', idNumber: ID });
    assert.equal(unavailable.status, 503);
    await assert.rejects(post(`${providers.baseUrl}/identity/v1/verifications`, { name: '田军', idNumber: ID }));
    assert.deepEqual((await providers.identity.journal(ID)).map((c) => [c.fault, c.status]), [['http503', 503], ['timeout', null]]);
  });

  test('a script the provider cannot follow is refused with the control API’s message', async () => {
    await assert.rejects(providers.face.script(ID, 'PHOTO_QUALTY' as 'PHOTO_QUALITY'), /face 没有这个结果: PHOTO_QUALTY/);
    await assert.rejects(providers.face.script(ID, {}), /请至少指定 outcome、fault 或 latencyMs 之一/);
    await assert.rejects(providers.face.script(ID, 'PASS', { times: 0 }), /face script: times/);
    assert.deepEqual(await providers.face.scripts(), []);
  });

  test('each createProviders() has a run of its own; a call naming another run goes to it', async () => {
    await other.face.script(ID, 'NO_PORTRAIT');
    assert.equal((await faceCheck(providers)).code, 'PASS');
    assert.equal((await faceCheck(providers, { [RUN_HEADER]: other.run })).code, 'NO_PORTRAIT');
    assert.equal((await other.face.journal()).length, 2);
    assert.notEqual(providers.run, other.run);
  });

  test('the journal carries the run’s clock; reset forgets the run and only it', async () => {
    await providers.clock.set('2026-11-23T09:00');
    await post(`${providers.baseUrl}/ctid/v1/verifications`, { name: '田军', idNumber: ID });
    assert.equal((await providers.ctid.journal()).at(-1)?.at.toISOString(), '2026-11-23T01:00:00.000Z');
    await providers.clock.advance('1d');
    assert.equal((await providers.clock.now()).now.toISOString(), '2026-11-24T01:00:00.000Z');
    await providers.face.script(ID, 'SYSTEM_BUSY');
    const othersCalls = (await other.journal()).length;
    await providers.reset();
    assert.deepEqual([await providers.journal(), await providers.sms.outbox(), await providers.face.scripts()], [[], [], []]);
    assert.equal((await providers.clock.now()).system, true);
    assert.equal((await other.journal()).length, othersCalls);
  });
});

test('the last close lets PGlite go; the next createProviders() starts it again', async () => {
  const first = await createProviders();
  await first.close();
  const again = await createProviders();
  const server = setupServer(...again.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  try {
    assert.equal((await faceCheck(again)).code, 'PASS');
  } finally {
    server.close();
    await again.close();
  }
});

describe('over a running govsim’s database', () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
  const db = createDb(databaseUrl, 4);
  let stack: Stack;
  let providers: Providers;
  const server = setupServer();

  before(async () => {
    stack = await startTestStack(db);
    providers = await createProviders({ databaseUrl, baseUrl: 'http://providers.shared.test' });
    server.use(...providers.handlers);
    server.listen({ onUnhandledFrame: 'bypass' }); // the control client's calls go to the real control server
  });
  after(async () => {
    server.close();
    await providers.close();
    await stack.close();
    await db.end();
  });

  test('the control API sees what the in-process mocks were scripted and sent, and scripts them', async () => {
    const govsim = controlClient({ url: stack.urls.control, run: providers.run });
    await providers.face.script(ID, 'PORTRAIT_MISMATCH');
    assert.deepEqual((await govsim.face.scripts(ID)).map((s) => s.outcome), ['PORTRAIT_MISMATCH']);
    assert.equal((await faceCheck(providers)).code, 'PORTRAIT_MISMATCH');
    await post(`${providers.baseUrl}/sms/v1/messages`, { mobile: MOBILE, text: '验证码 135790' });
    assert.equal(await govsim.sms.latestCode(MOBILE), '135790');
    assert.deepEqual((await govsim.journal({ provider: 'face' })).map((c) => c.outcome), [null, 'PORTRAIT_MISMATCH']);

    // The other way round: scripted through the control API, answered in process at once.
    await govsim.face.script(ID, 'OUTDATED_CONTROL');
    assert.equal((await faceCheck(providers)).code, 'OUTDATED_CONTROL');
    const deleted = await govsim.reset();
    assert.ok((deleted.provider_calls ?? 0) >= 4);
    assert.deepEqual(await providers.journal(), []);
    await assert.rejects(govsim.face.script(ID, 'NOT_AN_OUTCOME' as 'PASS'), (error: unknown) => error instanceof ControlError && error.status === 400 && error.code === 'UNKNOWN_OUTCOME');
  });
});
