// 粤商通 agents, delegation, linking, expiry and revocation (B5–B9).
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { acceptInvitation, addAgent, agentsOf, askToLink, decideLink, revokeAgent } from '../features/support/tasks/agents.js';
import { accountInfo, actFor } from '../features/support/tasks/enterprise.js';
import { logInWithFace } from '../features/support/tasks/login.js';
import { lookAt, type Actor, type Task } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

When('{actor} adds {actor} as an agent of {enterprise} until {authEnd}', (actor: Actor, agent: Actor, enterprise: string, until: string) => actor.attemptsTo(addAgent(agent, enterprise, until)));
Given('{actor} has added {actor} as an agent of {enterprise} until {authEnd}', (actor: Actor, agent: Actor, enterprise: string, until: string) => actor.attemptsTo(addAgent(agent, enterprise, until)));
When('{actor} tries to add {actor} as an agent of {enterprise} until {authEnd}', (actor: Actor, agent: Actor, enterprise: string, until: string) => actor.tries(addAgent(agent, enterprise, until)));
When('{actor} tries to add {actor} as an agent of {enterprise} with ID number {string}', (actor: Actor, agent: Actor, enterprise: string, idNumber: string) =>
  actor.tries(addAgent(agent, enterprise, '长期有效', undefined, { idNumber })),
);

When('{actor} verifies his/her face from the invitation to {enterprise}', (actor: Actor, enterprise: string) => actor.attemptsTo(acceptInvitation(enterprise)));
When("{actor} tries to accept {actor}'s invitation to {enterprise} with his/her own face", (actor: Actor, invitee: Actor, enterprise: string) => actor.tries(acceptInvitation(enterprise, invitee)));

Given('{actor} is an agent of {enterprise} until {authEnd}', async function (this: GovsimWorld, agent: Actor, enterprise: string, until: string) {
  const legalRep = this.legalRepresentativeOf(enterprise);
  if (!legalRep.token) await legalRep.attemptsTo(logInWithFace());
  await legalRep.attemptsTo(addAgent(agent, enterprise, until));
  await agent.attemptsTo(acceptInvitation(enterprise), logInWithFace());
});

Then('the agents of {enterprise} show {actor} with masked ID and phone, joined today, until {day}', async function (this: GovsimWorld, enterprise: string, agent: Actor, until: string) {
  const shown = (await this.legalRepresentativeOf(enterprise).asks(agentsOf(enterprise))).find((m) => m.name === agent.name);
  const { idNumber, mobile } = agent.person;
  assert.deepEqual(
    { idNumber: shown?.idNumber, mobile: shown?.mobile, joinedOn: shown?.joinedOn, authEnd: shown?.authEnd, status: shown?.status },
    { idNumber: `${idNumber.slice(0, 3)}****${idNumber.slice(-3)}`, mobile: `${mobile.slice(0, 3)}****${mobile.slice(-4)}`, joinedOn: '2026-11-23', authEnd: until, status: 'ACTIVE' },
  );
});

Then('the agents of {enterprise} show {actor} as invited', async function (this: GovsimWorld, enterprise: string, agent: Actor) {
  const shown = (await this.legalRepresentativeOf(enterprise).asks(agentsOf(enterprise))).find((m) => m.name === agent.name);
  assert.equal(shown?.status, 'INVITED');
});

When("{actor} asks to link to {enterprise}'s account of {actor}", (actor: Actor, enterprise: string, applicant: Actor) => actor.attemptsTo(askToLink(enterprise, applicant)));
When("{actor} tries to link to {enterprise}'s account of {actor}", (actor: Actor, enterprise: string, applicant: Actor) => actor.tries(askToLink(enterprise, applicant)));
When('{actor} consents to {actor} linking to {enterprise} until {authEnd}', (actor: Actor, requester: Actor, enterprise: string, until: string) =>
  actor.attemptsTo(decideLink(requester, enterprise, { approve: true, authEnd: until })),
);

When('{actor} revokes {actor} as an agent of {enterprise}', (actor: Actor, agent: Actor, enterprise: string) => actor.attemptsTo(revokeAgent(agent, enterprise)));

const strangerActs: Record<string, (enterprise: string, world: GovsimWorld) => Task> = {
  'read the info of': (enterprise) => lookAt(accountInfo(enterprise)),
  'list the agents of': (enterprise) => lookAt(agentsOf(enterprise)),
  'add an agent to': (enterprise, world) => addAgent(world.actor('王五'), enterprise, '长期有效'),
  'act for': (enterprise) => actFor(enterprise),
};

// The actor's capture group has the {actor} type's regexp, so Cucumber hands over the Actor.
When(/^([\u4e00-\u9fa5]{2,4}) tries to (read the info of|list the agents of|add an agent to|act for) (.+)'s account$/, (actor: Actor, act: string, enterprise: string) =>
  actor.tries(strangerActs[act]!(enterprise, actor.world)),
);
