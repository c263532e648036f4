// 云核查: the appointment loop (F3, F4), the inspection over video (F5), its outcome (F6) and the
// rectification (F7), each side through its own channel.
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { CHECKLIST } from '../services/licensing/rules.js';
import { lookAt, type Actor } from '../features/support/screenplay.js';
import {
  applicationsListed,
  applicationView,
  authorityView,
  bigPng,
  changeTime,
  commitmentLetter,
  confirmRequestedTime,
  confirmTime,
  endNotFinished,
  hangUp,
  hangUpAndConclude,
  image,
  joinVideo,
  officerRejoins,
  PNG,
  proposeTime,
  providersListed,
  recordChecklist,
  recordItem,
  rectify,
  runAppointmentReminders,
  sha256,
  signCommitment,
  signRectification,
  startInspection,
  uploadHandlerPhoto,
  type Channel,
} from '../features/support/tasks/licensing.js';
import { journal } from '../features/support/tasks/registry.js';
import type { GovsimWorld } from '../features/support/world.js';
import { enterpriseSees } from './licence-application.steps.js';

const CHANNEL_LABEL: Record<Channel, string> = { WEB: '网页端', APP: 'APP端' };

// F3 the appointment loop --------------------------------------------------------------------------------------

When('{actor} proposes {localTime} for the inspection of {enterprise}', (actor: Actor, at: string, enterprise: string) => actor.attemptsTo(proposeTime(enterprise, at)));
Given('{actor} has proposed {localTime} for the inspection of {enterprise}', (actor: Actor, at: string, enterprise: string) => actor.attemptsTo(proposeTime(enterprise, at)));
When('{actor} tries to propose {localTime} for the inspection of {enterprise}', (actor: Actor, at: string, enterprise: string) => actor.tries(proposeTime(enterprise, at)));
When('{actor} confirms the inspection time of {enterprise} {channel}', (actor: Actor, enterprise: string, channel: Channel) => actor.attemptsTo(confirmTime(enterprise, channel)));
Given('{actor} has confirmed the inspection time of {enterprise} {channel}', (actor: Actor, enterprise: string, channel: Channel) => actor.attemptsTo(confirmTime(enterprise, channel)));
When('{actor} tries to confirm the inspection time of {enterprise} {channel}', (actor: Actor, enterprise: string, channel: Channel) => actor.tries(confirmTime(enterprise, channel)));
When('{actor} changes the inspection time of {enterprise} to {localTime} {channel}', (actor: Actor, enterprise: string, at: string, channel: Channel) => actor.attemptsTo(changeTime(enterprise, channel, at)));
When('{actor} tries to change the inspection time of {enterprise} to {localTime} {channel}', (actor: Actor, enterprise: string, at: string, channel: Channel) => actor.tries(changeTime(enterprise, channel, at)));
When('{actor} confirms the time {enterprise} asked for', (actor: Actor, enterprise: string) => actor.attemptsTo(confirmRequestedTime(enterprise)));
Given('{actor} has proposed {localTime} for the inspection of {enterprise} and {actor} has confirmed it {channel}', (officer: Actor, at: string, enterprise: string, actor: Actor, channel: Channel) =>
  officer.attemptsTo(proposeTime(enterprise, at)).then(() => actor.attemptsTo(confirmTime(enterprise, channel))),
);

Then('the application of {enterprise} is {word} for {localTime}', async function (this: GovsimWorld, enterprise: string, status: string, at: string) {
  const view = await enterpriseSees(this, enterprise);
  assert.deepEqual({ status: view.status.label, at: view.appointment.at?.slice(0, 16) }, { status, at });
});
Then('the proposals of {enterprise} read:', async function (this: GovsimWorld, enterprise: string, table: DataTable) {
  const { appointment } = await enterpriseSees(this, enterprise);
  const shown = appointment.proposals.map((p) => ({ time: p.at.slice(0, 16), by: p.proposedBy.label, channel: p.channel?.label ?? '', outcome: p.outcome.label, 'decided on': p.decidedChannel?.label ?? '' }));
  const expected = table.hashes().map((row) => ({ time: row.time, by: row.by, channel: row.channel ?? '', outcome: row.outcome, 'decided on': row['decided on'] ?? '' }));
  assert.deepEqual(shown, expected);
});
Then("{actor} sees {enterprise} {word} in the app's 云核查 list", async (actor: Actor, enterprise: string, status: string) => {
  const listed = await actor.asks(applicationsListed('APP'));
  assert.deepEqual(listed.map((a) => a.status.label), [status]);
  assert.equal((await actor.asks(applicationView(enterprise, 'APP'))).status.label, status);
});

