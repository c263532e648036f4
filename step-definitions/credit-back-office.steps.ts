// 信用修复 in the 信用监管综合系统 (E4–E9): login, 我的待办, records of the office, the case's two
// tabs, 受理 / 转办, 审核, 审批, refusals, role separation, two users at once.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Refusal } from '../features/support/client.js';
import { eventually } from '../features/support/eventually.js';
import {
  appoint,
  askForStaffCode,
  backOfficeUser,
  caseLog,
  caseOfEnterprise,
  declareCalendarDay,
  logInToBackOffice,
  materialFile,
  officeRecords,
  openCaseFor,
  recordsInRegistry,
  subjectRecords,
  takeStep,
  todoList,
  type KindLabel,
  type RoleLabel,
  type TodoSearch,
} from '../features/support/tasks/credit-repair.js';
import { latestCode } from '../features/support/tasks/registry.js';
import { lookAt, type Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

function seen<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `no earlier step looked at the ${what}`);
  return value;
}

/** The scenario's staff holding a role (the first appointed). */
function holderOf(world: GovsimWorld, role: RoleLabel): Actor {
  const name = [...world.credit.staff].find(([, roles]) => roles.includes(role))?.[0];
  if (!name) throw new Error(`nobody in this scenario is a ${role}`);
  return world.actor(name);
}

const caseIdOf = (world: GovsimWorld, enterprise: string) => {
  const found = world.credit.cases.get(enterprise);
  assert.ok(found, `no case of ${enterprise} in this scenario`);
  return found.caseId;
};

// Offices, staff, login (E4) ------------------------------------------------------------------------

Given('{actor} is a/an {role} of {office}', function (this: GovsimWorld, actor: Actor, role: RoleLabel, office: string) {
  return this.tester.attemptsTo(appoint(actor, office, [role]));
});
Given('{actor} is a/an {role} and {role} of {office}', function (this: GovsimWorld, actor: Actor, a: RoleLabel, b: RoleLabel, office: string) {
  return this.tester.attemptsTo(appoint(actor, office, [a, b]));
});
Given('{actor}, {actor} and {actor} are {role}, {role} and {role} of {office}', function (this: GovsimWorld, a: Actor, b: Actor, c: Actor, ra: RoleLabel, rb: RoleLabel, rc: RoleLabel, office: string) {
  return this.tester.attemptsTo(appoint(a, office, [ra]), appoint(b, office, [rb]), appoint(c, office, [rc]));
});

When('{actor} asks the 信用监管综合系统 for a login code', (actor: Actor) => actor.attemptsTo(askForStaffCode));
Given('{actor} has asked the 信用监管综合系统 for a login code', (actor: Actor) => actor.attemptsTo(askForStaffCode));
When('{actor} tries to ask the 信用监管综合系统 for a login code', (actor: Actor) => actor.tries(askForStaffCode));
When('{actor} logs in to the 信用监管综合系统 with the code from the SMS', async (actor: Actor) => actor.attemptsTo(logInToBackOffice(await actor.asks(latestCode))));
When('{actor} tries to log in to the 信用监管综合系统 with a wrong code', async (actor: Actor) => {
  const right = await actor.asks(latestCode);
  await actor.tries(logInToBackOffice(String((Number(right) + 1) % 1_000_000).padStart(6, '0')));
});
Given('{actor} has logged in to the 信用监管综合系统', async (actor: Actor) => void (await actor.asks(backOfficeUser)));
Then('{actor} is {role} of {office} in {bureau}', async (actor: Actor, role: string, office: string, bureau: string) => {
  const user = await actor.asks(backOfficeUser);
  assert.deepEqual({ name: user.name, office: user.office.name, bureau: user.bureau.name, roles: user.roles.map((r) => r.label) }, { name: actor.name, office, bureau, roles: [role] });
});

// 我的待办 (E5) -----------------------------------------------------------------------------------------

