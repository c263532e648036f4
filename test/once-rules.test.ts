// Every "once" rule is held by PostgreSQL: the same request fired many times at once, over real
// HTTP against a started stack, has exactly one winner; the others get the answer a later request
// would get (its status, code and message), never a 500; and the database holds one row.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '../kernel/db.js';
import type { Stack } from '../services/stack.js';
import { atOnce, ok, refusal, runClient, startTestStack, tally, type RunClient } from './support/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db: Db = createDb(databaseUrl, 10);
let stack: Stack;
const AT_ONCE = 12;
const WEEK = '2026-11-23';

before(async () => {
  stack = await startTestStack(db);
});
after(async () => {
  await stack.close();
  await db.end();
});

async function scene(name: string): Promise<RunClient> {
  const client = runClient(stack, name);
  await ok(client.control('put', '/harness/v1/clock', { at: `${WEEK}T09:00` }));
  return client;
}

const count = async (client: RunClient, table: string, where = 'true', values: unknown[] = []) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE run = $1 AND (${where})`, [client.run, ...values])).rows[0]!.n;

/** The losers' answers are all the one refusal given. */
function losersAre(answers: { status: number; body: any }[], expected: { status: number; code: string; message: string }) {
  for (const answer of answers.filter((a) => a.status >= 300)) assert.deepEqual(refusal(answer), expected);
}

/** A legal representative logged in to 粤商通 with their enterprise's (certified) account. */
async function owner(client: RunClient) {
  const rep = await client.person('法定代表人');
  const enterprise = await client.enterprise('企业', rep);
  const token = await client.ystLogIn(rep);
  const [account] = await ok(client.services('get', '/yst/v1/me/enterprise-accounts', { token }));
  return { rep, enterprise, token, accountId: account.accountId as string };
}

describe('the registration app', () => {
  test('one registration per ID number (C1, C3)', async () => {
    const client = await scene('once-register');
    const p = await client.person('张伟');
    const answers = await atOnce(AT_ONCE, () => client.services('post', '/sdreg/v1/users', { body: client.registration(p) }));
    assert.deepEqual(tally(answers), { 201: 1, '409 ALREADY_REGISTERED': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'ALREADY_REGISTERED', message: '账号已注册，请直接登录' });
    assert.equal(await count(client, 'sdreg_users', 'id_number = $2', [p.idNumber]), 1);
  });

  test('a face check logs in once (C4)', async () => {
    const client = await scene('once-sdreg-face');
    const p = await client.person('张伟');
    await ok(client.services('post', '/sdreg/v1/users', { body: client.registration(p) }));
    const started = await ok(client.services('post', '/sdreg/v1/face-login', { body: { idNumber: p.idNumber } }));
    await client.passFace(started.providerSessionId);
    const answers = await atOnce(AT_ONCE, () => client.services('post', `/sdreg/v1/face-login/${started.faceCheckId}/complete`));
    assert.deepEqual(tally(answers), { 201: 1, '409 FACE_CHECK_USED': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'FACE_CHECK_USED', message: '本次人脸识别已使用，请重新发起' });
    assert.equal(await count(client, 'sdreg_sessions'), 1);
  });
});

describe('粤商通', () => {
  test('a face check logs in once (A1)', async () => {
    const client = await scene('once-yst-face');
    const p = await client.person('田军');
    const faceCheckId = await client.ystFaceChecked(p);
    const answers = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/face-login/${faceCheckId}/complete`));
    assert.deepEqual(tally(answers), { 200: 1, '409 FACE_CHECK_USED': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'FACE_CHECK_USED', message: '本次人脸识别已使用，请重新发起' });
    assert.equal(await count(client, 'yst_sessions'), 1);
  });

  test('first face logins at once make one personal account and link each enterprise once (A3, B1)', async () => {
    const client = await scene('once-first-login');
    const rep = await client.person('法定代表人');
    const enterprise = await client.enterprise('企业', rep);
    const checks: string[] = [];
    for (let i = 0; i < AT_ONCE; i++) checks.push(await client.ystFaceChecked(rep));
    const answers = await Promise.all(checks.map((id) => client.services('post', `/yst/v1/face-login/${id}/complete`)));
    assert.deepEqual(tally(answers), { 200: AT_ONCE });
    assert.equal(answers.filter((a) => a.body.accountCreated).length, 1);
    assert.equal(answers.flatMap((a) => a.body.linkedEnterpriseAccounts).length, 1);
    assert.equal(await count(client, 'yst_personal_accounts'), 1);
    assert.equal(await count(client, 'yst_enterprise_accounts', 'uscc = $2', [enterprise.uscc]), 1);
  });

  test('one personal account per mobile: first logins of people giving one mobile at once bind it once (A1)', async () => {
    const client = await scene('once-mobile');
    const mobile = (await client.person('手机号主')).mobile;
    const people = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => client.person(`同号人${'甲乙丙丁戊己庚辛壬癸子丑寅卯'[i]}`)));
    const checks: string[] = [];
    for (const p of people) checks.push(await client.ystFaceChecked({ ...p, mobile }));
    const answers = await Promise.all(checks.map((id) => client.services('post', `/yst/v1/face-login/${id}/complete`)));
    assert.deepEqual(tally(answers), { 200: 1, '409 MOBILE_TAKEN': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'MOBILE_TAKEN', message: '该手机号已绑定其他实名账号' });
    assert.equal(await count(client, 'yst_personal_accounts'), 1);
    assert.equal(await count(client, 'yst_personal_accounts', 'mobile = $2', [mobile]), 1);
  });

  test('an invitation naming a mobile another account holds is accepted; the mobile stays with its holder (B5)', async () => {
    const client = await scene('once-invite-mobile');
    const { token, accountId } = await owner(client);
    const holder = await client.person('手机号主');
    await client.ystLogIn(holder);
    const agent = await client.person('经办人');
    const invited = await ok(client.services('post', `/yst/v1/enterprise-accounts/${accountId}/agents`, { token, body: { name: agent.name, idNumber: agent.idNumber, mobile: holder.mobile, authEnd: '长期有效' } }));
    const started = await ok(client.services('post', `/yst/v1/invitations/${invited.invitationToken}/face-check`));
    await client.passFace(started.providerSessionId);
    await ok(client.services('post', `/yst/v1/invitations/${invited.invitationToken}/accept`, { body: { faceCheckId: started.faceCheckId } }));
    const { rows } = await db.query('SELECT id_number AS "idNumber" FROM yst_personal_accounts WHERE run = $1 AND mobile = $2', [client.run, holder.mobile]);
    assert.deepEqual(rows, [{ idNumber: holder.idNumber }]);
    assert.equal(await count(client, 'yst_personal_accounts', 'id_number = $2 AND mobile IS NULL', [agent.idNumber]), 1);
  });

  test('one account per person and enterprise (B3)', async () => {
    const client = await scene('once-add-enterprise');
    const rep = await client.person('法定代表人');
    const enterprise = await client.enterprise('企业', rep);
    const token = await client.ystLogIn(await client.person('申请人'));
    const answers = await atOnce(AT_ONCE, () => client.services('post', '/yst/v1/enterprise-accounts', { token, body: { enterpriseName: enterprise.name, uscc: enterprise.uscc } }));
    assert.deepEqual(tally(answers), { 201: 1, '409 ACCOUNT_EXISTS': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'ACCOUNT_EXISTS', message: '您已添加该企业' });
    assert.equal(await count(client, 'yst_enterprise_accounts', 'uscc = $2', [enterprise.uscc]), 1);
  });

  test('one live invitation of a person per account; accepted once; revoked once (B5, B8)', async () => {
    const client = await scene('once-agent');
    const { token, accountId } = await owner(client);
    const agent = await client.person('经办人');
    const invite = { name: agent.name, idNumber: agent.idNumber, mobile: agent.mobile, authEnd: '长期有效' };
    const invited = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/enterprise-accounts/${accountId}/agents`, { token, body: invite }));
    assert.deepEqual(tally(invited), { 201: 1, '409 AGENT_EXISTS': AT_ONCE - 1 });
    losersAre(invited, { status: 409, code: 'AGENT_EXISTS', message: '该人员已是此企业账号的经办人或已被邀请' });
    assert.equal(await count(client, 'yst_members', 'id_number = $2', [agent.idNumber]), 1);

    const { invitationToken, memberId } = invited.find((a) => a.status === 201)!.body;
    const started = await ok(client.services('post', `/yst/v1/invitations/${invitationToken}/face-check`));
    await client.passFace(started.providerSessionId);
    const accepted = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/invitations/${invitationToken}/accept`, { body: { faceCheckId: started.faceCheckId } }));
    assert.deepEqual(tally(accepted), { 200: 1, '404 LINK_INVALID': AT_ONCE - 1 });
    losersAre(accepted, { status: 404, code: 'LINK_INVALID', message: '链接无效或已过期' });
    assert.equal(await count(client, 'yst_members', "id_number = $2 AND status = 'ACTIVE'", [agent.idNumber]), 1);
    assert.equal(await count(client, 'yst_personal_accounts', 'id_number = $2', [agent.idNumber]), 1);

    const revoked = await atOnce(AT_ONCE, () => client.services('delete', `/yst/v1/enterprise-accounts/${accountId}/agents/${memberId}`, { token }));
    assert.deepEqual(tally(revoked), { 200: 1, '404 MEMBER_NOT_FOUND': AT_ONCE - 1 });
    losersAre(revoked, { status: 404, code: 'MEMBER_NOT_FOUND', message: '经办人不存在或已撤销' });
  });

  test('a certification link certifies once (B4)', async () => {
    const client = await scene('once-certify');
    const rep = await client.person('法定代表人');
    const enterprise = await client.enterprise('企业', rep);
    const token = await client.ystLogIn(await client.person('申请人'));
    const account = await ok(client.services('post', '/yst/v1/enterprise-accounts', { token, body: { enterpriseName: enterprise.name, uscc: enterprise.uscc } }));
    const request = await ok(client.services('post', `/yst/v1/enterprise-accounts/${account.accountId}/certification-requests`, { token }));
    const started = await ok(client.services('post', `/yst/v1/certifications/${request.token}/face-check`));
    await client.passFace(started.providerSessionId);
    const answers = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/certifications/${request.token}/confirm`, { body: { faceCheckId: started.faceCheckId } }));
    assert.deepEqual(tally(answers), { 200: 1, '409 ALREADY_CERTIFIED': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'ALREADY_CERTIFIED', message: '该企业账号已认证' });
    assert.equal(await count(client, 'face_checks', 'used_at IS NOT NULL AND id = $2', [started.faceCheckId]), 1);
  });

  test('one pending link request per person and account; decided once (B7)', async () => {
    const client = await scene('once-link');
    const { token, accountId } = await owner(client);
    const requester = await client.ystLogIn(await client.person('关联人'));
    const requested = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/enterprise-accounts/${accountId}/link-requests`, { token: requester }));
    assert.deepEqual(tally(requested), { 201: 1, '409 LINK_PENDING': AT_ONCE - 1 });
    losersAre(requested, { status: 409, code: 'LINK_PENDING', message: '关联申请已提交，请等待账号申请人同意' });
    assert.equal(await count(client, 'yst_link_requests'), 1);

    const { requestId } = requested.find((a) => a.status === 201)!.body;
    const decided = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/enterprise-accounts/${accountId}/link-requests/${requestId}/decision`, { token, body: { approve: true } }));
    assert.deepEqual(tally(decided), { 200: 1, '409 LINK_DECIDED': AT_ONCE - 1 });
    losersAre(decided, { status: 409, code: 'LINK_DECIDED', message: '该关联申请已处理' });
    assert.equal(await count(client, 'yst_members', "role = 'LINKED'"), 1);
  });

  test('one login code per mobile per 60 s, the first one included, bound to an account or not (A2)', async () => {
    const client = await scene('once-sms');
    const bound = await client.person('田军');
    await client.ystLogIn(bound);
    const unbound = await client.person('黄丽燕');
    for (const p of [bound, unbound]) {
      const answers = await atOnce(AT_ONCE, () => client.services('post', '/yst/v1/sms-codes', { body: { mobile: p.mobile } }));
      assert.deepEqual(tally(answers), { 200: 1, '429 SMS_TOO_FREQUENT': AT_ONCE - 1 });
      losersAre(answers, { status: 429, code: 'SMS_TOO_FREQUENT', message: '验证码发送过于频繁，请60秒后再试' });
      assert.equal(await count(client, 'yst_sms_codes', 'mobile = $2', [p.mobile]), 1);
    }
    assert.equal(await count(client, 'sms_messages', 'mobile = $2', [bound.mobile]), 1);
    assert.equal(await count(client, 'sms_messages', 'mobile = $2', [unbound.mobile]), 0);
  });
});

describe('企业风险预警', () => {
  async function signedScene(name: string) {
    const client = await scene(name);
    const o = await owner(client);
    await ok(client.control('post', '/harness/v1/risk/enterprises', { uscc: o.enterprise.uscc, kind: 'TRANSPORT' }));
    await ok(client.control('post', '/harness/v1/jobs/weekly-fanout', { week: WEEK }));
    await ok(client.services('put', '/yst/v1/me/acting-account', { token: o.token, body: { accountId: o.accountId } }));
    return { client, ...o };
  }

  test('signing at once signs once; every answer shows the one signature (D6)', async () => {
    const { client, token } = await signedScene('once-sign');
    const answers = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/risk/warnings/${WEEK}/sign`, { token }));
    assert.deepEqual(tally(answers), { 200: AT_ONCE });
    assert.equal(answers.filter((a) => a.body.signedNow).length, 1);
    assert.equal(new Set(answers.map((a) => JSON.stringify(a.body.warning.signed))).size, 1);
    assert.equal(await count(client, 'risk_warnings', 'signed_at IS NOT NULL'), 1);
  });

  test('feedback once (D7)', async () => {
    const { client, token } = await signedScene('once-feedback');
    await ok(client.services('post', `/yst/v1/risk/warnings/${WEEK}/sign`, { token }));
    const feedback = { measures: ['SAFETY_TRAINING'], description: '已开展驾驶员安全教育培训', contactName: '田军', contactMobile: '13800138000' };
    const answers = await atOnce(AT_ONCE, () => client.services('post', `/yst/v1/risk/warnings/${WEEK}/feedback`, { token, body: feedback }));
    assert.deepEqual(tally(answers), { 201: 1, '409 FEEDBACK_SUBMITTED': AT_ONCE - 1 });
    losersAre(answers, { status: 409, code: 'FEEDBACK_SUBMITTED', message: '本期预警反馈已提交' });
    assert.equal(await count(client, 'risk_feedback'), 1);
  });
});

