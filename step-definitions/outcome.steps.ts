// What a person is told when something is refused, and what is (not) stored.
import { Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { businessFootprint } from '../features/support/tasks/registry.js';
import type { Actor } from '../features/support/screenplay.js';
import type { GovsimWorld } from '../features/support/world.js';

Then('{actor} is told {string}', (actor: Actor, message: string) => {
  assert.equal(actor.failure().message, message);
});

Then('{actor} is refused with {int} {string} {string}', (actor: Actor, status: number, code: string, message: string) => {
  const failure = actor.failure();
  assert.deepEqual({ status: failure.status, code: failure.code, message: failure.message }, { status, code, message });
});

Then('nothing was stored', async function (this: GovsimWorld) {
  assert.deepEqual(await this.tester.asks(businessFootprint), this.businessFootprintBefore);
});
