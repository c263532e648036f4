// 信用修复 as an attacker and a careless client call it, over real HTTP against a started stack:
// dates at the edge of their type, 进度查询 asked by a mobile that only started an application,
// the clock moved back before a record was listed. Each answer is a 4xx with its code and the
// Chinese message the app shows, and nothing is stored.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDb, type Db } from '../kernel/db.js';
import type { Stack } from '../services/stack.js';
import { fakePerson, Rng } from '../services/world/generate.js';
import { applicantSession, latestCode, listedCompany, pdf, SHIPAI } from './support/journeys.js';
import { ok, refusal, runClient, startTestStack, type RunClient } from './support/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 10);
let stack: Stack;


before(async () => {
  stack = await startTestStack(db);
});
after(async () => {
  await stack.close();
  await db.end();
});

const creditTables = async (c: RunClient) => Object.fromEntries(Object.entries((await ok(c.control('get', '/harness/v1/footprint'))) as Record<string, number>).filter(([t]) => t.startsWith('credit_cases') || t.startsWith('credit_case_records') || t.startsWith('credit_transitions')));

test('a listing date of year 0000 is refused as a date, not a 500 from PostgreSQL (E6)', async () => {
  const c = runClient(stack, 'attack-credit-dates');
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  const handler = { ...fakePerson(new Rng(22).child(c.run)), name: '王芳' };
  await ok(c.control('post', '/harness/v1/credit-repair/staff', { name: handler.name, mobile: handler.mobile, office: SHIPAI, roles: ['HANDLER'] }));
  await ok(c.services('post', '/gzxyjg/v1/sms-codes', { body: { mobile: handler.mobile } }));
  const token = (await ok(c.services('post', '/gzxyjg/v1/sessions', { body: { mobile: handler.mobile, code: await latestCode(c, handler.mobile) } }))).token as string;
  for (const query of ['listedFrom=0000-01-01', 'listedTo=0000-12-31', 'listedFrom=0001-01-01']) {
    const answer = await c.services('get', `/gzxyjg/v1/credit-repair/records?kind=ABNORMAL&${query}`, { token });
    assert.deepEqual(refusal(answer), { status: 400, code: 'INVALID_DATE', message: '请选择正确的日期' }, query);
  }
  assert.equal((await c.services('get', '/gzxyjg/v1/credit-repair/records?kind=ABNORMAL&listedFrom=1900-01-01', { token })).status, 200); // the first day a date field takes
});

test('进度查询 shows an enterprise’s applications to a mobile that applied for it, not to one that only started a draft (E3)', async () => {
  const c = runClient(stack, 'attack-credit-progress');
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  const { rep, enterprise, recordId } = await listedCompany(c, '2025-07-01', '2026-11-01');
  // The legal representative applies from her own mobile.
  const owner = await applicantSession(c, rep.mobile);
  await ok(c.services('post', '/gzqy/v1/credit-repair/subject-login', { token: owner, body: { kind: 'ABNORMAL', readGuide: true, subject: { choice: 'MINE', uscc: enterprise.uscc } } }));
  const draft = await ok(c.services('post', '/gzqy/v1/credit-repair/applications', { token: owner, body: { recordIds: [recordId] } }));
  for (const materialType of ['APPLICATION_FORM', 'PLEDGE', 'CORRECTION_PROOF'])
    await ok(c.services('post', `/gzqy/v1/credit-repair/applications/${draft.caseId}/materials`, { token: owner, body: { materialType, fileName: `${materialType}.pdf`, content: pdf } }));
  await ok(c.services('post', `/gzqy/v1/credit-repair/applications/${draft.caseId}/submission`, { token: owner, body: { version: draft.version } }));

  // Another mobile logs in for the enterprise as 其他 and starts a draft of another record, never submitted.
  const other = await applicantSession(c, '13700002222');
  const second = await ok(c.control('post', '/harness/v1/credit-repair/records', { uscc: enterprise.uscc, kind: 'ABNORMAL', reason: 'ANNUAL_REPORT', listedOn: '2025-08-01', curedOn: '2026-11-01' }));
  await ok(c.services('post', '/gzqy/v1/credit-repair/subject-login', { token: other, body: { kind: 'ABNORMAL', readGuide: true, subject: { choice: 'OTHER', code: enterprise.uscc, legalRepName: rep.name, idNumber: rep.idNumber } } }));
  const started = await ok(c.services('post', '/gzqy/v1/credit-repair/applications', { token: other, body: { recordIds: [second.recordId] } }));
  assert.deepEqual((await ok(c.services('post', '/gzqy/v1/credit-repair/progress-queries', { token: other, body: {} }))).applications, []);

  // Once it has applied, the enterprise is linked to it.
  for (const materialType of ['APPLICATION_FORM', 'PLEDGE', 'CORRECTION_PROOF'])
    await ok(c.services('post', `/gzqy/v1/credit-repair/applications/${started.caseId}/materials`, { token: other, body: { materialType, fileName: `${materialType}.pdf`, content: pdf } }));
  await ok(c.services('post', `/gzqy/v1/credit-repair/applications/${started.caseId}/submission`, { token: other, body: { version: started.version } }));
  assert.equal((await ok(c.services('post', '/gzqy/v1/credit-repair/progress-queries', { token: other, body: {} }))).applications.length, 2);
});

test('with the clock before the listing day, 移出申请 says the cause is not cured, not “满0年” (E2)', async () => {
  const c = runClient(stack, 'attack-credit-clock');
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  const { rep, enterprise, recordId } = await listedCompany(c, '2026-11-02', '2026-11-10');
  const token = await applicantSession(c, rep.mobile);
  await ok(c.services('post', '/gzqy/v1/credit-repair/subject-login', { token, body: { kind: 'ABNORMAL', readGuide: true, subject: { choice: 'MINE', uscc: enterprise.uscc } } }));
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-10-30T09:00' }));
  const before = await creditTables(c);
  const answer = await c.services('post', '/gzqy/v1/credit-repair/applications', { token, body: { recordIds: [recordId] } });
  assert.deepEqual(refusal(answer), { status: 409, code: 'CAUSE_NOT_CURED', message: '列入事由尚未消除，请先补报未报年份的年度报告并公示' });
  assert.deepEqual(await creditTables(c), before);
});
