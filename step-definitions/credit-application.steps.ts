// 信用修复 on 广州企业一网通 (E1, E2, E3): listing records, the mobile application, 进度查询.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import {
  applyForRemoval,
  askForProgressCode,
  becomeLegalRepresentativeInGuangzhou,
  chooseRemoval,
  guideOf,
  listOn,
  logInForSubject,
  logInToGzqy,
  progressOf,
  submitApplication,
  subjectRecords,
  uploadMaterial,
  uploadRequiredMaterials,
  type KindLabel,
  type SampleFile,
} from '../features/support/tasks/credit-repair.js';
import { businessFootprint, journal, latestCode } from '../features/support/tasks/registry.js';
import { lookAt, type Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';
import type { Enterprise } from '../services/world/store.js';

/** What an earlier step looked at and kept on the World. */
function seen<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `no earlier step looked at the ${what}`);
  return value;
}

// The world ---------------------------------------------------------------------------------------

Given('{actor} is the legal representative of {enterprise}, a/an {subjectKind} in the charge of {office}', (actor: Actor, enterprise: string, kind: Enterprise['kind'], office: string) =>
  actor.attemptsTo(becomeLegalRepresentativeInGuangzhou(enterprise, kind, office)),
);
Given('{enterprise} was put on the {creditKind} on {day} for {string}, a cause since cured', function (this: GovsimWorld, enterprise: string, kind: KindLabel, day: string, reason: string) {
  return this.tester.attemptsTo(listOn(enterprise, kind, reason, day, { cured: true }));
});
Given('{enterprise} was put on the {creditKind} on {day} for {string}, a cause not yet cured', function (this: GovsimWorld, enterprise: string, kind: KindLabel, day: string, reason: string) {
  return this.tester.attemptsTo(listOn(enterprise, kind, reason, day, { cured: false }));
});
Given('{int} companies in the charge of {office} were put on the {creditKind} for {string}, causes since cured', async function (this: GovsimWorld, count: number, office: string, kind: KindLabel, reason: string) {
  const district = office.slice(0, office.indexOf('区') + 1);
  for (let i = 0; i < count; i++) {
    const enterprise = `广州市${district}第${'一二三四五六七八九'[i]}贸易有限公司`;
    await this.actor(`代表${'甲乙丙丁戊己庚辛壬'[i]}`).attemptsTo(becomeLegalRepresentativeInGuangzhou(enterprise, 'company', office));
    await this.tester.attemptsTo(listOn(enterprise, kind, reason, `2026-0${i + 1}-10`, { cured: true }));
    this.credit.batch.push(enterprise);
  }
});

// Logging in, the guide, the subject ----------------------------------------------------------------

Given('{actor} has logged in to 广州企业一网通', (actor: Actor) => actor.attemptsTo(logInToGzqy));

When('{actor} opens the 办事指南 of the {creditKind}', async function (this: GovsimWorld, actor: Actor, kind: KindLabel) {
  this.credit.guide = await actor.asks(guideOf(kind));
});
Then('the guide asks for {word}, {word}, {word} and promises a decision within {int} working days', function (this: GovsimWorld, a: string, b: string, c: string, days: number) {
  const { guide } = seen(this.credit.guide, '办事指南');
  assert.deepEqual(guide.materials.filter((m) => m.required).map((m) => m.label), [a, b, c]);
  assert.equal(guide.timeLimit.workingDays, days);
});

