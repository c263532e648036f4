// The SMS outbox as people see it (H3).
import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { codeInWatchedInbox, latestCode, smsReceived, watchSmsInbox } from '../features/support/tasks/registry.js';
import type { GovsimWorld } from '../features/support/world.js';
import type { Actor } from '../features/support/screenplay.js';
import { eventually } from '../features/support/eventually.js';

Then('{actor} receives an SMS with a {int}-digit code', (actor: Actor, digits: number) =>
  eventually(async () => assert.match(await actor.asks(latestCode), new RegExp(`^\\d{${digits}}$`))),
);

Then('{actor} receives an SMS containing {string}', (actor: Actor, text: string) =>
  eventually(async () => assert.ok((await actor.asks(smsReceived)).some((m) => m.text.includes(text)), `no SMS to ${actor.name} contains ${text}`)),
);

Then('{actor} has received {int} SMS message(s)', async (actor: Actor, count: number) => {
  assert.equal((await actor.asks(smsReceived)).length, count);
});

Then('the latest code the outbox reads for {actor} is the one in the second message', async (actor: Actor) => {
  const messages = await actor.asks(smsReceived);
  assert.equal(messages.length, 2);
  assert.ok(messages[1]!.text.includes(await actor.asks(latestCode)));
});

Given('the tester is watching the SMS inbox of {actor}', function (this: GovsimWorld, actor: Actor) {
  return this.tester.attemptsTo(watchSmsInbox(actor));
});

Then('the SMS inbox the tester is watching shows the latest code {actor} received', async function (this: GovsimWorld, actor: Actor) {
  assert.equal(await this.tester.asks(codeInWatchedInbox), await actor.asks(latestCode));
});