describe('provider scripts (H2)', () => {
  const ID = '11010519491231002X';
  const script = (client: RunClient, times: number) => ok(client.control('post', '/harness/v1/providers/face/scripts', { subject: ID, outcome: 'PHOTO_QUALITY', times }));
  const remaining = async (client: RunClient) => ((await ok(client.control('get', `/harness/v1/providers/face/scripts?subject=${ID}`))) as { remaining: number }[]).reduce((n, s) => n + s.remaining, 0);
  const session = async (client: RunClient) => (await ok(client.providers('post', '/face/v1/sessions', { name: '田军', idNumber: ID }))).sessionId as string;
  const verify = (client: RunClient, sessionId: string) => client.providers('post', `/face/v1/sessions/${sessionId}/verify`, {});

  test('a verify that decides nothing (a closed session) leaves the scripted outcome: times 2 means two decisions', async () => {
    const client = await scene('once-script');
    await script(client, 2);
    const first = await session(client);
    assert.equal((await ok(verify(client, first))).code, 'PHOTO_QUALITY');
    assert.deepEqual(refusal(await verify(client, first)), { status: 409, code: 'SESSION_CLOSED', message: '本次人脸识别已结束，请重新发起' });
    assert.equal(await remaining(client), 1);
    assert.equal((await ok(verify(client, await session(client)))).code, 'PHOTO_QUALITY');
    assert.equal((await ok(verify(client, await session(client)))).code, 'PASS');
    const journal = await ok(client.control('get', `/harness/v1/journal?provider=face&operation=verify`));
    assert.deepEqual(journal.map((call: { status: number; outcome: string | null }) => [call.status, call.outcome]), [[200, 'PHOTO_QUALITY'], [409, null], [200, 'PHOTO_QUALITY'], [200, 'PASS']]);
  });

  test('verifies of one session at once: one decides, and only its outcome is used up', async () => {
    const client = await scene('once-script-race');
    await script(client, 1);
    const sessionId = await session(client);
    const answers = await atOnce(AT_ONCE, () => verify(client, sessionId));
    assert.deepEqual(tally(answers), { 200: 1, '409 SESSION_CLOSED': AT_ONCE - 1 });
    const decided = answers.find((a) => a.status === 200)!.body.code;
    assert.equal(await remaining(client), decided === 'PHOTO_QUALITY' ? 0 : 1);
  });
});