Then('the application/case of {enterprise} is in the to-do list of {actor} as {word}', async function (this: GovsimWorld, enterprise: string, actor: Actor, state: string) {
  const { items } = await actor.asks(todoList());
  assert.deepEqual(
    items.map((i) => ({ caseId: i.caseId, name: i.subject.name, state: i.state.label })),
    [{ caseId: caseIdOf(this, enterprise), name: enterprise, state }],
  );
});
Then('the to-do list of {actor} is empty', async (actor: Actor) => {
  const page = await actor.asks(todoList());
  assert.deepEqual({ total: page.total, items: page.items }, { total: 0, items: [] });
});

/** The one case the scenario made, as a to-do row shows it. */
const onlyCase = (world: GovsimWorld) => {
  const cases = [...world.credit.cases.entries()];
  assert.equal(cases.length, 1, 'this step expects the scenario to have made one case');
  return { enterprise: cases[0]![0], ...cases[0]![1] };
};

Then('{actor} finds it searching by its acceptance number, by the name {string}, by kind and status, and by its credit code', async function (this: GovsimWorld, actor: Actor, name: string) {
  const kase = onlyCase(this);
  const { uscc } = this.enterprise(kase.enterprise);
  const searches: TodoSearch[] = [{ acceptanceNo: kase.acceptanceNo! }, { name }, { kind: 'ABNORMAL', status: 'PENDING_ACCEPTANCE' }, { code: uscc }, { code: uscc.toLowerCase() }];
  for (const search of searches) assert.deepEqual((await actor.asks(todoList(search))).items.map((i) => i.caseId), [kase.caseId], JSON.stringify(search));
});
Then('{actor} finds nothing searching by the name {string} or by the status {word}', async (actor: Actor, name: string, status: string) => {
  const code = { 待审核: 'PENDING_REVIEW', 待审批: 'PENDING_APPROVAL' }[status];
  for (const search of [{ name }, { status: code! }]) assert.equal((await actor.asks(todoList(search))).total, 0, JSON.stringify(search));
});

Given('{actor} has chosen 办理 on the record of each of them', async function (this: GovsimWorld, actor: Actor) {
  for (const enterprise of this.credit.batch) await actor.attemptsTo(openCaseFor(enterprise));
});
When('{actor} looks at page {int} of his/her to-do list, {int} to a page', async function (this: GovsimWorld, actor: Actor, page: number, pageSize: number) {
  this.credit.todo = await actor.asks(todoList({ page, pageSize }));
});
Then('he/she sees {int} case(s) of {int}', function (this: GovsimWorld, count: number, total: number) {
  const page = seen(this.credit.todo, 'to-do list');
  assert.deepEqual({ items: page.items.length, total: page.total }, { items: count, total });
  assert.ok(page.items.every((i) => this.credit.batch.includes(i.subject.name)));
});

Given("{day} is a holiday in the run's calendar", function (this: GovsimWorld, day: string) {
  return this.tester.attemptsTo(declareCalendarDay(day, false, '测试假日'));
});
const todoRowOf = async (world: GovsimWorld, actor: Actor, enterprise: string) => {
  const row = (await actor.asks(todoList())).items.find((i) => i.caseId === caseIdOf(world, enterprise));
  assert.ok(row, `the case of ${enterprise} is not in the to-do list of ${actor.name}`);
  return row;
};
Then('the application of {enterprise} is due on {day} in the to-do list of {actor}, not overdue', async function (this: GovsimWorld, enterprise: string, day: string, actor: Actor) {
  const row = await todoRowOf(this, actor, enterprise);
  assert.deepEqual({ dueOn: row.dueOn, overdue: row.overdue }, { dueOn: day, overdue: false });
});
Then('the application of {enterprise} is not overdue in the to-do list of {actor}', async function (this: GovsimWorld, enterprise: string, actor: Actor) {
  assert.equal((await todoRowOf(this, actor, enterprise)).overdue, false);
});
Then('the application of {enterprise} is eventually flagged overdue since {day} in the to-do list of {actor}', function (this: GovsimWorld, enterprise: string, since: string, actor: Actor) {
  // The deadline shows at once; the overdue job records it when the scheduler runs it on the run's clock.
  return eventually(async () => {
    const row = await todoRowOf(this, actor, enterprise);
    assert.deepEqual({ overdue: row.overdue, since: row.overdueSince }, { overdue: true, since });
  });
});