When('{actor} confirms the time of {enterprise} in the app while {actor} changes it to {localTime} on the web, both from the page they opened', async (confirmer: Actor, enterprise: string, changer: Actor, at: string) => {
  const { version } = await confirmer.asks(applicationView(enterprise, 'APP'));
  await Promise.all([confirmer.tries(confirmTime(enterprise, 'APP', version)), changer.tries(changeTime(enterprise, 'WEB', at, version))]);
});
Then("one of {actor} and {actor} is refused with {int} {string} {string}, and the application of {enterprise} shows the other's decision", async function (this: GovsimWorld, confirmer: Actor, changer: Actor, status: number, code: string, message: string, enterprise: string) {
  const refused = [confirmer, changer].filter((a) => a.lastFailure);
  assert.equal(refused.length, 1, `${refused.length} of them were refused`);
  const failure = refused[0]!.failure();
  assert.deepEqual({ status: failure.status, code: failure.code, message: failure.message }, { status, code, message });
  const view = await enterpriseSees(this, enterprise);
  assert.equal(view.status.label, refused[0] === confirmer ? '待政府确认' : '待核查');
});

When('the appointment reminders run again', function (this: GovsimWorld) {
  return this.tester.attemptsTo(runAppointmentReminders);
});

Then('the harness lists the video provider with the outcomes {string} and the operations {string}, of which {word} decides', async function (this: GovsimWorld, outcomes: string, operations: string, deciding: string) {
  const video = (await this.tester.asks(providersListed)).find((p) => p.name === 'video');
  assert.ok(video, 'no video provider is listed');
  assert.deepEqual(Object.entries(video.outcomes).map(([code, o]) => `${code} ${o.message}`).join(', '), outcomes);
  assert.deepEqual(video.operations.map((o) => o.name).join(', '), operations);
  assert.deepEqual(video.operations.filter((o) => o.decides).map((o) => o.name), [deciding]);
});

// F5 the inspection ---------------------------------------------------------------------------------------------

