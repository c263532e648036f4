// 危险化学品经营许可证 on 常州通办: the register, the form, the draft and its submission (F1, F2),
// the authority's officers, and what each side sees of an application.
import { defineParameterType, Given, Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { AUTHORITIES } from '../services/licensing/rules.js';
import { lookAt, type Actor } from '../features/support/screenplay.js';
import {
  applicationView,
  approve,
  authorityList,
  authorityView,
  becomeOfficer,
  COMPLETE_FORM,
  logInAsOfficer,
  putOnRegister,
  recordOnSite,
  saveDraft,
  seedRegister,
  submitApplication,
  type FormRows,
  type LicenceApplicationView,
} from '../features/support/tasks/licensing.js';
import type { GovsimWorld } from '../features/support/world.js';

defineParameterType({ name: 'authority', regexp: new RegExp(Object.values(AUTHORITIES).join('|')), useForSnippets: false });
defineParameterType({ name: 'channel', regexp: /on the web|in the app/, transformer: (text: string) => (text === 'on the web' ? 'WEB' : 'APP'), useForSnippets: false });
defineParameterType({ name: 'localTime', regexp: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, useForSnippets: false });

/** The complete form with the table's rows changed; 不填 leaves a field out. */
export function completeFormChanging(table?: DataTable): FormRows {
  const rows = { ...COMPLETE_FORM, ...(table ? (table.rowsHash() as FormRows) : {}) };
  return Object.fromEntries(Object.entries(rows).filter(([, value]) => value !== '不填'));
}

/** The application as its enterprise's legal representative sees it on the web (kept on the World). */
export async function enterpriseSees(world: GovsimWorld, enterprise: string): Promise<LicenceApplicationView> {
  world.licenceApplication = await world.legalRepresentativeOf(enterprise).asks(applicationView(enterprise));
  return world.licenceApplication;
}

// The register and the officers -----------------------------------------------------------------------------

Given('{enterprise} is on the licensing register without a licence', function (this: GovsimWorld, enterprise: string) {
  return this.tester.attemptsTo(putOnRegister(enterprise));
});
Given('{enterprise} is on the licensing register with a licence issued on {day}', function (this: GovsimWorld, enterprise: string, day: string) {
  return this.tester.attemptsTo(putOnRegister(enterprise, day));
});
Given('{actor} is an inspector of {authority}', (actor: Actor, authority: string) => actor.attemptsTo(becomeOfficer(authority, ['INSPECTOR'])));
Given('{actor} is a reviewer of {authority}', (actor: Actor, authority: string) => actor.attemptsTo(becomeOfficer(authority, ['REVIEWER'])));

When('the licensing register is seeded from seed {int} with {int} enterprises', async function (this: GovsimWorld, seed: number, enterprises: number) {
  const seeded = await this.tester.asks(seedRegister(seed, enterprises));
  assert.equal(seeded.enterprises, enterprises);
  assert.equal(seeded.officers.length, 2 * Object.keys(AUTHORITIES).length);
});
Then('{actor} logs in as {string} with the seeded password and finds no application addressed to 天宁区应急管理局', async (actor: Actor, username: string) => {
  await actor.attemptsTo(logInAsOfficer(username, 'Changzhou2026'));
  assert.deepEqual(await actor.asks(authorityList()), []);
});

// F1, F2: the form -------------------------------------------------------------------------------------------

When('{actor} saves the application of {enterprise} as a draft:', (actor: Actor, enterprise: string, table: DataTable) => actor.attemptsTo(saveDraft(enterprise, table.rowsHash())));
When('{actor} tries to save the application of {enterprise} as a draft:', (actor: Actor, enterprise: string, table: DataTable) => actor.tries(saveDraft(enterprise, table.rowsHash())));
Given('{actor} has saved a complete draft for {enterprise}, changing:', (actor: Actor, enterprise: string, table: DataTable) => actor.attemptsTo(saveDraft(enterprise, completeFormChanging(table))));
When('{actor} saves a complete draft for {enterprise}, changing:', (actor: Actor, enterprise: string, table: DataTable) => actor.attemptsTo(saveDraft(enterprise, completeFormChanging(table))));
When('{actor} tries to save a complete draft for {enterprise} with {word} set to {}', (actor: Actor, enterprise: string, field: string, value: string) =>
  actor.tries(saveDraft(enterprise, COMPLETE_FORM, { [field]: JSON.parse(value) })),
);
When('{actor} tries to start another application for {enterprise}', (actor: Actor, enterprise: string) => actor.tries(saveDraft(enterprise, COMPLETE_FORM, {}, { asNew: true })));

Given('{actor} has submitted a complete application for {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(saveDraft(enterprise, COMPLETE_FORM), submitApplication(enterprise)));
Given('{actor} has submitted a complete application for {enterprise}, changing:', (actor: Actor, enterprise: string, table: DataTable) =>
  actor.attemptsTo(saveDraft(enterprise, completeFormChanging(table)), submitApplication(enterprise)),
);
When('{actor} submits the application of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(submitApplication(enterprise)));
When('{actor} tries to submit the application of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(submitApplication(enterprise)));

When('{actor} tries to look at the application of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(lookAt(applicationView(enterprise))));

Then('the application of {enterprise} is a 草稿 of type {word}', async function (this: GovsimWorld, enterprise: string, type: string) {
  const view = await enterpriseSees(this, enterprise);
  assert.deepEqual({ status: view.status.label, type: view.applicationType?.label, readOnly: view.readOnly }, { status: '草稿', type, readOnly: false });
});
Then('the application of {enterprise} is still a 草稿', async function (this: GovsimWorld, enterprise: string) {
  assert.equal((await enterpriseSees(this, enterprise)).status.label, '草稿');
});
Then('the application of {enterprise} is {word} and read-only, with {word}', async function (this: GovsimWorld, enterprise: string, status: string, method: string) {
  const view = await enterpriseSees(this, enterprise);
  assert.deepEqual({ status: view.status.label, readOnly: view.readOnly, method: view.inspectionMethod?.label }, { status, readOnly: true, method });
  assert.deepEqual(view.personnel.map((p) => p.qualification.label).sort(), ['主要负责人', '安全生产管理人员'].sort());
});
Then('the application of {enterprise} is {word}', async function (this: GovsimWorld, enterprise: string, status: string) {
  assert.equal((await enterpriseSees(this, enterprise)).status.label, status);
});

// The authority's side of F2, and the step after the inspection ------------------------------------------------

When('{actor} records the on-site inspection of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(recordOnSite(enterprise)));
Then('the application of {enterprise} is 核查通过 after a 现场核查', async function (this: GovsimWorld, enterprise: string) {
  const view = await enterpriseSees(this, enterprise);
  assert.deepEqual({ status: view.status.label, method: view.inspection?.method.label, inspection: view.inspection?.status.label }, { status: '核查通过', method: '现场核查', inspection: '核查通过' });
});
Then('{actor} sees the application of {enterprise} among those {word}', async (actor: Actor, enterprise: string, status: string) => {
  const listed = await actor.asks(authorityList());
  assert.deepEqual(listed.filter((a) => a.enterprise.name === enterprise).map((a) => a.status.label), [status]);
  assert.equal((await actor.asks(authorityView(enterprise))).status.label, status);
});

When('{actor} approves the application of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(approve(enterprise)));
Then('{enterprise} holds a licence valid from {day} to {day}', async function (this: GovsimWorld, enterprise: string, from: string, to: string) {
  const view = await enterpriseSees(this, enterprise);
  assert.equal(view.status.label, '已发证');
  assert.deepEqual({ validFrom: view.licence?.validFrom, validTo: view.licence?.validTo }, { validFrom: from, validTo: to });
  assert.match(view.licence!.number, /^苏常危化经字〔\d{4}〕\d{6}$/);
});
