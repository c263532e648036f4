// Harness controls: clock (H1), outcome table and journal (H2), world and reset (H4).
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { isValidResidentId, isValidUscc } from '../services/world/identifiers.js';
import { ApiError } from '../features/support/client.js';
import { logInWithFace, personalAccount } from '../features/support/tasks/login.js';
import { advanceClock, apiBrowser, footprint, journal, readClock, registryEnterprises, resetRun, scriptProvider, seedWorld, setClock } from '../features/support/tasks/registry.js';
import type { Actor, GovsimWorld } from '../features/support/world.js';

const subjectOf = (provider: string, actor: Actor) => (provider === 'sms' ? actor.person.mobile : actor.person.idNumber);

Given('the {provider} will answer {word} for {actor}', function (this: GovsimWorld, provider: string, outcome: string, actor: Actor) {
  return scriptProvider(this, provider, { subject: subjectOf(provider, actor), outcome });
});
Given('the {provider} will answer {word} for {actor} {int} times', function (this: GovsimWorld, provider: string, outcome: string, actor: Actor, times: number) {
  return scriptProvider(this, provider, { subject: subjectOf(provider, actor), outcome, times });
});
Given('the {provider} will fail with {word} for {actor}', function (this: GovsimWorld, provider: string, fault: string, actor: Actor) {
  return scriptProvider(this, provider, { subject: subjectOf(provider, actor), fault });
});
Given('the {provider} will take {int} ms for {actor}', function (this: GovsimWorld, provider: string, latencyMs: number, actor: Actor) {
  return scriptProvider(this, provider, { subject: subjectOf(provider, actor), latencyMs });
});

When('the tester tries to script the {provider} to answer {word} for {actor}', async function (this: GovsimWorld, provider: string, outcome: string, actor: Actor) {
  try {
    await scriptProvider(this, provider, { subject: subjectOf(provider, actor), outcome });
    this.notes.set('harness refusal', undefined);
  } catch (error) {
    this.notes.set('harness refusal', error);
  }
});
Then('the harness refuses with {int} {string}', function (this: GovsimWorld, status: number, code: string) {
  const refusal = this.notes.get('harness refusal') as ApiError;
  assert.ok(refusal instanceof ApiError, 'the harness did not refuse');
  assert.deepEqual({ status: refusal.status, code: refusal.code }, { status, code });
});

Then('the journal shows a face call for {actor} that took {int} ms', async (actor: Actor, latencyMs: number) => {
  const calls = await journal(actor.world, { provider: 'face', subject: actor.person.idNumber });
  assert.deepEqual(calls.filter((c) => c.latencyMs > 0).map((c) => c.latencyMs), [latencyMs]);
});

When('the date becomes {day}', function (this: GovsimWorld, day: string) {
  return setClock(this, `${day}T09:00:00`);
});
When('{duration} pass(es)', function (this: GovsimWorld, by: string) {
  return advanceClock(this, by);
});
Then('the harness clock says {day} {word}', async function (this: GovsimWorld, day: string, time: string) {
  assert.equal((await readClock(this)).shanghai, `${day} ${time}`);
});

When('another run sets its clock to {day}', function (this: GovsimWorld, day: string) {
  return setClock(this.otherRun(), `${day}T09:00:00`);
});

When('{actor} logs in with face recognition in another run', async function (this: GovsimWorld, actor: Actor) {
  const other = this.otherRun();
  const own = { services: this.services, providers: this.providers, control: this.control };
  Object.assign(this, other);
  try {
    await actor.attemptsTo(logInWithFace());
    this.notes.set('other run account', await actor.asks(personalAccount));
  } finally {
    Object.assign(this, own);
  }
});
Then('{actor} is logged in there', function (this: GovsimWorld, actor: Actor) {
  assert.equal((this.notes.get('other run account') as { idNumber: string }).idNumber, actor.person.idNumber);
});

When('this run and another run each seed a world of {int} enterprises from seed {int}', async function (this: GovsimWorld, enterprises: number, seed: number) {
  const other = this.otherRun();
  await seedWorld(this, seed, enterprises);
  await seedWorld(other, seed, enterprises);
  this.notes.set('worlds', [await registryEnterprises(this), await registryEnterprises(other)]);
});
Then("both runs hold the same {int} enterprises with valid credit codes and legal representatives' ID numbers", function (this: GovsimWorld, count: number) {
  const [mine, theirs] = this.notes.get('worlds') as { uscc: string; legalRepIdNumber: string }[][];
  assert.equal(mine!.length, count);
  assert.deepEqual(mine, theirs);
  assert.ok(mine!.every((e) => isValidUscc(e.uscc) && isValidResidentId(e.legalRepIdNumber)));
});

Given('another run has seeded a world of {int} enterprises', async function (this: GovsimWorld, enterprises: number) {
  const other = this.otherRun();
  await seedWorld(other, 1, enterprises);
  this.notes.set('other run', other);
});
When('the run is reset', function (this: GovsimWorld) {
  return resetRun(this);
});
Then('the run holds no data', async function (this: GovsimWorld) {
  assert.deepEqual(await footprint(this), {});
});
Then('the other run still holds {int} enterprises', async function (this: GovsimWorld, count: number) {
  const other = this.notes.get('other run') as ReturnType<GovsimWorld['otherRun']>;
  assert.equal((await footprint(other)).registry_enterprises, count);
});

When('the tester opens the API browser of the {word}', async function (this: GovsimWorld, server: 'services' | 'providers' | 'control') {
  this.notes.set(`api browser ${server}`, await apiBrowser(this, server));
});
Then('it shows the OpenAPI document of the {word}, which describes {string}', function (this: GovsimWorld, server: string, endpoint: string) {
  const { page, document } = this.notes.get(`api browser ${server}`) as Awaited<ReturnType<typeof apiBrowser>>;
  assert.equal(page.status, 200);
  assert.match(page.html, /swagger-ui/);
  assert.match(document.openapi, /^3\.1/);
  assert.ok(endpoint in document.paths, `${endpoint} is not in the ${server} document`);
});