When('{actor} ticks 已阅读 and logs in for his/her enterprise {enterprise} on the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) =>
  actor.attemptsTo(logInForSubject(kind, enterprise)),
);
When('{actor} tries to log in for his/her enterprise {enterprise} on the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) => actor.tries(logInForSubject(kind, enterprise)));
When('{actor} logs in for 其他 subject {enterprise} on the {creditKind} by its 注册号 and its legal representative', (actor: Actor, enterprise: string, kind: KindLabel) =>
  actor.attemptsTo(logInForSubject(kind, enterprise, { as: 'other', by: 'registrationNo', legalRep: 'registered' })),
);
When('{actor} tries to log in for 其他 subject {enterprise} on the {creditKind} by its credit code and his/her own name and ID number', (actor: Actor, enterprise: string, kind: KindLabel) =>
  actor.tries(logInForSubject(kind, enterprise, { as: 'other', by: 'uscc', legalRep: 'self' })),
);

Then('{actor} sees the record of {enterprise} listed on {day} for {string}', function (this: GovsimWorld, _actor: Actor, enterprise: string, day: string, reason: string) {
  const records = seen(this.credit.subjectRecords, 'listing records');
  assert.deepEqual(
    records.map((r) => ({ name: r.subject.name, listedOn: r.listedOn, reason: r.reason.label, status: r.status.code })),
    [{ name: enterprise, listedOn: day, reason, status: 'LISTED' }],
  );
});
Then('{actor} is logged in for no subject', async (actor: Actor) => {
  await actor.tries(lookAt(subjectRecords));
  const refusal = actor.failure();
  assert.deepEqual({ status: refusal.status, code: refusal.code }, { status: 409, code: 'NO_SUBJECT' });
});
Then('the identity provider was never asked', async function (this: GovsimWorld) {
  assert.deepEqual(await this.tester.asks(journal({ provider: 'identity' })), []);
});

// 移出申请, materials, 提交 ---------------------------------------------------------------------------

When('{actor} picks the record and chooses 移出申请', function (this: GovsimWorld, actor: Actor) {
  return actor.attemptsTo(chooseRemoval(seen(this.credit.subject, 'subject logged in for')));
});
Given('{actor} has chosen 移出申请 for {enterprise} on the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) =>
  actor.attemptsTo(logInToGzqy, logInForSubject(kind, enterprise), chooseRemoval(enterprise)),
);
When("{actor} tries to choose 移出申请 for {enterprise}'s record again", function (this: GovsimWorld, actor: Actor, enterprise: string) {
  return actor.tries(chooseRemoval(enterprise, [this.credit.records.get(enterprise)!.recordId]));
});
Then('the application shows {enterprise} with its credit code and the record', function (this: GovsimWorld, enterprise: string) {
  const application = seen(this.credit.application, 'application');
  assert.deepEqual(
    { name: application.subject.name, uscc: application.subject.uscc, records: application.records.map((r) => r.recordId), state: application.state.label },
    { name: enterprise, uscc: this.enterprise(enterprise).uscc, records: [this.credit.records.get(enterprise)!.recordId], state: '未提交' },
  );
});

When('{actor} uploads the required materials of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(uploadRequiredMaterials(enterprise)));
When('{actor} tries to upload {sampleFile} as the 信用修复申请书', function (this: GovsimWorld, actor: Actor, file: SampleFile) {
  return actor.tries(uploadMaterial(seen(this.credit.subject, 'subject logged in for'), 'APPLICATION_FORM', file));
});
Given('{actor} has uploaded {sampleFile} as the 信用修复申请书', function (this: GovsimWorld, actor: Actor, file: SampleFile) {
  return actor.attemptsTo(uploadMaterial(seen(this.credit.subject, 'subject logged in for'), 'APPLICATION_FORM', file));
});
When('{actor} submits the 信用修复 application of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(submitApplication(enterprise)));
When('{actor} tries to submit the 信用修复 application of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(submitApplication(enterprise)));

Then('{actor} is given an acceptance number, due in {int} working days on {day}', function (this: GovsimWorld, _actor: Actor, _days: number, dueOn: string) {
  const application = seen(this.credit.application, 'application');
  assert.match(application.acceptanceNo ?? '', /^GZXF20261123\d{4}$/);
  assert.deepEqual({ state: application.state.label, dueOn: application.dueOn }, { state: '待受理', dueOn });
});

When('{actor} applies to remove {enterprise} from the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) => actor.attemptsTo(applyForRemoval(kind, enterprise)));
Given('{actor} has applied to remove {enterprise} from the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) => actor.attemptsTo(applyForRemoval(kind, enterprise)));
When('{actor} tries to apply to remove {enterprise} from the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) => actor.tries(applyForRemoval(kind, enterprise)));
When('{actor} applies as 其他 to remove {enterprise} from the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) =>
  actor.attemptsTo(applyForRemoval(kind, enterprise, { as: 'other', by: 'uscc', legalRep: 'registered' })),
);
Given('{actor} has applied as 其他 to remove {enterprise} from the {creditKind}', (actor: Actor, enterprise: string, kind: KindLabel) =>
  actor.attemptsTo(applyForRemoval(kind, enterprise, { as: 'other', by: 'uscc', legalRep: 'registered' })),
);
Then('no application of {enterprise} was stored', async function (this: GovsimWorld, _enterprise: string) {
  const footprint = await this.tester.asks(businessFootprint);
  assert.deepEqual({ cases: footprint.credit_cases, log: footprint.credit_transitions }, { cases: undefined, log: undefined });
});

// 进度查询 --------------------------------------------------------------------------------------------

When('{actor} opens 进度查询 and confirms the mobile he/she logged in with', async function (this: GovsimWorld, actor: Actor) {
  if (!this.credit.applicantTokens.has(actor.name)) await actor.attemptsTo(logInToGzqy);
  this.credit.progress = await actor.asks(progressOf());
});
When("{actor} tries to open 进度查询 for {actor}'s mobile without a code", (actor: Actor, owner: Actor) => actor.tries(lookAt(progressOf({ mobile: owner.person.mobile }))));
When("{actor} opens 进度查询 for {actor}'s mobile with the code sent to it", async function (this: GovsimWorld, actor: Actor, owner: Actor) {
  await actor.attemptsTo(askForProgressCode(owner.person.mobile));
  this.credit.progress = await actor.asks(progressOf({ mobile: owner.person.mobile, code: await owner.asks(latestCode) }));
});
Then('{actor} sees the application of {enterprise} for {word} as {word}', function (this: GovsimWorld, _actor: Actor, enterprise: string, service: string, status: string) {
  const { applications } = seen(this.credit.progress, '进度查询');
  assert.deepEqual(
    applications.map((a) => ({ name: a.subject.name, service: a.service, status: a.status.label, refusal: a.refusal })),
    [{ name: enterprise, service, status, refusal: null }],
  );
});
Then('{actor} sees the application of {enterprise} for {word} as {word}, refused at {word} for the reason {string}', function (
  this: GovsimWorld,
  _actor: Actor,
  enterprise: string,
  service: string,
  status: string,
  step: string,
  reason: string,
) {
  const { applications } = seen(this.credit.progress, '进度查询');
  assert.deepEqual(
    applications.map((a) => ({ name: a.subject.name, service: a.service, status: a.status.label, refusal: a.refusal && { step: a.refusal.step.label, reason: a.refusal.reason } })),
    [{ name: enterprise, service, status, refusal: { step, reason } }],
  );
});
