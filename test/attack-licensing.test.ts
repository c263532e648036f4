// 常州 危险化学品经营许可 as an attacker and a careless client call it, over real HTTP against a
// started stack: dates at the edge of their type or before the application existed, text with a
// NUL (which PostgreSQL cannot store) in every free-text field and the officer's login. Each
// answer is a 4xx with its code and the Chinese message the app shows, nothing is stored, and a
// refused step leaves the inspection as it was (its video room open).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDb, type Db } from '../kernel/db.js';
import type { Stack } from '../services/stack.js';
import { licensingEnterprise, licensingOfficer, submittedApplication } from './support/journeys.js';
import { ok, refusal, runClient, startTestStack, type RunClient } from './support/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 10);
let stack: Stack;

const WEB = '/changzhou/v1/web/applications';
const APP = '/changzhou/v1/app/applications';
const AUTHORITY = '/changzhou/v1/authority/applications';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const image = { mimeType: 'image/png', data: PNG.toString('base64') };
const NUL_REFUSED = { status: 400, code: 'INVALID_CHARACTER', message: '输入内容含有不允许的字符' };

before(async () => {
  stack = await startTestStack(db);
});
after(async () => {
  await stack.close();
  await db.end();
});

const licensingRows = async (c: RunClient) =>
  Object.fromEntries(Object.entries((await ok(c.control('get', '/harness/v1/footprint'))) as Record<string, number>).filter(([t]) => t.startsWith('lic_') && t !== 'lic_officer_sessions'));

test('添加员工 with an assessment day of year 0000 is refused as a date, not a 500 from PostgreSQL (F1)', async () => {
  const c = runClient(stack, 'attack-lic-staff');
  const { rep, token } = await licensingEnterprise(c, 'CLOUD');
  const before = await licensingRows(c);
  const answer = await c.services('post', '/changzhou/v1/web/staff', {
    token,
    body: { name: '吴安全', idNumber: rep.idNumber, certificateNo: 'AQ20260001', unitType: '危险化学品经营单位', qualification: 'SAFETY_MANAGER', assessedOn: '0000-01-01' },
  });
  assert.deepEqual(refusal(answer), { status: 400, code: 'INVALID_DATE', message: '请选择正确的日期' });
  assert.deepEqual(await licensingRows(c), before);
});

test('an officer’s login with a NUL or nothing in the username is refused with its code, not a 500', async () => {
  const c = runClient(stack, 'attack-lic-login');
  await licensingOfficer(c, 'tn-inspector', ['INSPECTOR']);
  const login = (username: string) => c.services('post', '/changzhou/v1/authority/sessions', { body: { username, password: 'Officer2026' } });
  assert.deepEqual(refusal(await login('tn-inspector\u0000')), NUL_REFUSED); // refused by the kernel before the route, like every NUL
  assert.deepEqual(refusal(await login('  ')), { status: 400, code: 'USERNAME_REQUIRED', message: '请输入用户名' });
  assert.equal((await login(' tn-inspector ')).status, 200);
});

test('现场核查 is not recorded with a NUL in its note, nor on a day before the application was submitted (F2)', async () => {
  const c = runClient(stack, 'attack-lic-on-site');
  const { token, form } = await licensingEnterprise(c, 'ON_SITE');
  const id = await submittedApplication(c, token, form);
  const inspector = await licensingOfficer(c, 'tn-inspector', ['INSPECTOR']);
  const { version } = await ok(c.services('get', `${AUTHORITY}/${id}`, { token: inspector }));
  const before = await licensingRows(c);
  const record = (body: object) => c.services('post', `${AUTHORITY}/${id}/on-site-inspection`, { token: inspector, body: { version, ...body } });
  assert.deepEqual(refusal(await record({ inspectedOn: '2026-11-23', note: '现场\u0000核查通过' })), NUL_REFUSED);
  for (const day of ['2026-11-22', '1900-01-01'])
    assert.deepEqual(refusal(await record({ inspectedOn: day, note: '现场核查通过' })), { status: 400, code: 'INVALID_INSPECTED_ON', message: '核查日期不能早于申报提交日期' }, day);
  // Before the first day any date field takes: refused as a date.
  assert.deepEqual(refusal(await record({ inspectedOn: '0001-01-01', note: '现场核查通过' })), { status: 400, code: 'INVALID_DATE', message: '请选择正确的日期' });
  assert.deepEqual(await licensingRows(c), before);
  assert.equal((await ok(c.services('get', `${WEB}/${id}`, { token }))).status.code, 'SUBMITTED');
  assert.equal((await record({ inspectedOn: '2026-11-23', note: '现场核查通过' })).status, 200);
});

