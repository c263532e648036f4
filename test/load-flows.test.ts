// The k6 flows (load/lib/flow.js), run once as a smoke test against a started stack, with a
// fetch client instead of k6/http: CI has no k6 binary, and the flow code is the same.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertUp, enterprise, enterpriseUserJourney, remindersRunTwice, seedAndIssue } from '../load/lib/flow.js';
import { loadConfig } from '../kernel/config.js';
import { createDb } from '../kernel/db.js';
import { RUN_HEADER } from '../kernel/http.js';
import { migrateAll, startStack, type Stack } from '../services/stack.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('run through `npm run test:unit` (it provides DATABASE_URL)');
const db = createDb(databaseUrl, 20);
let stack: Stack;

before(async () => {
  await migrateAll(db);
  stack = await startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, () => {});
});
after(async () => {
  await stack.close();
  await db.end();
});

function fetchClient(baseUrl: string, run: string) {
  return {
    async request(method: string, path: string, body?: unknown, token?: string) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { [RUN_HEADER]: run, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

test('the weekly-fanout and reminders flows pass once against a started stack (smoke)', async () => {
  const run = `load-smoke-${randomUUID()}`;
  const failed: string[] = [];
  let checks = 0;
  const t = {
    services: fetchClient(stack.urls.services, run),
    providers: fetchClient(stack.urls.providers, run),
    control: fetchClient(stack.urls.control, run),
    check: (what: string, ok: boolean) => {
      checks++;
      if (!ok) failed.push(what);
      return ok;
    },
    pause: (seconds: number) => sleep(seconds * 1000),
  };
  await assertUp(t);
  const enterprises = 40;
  await seedAndIssue(t, { enterprises, seed: 3 });
  const journeys = await Promise.all(Array.from({ length: 8 }, async (_, i) => enterpriseUserJourney(t, await enterprise(t, i, enterprises))));
  assert.deepEqual(journeys, Array(8).fill(true));
  const reminders = await remindersRunTwice(t);
  assert.deepEqual(failed, []);
  assert.ok(checks > 60, `${checks} checks`);
  assert.ok(reminders.sent > 0, 'some red or orange warning was left without feedback');
  await t.control.request('POST', '/harness/v1/reset', {});
});

test('a flow fails fast when the target is down', async () => {
  const down = { services: fetchClient('http://127.0.0.1:9', 'x'), providers: fetchClient('http://127.0.0.1:9', 'x'), control: fetchClient('http://127.0.0.1:9', 'x'), check: () => true, pause: () => {} };
  await assert.rejects(assertUp(down));
});
