// 粤商通 personal login (A1–A3).
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { askForLoginCode, logInWithCode, logInWithFace, logInWithFaceAs, logOut, personalAccount, sessionWorks, startFaceLoginWith } from '../features/support/tasks/login.js';
import { businessFootprint, faceCallsFor, journal, latestCode } from '../features/support/tasks/registry.js';
import type { Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

When('{actor} logs in with face recognition', (actor: Actor) => actor.attemptsTo(logInWithFace()));
Given('{actor} has logged in with face recognition', (actor: Actor) => actor.attemptsTo(logInWithFace()));
When('{actor} tries to log in with face recognition', (actor: Actor) => actor.tries(logInWithFace()));
When('{actor} tries to log in with face recognition as {actor}', (actor: Actor, claimed: Actor) => actor.tries(logInWithFaceAs(claimed)));
When('{actor} tries to start a face login with ID number {string}', (actor: Actor, idNumber: string) => actor.tries(startFaceLoginWith({ idNumber })));

When('{actor} logs in with face recognition again', async (actor: Actor) => {
  const { id } = (await actor.asks(personalAccount))!;
  assert.ok(id, 'the personal account has no id here (the API answers it; 我的 does not show it)');
  actor.remember('previous account', id);
  await actor.attemptsTo(logInWithFace());
});

Then('{actor} is logged in to a personal account in the name {actor}', async (actor: Actor, named: Actor) => {
  const account = await actor.asks(personalAccount);
  assert.equal(account?.name, named.name);
  assert.equal(account?.idNumber, actor.person.idNumber);
});

Then('{actor} is logged in to the same personal account as before', async (actor: Actor) => {
  assert.equal((await actor.asks(personalAccount))?.id, actor.recall('previous account'));
});

When('{actor} logs out of 粤商通', (actor: Actor) => actor.attemptsTo(logOut));
Then('the session {actor} logged out of no longer works', async (actor: Actor) => {
  assert.equal(await actor.asks(sessionWorks(actor.recall('yst session logged out of'))), false);
});

Then('{actor} is not logged in', async (actor: Actor) => {
  assert.equal(actor.token, undefined);
  assert.equal(await actor.asks(personalAccount), undefined);
});

Then('no personal account was created', async function (this: GovsimWorld) {
  assert.equal((await this.tester.asks(businessFootprint)).yst_personal_accounts, undefined);
});

Then('the face provider verified {actor} once', async function (this: GovsimWorld, actor: Actor) {
  const verifications = (await this.tester.asks(faceCallsFor(actor))).filter((call) => call.operation === 'verify');
  assert.deepEqual(verifications.map((call) => call.outcome), ['PASS']);
});

Then('the face provider was never called', async function (this: GovsimWorld) {
  assert.deepEqual(await this.tester.asks(journal({ provider: 'face' })), []);
});

When('{actor} asks for a login code', (actor: Actor) => actor.attemptsTo(askForLoginCode()));
Given('{actor} has asked for a login code', (actor: Actor) => actor.attemptsTo(askForLoginCode()));
When('{actor} tries to ask for a login code', (actor: Actor) => actor.tries(askForLoginCode()));
When('{actor} tries to ask for a login code for {string}', (actor: Actor, mobile: string) => actor.tries(askForLoginCode(mobile)));

When('{actor} logs in with the code from the SMS', async (actor: Actor) => actor.attemptsTo(logInWithCode(await actor.asks(latestCode))));
Given('{actor} has logged in with the code from the SMS', async (actor: Actor) => actor.attemptsTo(logInWithCode(await actor.asks(latestCode))));
When('{actor} tries to log in with the code from the SMS', async (actor: Actor) => actor.tries(logInWithCode(await actor.asks(latestCode))));

When('{actor} tries to log in with the code {string}', (actor: Actor, code: string) => actor.tries(logInWithCode(code)));

Then('{actor} was answered as {actor} was', (actor: Actor, other: Actor) => {
  assert.deepEqual(actor.recall('login code answer'), other.recall('login code answer'));
});

When('{actor} enters a wrong code {int} time(s)', async (actor: Actor, times: number) => {
  const right = await actor.asks(latestCode);
  const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
  for (let i = 0; i < times; i++) await actor.tries(logInWithCode(wrong));
});
