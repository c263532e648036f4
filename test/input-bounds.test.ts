// Inputs are bounded where they enter (kernel/input.ts, kernel/fields.ts, kernel/clock.ts): each
// class of input that once made a server answer 500 is refused with a 4xx, a stable code and the
// Chinese message its server's OpenAPI document lists, on every server it can reach, and stores
// nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setupServer } from 'msw/node';
import { loadConfig } from '../kernel/config.js';
import { createDb, type Db } from '../kernel/db.js';
import { RUN_HEADER } from '../kernel/http.js';
import { providerHandlers, providers } from '../mocks/index.js';
import { migrateAll, startStack, type Stack, type StackUrls } from '../services/stack.js';
import { fakeEnterprise, fakePerson, Rng } from '../services/world/generate.js';
import { responseChecker, type ResponseCheck } from '../conformance/openapi-check.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 5);
const run = `bounds-${randomUUID()}`;
const WEEK = '2026-11-23';
const MSW_ORIGIN = 'http://providers.bounds.test';
const msw = setupServer(...providerHandlers(db, providers, { baseUrl: MSW_ORIGIN }));
let stack: Stack;
const logged: string[] = [];

type Server = keyof StackUrls;
interface Answer {
  status: number;
  contentType: string;
  body: any;
  /** What the server's OpenAPI document says is wrong with the answer (undefined: it describes it, or the server is not the stack's). */
  undocumented?: string | undefined;
}

const checkers = new Map<Server, Promise<ResponseCheck>>();
const checkerOf = (server: Server) => {
  if (!checkers.has(server)) checkers.set(server, fetch(`${stack.urls[server]}/openapi.json`).then(async (r) => responseChecker(await r.json())));
  return checkers.get(server)!;
};

async function call(server: Server | string, method: string, path: string, options: { body?: unknown; raw?: string; contentType?: string; runKey?: string; token?: string } = {}): Promise<Answer> {
  const base = server in stack.urls ? stack.urls[server as Server] : server;
  const text = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { [RUN_HEADER]: options.runKey ?? run, ...(text === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: text,
  });
  const contentType = response.headers.get('content-type') ?? '';
  const answer = await response.text();
  const body = contentType.startsWith('application/json') && answer ? JSON.parse(answer) : answer;
  const undocumented = server in stack.urls ? (await checkerOf(server as Server))(method, new URL(`${base}${path}`).pathname, response.status, body || undefined) : undefined;
  return { status: response.status, contentType, body, undocumented };
}

/** Sends bytes as they are (a header past Node's limit, a malformed request line): the answer's status, headers and body. */
function rawRequest(server: Server, request: string): Promise<{ status: number; head: string; body: any }> {
  const { hostname, port } = new URL(stack.urls[server]);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: body ? JSON.parse(body) : undefined });
    });
  });
}

const footprint = async () => (await call('control', 'GET', '/harness/v1/footprint')).body as Record<string, number>;

/** The call is refused with `status` and `code`, with a Chinese message, and the run's footprint (the journal aside) is unchanged. */
async function refused(answer: Promise<Answer>, status: number, code: string) {
  const before = await footprint();
  const { status: got, contentType, body, undocumented } = await answer;
  assert.deepEqual({ status: got, code: body?.code }, { status, code }, JSON.stringify(body));
  assert.equal(undocumented, undefined, 'a refusal its document does not list');
  assert.match(contentType, /^application\/json/);
  assert.match(body.message, /[\u4e00-\u9fff]/, `not the app's message: ${body.message}`);
  const after = await footprint();
  delete before.provider_calls;
  delete after.provider_calls;
  assert.deepEqual(after, before, 'a refusal stored something');
  return body;
}

const rng = new Rng(11).child(run);
const owner = fakePerson(rng.child('owner'));
const enterprise = fakeEnterprise(rng.child('enterprise'), owner);
let token = '';

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, (line) => logged.push(line));
  msw.listen({ onUnhandledFrame: 'bypass' }); // calls to the stack's servers go through
  const ok = async (answer: Promise<Answer>) => {
    const { status, body } = await answer;
    assert.ok(status < 300, `${status} ${JSON.stringify(body)}`);
    return body;
  };
  await ok(call('control', 'PUT', '/harness/v1/clock', { body: { at: `${WEEK}T09:00` } }));
  await ok(call('control', 'POST', '/harness/v1/registry/persons', { body: owner }));
  await ok(call('control', 'POST', '/harness/v1/registry/enterprises', { body: enterprise }));
  await ok(call('control', 'POST', '/harness/v1/risk/enterprises', { body: { uscc: enterprise.uscc, kind: 'TRANSPORT' } }));
  const started = await ok(call('services', 'POST', '/yst/v1/face-login', { body: { name: owner.name, idNumber: owner.idNumber, mobile: owner.mobile } }));
  await ok(call('providers', 'POST', `/face/v1/sessions/${started.providerSessionId}/verify`, { body: {} }));
  token = (await ok(call('services', 'POST', `/yst/v1/face-login/${started.faceCheckId}/complete`))).token;
});

