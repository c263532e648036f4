// 粤商通 weekly enterprise risk warnings (D1–D8, H5).
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { eventually } from '../features/support/eventually.js';
import { servicesFootprint, setClock, smsReceived } from '../features/support/tasks/registry.js';
import {
  chooseLater,
  enterEnterpriseAccount,
  enterpriseRiskDetail,
  fanoutProgress,
  feedBack,
  feedbackOf,
  periodView,
  popup,
  putInScope,
  rateLevel,
  runFanout,
  runReminders,
  searchFor,
  seedRiskWorld,
  signWarning,
  vehicleDetail,
  warningsView,
} from '../features/support/tasks/risk.js';
import type { Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

const SEVERITY = ['RED', 'ORANGE', 'YELLOW', 'BLUE'];

/** What an earlier step looked at and kept on the World. */
function seen<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `no earlier step looked at the ${what}`);
  return value;
}

Given('a risk world of {int} enterprises from seed {int}', function (this: GovsimWorld, enterprises: number, seed: number) {
  return this.tester.attemptsTo(seedRiskWorld(seed, enterprises));
});
Given('{enterprise} is a hazardous-goods filling enterprise', function (this: GovsimWorld, enterprise: string) {
  return this.tester.attemptsTo(putInScope(enterprise, 'FILLING'));
});
Given('{enterprise} is a transport enterprise', function (this: GovsimWorld, enterprise: string) {
  return this.tester.attemptsTo(putInScope(enterprise, 'TRANSPORT'));
});
Given('the risk source rates {enterprise} {word} for the week of {day}', function (this: GovsimWorld, enterprise: string, level: string, week: string) {
  return this.tester.attemptsTo(rateLevel(enterprise, week, level));
});
Given('the date and time is {day} {word}', function (this: GovsimWorld, day: string, time: string) {
  return this.tester.attemptsTo(setClock(`${day}T${time}`));
});

When('the weekly fan-out runs for the week of {day}( again)', function (this: GovsimWorld, week: string) {
  return this.tester.attemptsTo(runFanout(week));
});
Given('the weekly fan-out has run for the week of {day}', function (this: GovsimWorld, week: string) {
  return this.tester.attemptsTo(runFanout(week));
});
Given('the weekly fan-out has run for the weeks of {day} and {day}', function (this: GovsimWorld, first: string, second: string) {
  return this.tester.attemptsTo(runFanout(first), runFanout(second));
});
Then('the week of {day} was issued to all {int} enterprises in scope, once each', async function (this: GovsimWorld, week: string, count: number) {
  const [first, second] = this.fanouts;
  assert.ok(first && second, `the fan-out ran ${this.fanouts.length} time(s), not twice`);
  assert.deepEqual({ issued: first.issued, total: first.total, status: first.status }, { issued: count, total: count, status: 'DONE' });
  assert.equal(second.issued, count, 'the second run issued more');
  assert.equal((await this.tester.asks(fanoutProgress(week))).issued, count);
  assert.equal((await this.tester.asks(servicesFootprint)).risk_warnings, count);
});

