// A started stack on the test database and a client bound to one run key, with the few journeys
// the concurrency and lock-out tests set their scene with (real HTTP, as an app would call).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../kernel/config.js';
import type { Db } from '../../kernel/db.js';
import { RUN_HEADER } from '../../kernel/http.js';
import { migrateAll, startStack, type Stack } from '../../services/stack.js';
import { fakeEnterprise, fakePerson, Rng, type Person } from '../../services/world/generate.js';

export async function startTestStack(db: Db): Promise<Stack> {
  await migrateAll(db);
  return startStack(db, { ...loadConfig({}), servicesPort: 0, providersPort: 0, controlPort: 0, logLevel: 'silent', schedulerMs: 0 }, (line) => process.env.GOVSIM_TEST_LOG && console.error(line));
}

export interface Answer {
  status: number;
  body: any;
}

/** What a refusal says: status, code and message. */
export const refusal = (answer: Answer) => ({ status: answer.status, code: answer.body?.code, message: answer.body?.message });

export type RunClient = ReturnType<typeof runClient>;

/** Calls to the three servers under one run key (a fresh one unless given), starting at 2026-11-23 09:00. */
export function runClient(stack: Pick<Stack, 'urls'>, name: string, run = `${name}-${randomUUID()}`) {
  const rng = new Rng(9).child(run);
  async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string | undefined } = {}): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method: method.toUpperCase(),
      headers: { [RUN_HEADER]: run, 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const client = {
    run,
    services: (method: string, path: string, options?: { body?: unknown; token?: string | undefined }) => call(stack.urls.services, method, path, options),
    providers: (method: string, path: string, body?: unknown) => call(stack.urls.providers, method, path, { body }),
    control: (method: string, path: string, body?: unknown) => call(stack.urls.control, method, path, { body }),

    /** A person of this run's registry, made from the run's generator. */
    async person(name: string): Promise<Person> {
      const p = { ...fakePerson(rng.child(name)), name };
      await ok(client.control('post', '/harness/v1/registry/persons', p));
      return p;
    },
    /** An enterprise of this run's registry whose legal representative is `legalRep`. */
    async enterprise(name: string, legalRep: Person) {
      const e = fakeEnterprise(rng.child(name), legalRep);
      await ok(client.control('post', '/harness/v1/registry/enterprises', e));
      return e;
    },
    /** 粤信签: the face in front of the camera is the session's person. */
    passFace: (providerSessionId: string) => ok(client.providers('post', `/face/v1/sessions/${providerSessionId}/verify`, {})),
    /** A 粤商通 face login started and its face passed: the face check to complete. */
    async ystFaceChecked(p: Person): Promise<string> {
      const started = await ok(client.services('post', '/yst/v1/face-login', { body: { name: p.name, idNumber: p.idNumber, mobile: p.mobile } }));
      await client.passFace(started.providerSessionId);
      return started.faceCheckId;
    },
    /** 粤商通 face login: the session token. */
    async ystLogIn(p: Person): Promise<string> {
      return (await ok(client.services('post', `/yst/v1/face-login/${await client.ystFaceChecked(p)}/complete`))).token;
    },
    /** The registration app's form for a person. */
    registration: (p: Person, password = 'Abc12345') => ({ name: p.name, idNumber: p.idNumber, idValidFrom: p.idValidFrom, idValidTo: p.idValidTo, mobile: p.mobile, password, confirmPassword: password, agreementAccepted: true }),
  };
  return client;
}

export async function ok(result: Promise<Answer>) {
  const { status, body } = await result;
  assert.ok(status < 300, `expected success, got ${status} ${JSON.stringify(body)}`);
  return body;
}

/** The same request fired `times` times at once. */
export const atOnce = (times: number, request: () => Promise<Answer>) => Promise.all(Array.from({ length: times }, request));

/** How many answers had each status and code, e.g. { '201': 1, '409 ALREADY_REGISTERED': 11 }. */
export function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status < 300 ? String(a.status) : `${a.status} ${a.body?.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
