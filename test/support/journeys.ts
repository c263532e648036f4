// The few journeys several tests set their scene with, over real HTTP through a run's client:
// a 常州 enterprise ready to apply for its licence, an officer, a submitted application; a 广州
// company on a list with its legal representative, an applicant's and a back-office user's session.
import { fakeEnterprise, fakePerson, Rng, type Person } from '../../services/world/generate.js';
import { ok, type RunClient } from './stack.js';

const WEB = '/changzhou/v1/web/applications';
/** 天河区's supervision office that lists the companies of listedCompany. */
export const SHIPAI = '天河区市场监督管理局石牌监管所';
/** A small PDF, as the materials of an application are uploaded (base64). */
export const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 7)]).toString('base64');

// 常州 危险化学品经营许可 ----------------------------------------------------------------------------

/** An enterprise on the register without a licence, its legal representative acting for its certified account, and the complete form (天宁区应急管理局). */
export async function licensingEnterprise(c: RunClient, method: 'CLOUD' | 'ON_SITE') {
  await ok(c.control('put', '/harness/v1/clock', { at: '2026-11-23T09:00' }));
  const rng = new Rng(31).child(c.run);
  const rep = { ...fakePerson(rng.child('rep')), name: '周建国' };
  await ok(c.control('post', '/harness/v1/registry/persons', rep));
  const e = fakeEnterprise(rng.child('enterprise'), rep, { kind: 'company' });
  await ok(c.control('post', '/harness/v1/registry/enterprises', e));
  await ok(c.control('post', '/harness/v1/licensing/enterprises', { uscc: e.uscc, licence: null }));
  const token = await c.ystLogIn(rep);
  const [account] = await ok(c.services('get', '/yst/v1/me/enterprise-accounts', { token }));
  await ok(c.services('put', '/yst/v1/me/acting-account', { token, body: { accountId: account.accountId } }));
  const register = await ok(c.services('get', '/changzhou/v1/web/register', { token }));
  const form = {
    applicationType: 'FIRST',
    affiliation: 'OTHER',
    personnel: ['PRINCIPAL', 'SAFETY_MANAGER'].map((q) => register.staff.find((s: { qualification: { code: string } }) => s.qualification.code === q).staffId),
    emergencyPlanNo: register.filings[0].number,
    goodsScope: ['GENERAL_ONLY'],
    businessModes: ['OTHER'],
    inspectionMethod: method,
    authority: 'TN',
  };
  return { rep, uscc: e.uscc, token, form };
}

/** An officer of 天宁区应急管理局 with `roles`, logged in: the session token. */
export async function licensingOfficer(c: RunClient, username: string, roles: string[]) {
  const p = fakePerson(new Rng(32).child(c.run).child(username));
  await ok(c.control('post', '/harness/v1/licensing/officers', { username, name: '钱审核', idNumber: p.idNumber, authority: 'TN', roles, password: 'Officer2026' }));
  return (await ok(c.services('post', '/changzhou/v1/authority/sessions', { body: { username, password: 'Officer2026' } }))).token as string;
}

/** A complete application submitted by the enterprise: its id. */
export async function submittedApplication(c: RunClient, token: string, form: object) {
  const draft = await ok(c.services('post', WEB, { token, body: form }));
  return (await ok(c.services('post', `${WEB}/${draft.applicationId}/submit`, { token, body: { version: draft.version } }))).applicationId as string;
}

// 广州 信用修复 -------------------------------------------------------------------------------------

export const latestCode = async (c: RunClient, mobile: string) => (await ok(c.control('get', `/harness/v1/sms/outbox/${mobile}/latest-code`))).code as string;

/** 广州企业一网通: a session of `mobile` (SMS code). */
export async function applicantSession(c: RunClient, mobile: string) {
  await ok(c.services('post', '/gzqy/v1/sms-codes', { body: { mobile } }));
  return (await ok(c.services('post', '/gzqy/v1/sessions', { body: { mobile, code: await latestCode(c, mobile) } }))).token as string;
}

/** 信用监管综合系统: a session of a back-office user's `mobile` (SMS code). */
export async function staffSession(c: RunClient, mobile: string) {
  await ok(c.services('post', '/gzxyjg/v1/sms-codes', { body: { mobile } }));
  return (await ok(c.services('post', '/gzxyjg/v1/sessions', { body: { mobile, code: await latestCode(c, mobile) } }))).token as string;
}

/** A 广州 company in the charge of 石牌监管所, on the 企业经营异常名录 since `listedOn` (cause cured on `curedOn`), and its legal representative. */
export async function listedCompany(c: RunClient, listedOn: string, curedOn: string) {
  const rng = new Rng(21).child(c.run);
  const rep: Person = { ...fakePerson(rng.child('rep')), name: '李娜' };
  await ok(c.control('post', '/harness/v1/registry/persons', rep));
  const enterprise = { ...fakeEnterprise(rng.child('enterprise'), rep, { kind: 'company', city: '广州市' }), office: SHIPAI, district: '天河区市场监督管理局' };
  await ok(c.control('post', '/harness/v1/registry/enterprises', enterprise));
  const record = await ok(c.control('post', '/harness/v1/credit-repair/records', { uscc: enterprise.uscc, kind: 'ABNORMAL', reason: 'ANNUAL_REPORT', listedOn, curedOn }));
  return { rng, rep, enterprise, recordId: record.recordId as string };
}