When('{actor} enters the enterprise account of {enterprise}( again)', (actor: Actor, enterprise: string) => actor.attemptsTo(enterEnterpriseAccount(enterprise)));
Given('{actor} has entered the enterprise account of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(enterEnterpriseAccount(enterprise)));

Then('{actor} eventually sees a 危险货物充装企业风险预警 for the week of {day} issued at {string}', (actor: Actor, week: string, date: string) =>
  eventually(async () => {
    const view = await actor.asks(warningsView);
    assert.deepEqual({ week: view.current?.week, date: view.current?.date }, { week, date });
  }),
);

const periodsShown = async (actor: Actor, weeks: string[], status: string) => {
  const view = await actor.asks(warningsView);
  assert.deepEqual(view.periods.map((p) => p.week), weeks);
  for (const p of view.periods) {
    assert.ok(SEVERITY.includes(p.level.code) && p.level.label.length > 0);
    assert.equal(p.signed ? '已签收' : '未签收', status);
  }
};
Then('{actor} eventually sees the periods {day}, {day} with their level and {word}', (actor: Actor, a: string, b: string, status: string) => eventually(() => periodsShown(actor, [a, b], status)));
Then('{actor} sees the periods {day}, {day} with their level and {word}', (actor: Actor, a: string, b: string, status: string) => periodsShown(actor, [a, b], status));

Then('{actor} is shown the popup {word} with [查看] and [稍后处理]', async (actor: Actor, title: string) => {
  const shown = await actor.asks(popup);
  assert.deepEqual({ show: shown.show, title: shown.title, actions: shown.actions }, { show: true, title, actions: ['查看', '稍后处理'] });
});
Then('{actor} is shown no popup', async (actor: Actor) => {
  assert.equal((await actor.asks(popup)).show, false);
});
When('{actor} chooses [稍后处理]', (actor: Actor) => actor.attemptsTo(chooseLater));
Then('searching [风险预警] finds 风险预警 for {actor}', async (actor: Actor) => {
  assert.deepEqual((await actor.asks(searchFor('风险预警'))).map((r) => r.title), ['风险预警']);
});

When('{actor} signs the warning of the week of {day}', (actor: Actor, week: string) => actor.attemptsTo(signWarning(week)));
When('{actor} tries to sign the warning of the week of {day}', (actor: Actor, week: string) => actor.tries(signWarning(week)));
Given('{actor} has signed the warning of the week of {day}', (actor: Actor, week: string) => actor.attemptsTo(signWarning(week)));
When('{actor} signs the warning of the week of {day} after entering the enterprise account', function (this: GovsimWorld, actor: Actor, week: string) {
  const enterprise = [...this.enterprises.values()].find((e) => e.legalRepIdNumber === actor.person.idNumber)!;
  return actor.attemptsTo(enterEnterpriseAccount(enterprise.name), signWarning(week));
});
Then('the warning of {day} is not signed', async function (this: GovsimWorld, week: string) {
  const { warning } = await this.someoneLoggedIn().asks(periodView(week));
  assert.deepEqual({ signed: warning.signed, status: warning.status.label }, { signed: null, status: '待签收' });
});
Then('the warning of {day} shows it was signed by {actor} at {string}', async (week: string, signer: Actor, at: string) => {
  assert.deepEqual((await signer.asks(periodView(week))).warning.signed, { at, by: signer.name });
});

// D3 / D4 / D5 ------------------------------------------------------------------------------------

Then('{actor} sees the enterprise {enterprise} with its credit code', async function (this: GovsimWorld, actor: Actor, enterprise: string) {
  this.overview = await actor.asks(warningsView);
  assert.deepEqual(this.overview.enterprise, { name: enterprise, uscc: this.enterprise(enterprise).uscc });
});
Then('the current warning of {day} with the advice {string}', function (this: GovsimWorld, week: string, advice: string) {
  const view = seen(this.overview, 'overview');
  assert.deepEqual({ week: view.current?.week, date: view.current?.date.slice(0, 10), advice: view.current?.advice }, { week, date: week, advice });
});
Then('at most {int} risk vehicles inside and {int} outside the province, the riskiest first', function (this: GovsimWorld, inside: number, outside: number) {
  const { topVehicles } = seen(this.overview, 'overview');
  for (const [list, max] of [[topVehicles!.inProvince, inside], [topVehicles!.outOfProvince, outside]] as const) {
    assert.ok(list.length > 0 && list.length <= max, `${list.length} vehicles`);
    const ranks = list.map((v) => SEVERITY.indexOf(v.level.code));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  }
  assert.ok(topVehicles!.inProvince.every((v) => v.plate.startsWith('粤')) && topVehicles!.outOfProvince.every((v) => !v.plate.startsWith('粤')));
});
Then('the periods with date and status {string}', function (this: GovsimWorld, status: string) {
  const { periods } = seen(this.overview, 'overview');
  assert.ok(periods.length > 0 && periods.every((p) => p.status.label === status && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(p.date)));
});
When('{actor} opens the first vehicle inside the province', async function (this: GovsimWorld, actor: Actor) {
  const { topVehicles, current } = seen(this.overview, 'overview');
  this.vehicle = await actor.asks(vehicleDetail(topVehicles!.inProvince[0]!.plate, current!.week));
});
Then('{actor} sees its owning enterprise, risk level, 监控预警, 定位预警 and 违章信息', function (this: GovsimWorld, _actor: Actor) {
  const vehicle = seen(this.vehicle, 'vehicle');
  assert.ok(vehicle.owner.name && vehicle.owner.uscc && SEVERITY.includes(vehicle.level.code));
  assert.deepEqual([vehicle.monitoring.label, vehicle.positioning.label, vehicle.violation.label], ['监控预警', '定位预警', '违章']);
});

When('{actor} opens the period of {day}', async function (this: GovsimWorld, actor: Actor, week: string) {
  this.period = await actor.asks(periodView(week));
});
Then('{actor} sees the counts of 违法预警, 小微预警, 失信, 监控预警, 定位预警, 违章', function (this: GovsimWorld, _actor: Actor) {
  const period = seen(this.period, 'period');
  assert.deepEqual(period.enterpriseRisk!.map((r) => r.label), ['违法预警', '小微预警', '失信', '监控预警', '定位预警', '违章']);
});
Then('each count opens a detail list of that many entries', async function (this: GovsimWorld) {
  const period = seen(this.period, 'period');
  const viewer = this.someoneLoggedIn();
  for (const risk of period.enterpriseRisk!) assert.equal((await viewer.asks(enterpriseRiskDetail(period.warning.week, risk.category))).entries.length, risk.count, risk.label);
});
Then("{actor} sees the risk level of each of his/her enterprise's vehicles, each opening its detail", async function (this: GovsimWorld, actor: Actor) {
  const period = seen(this.period, 'period');
  assert.ok(period.vehicles!.length >= 1);
  for (const v of period.vehicles!) assert.equal((await actor.asks(vehicleDetail(v.plate, period.warning.week))).level.code, v.level.code);
});

// D7 ---------------------------------------------------------------------------------------------

Then('the warning is {word} and feedback is {word} by {string}', function (this: GovsimWorld, label: string, obligation: string, dueBy: string) {
  const { warning } = seen(this.period, 'period');
  assert.deepEqual({ label: warning.level.label, required: warning.feedback.required, dueBy: warning.feedback.dueBy }, { label, required: obligation === 'required', dueBy });
});
Then('the period of {day} is {string}', async function (this: GovsimWorld, week: string, status: string) {
  assert.equal((await this.someoneLoggedIn().asks(periodView(week))).warning.status.label, status);
});
When('{actor} feeds back on the week of {day} with the measures {word} {word}', (actor: Actor, week: string, a: string, b: string) =>
  actor.attemptsTo(feedBack(week, { measures: [a.replace(/,$/, ''), b] })),
);
Given('{actor} has fed back on the week of {day}', (actor: Actor, week: string) => actor.attemptsTo(feedBack(week)));
When('{actor} tries to feed back on the week of {day}', (actor: Actor, week: string) => actor.tries(feedBack(week)));
When('{actor} tries to feed back on the week of {day} with the contact mobile {string}', (actor: Actor, week: string, contactMobile: string) => actor.tries(feedBack(week, { contactMobile })));
Then('the feedback of {day} still has the measures {word} {word}', async function (this: GovsimWorld, week: string, a: string, b: string) {
  assert.deepEqual((await this.someoneLoggedIn().asks(feedbackOf(week))).measures.map((m) => m.code), [a.replace(/,$/, ''), b]);
});

// D8 ---------------------------------------------------------------------------------------------

When('the reminder job runs twice at the same time', async function (this: GovsimWorld) {
  await Promise.all([this.tester.attemptsTo(runReminders), this.tester.attemptsTo(runReminders)]);
});
When('the reminder job runs again', function (this: GovsimWorld) {
  return this.tester.attemptsTo(runReminders);
});
Then('{actor} has received exactly {int} SMS containing {string}', async (actor: Actor, count: number, text: string) => {
  assert.equal((await actor.asks(smsReceived)).filter((m) => m.text.includes(text)).length, count);
});
Then('{actor} has received no SMS containing {string}', async (actor: Actor, text: string) => {
  assert.equal((await actor.asks(smsReceived)).filter((m) => m.text.includes(text)).length, 0);
});