When('{actor} starts the cloud inspection of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(startInspection(enterprise)));
Given('{actor} has started the cloud inspection of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(startInspection(enterprise)));
When('{actor} tries to start the cloud inspection of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(startInspection(enterprise)));

Then('{actor} is shown the 承诺书 {string} of {enterprise} in the app', async (actor: Actor, title: string, enterprise: string) => {
  const letter = await actor.asks(commitmentLetter(enterprise));
  assert.equal(letter.title, title);
  assert.match(letter.text, /如实展示/);
});
When("{actor} signs the 承诺书 and uploads the handler's photo for {enterprise}", (actor: Actor, enterprise: string) => actor.attemptsTo(signCommitment(enterprise), uploadHandlerPhoto(enterprise)));
Given("{actor} has signed the 承诺书 and uploaded the handler's photo for {enterprise}", (actor: Actor, enterprise: string) => actor.attemptsTo(signCommitment(enterprise), uploadHandlerPhoto(enterprise)));
When('{actor} signs the 承诺书 of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(signCommitment(enterprise)));
When('{actor} tries to sign the 承诺书 of {enterprise}( again)', (actor: Actor, enterprise: string) => actor.tries(signCommitment(enterprise)));
const IMAGES: Record<string, () => { mimeType: string; data: string }> = {
  'a GIF': () => image(Buffer.from('GIF89a\u0001\u0000\u0001\u0000'), 'image/gif'),
  'a PNG of 250 KB': () => image(bigPng(250)),
  'a PNG labelled as JPEG': () => image(PNG, 'image/jpeg'),
};
When('{actor} tries to sign the 承诺书 of {enterprise} with {string}', (actor: Actor, enterprise: string, kind: string) => actor.tries(signCommitment(enterprise, IMAGES[kind]!())));

When('{actor} joins the video of {enterprise}( again)', (actor: Actor, enterprise: string) => actor.attemptsTo(joinVideo(enterprise)));
Given('{actor} has joined the video of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(joinVideo(enterprise)));
When('{actor} tries to join the video of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(joinVideo(enterprise)));
When('{actor} hangs up the video of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(hangUp(enterprise)));
When('{actor} joins the inspection call of {enterprise} again', (actor: Actor, enterprise: string) => actor.attemptsTo(officerRejoins(enterprise)));

Then('{actor} sees both sides on the call of {enterprise}', async (officer: Actor, enterprise: string) => {
  const { inspection } = await officer.asks(authorityView(enterprise));
  assert.deepEqual({ enterprise: inspection?.video?.enterprise.label, officer: inspection?.video?.officer.label }, { enterprise: '通话中', officer: '通话中' });
});
Then("{actor} sees the enterprise's line of {enterprise} as {word}", async (actor: Actor, enterprise: string, line: string) => {
  assert.equal((await actor.asks(applicationView(enterprise, 'APP'))).inspection?.video?.enterprise.label, line);
});

When('{actor} records every checklist item of {enterprise} as 符合', (actor: Actor, enterprise: string) => actor.attemptsTo(recordChecklist(enterprise)));
When('{actor} records every checklist item of {enterprise} as 符合 except:', (actor: Actor, enterprise: string, table: DataTable) => actor.attemptsTo(recordChecklist(enterprise, table.rowsHash())));
When('{actor} tries to record {string} of {enterprise} as 符合', (actor: Actor, item: string, enterprise: string) => actor.tries(recordItem(enterprise, item, '符合')));
When('{actor} tries to record {string} of {enterprise} as 不符合 without a note', (actor: Actor, item: string, enterprise: string) => actor.tries(recordItem(enterprise, item, '不符合')));
When('{actor} hangs up the inspection of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(hangUpAndConclude(enterprise)));
When('{actor} tries to hang up the inspection of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(hangUpAndConclude(enterprise)));
When('{actor} ends the inspection of {enterprise} as not finished because {string}', (actor: Actor, enterprise: string, reason: string) => actor.attemptsTo(endNotFinished(enterprise, reason)));

/** The legal representative on the call, the inspector recording the checklist (problems: item → finding), then hanging up. */
Given('{actor} has inspected {enterprise} over video with {actor}, finding:', async (officer: Actor, enterprise: string, legalRep: Actor, table: DataTable) => {
  await officer.attemptsTo(startInspection(enterprise));
  await legalRep.attemptsTo(signCommitment(enterprise), uploadHandlerPhoto(enterprise), joinVideo(enterprise));
  await officer.attemptsTo(recordChecklist(enterprise, table.rowsHash()), hangUpAndConclude(enterprise));
});

// F6 the outcome ------------------------------------------------------------------------------------------------

Then('the application of {enterprise} is 核查通过, with every item 符合 and the signature and photo stored', async function (this: GovsimWorld, enterprise: string) {
  const { status, inspection, problems } = await enterpriseSees(this, enterprise);
  assert.deepEqual({ status: status.label, inspection: inspection?.status.label, problems }, { status: '核查通过', inspection: '核查通过', problems: [] });
  assert.deepEqual(inspection!.checklist.map((c) => c.result?.label), CHECKLIST.map(() => '符合'));
  assert.deepEqual([inspection!.commitmentSignature?.sha256, inspection!.commitmentSignature?.sizeBytes, inspection!.handlerPhoto?.sha256], [sha256(PNG), PNG.length, sha256(PNG)]);
});
Then('the application of {enterprise} is 已提交 again, its inspection 核查未完成 because {string}', async function (this: GovsimWorld, enterprise: string, reason: string) {
  const { status, inspection, appointment } = await enterpriseSees(this, enterprise);
  assert.deepEqual({ status: status.label, inspection: inspection?.status.label, note: inspection?.note, at: appointment.at }, { status: '已提交', inspection: '核查未完成', note: reason, at: null });
  assert.equal(appointment.proposals.at(-1)?.outcome.label, '已取消');
});
Then("the video provider created one room for {enterprise}'s inspection and ended it; {actor} joined it {int} time(s)", async function (this: GovsimWorld, enterprise: string, legalRep: Actor, joins: number) {
  const calls = await this.tester.asks(journal({ provider: 'video' }));
  const { number } = await enterpriseSees(this, enterprise);
  assert.equal(calls.filter((c) => c.operation === 'create').length, 1);
  assert.equal(calls.filter((c) => c.operation === 'end').length, 1);
  assert.equal(calls.filter((c) => c.operation === 'join' && c.subject === legalRep.person.idNumber && c.outcome === 'PASS').length, joins);
  assert.ok(number.startsWith('CZWH'));
});
Then('the application of {enterprise} is 企业修复中 with the 问题汇总:', async function (this: GovsimWorld, enterprise: string, table: DataTable) {
  const { status, problems } = await enterpriseSees(this, enterprise);
  assert.equal(status.label, '企业修复中');
  assert.deepEqual(problems.map((p) => [p.item, p.finding, p.status.label]), table.raw());
});

// F7 rectification ----------------------------------------------------------------------------------------------

When("{actor} signs before rectifying {enterprise}'s problems in the app", (actor: Actor, enterprise: string) => actor.attemptsTo(signRectification(enterprise)));
Given("{actor} has signed before rectifying {enterprise}'s problems in the app", (actor: Actor, enterprise: string) => actor.attemptsTo(signRectification(enterprise)));
When("{actor} tries to sign before rectifying {enterprise}'s problems in the app", (actor: Actor, enterprise: string) => actor.tries(signRectification(enterprise)));
When('{actor} rectifies {string} of {enterprise} {channel}', (actor: Actor, item: string, enterprise: string, channel: Channel) => actor.attemptsTo(rectify(enterprise, channel, item)));
When('{actor} tries to rectify {string} of {enterprise} {channel}( again)', (actor: Actor, item: string, enterprise: string, channel: Channel) => actor.tries(rectify(enterprise, channel, item)));
When('{actor} tries to rectify {string} of {enterprise} {channel} without photos', (actor: Actor, item: string, enterprise: string, channel: Channel) => actor.tries(rectify(enterprise, channel, item, { photos: [] })));
When('{actor} tries to rectify {string} of {enterprise} {channel} with an empty note', (actor: Actor, item: string, enterprise: string, channel: Channel) => actor.tries(rectify(enterprise, channel, item, { note: ' ' })));

Then('the 问题汇总 of {enterprise} reads:', async function (this: GovsimWorld, enterprise: string, table: DataTable) {
  const { problems } = await enterpriseSees(this, enterprise);
  assert.deepEqual(
    problems.map((p) => ({ item: p.item, status: p.status.label, channel: p.channel?.label ?? '', photos: String(p.photos.length) })),
    table.hashes().map((row) => ({ item: row.item, status: row.status, channel: row.channel ?? '', photos: row.photos ?? '0' })),
  );
});
Then('the cloud inspection of {enterprise} has ended: 整改完成, signed in the app', async function (this: GovsimWorld, enterprise: string) {
  const { status, inspection, problems } = await enterpriseSees(this, enterprise);
  assert.equal(status.label, '整改完成');
  assert.equal(inspection?.rectificationSignature?.channel.label, CHANNEL_LABEL.APP);
  assert.ok(problems.every((p) => p.status.label === '已整改' && p.photos.every((photo) => photo.sha256 === sha256(PNG))));
});

When('{actor} tries to look at the 承诺书 of {enterprise}', (actor: Actor, enterprise: string) => actor.tries(lookAt(commitmentLetter(enterprise))));