after(async () => {
  msw.close();
  await call('control', 'POST', '/harness/v1/reset');
  await stack.close();
  await db.end();
  assert.deepEqual(logged.filter((line) => line.includes('unexpected error')), [], 'a server logged an unexpected error');
});

const DEEP_OBJECT = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
const DEEP_ARRAY = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;

describe('dates PostgreSQL would refuse never reach it', () => {
  test('year 0000, a day that does not exist, a five-digit year: 400 INVALID_DATE', async () => {
    const person = fakePerson(rng.child('dates'));
    for (const idValidFrom of ['0000-01-01', '2026-02-30', '2026-00-10', '1899-12-31']) {
      await refused(call('control', 'POST', '/harness/v1/registry/persons', { body: { ...person, idValidFrom } }), 400, 'INVALID_DATE');
      await refused(call('services', 'POST', '/sdreg/v1/users', { body: { ...person, idValidFrom, password: 'Abc12345', confirmPassword: 'Abc12345', agreementAccepted: true } }), 400, 'INVALID_DATE');
    }
    await refused(call('control', 'POST', '/harness/v1/registry/persons', { body: { ...person, idValidTo: '99999-01-01' } }), 400, 'INVALID_DATE');
    await refused(call('control', 'GET', '/harness/v1/jobs/weekly-fanout/0000-01-03'), 400, 'INVALID_DATE');
  });

  test('a fan-out week must be a Monday within the range; the last one is issued and finished', async () => {
    await refused(call('control', 'POST', '/harness/v1/jobs/weekly-fanout', { body: { week: '2026-11-24' } }), 400, 'NOT_A_MONDAY');
    await refused(call('control', 'POST', '/harness/v1/jobs/weekly-fanout', { body: { week: '9999-12-27' } }), 400, 'INVALID_DATE');
    await refused(call('control', 'POST', '/harness/v1/jobs/weekly-fanout', { body: { week: '0000-01-03' } }), 400, 'INVALID_DATE');
    const last = await call('control', 'POST', '/harness/v1/jobs/weekly-fanout', { body: { week: '2999-12-30' } });
    assert.equal(last.status, 200, JSON.stringify(last.body));
    const progress = await call('control', 'GET', '/harness/v1/jobs/weekly-fanout/2999-12-30');
    assert.equal(progress.body.status, 'DONE', JSON.stringify(progress.body));
  });
});