test('云核查: a NUL in the reason, a finding or a rectification note is refused, and the inspection goes on as it was (F5–F7)', async () => {
  const c = runClient(stack, 'attack-lic-cloud');
  const { token, form } = await licensingEnterprise(c, 'CLOUD');
  const id = await submittedApplication(c, token, form);
  const inspector = await licensingOfficer(c, 'tn-inspector', ['INSPECTOR']);
  const version = async () => (await ok(c.services('get', `${WEB}/${id}`, { token }))).version as number;
  await ok(c.services('post', `${AUTHORITY}/${id}/appointment/propose`, { token: inspector, body: { version: await version(), at: '2026-11-23 10:00' } }));
  await ok(c.services('post', `${APP}/${id}/appointment/confirm`, { token, body: { version: await version() } }));
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-11-23T10:00' }));
  await ok(c.services('post', `${AUTHORITY}/${id}/inspection/start`, { token: inspector, body: { version: await version() } }));

  // 结束核查（未完成） refused: the room stays open, and the legal representative joins it.
  const unfinished = await c.services('post', `${AUTHORITY}/${id}/inspection/not-finished`, { token: inspector, body: { version: await version(), reason: '网络\u0000中断' } });
  assert.deepEqual(refusal(unfinished), NUL_REFUSED);
  await ok(c.services('post', `${APP}/${id}/inspection/commitment-signature`, { token, body: { image } }));
  await ok(c.services('post', `${APP}/${id}/inspection/handler-photo`, { token, body: { image } }));
  const joined = await ok(c.services('post', `${APP}/${id}/inspection/video/join`, { token }));
  assert.deepEqual([joined.status.code, joined.inspection.video.enterprise.code], ['IN_PROGRESS', 'JOINED']);

  const item = (code: string, body: object) => c.services('put', `${AUTHORITY}/${id}/inspection/checklist/${code}`, { token: inspector, body });
  assert.deepEqual(refusal(await item('LEDGER', { result: 'NON_COMPLIANT', note: '台账\u0000缺失' })), NUL_REFUSED);
  const { inspection } = await ok(c.services('get', `${WEB}/${id}`, { token }));
  assert.equal(inspection.checklist.find((i: { code: string }) => i.code === 'LEDGER').result, null);
  for (const { code } of inspection.checklist) await ok(item(code, code === 'LEDGER' ? { result: 'NON_COMPLIANT', note: '台账缺失' } : { result: 'COMPLIANT' }));
  await ok(c.services('post', `${AUTHORITY}/${id}/inspection/hang-up`, { token: inspector, body: { version: await version() } }));

  await ok(c.services('post', `${APP}/${id}/rectification/signature`, { token, body: { image } }));
  const { problems } = await ok(c.services('get', `${WEB}/${id}`, { token }));
  const rows = await licensingRows(c);
  const rectified = await c.services('post', `${WEB}/${id}/problems/${problems[0].problemId}/rectification`, { token, body: { photos: [image], note: '已补\u0000台账' } });
  assert.deepEqual(refusal(rectified), NUL_REFUSED);
  assert.deepEqual(await licensingRows(c), rows);
  assert.equal((await ok(c.services('get', `${WEB}/${id}`, { token }))).problems[0].status.code, 'OPEN');
});

test('an officer’s password is locked after five wrong tries, tries at once included, and an unknown username is answered alike', async () => {
  const c = runClient(stack, 'attack-lic-lockout');
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  await licensingOfficer(c, 'tn-locked', ['INSPECTOR']);
  const login = (username: string, password: string) => c.services('post', '/changzhou/v1/authority/sessions', { body: { username, password } });
  for (const username of ['tn-locked', 'tn-nobody']) {
    const answers = await Promise.all(Array.from({ length: 8 }, () => login(username, 'Wrong2026')));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 423, 423, 423], username);
    assert.deepEqual(refusal(answers.find((a) => a.status === 401)!), { status: 401, code: 'WRONG_CREDENTIALS', message: '用户名或密码错误' });
    assert.equal(refusal(answers.find((a) => a.status === 423)!).code, 'ACCOUNT_LOCKED');
  }
  assert.equal((await login('tn-locked', 'Officer2026')).status, 423); // the right password waits for the lock-out's end
  await ok(c.control('post', '/harness/v1/clock/advance', { by: '31m' }));
  assert.equal((await login('tn-locked', 'Officer2026')).status, 200);
  assert.equal((await login('tn-locked', 'Wrong2026')).status, 401); // counted afresh after a right password
});