// Records of the office (E6) ------------------------------------------------------------------------

When('{actor} searches the {creditKind} records of his/her office by the reason {word}', async function (this: GovsimWorld, actor: Actor, kind: KindLabel, reason: string) {
  this.credit.listing = await actor.asks(officeRecords(kind, { reason }));
});
Then('he/she finds {enterprise} only', function (this: GovsimWorld, enterprise: string) {
  assert.deepEqual(seen(this.credit.listing, 'records').items.map((r) => r.subject.name), [enterprise]);
});
Then('{actor} finds {enterprise} only, searching by the name {string}, by its credit code, by its 注册号, and listed from {day} to {day}', async function (
  this: GovsimWorld,
  actor: Actor,
  enterprise: string,
  name: string,
  from: string,
  to: string,
) {
  const record = this.credit.records.get(enterprise)!;
  const searches: Record<string, string>[] = [{ name }, { code: record.subject.uscc }, { code: record.subject.registrationNo }, { listedFrom: from, listedTo: to }];
  for (const search of searches) {
    assert.deepEqual((await actor.asks(officeRecords('企业经营异常名录', search))).items.map((r) => r.subject.name), [enterprise], JSON.stringify(search));
  }
});
Then('{actor} finds nothing listed from {day} to {day} by the reason {word}', async (actor: Actor, from: string, to: string, reason: string) => {
  assert.equal((await actor.asks(officeRecords('企业经营异常名录', { listedFrom: from, listedTo: to, reason }))).total, 0);
});
When('{actor} chooses 办理 on the record of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(openCaseFor(enterprise)));
Then('the case of {enterprise} is in the to-do list of {actor} as {word}, opened by the office', async function (this: GovsimWorld, enterprise: string, actor: Actor, state: string) {
  const row = await todoRowOf(this, actor, enterprise);
  assert.deepEqual({ state: row.state.label, kind: row.kind.label, opened: seen(this.credit.openedCase, 'case').approvalForm.entries.map((e) => `${e.event.label} ${e.by}`) }, {
    state,
    kind: '企业经营异常名录',
    opened: [`办理 ${actor.name}`],
  });
});

// The case: 受理, 转办 (E7, E8) ------------------------------------------------------------------------

When('{actor} opens the case of {enterprise} from his/her to-do list', async function (this: GovsimWorld, actor: Actor, enterprise: string) {
  await todoRowOf(this, actor, enterprise);
  this.credit.openedCase = await actor.asks(caseOfEnterprise(enterprise));
  this.credit.openedBy = actor.name;
});
Then('the tab 信用修复申请信息 shows {enterprise}, its record and {int} materials, each the file {actor} uploaded, byte for byte', async function (
  this: GovsimWorld,
  enterprise: string,
  count: number,
  _applicant: Actor,
) {
  const opened = seen(this.credit.openedCase, 'case');
  const { subject, records, materials } = opened.application;
  assert.deepEqual({ name: subject.name, records: records.map((r) => r.recordId), materials: materials.length }, { name: enterprise, records: [this.credit.records.get(enterprise)!.recordId], materials: count });
  const viewer = this.actor(seen(this.credit.openedBy, 'case'));
  for (const m of materials) {
    const file = await viewer.asks(materialFile(enterprise, m.materialId));
    const bytes = Buffer.from(file.content, 'base64');
    const uploaded = this.credit.uploaded.get(m.materialId) ?? this.credit.uploaded.get(m.fileName); // the pages show no id: by file name
    assert.ok(uploaded && bytes.equals(uploaded), `${m.fileName} differs from what was uploaded`);
    assert.equal(file.sha256, createHash('sha256').update(bytes).digest('hex'));
  }
});

When('{actor} accepts the case of {enterprise} with the opinion {string}', (actor: Actor, enterprise: string, opinion: string) => actor.attemptsTo(takeStep(enterprise, { event: 'acceptance', opinion })));
Given('{actor} has accepted the case of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(takeStep(enterprise, { event: 'acceptance', opinion: '材料齐全，同意受理' })));
When('{actor} transfers the case of {enterprise} to {office} for the reason {string}', (actor: Actor, enterprise: string, toOffice: string, reason: string) =>
  actor.attemptsTo(takeStep(enterprise, { event: 'transfer', toOffice, reason })),
);
When('{actor} tries to transfer the case of {enterprise} to {office} for the reason {string}', (actor: Actor, enterprise: string, toOffice: string, reason: string) =>
  actor.tries(takeStep(enterprise, { event: 'transfer', toOffice, reason })),
);
Then('{actor} can no longer open the case of {enterprise}', async (actor: Actor, enterprise: string) => {
  await actor.tries(lookAt(caseOfEnterprise(enterprise)));
  const refusal = actor.failure();
  assert.deepEqual({ status: refusal.status, code: refusal.code }, { status: 403, code: 'CASE_NOT_IN_OFFICE' });
});
Then('the 信用修复审批表 that {actor} sees shows the transfer from {office} to {office} by {actor} for {string}', async function (
  this: GovsimWorld,
  actor: Actor,
  from: string,
  to: string,
  by: Actor,
  reason: string,
) {
  const enterprise = onlyCase(this).enterprise;
  const { approvalForm } = await actor.asks(caseOfEnterprise(enterprise));
  assert.deepEqual(
    approvalForm.transfers.map((t) => ({ from: t.from.name, to: t.to.name, by: t.by, reason: t.reason })),
    [{ from, to, by: by.name, reason }],
  );
});

// 审核, 审批, refusals (E9) ---------------------------------------------------------------------------

When('{actor} reviews the case of {enterprise} with the opinion {string}', (actor: Actor, enterprise: string, opinion: string) => actor.attemptsTo(takeStep(enterprise, { event: 'review', opinion })));
When('{actor} tries to review the case of {enterprise} with the opinion {string}', (actor: Actor, enterprise: string, opinion: string) => actor.tries(takeStep(enterprise, { event: 'review', opinion })));
When('{actor} approves the case of {enterprise} with the opinion {string}', (actor: Actor, enterprise: string, opinion: string) => actor.attemptsTo(takeStep(enterprise, { event: 'approval', opinion })));
When('{actor} refuses the case of {enterprise} for the reason {string}', (actor: Actor, enterprise: string, reason: string) => actor.attemptsTo(takeStep(enterprise, { event: 'refusal', reason })));
Given('{actor} has refused the case of {enterprise} for the reason {string}', (actor: Actor, enterprise: string, reason: string) => actor.attemptsTo(takeStep(enterprise, { event: 'refusal', reason })));
When('{actor}, {actor} and {actor} accept, review and approve the case of {enterprise}', (handler: Actor, reviewer: Actor, approver: Actor, enterprise: string) =>
  handler
    .attemptsTo(takeStep(enterprise, { event: 'acceptance', opinion: '材料齐全，同意受理' }))
    .then(() => reviewer.attemptsTo(takeStep(enterprise, { event: 'review', opinion: '同意' })))
    .then(() => approver.attemptsTo(takeStep(enterprise, { event: 'approval', opinion: '准予修复' }))),
);
Given('the case of {enterprise} has got to {word}', async function (this: GovsimWorld, enterprise: string, step: string) {
  if (step === '审核' || step === '审批') await holderOf(this, '经办人').attemptsTo(takeStep(enterprise, { event: 'acceptance', opinion: '材料齐全，同意受理' }));
  if (step === '审批') await holderOf(this, '审核人员').attemptsTo(takeStep(enterprise, { event: 'review', opinion: '同意' }));
});

Then('the record of {enterprise} is {word} on {day} under a removal decision of the bureau', async function (this: GovsimWorld, enterprise: string, status: string, day: string) {
  const [record] = await this.tester.asks(recordsInRegistry(enterprise));
  assert.deepEqual({ status: record!.status.label, repairedOn: record!.repairedOn, inCase: record!.inCase }, { status, repairedOn: day, inCase: false });
  assert.match((record as unknown as { repairDecisionNo: string }).repairDecisionNo, /^穗.市监(移严|移异|恢复)字〔\d{4}〕第\d{4}号$/);
});
Then('{actor} sees on 广州企业一网通 that the record of {enterprise} is {word} on {day}', async (actor: Actor, enterprise: string, status: string, day: string) => {
  const records = await actor.asks(subjectRecords);
  assert.deepEqual(
    records.map((r) => ({ name: r.subject.name, status: r.status.label, repairedOn: r.repairedOn })),
    [{ name: enterprise, status, repairedOn: day }],
  );
});
Then('the record of {enterprise} can be applied for again', async function (this: GovsimWorld, enterprise: string) {
  const [record] = await this.tester.asks(recordsInRegistry(enterprise));
  assert.deepEqual({ status: record!.status.code, inCase: record!.inCase }, { status: 'LISTED', inCase: false });
});

Then('the log of the case of {enterprise} reads {labels} by {labels}', async function (this: GovsimWorld, enterprise: string, events: string[], actors: string[]) {
  const { log } = await this.tester.asks(caseLog(enterprise));
  assert.deepEqual(
    log.map((e) => [e.event.label, e.by]),
    events.map((e, i) => [e, actors[i]]),
  );
});
Then('the log of the case of {enterprise} ends with 不予通过 at {word} by {actor} for {string}', async function (this: GovsimWorld, enterprise: string, step: string, actor: Actor, reason: string) {
  const { case: kase, log } = await this.tester.asks(caseLog(enterprise));
  const last = log.at(-1)!;
  assert.deepEqual({ state: kase.state.label, event: last.event.label, step: last.step.label, by: last.by, reason: last.reason }, { state: '不予修复', event: '不予通过', step, by: actor.name, reason });
});

// Two users at once -----------------------------------------------------------------------------------

When('{actor} and {actor} both open the case of {enterprise} and review it at the same time', async function (this: GovsimWorld, a: Actor, b: Actor, enterprise: string) {
  const [seenByA, seenByB] = [await a.asks(caseOfEnterprise(enterprise)), await b.asks(caseOfEnterprise(enterprise))];
  const race = { succeeded: [] as string[], refused: [] as Refusal[] };
  await Promise.all(
    [
      [a, seenByA.version],
      [b, seenByB.version],
    ].map(([actor, version]) =>
      (actor as Actor).attemptsTo(takeStep(enterprise, { event: 'review', opinion: '同意' }, version as number)).then(
        () => void race.succeeded.push((actor as Actor).name),
        (error: unknown) => {
          if (!(error instanceof Refusal)) throw error;
          race.refused.push(error);
        },
      ),
    ),
  );
  this.credit.race = race;
});
Then('one of them succeeds and the other is refused with {int} {string} {string}', function (this: GovsimWorld, status: number, code: string, message: string) {
  const race = seen(this.credit.race, 'race');
  assert.equal(race.succeeded.length, 1);
  assert.deepEqual(
    race.refused.map((r) => ({ status: r.status, code: r.code, message: r.message })),
    [{ status, code, message }],
  );
});
Then('the log of the case of {enterprise} has one {word}', async function (this: GovsimWorld, enterprise: string, event: string) {
  assert.equal((await this.tester.asks(caseLog(enterprise))).log.filter((e) => e.event.label === event).length, 1);
});

