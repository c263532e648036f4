// Harness controls: clock (H1), outcome table and journal (H2), world and reset (H4), API browsers (H6).
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { isValidResidentId, isValidUscc } from '../kernel/identifiers.js';
import { logInWithFace, personalAccount } from '../features/support/tasks/login.js';
import { advanceClock, apiBrowser, clearScripts, faceCallsFor, footprint, providerScripts, readClock, registryEnterprises, resetRun, scriptProvider, seedWorld, setClock, type Server } from '../features/support/tasks/registry.js';
import type { Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

Given('the {provider} will answer {word} for {actor}', function (this: GovsimWorld, provider: string, outcome: string, actor: Actor) {
  return this.tester.attemptsTo(scriptProvider(provider, actor, { outcome }));
});
Given('the {provider} will answer {word} for {actor} {int} times', function (this: GovsimWorld, provider: string, outcome: string, actor: Actor, times: number) {
  return this.tester.attemptsTo(scriptProvider(provider, actor, { outcome, times }));
});
Given('the {provider} will fail with {word} for {actor}', function (this: GovsimWorld, provider: string, fault: string, actor: Actor) {
  return this.tester.attemptsTo(scriptProvider(provider, actor, { fault }));
});
Given('the {provider} will take {int} ms for {actor}', function (this: GovsimWorld, provider: string, latencyMs: number, actor: Actor) {
  return this.tester.attemptsTo(scriptProvider(provider, actor, { latencyMs }));
});

When('the tester tries to script the {provider} to answer {word} for {actor}', function (this: GovsimWorld, provider: string, outcome: string, actor: Actor) {
  return this.tester.tries(scriptProvider(provider, actor, { outcome }));
});
Then('the harness refuses with {int} {string}', function (this: GovsimWorld, status: number, code: string) {
  const refusal = this.tester.failure();
  assert.deepEqual({ status: refusal.status, code: refusal.code }, { status, code });
});

Then('the {provider} has {int} answer(s) scripted for {actor}', async function (this: GovsimWorld, provider: string, answers: number, actor: Actor) {
  const subject = provider === 'sms' ? actor.person.mobile : actor.person.idNumber;
  const scripts = (await this.tester.asks(providerScripts(provider))).filter((s) => s.subject === subject);
  assert.equal(scripts.reduce((sum, s) => sum + s.remaining, 0), answers);
});
When('the tester clears the scripts of the {provider}', function (this: GovsimWorld, provider: string) {
  return this.tester.attemptsTo(clearScripts(provider));
});
Then('the {provider} has no scripts', async function (this: GovsimWorld, provider: string) {
  assert.deepEqual(await this.tester.asks(providerScripts(provider)), []);
});

Then('the journal shows a face call for {actor} that took {int} ms', async function (this: GovsimWorld, actor: Actor, latencyMs: number) {
  const calls = await this.tester.asks(faceCallsFor(actor));
  assert.deepEqual(calls.filter((c) => c.latencyMs > 0).map((c) => c.latencyMs), [latencyMs]);
});

When('the date becomes {day}', function (this: GovsimWorld, day: string) {
  return this.tester.attemptsTo(setClock(`${day}T09:00:00`));
});
When('{duration} pass(es)', function (this: GovsimWorld, by: string) {
  return this.tester.attemptsTo(advanceClock(by));
});
Then('the harness clock says {day} {word}', async function (this: GovsimWorld, day: string, time: string) {
  assert.equal((await this.tester.asks(readClock)).shanghai, `${day} ${time}`);
});

When('another run sets its clock to {day}', function (this: GovsimWorld, day: string) {
  return this.anotherRun().tester.attemptsTo(setClock(`${day}T09:00:00`));
});

When('{actor} logs in with face recognition in another run', function (this: GovsimWorld, actor: Actor) {
  return this.anotherRun().as(actor).attemptsTo(logInWithFace());
});
Then('{actor} is logged in there', async function (this: GovsimWorld, actor: Actor) {
  assert.equal((await this.anotherRun().as(actor).asks(personalAccount))?.idNumber, actor.person.idNumber);
});

When('this run and another run each seed a world of {int} enterprises from seed {int}', async function (this: GovsimWorld, enterprises: number, seed: number) {
  await this.tester.attemptsTo(seedWorld(seed, enterprises));
  await this.anotherRun().tester.attemptsTo(seedWorld(seed, enterprises));
});
Then("both runs hold the same {int} enterprises with valid credit codes and legal representatives' ID numbers", async function (this: GovsimWorld, count: number) {
  const mine = await this.tester.asks(registryEnterprises);
  const theirs = await this.anotherRun().tester.asks(registryEnterprises);
  assert.equal(mine.length, count);
  assert.deepEqual(mine, theirs);
  assert.ok(mine.every((e) => isValidUscc(e.uscc) && isValidResidentId(e.legalRepIdNumber)));
});

Given('another run has seeded a world of {int} enterprises', function (this: GovsimWorld, enterprises: number) {
  return this.anotherRun().tester.attemptsTo(seedWorld(1, enterprises));
});
When('the run is reset', function (this: GovsimWorld) {
  return this.tester.attemptsTo(resetRun);
});
Then('the run holds no data', async function (this: GovsimWorld) {
  assert.deepEqual(await this.tester.asks(footprint), {});
});
Then('the other run still holds {int} enterprises', async function (this: GovsimWorld, count: number) {
  assert.equal((await this.anotherRun().tester.asks(footprint)).registry_enterprises, count);
});

When('the tester opens the API browser of the {word}', async function (this: GovsimWorld, server: Server) {
  this.apiBrowsers[server] = await this.tester.asks(apiBrowser(server));
});
Then('it shows the OpenAPI document of the {word}, which describes {string}', function (this: GovsimWorld, server: Server, endpoint: string) {
  const shown = this.apiBrowsers[server];
  assert.ok(shown, `the tester did not open the API browser of the ${server}`);
  assert.equal(shown.page.status, 200);
  assert.match(shown.page.html, /swagger-ui/);
  assert.match(shown.document.openapi, /^3\.1/);
  assert.ok(endpoint in shown.document.paths, `${endpoint} is not in the ${server} document`);
});
