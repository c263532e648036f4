// 登记注册身份验证 app (C1–C11).
import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { journal } from '../features/support/tasks/registry.js';
import {
  changeMobile,
  changeMobileOf,
  changePassword,
  checkFiling,
  completeFaceLogin,
  DEFAULT_PASSWORD,
  hasRegistrationSession,
  logInByFace,
  logInWithPassword,
  logOut,
  myRegistrationAccount,
  raiseLevel,
  register,
  setPasswordByFace,
  takePartInRegistration,
  useRegistrationSession,
  verifyWithCtid,
} from '../features/support/tasks/registration.js';
import { lookAt, type Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

When('{actor} registers in the registration app', (actor: Actor) => actor.attemptsTo(register()));
When('{actor} tries to register in the registration app', (actor: Actor) => actor.tries(register()));
Given('{actor} has registered with the password {string}', (actor: Actor, password: string) => actor.attemptsTo(register({}, password)));

const formChange: Record<string, (value: string) => Record<string, unknown>> = {
  'ID number': (idNumber) => ({ idNumber }),
  mobile: (mobile) => ({ mobile }),
  password: (password) => ({ password, confirmPassword: password }),
  'confirm password': (confirmPassword) => ({ confirmPassword }),
  'ID validity': (range) => {
    const [idValidFrom, idValidTo] = range.split(' to ');
    return { idValidFrom, idValidTo };
  },
  agreement: (value) => ({ agreementAccepted: value === 'accepted' }),
};
When('{actor} tries to register with {word} {string}', (actor: Actor, field: string, value: string) => actor.tries(register(formChange[field]!(value))));
When('{actor} tries to register with {word} {word} {string}', (actor: Actor, w1: string, w2: string, value: string) => actor.tries(register(formChange[`${w1} ${w2}`]!(value))));

Then('{actor} is a registered user at {word}', async (actor: Actor, level: string) => {
  if (!(await actor.asks(hasRegistrationSession))) await actor.attemptsTo(logInWithPassword(DEFAULT_PASSWORD));
  assert.equal((await actor.asks(myRegistrationAccount)).level.label, level);
});

Then("the identity provider checked {actor}'s four elements", async function (this: GovsimWorld, actor: Actor) {
  const [call] = await this.tester.asks(journal({ provider: 'identity', subject: actor.person.idNumber }));
  const body = (call as unknown as { request: { body: Record<string, string> } }).request.body;
  const { name, idNumber, idValidFrom, idValidTo } = actor.person;
  assert.deepEqual({ name: body.name, idNumber: body.idNumber, idValidFrom: body.idValidFrom, idValidTo: body.idValidTo }, { name, idNumber, idValidFrom, idValidTo });
});

When('{actor} activates the account by face with the password {string}', (actor: Actor, password: string) => actor.attemptsTo(setPasswordByFace('activations', password)));
When('{actor} resets the password by face to {string}', (actor: Actor, password: string) => actor.attemptsTo(setPasswordByFace('password-resets', password)));
When('{actor} tries to reset the password under the name {string}', (actor: Actor, name: string) => actor.tries(setPasswordByFace('password-resets', 'Whatever123', name)));

When('{actor} logs in with the password {string}', (actor: Actor, password: string) => actor.attemptsTo(logInWithPassword(password)));
Given('{actor} has logged in with the password {string}', async (actor: Actor, password: string) => {
  await actor.attemptsTo(logInWithPassword(password));
  actor.remember('earlier session', actor.recall('sdreg token'));
});
When('{actor} tries to log in with the password {string}', (actor: Actor, password: string) => actor.tries(logInWithPassword(password)));
When('{actor} tries the wrong password {int} time(s)', async (actor: Actor, times: number) => {
  for (let i = 0; i < times; i++) await actor.tries(logInWithPassword('Wrong0000'));
});
When("{actor} tries to log in with {actor}'s ID number and a wrong password {int} time(s)", async (actor: Actor, owner: Actor, times: number) => {
  for (let i = 0; i < times; i++) await actor.tries(logInWithPassword('Wrong0000', owner.person.idNumber));
});
When("{actor} tries to register with {actor}'s ID number", (actor: Actor, owner: Actor) => actor.tries(register({ idNumber: owner.person.idNumber })));
Then('{actor} can log in with the password {string}', (actor: Actor, password: string) => actor.attemptsTo(logInWithPassword(password)));
Then('{actor} cannot log in with the password {string}', async (actor: Actor, password: string) => {
  await actor.tries(logInWithPassword(password));
  assert.equal(actor.failure().code, 'LOGIN_FAILED');
});

When('{actor} logs in to the registration app by face', (actor: Actor) => actor.attemptsTo(logInByFace));
When('{actor} tries to log in to the registration app by face', (actor: Actor) => actor.tries(logInByFace));
Then('{actor} is logged in to the registration app', async (actor: Actor) => {
  assert.equal((await actor.asks(myRegistrationAccount)).name, actor.name);
});
Then('{actor} is not logged in to the registration app', async (actor: Actor) => {
  assert.equal(await actor.asks(hasRegistrationSession), false);
});
Then("{actor}'s earlier session no longer works", async (actor: Actor) => {
  await actor.attemptsTo(useRegistrationSession(actor.recall('earlier session')));
  await actor.tries(lookAt(myRegistrationAccount));
  assert.equal(actor.failure().code, 'NOT_LOGGED_IN');
});

Then('{actor} is offered the CTID remedy', (actor: Actor) => {
  assert.equal((actor.lastFailure?.body as { details?: { remedy?: { kind: string } } }).details?.remedy?.kind, 'CTID');
});
When('{actor} verifies with his/her CTID and completes the login', (actor: Actor) => actor.attemptsTo(verifyWithCtid, completeFaceLogin));
When('{actor} tries to verify with his/her CTID', (actor: Actor) => actor.tries(verifyWithCtid));

When('{actor} changes his/her mobile to {string} after a face check', (actor: Actor, mobile: string) => actor.attemptsTo(changeMobile(mobile)));
When('{actor} tries to change his/her mobile to {string} after a face check', (actor: Actor, mobile: string) => actor.tries(changeMobile(mobile)));
When("{actor} tries to change {actor}'s mobile to {string} with his/her own face", (impostor: Actor, owner: Actor, mobile: string) =>
  impostor.tries(changeMobileOf(owner, mobile)),
);
Then("{actor}'s account shows the mobile {string}", async (actor: Actor, mobile: string) => {
  assert.equal((await actor.asks(myRegistrationAccount)).mobile, mobile);
});
Then("{actor}'s account shows his/her own mobile", async (actor: Actor) => {
  assert.equal((await actor.asks(myRegistrationAccount)).mobile, actor.person.mobile);
});

When('{actor} raises his/her real-name level by face', (actor: Actor) => actor.attemptsTo(raiseLevel));
Given('{actor} has raised his/her real-name level by face', (actor: Actor) => actor.attemptsTo(raiseLevel));
When('{actor} takes part in enterprise registration until {day}', (actor: Actor, deadline: string) => actor.attemptsTo(takePartInRegistration(deadline)));
When('{actor} tries to take part in enterprise registration until {day}', (actor: Actor, deadline: string) => actor.tries(takePartInRegistration(deadline)));
Then("{actor}'s enterprise registration authorisation is {word}", async (actor: Actor, label: string) => {
  assert.equal((await actor.asks(myRegistrationAccount)).registrationAuthorisation.label, label);
});
Given('{actor} is verified for enterprise registration until {day}', (actor: Actor, deadline: string) =>
  actor.attemptsTo(register(), logInWithPassword(DEFAULT_PASSWORD), raiseLevel, takePartInRegistration(deadline)),
);

When('{actor} changes the password from {string} to {string}', (actor: Actor, from: string, to: string) => actor.attemptsTo(changePassword(from, to)));
When('{actor} tries to change the password from {string} to {string}', (actor: Actor, from: string, to: string) => actor.tries(changePassword(from, to)));
When('{actor} logs out of the registration app', (actor: Actor) => actor.attemptsTo(logOut));

// C10 ----------------------------------------------------------------------------------------

const KINDS: Record<string, string> = {
  company: 'COMPANY',
  'non-company legal person': 'NON_COMPANY_LEGAL_PERSON',
  'sole proprietorship': 'SOLE_PROPRIETORSHIP',
  partnership: 'PARTNERSHIP',
  branch: 'BRANCH',
  'individual business': 'INDIVIDUAL_BUSINESS',
  "farmers' cooperative": 'FARMERS_COOPERATIVE',
};

/** The registrar (登记员) checks filings; a refusal is checked by 'the check is refused …'. */
const REGISTRAR = '登记员';

When(/^an? (company|non-company legal person|sole proprietorship|partnership|branch|individual business|farmers' cooperative) filing is checked with:$/, function (this: GovsimWorld, kind: string, table: DataTable) {
  const persons = table.hashes().map((row) => ({ actor: this.actor(row.person!), roles: row.roles!.split(/,\s*/), origin: row.origin! }));
  return this.actor(REGISTRAR).tries(checkFiling(KINDS[kind]!, persons));
});

Then('the filing is ready', function (this: GovsimWorld) {
  assert.equal(this.filing?.ready, true);
});
Then('the filing is not ready', function (this: GovsimWorld) {
  assert.equal(this.filing?.ready, false);
});
Then('the filing shows:', function (this: GovsimWorld, table: DataTable) {
  assert.ok(this.filing, 'no filing was checked');
  const shown = this.filing.persons.map((p) => ({ person: p.name, status: p.status, missing: p.missing.map((m) => m.label).join(', ') }));
  assert.deepEqual(shown, table.hashes().map((row) => ({ person: row.person, status: row.status, missing: row.missing!.trim() })));
});
Then('the check is refused with {int} {string} {string}', function (this: GovsimWorld, status: number, code: string, message: string) {
  const refusal = this.actor(REGISTRAR).failure();
  assert.deepEqual({ status: refusal.status, code: refusal.code, message: refusal.message }, { status, code, message });
});
