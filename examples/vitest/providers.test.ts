// govsim's provider mocks in a vitest test: no PostgreSQL server, no govsim running.
import { setupServer } from 'msw/node';
import { createProviders } from 'govsim/mocks';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';

const providers = await createProviders();
const server = setupServer(...providers.handlers);

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => providers.reset());
afterAll(async () => {
  server.close();
  await providers.close();
});

// The code under test: an app's own client of the face provider (粤信签) and the SMS gateway,
// pointed at providers.baseUrl in tests.
async function post(url: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, ...(await response.json()) };
}
async function faceCheck(baseUrl: string, person: { name: string; idNumber: string }) {
  const session = await post(`${baseUrl}/face/v1/sessions`, person);
  return post(`${baseUrl}/face/v1/sessions/${session.sessionId}/verify`, {}); // the person faces the camera
}
async function sendLoginCode(baseUrl: string, mobile: string) {
  const code = String(Math.floor(100000 + Math.random() * 900000));
  const sent = await post(`${baseUrl}/sms/v1/messages`, { mobile, text: `您的登录验证码为${code}，5分钟内有效。` });
  return sent.passed ? code : undefined;
}

const tianJun = { name: '田军', idNumber: '11010519491231002X' };
const mobile = '13800138000';

test('a person who is who they say passes the face check', async () => {
  expect(await faceCheck(providers.baseUrl, tianJun)).toEqual({ status: 200, passed: true, code: 'PASS', message: '认证成功' });
});

test('a photo too dark fails twice, then the person passes', async () => {
  await providers.face.script(tianJun.idNumber, 'PHOTO_QUALITY', { times: 2 });
  expect((await faceCheck(providers.baseUrl, tianJun)).message).toBe('人像照片质量不合格');
  expect((await faceCheck(providers.baseUrl, tianJun)).message).toBe('人像照片质量不合格');
  expect((await faceCheck(providers.baseUrl, tianJun)).passed).toBe(true);
  const verifies = (await providers.face.journal(tianJun.idNumber)).filter((call) => call.operation === 'verify');
  expect(verifies.map((call) => call.outcome)).toEqual(['PHOTO_QUALITY', 'PHOTO_QUALITY', 'PASS']);
});

test('the login code reaches the outbox; a gateway failure sends nothing', async () => {
  await providers.sms.script(mobile, 'SEND_FAILED');
  expect(await sendLoginCode(providers.baseUrl, mobile)).toBeUndefined();
  const code = await sendLoginCode(providers.baseUrl, mobile);
  expect(await providers.sms.latestCode(mobile)).toBe(code);
  expect(await providers.sms.outbox(mobile)).toHaveLength(1);
});

test('the face provider down: a 503, then a call that never answers', async () => {
  await providers.face.script(tianJun.idNumber, { fault: 'http503', operation: 'start' });
  await providers.face.script(tianJun.idNumber, { fault: 'timeout', operation: 'start' });
  expect((await post(`${providers.baseUrl}/face/v1/sessions`, tianJun)).status).toBe(503);
  await expect(fetch(`${providers.baseUrl}/face/v1/sessions`, { method: 'POST', body: JSON.stringify(tianJun), signal: AbortSignal.timeout(200) })).rejects.toThrow();
});
