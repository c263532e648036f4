// 粤商通 enterprise accounts (B1–B4, B9).
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { accountInfo, accountsOfEnterprise, actFor, actingAccount, addEnterprise, askForCertification, certifyFromLink, myEnterpriseAccounts } from '../features/support/tasks/enterprise.js';
import { logInWithFace } from '../features/support/tasks/login.js';
import { becomeLegalRepresentativeOf } from '../features/support/tasks/registry.js';
import { lookAt, type Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

Given('{actor} is the legal representative of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(becomeLegalRepresentativeOf(enterprise)));

Then('{actor} may act for {enterprise} in an account that is {trust} and applied for by {string}', async (actor: Actor, enterprise: string, trust: string, applicant: string) => {
  const accounts = await actor.asks(myEnterpriseAccounts);
  const usable = accounts.filter((a) => a.enterprise.name === enterprise).map((a) => ({ trust: a.trust.label, applicant: a.applicant }));
  assert.deepEqual(usable, [{ trust, applicant }]);
});

When('{actor} chooses to act for {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(actFor(enterprise)));
Given('{actor} acts for {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(actFor(enterprise)));

Then('{actor} is acting for {enterprise}', async (actor: Actor, enterprise: string) => {
  assert.equal((await actor.asks(actingAccount)).enterprise.name, enterprise);
});

When('{actor} tries to look at the enterprise he/she acts for', (actor: Actor) => actor.tries(lookAt(actingAccount)));

When('{actor} adds the enterprise {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(addEnterprise(enterprise)));
Given('{actor} has added {enterprise} as an enterprise of his/hers', async (actor: Actor, enterprise: string) => {
  if (!actor.token) await actor.attemptsTo(logInWithFace());
  await actor.attemptsTo(addEnterprise(enterprise));
});
When('{actor} tries to add the enterprise {enterprise} with code {string}', (actor: Actor, enterprise: string, uscc: string) => actor.tries(addEnterprise(enterprise, uscc)));

Then('{enterprise} has {int} accounts: one {trust} applied for by {string} and one {trust} applied for by {string}', async function (
  this: GovsimWorld,
  enterprise: string,
  count: number,
  trust1: string,
  applicant1: string,
  trust2: string,
  applicant2: string,
) {
  const accounts = (await this.someoneLoggedIn().asks(accountsOfEnterprise(enterprise))).map((a) => ({ trust: a.trust.label, applicant: a.applicant }));
  assert.equal(accounts.length, count);
  assert.deepEqual(new Set(accounts.map((a) => JSON.stringify(a))), new Set([{ trust: trust1, applicant: applicant1 }, { trust: trust2, applicant: applicant2 }].map((a) => JSON.stringify(a))));
});

When('{actor} asks for certification of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(askForCertification(enterprise)));
Given('{actor} has asked for certification of {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(askForCertification(enterprise)));
When('{actor} certifies {enterprise} from the link', (actor: Actor, enterprise: string) => actor.attemptsTo(certifyFromLink(enterprise)));
When('{actor} tries to certify {enterprise} from the link with his/her own face', (actor: Actor, enterprise: string) => actor.tries(certifyFromLink(enterprise)));

Then("{actor}'s account info for {enterprise} shows applicant {string}, joined {day}, authorised until {string}", async (actor: Actor, enterprise: string, applicant: string, joined: string, until: string) => {
  const info = await actor.asks(accountInfo(enterprise));
  assert.deepEqual({ applicant: info.applicant, joined: info.joinedOn, until: info.authEndLabel }, { applicant, joined, until });
});