describe('the run clock never leaves the range JavaScript and PostgreSQL share', () => {
  const clockRun = `bounds-clock-${randomUUID()}`;
  const clock = (method: string, path: string, body?: unknown) => call('control', method, path, { body, runKey: clockRun });

  test('set to or past the edge of the JavaScript date range: 400 CLOCK_OUT_OF_RANGE, and the clock still answers', async () => {
    for (const at of ['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '0000-01-01T00:00:00Z', '3000-01-01T00:00', '1899-12-31T23:59:59+08:00']) {
      const answer = await clock('PUT', '/harness/v1/clock', { at });
      assert.deepEqual([answer.status, answer.body.code, answer.undocumented], [400, 'CLOCK_OUT_OF_RANGE', undefined], at);
    }
    assert.equal((await clock('GET', '/harness/v1/clock')).status, 200);
  });

  test('advanced past the edge, by any amount: refused, and the clock stays where it was', async () => {
    const set = await clock('PUT', '/harness/v1/clock', { at: '2999-12-31T23:00' });
    assert.equal(set.status, 200);
    for (const by of ['1d', '99999999999999999999', '999999999999999w', 2 ** 53 - 1, '1h']) {
      const answer = await clock('POST', '/harness/v1/clock/advance', { by });
      assert.deepEqual([answer.status, answer.body.code, answer.undocumented], [400, 'CLOCK_OUT_OF_RANGE', undefined], String(by));
    }
    const now = await clock('GET', '/harness/v1/clock');
    assert.deepEqual([now.status, now.body.shanghai], [200, '2999-12-31 23:00:00']);
    assert.equal((await clock('POST', '/harness/v1/clock/advance', { by: '59m' })).status, 200);
    // A clock never set follows the wall clock: advancing it by more than the range allows is refused too.
    const fresh = await call('control', 'POST', '/harness/v1/clock/advance', { body: { by: `${1000 * 52}w` }, runKey: `bounds-fresh-${randomUUID()}` });
    assert.deepEqual([fresh.status, fresh.body.code], [400, 'CLOCK_OUT_OF_RANGE']);
    await call('control', 'POST', '/harness/v1/reset', { runKey: clockRun });
  });
});

test('a face check that names nothing: 404 FACE_CHECK_NOT_FOUND, as every 登记注册 step taking one documents (found by the fuzz test)', async () => {
  const nothing = randomUUID();
  const password = { password: 'Abc12345', confirmPassword: 'Abc12345' };
  await refused(call('services', 'POST', `/sdreg/v1/activations/${nothing}/password`, { body: password }), 404, 'FACE_CHECK_NOT_FOUND');
  await refused(call('services', 'POST', `/sdreg/v1/password-resets/${nothing}/password`, { body: password }), 404, 'FACE_CHECK_NOT_FOUND');
  await refused(call('services', 'POST', `/sdreg/v1/face-login/${nothing}/complete`), 404, 'FACE_CHECK_NOT_FOUND');
});

test('a seed beyond PostgreSQL integer is refused before anything is stored', async () => {
  for (const seed of [2 ** 31, 2 ** 53 - 1, -1, 1.5]) {
    await refused(call('control', 'POST', '/harness/v1/risk/world', { body: { seed, enterprises: 1 } }), 400, 'INVALID_SEED');
    await refused(call('control', 'POST', '/harness/v1/world', { body: { seed, enterprises: 1 } }), 400, 'INVALID_SEED');
  }
});

test('an enterprise the registry does not hold is refused and leaves no risk world behind', async () => {
  const emptyRun = `bounds-empty-${randomUUID()}`;
  const answer = await call('control', 'POST', '/harness/v1/risk/enterprises', { body: { uscc: enterprise.uscc, kind: 'FILLING' }, runKey: emptyRun });
  assert.deepEqual([answer.status, answer.body.code], [404, 'ENTERPRISE_NOT_FOUND']);
  assert.deepEqual((await call('control', 'GET', '/harness/v1/footprint', { runKey: emptyRun })).body, {});
});

describe('no control character reaches a query', () => {
  test('NUL in a body string, on each server', async () => {
    await refused(call('services', 'POST', '/yst/v1/enterprise-accounts', { token, body: { enterpriseName: '广州\u0000测试有限公司', uscc: enterprise.uscc } }), 400, 'INVALID_CHARACTER');
    await refused(call('services', 'POST', '/yst/v1/face-login', { body: { name: owner.name, idNumber: `${owner.idNumber}\u0000` } }), 400, 'INVALID_CHARACTER');
    await refused(call('providers', 'POST', '/face/v1/sessions', { body: { name: '田\u0000军', idNumber: owner.idNumber } }), 400, 'INVALID_CHARACTER');
    await refused(call('control', 'POST', '/harness/v1/registry/enterprises', { body: { ...enterprise, uscc: fakeEnterprise(rng.child('nul'), owner).uscc, status: '存\u0000续' } }), 400, 'INVALID_CHARACTER');
    await refused(call('control', 'POST', '/harness/v1/providers/face/scripts', { body: { subject: `${owner.idNumber}\u0000`, outcome: 'PASS' } }), 400, 'INVALID_CHARACTER');
  });

  test('NUL, other control characters and half a surrogate pair in a key, a path parameter or a query', async () => {
    await refused(call('control', 'POST', '/harness/v1/providers/face/scripts', { raw: `{"subject":"${owner.idNumber}","outcome":"PASS","\\u0000":1}` }), 400, 'INVALID_CHARACTER');
    await refused(call('providers', 'GET', '/face/v1/sessions/abc%00def'), 400, 'INVALID_CHARACTER');
    await refused(call('providers', 'GET', '/sms/v1/outbox/1%0B3'), 400, 'INVALID_CHARACTER');
    await refused(call('services', 'GET', '/yst/v1/invitations/abcdefghij%00klm'), 400, 'INVALID_CHARACTER');
    await refused(call('services', 'GET', '/yst/v1/invitations/abcdefghij%1Bklm'), 400, 'INVALID_CHARACTER');
    await refused(call('control', 'GET', '/harness/v1/journal?subject=%00'), 400, 'INVALID_CHARACTER');
    await refused(call('control', 'GET', '/harness/v1/sms/outbox?mobile=1%C2%853'), 400, 'INVALID_CHARACTER');
    await refused(call('providers', 'POST', '/identity/v1/verifications', { raw: `{"name":"\\ud800","idNumber":"${owner.idNumber}"}` }), 400, 'INVALID_CHARACTER');
    // Line breaks and tabs are text, not control: a multi-line description is fine.
    const line = await call('providers', 'POST', '/sms/v1/messages', { body: { mobile: owner.mobile, text: '第一行\n第二行\t完' } });
    assert.equal(line.status, 200);
  });
});

describe('bodies: JSON, within size and depth, on every server', () => {
  for (const [server, path] of [
    ['services', '/yst/v1/face-login'],
    ['providers', '/face/v1/sessions'],
    ['control', '/harness/v1/registry/persons'],
  ] as const) {
    test(`${server}: 50 000 levels deep, malformed, too large, not JSON`, async () => {
      await refused(call(server, 'POST', path, { raw: DEEP_OBJECT }), 400, 'BODY_TOO_DEEP');
      await refused(call(server, 'POST', path, { raw: DEEP_ARRAY }), 400, 'BODY_TOO_DEEP');
      await refused(call(server, 'POST', path, { raw: '{"name": "田军",' }), 400, 'INVALID_JSON');
      await refused(call(server, 'POST', path, { raw: JSON.stringify({ name: 'x'.repeat(1_100_000) }) }), 413, 'BODY_TOO_LARGE');
      await refused(call(server, 'POST', path, { raw: '{"name":"田军"}', contentType: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await refused(call(server, 'POST', path, { raw: 'name=田军', contentType: 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await refused(call(server, 'POST', path, { raw: '{"name":"田军"}', contentType: 'application/json; charset=latin1' }), 415, 'UNSUPPORTED_CHARSET');
    });
  }

  test('a body of another type is not taken for none (a route whose every field is optional)', async () => {
    await refused(call('control', 'POST', '/harness/v1/jobs/weekly-fanout', { raw: '{"week":"2026-11-23"}', contentType: 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('the MSW handlers keep the same rules', async () => {
    const deep = await fetch(`${MSW_ORIGIN}/face/v1/sessions`, { method: 'POST', headers: { [RUN_HEADER]: run, 'content-type': 'application/json' }, body: DEEP_OBJECT });
    assert.deepEqual([deep.status, (await deep.json()).code], [400, 'BODY_TOO_DEEP']);
    const malformed = await fetch(`${MSW_ORIGIN}/face/v1/sessions`, { method: 'POST', headers: { [RUN_HEADER]: run, 'content-type': 'application/json' }, body: '{"name":' });
    assert.deepEqual([malformed.status, (await malformed.json()).code], [400, 'INVALID_JSON']);
    const large = await fetch(`${MSW_ORIGIN}/face/v1/sessions`, { method: 'POST', headers: { [RUN_HEADER]: run, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
    assert.deepEqual([large.status, (await large.json()).code], [413, 'BODY_TOO_LARGE']);
    const nul = await fetch(`${MSW_ORIGIN}/face/v1/sessions`, { method: 'POST', headers: { [RUN_HEADER]: run, 'content-type': 'application/json' }, body: JSON.stringify({ name: '田\u0000军', idNumber: owner.idNumber }) });
    assert.deepEqual([nul.status, (await nul.json()).code], [400, 'INVALID_CHARACTER']);
  });
});

describe('requests refused before any route', () => {
  test('a bad percent escape in a path parameter: 400 INVALID_PATH', async () => {
    await refused(call('services', 'GET', '/yst/v1/invitations/%E0%A4%A'), 400, 'INVALID_PATH');
    await refused(call('services', 'GET', '/yst/v1/enterprise-accounts/%zz'), 400, 'INVALID_PATH');
    await refused(call('providers', 'GET', '/face/v1/sessions/%ED%A0%80'), 400, 'INVALID_PATH');
    await refused(call('control', 'GET', '/harness/v1/sms/outbox/%/latest-code'), 400, 'INVALID_PATH');
  });

  for (const server of ['services', 'providers', 'control'] as const) {
    test(`${server}: headers past Node's limit answer 431 as JSON; so does a request line that is not HTTP`, async () => {
      const big = await rawRequest(server, `GET /harness/v1/clock HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
      assert.equal(big.status, 431);
      assert.match(big.head, /content-type: application\/json/i);
      assert.equal(big.body.code, 'HEADERS_TOO_LARGE');
      assert.match(big.body.message, /[\u4e00-\u9fff]/);
      const longUrl = await rawRequest(server, `GET /harness/v1/journal?subject=${'1'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.equal(longUrl.body.code, 'HEADERS_TOO_LARGE');
      const garbage = await rawRequest(server, 'NOT HTTP AT ALL\r\n\r\n');
      assert.deepEqual([garbage.status, garbage.body.code], [400, 'INVALID_REQUEST']);
    });
  }

  test('a malformed run key is refused in Chinese', async () => {
    const answer = await call('control', 'GET', '/harness/v1/clock', { runKey: 'no spaces allowed' });
    assert.deepEqual([answer.status, answer.body.code], [400, 'INVALID_RUN_KEY']);
    assert.match(answer.body.message, /[\u4e00-\u9fff]/);
  });
});
