// Tasks and questions on the world itself: the registry and the harness (clock, provider
// scripts, journal, outbox, footprint, seed and reset). The harness has no pages: these are
// driven through the control API in every interface (`inAnyInterface`), mostly by the tester.
import assert from 'node:assert/strict';
import { CallAnApi } from '../abilities.js';
import { eventually } from '../eventually.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';

const control = (actor: Actor) => CallAnApi.as(actor).control;
/** The harness of the services' own data (in conformance mode, the implementation under test's). */
const servicesControl = (actor: Actor) => CallAnApi.as(actor).servicesControl;

export type Footprint = Record<string, number>;
export type Server = 'services' | 'providers' | 'control';
export interface ClockView {
  now: string;
  shanghai: string;
  day: string;
  running: boolean;
}
export interface JournalEntry {
  provider: string;
  operation: string;
  subject: string;
  outcome: string | null;
  fault: string | null;
  latencyMs: number;
  status: number | null;
}
export interface RegistryEnterprise {
  uscc: string;
  legalRepIdNumber: string;
}
export interface ProviderScript {
  outcome?: string;
  fault?: string;
  latencyMs?: number;
  times?: number;
  operation?: string;
}

/** The actor is a person of the population register (the identity provider knows them). */
export const beRegisteredPerson: Task = task(
  'be a registered person',
  inAnyInterface(async (actor) => void (await control(actor).post('/harness/v1/registry/persons', actor.person))),
);

/** The actor is registered as the legal representative of an enterprise made from the scenario's generator. */
export const becomeLegalRepresentativeOf = (enterpriseName: string): Task =>
  task(
    `become the legal representative of ${enterpriseName}`,
    inAnyInterface(async (actor) => {
      await actor.attemptsTo(beRegisteredPerson);
      await control(actor).post('/harness/v1/registry/enterprises', actor.world.enterpriseNamed(enterpriseName, actor));
    }),
  );

/** What a provider answers for a person next (the SMS gateway knows people by mobile, the others by ID number). */
export const scriptProvider = (provider: string, person: Actor, script: ProviderScript): Task =>
  task(
    `script the ${provider} provider for ${person.name}: ${JSON.stringify(script)}`,
    inAnyInterface(async (actor) => {
      const subject = provider === 'sms' ? person.person.mobile : person.person.idNumber;
      await control(actor).post(`/harness/v1/providers/${provider}/scripts`, { subject, ...script });
    }),
  );

/** Sets the run's clock to a Shanghai local time (frozen there). */
export const setClock = (at: string): Task => task(`set the clock to ${at}`, inAnyInterface(async (actor) => void (await control(actor).put('/harness/v1/clock', { at }))));
export const advanceClock = (by: string): Task => task(`advance the clock by ${by}`, inAnyInterface(async (actor) => void (await control(actor).post('/harness/v1/clock/advance', { by }))));
export const readClock: Question<ClockView> = question('the clock', inAnyInterface((actor) => control(actor).get('/harness/v1/clock')));

export const journal = (filter: { provider?: string; subject?: string; operation?: string } = {}): Question<JournalEntry[]> =>
  question(
    `the journal of ${JSON.stringify(filter)}`,
    inAnyInterface((actor) => control(actor).get(`/harness/v1/journal?${new URLSearchParams(filter as Record<string, string>)}`)),
  );
export const faceCallsFor = (person: Actor): Question<JournalEntry[]> => journal({ provider: 'face', subject: person.person.idNumber });

/** The SMS the actor's phone received (the harness outbox is everyone's phone). */
export const smsReceived: Question<{ text: string; sentAt: string }[]> = question(
  'the SMS received',
  inAnyInterface((actor) => control(actor).get(`/harness/v1/sms/outbox?mobile=${actor.person.mobile}`)),
);
export const latestCode: Question<string> = question(
  'the latest code received by SMS',
  inAnyInterface(async (actor) => (await control(actor).get(`/harness/v1/sms/outbox/${actor.person.mobile}/latest-code`)).code),
);

/** Rows of every table the run holds, by table. */
export const footprint: Question<Footprint> = question('the run’s footprint', inAnyInterface((actor) => control(actor).get('/harness/v1/footprint')));
/** Rows of the services' tables the run holds, by table (in conformance mode, the implementation under test's). */
export const servicesFootprint: Question<Footprint> = question('the run’s footprint in the services', inAnyInterface((actor) => servicesControl(actor).get('/harness/v1/footprint')));

export interface ScheduledJob {
  job: string;
  dueAt: string;
  shanghai: string;
  due: boolean;
  running: boolean;
}

/** The run's scheduled jobs (H5). */
export const scheduledJobs: Question<ScheduledJob[]> = question('the run’s scheduled jobs', inAnyInterface(async (actor) => (await servicesControl(actor).get<{ jobs: ScheduledJob[] }>('/harness/v1/jobs')).jobs));

/**
 * Rows of the services' business tables (harness, provider and registry tables left out), once
 * the jobs the run's clock has made due have run: what a job writes is not what a request stored.
 */
export const businessFootprint: Question<Footprint> = question(
  'the run’s business footprint',
  inAnyInterface(async (actor) => {
    await eventually(async () => {
      const pending = (await actor.asks(scheduledJobs)).filter((j) => j.due || j.running);
      assert.deepEqual(pending, [], 'jobs due on the run’s clock have not run yet');
    });
    const all = await actor.asks(servicesFootprint);
    return Object.fromEntries(Object.entries(all).filter(([table]) => !/^(harness_|provider_|registry_|face_sessions|sms_messages|video_)/.test(table)));
  }),
);

export const seedWorld = (seed: number, enterprises: number): Task =>
  task(`seed a world of ${enterprises} enterprises from seed ${seed}`, inAnyInterface(async (actor) => void (await control(actor).post('/harness/v1/world', { seed, enterprises }))));
export const registryEnterprises: Question<RegistryEnterprise[]> = question(
  'the enterprises of the registry',
  inAnyInterface((actor) => control(actor).get('/harness/v1/registry/enterprises?limit=1000')),
);
export const resetRun: Task = task(
  'reset the run',
  inAnyInterface(async (actor) => {
    if (CallAnApi.as(actor).servicesControlApart) await servicesControl(actor).post('/harness/v1/reset');
    await control(actor).post('/harness/v1/reset');
  }),
);

export interface ApiBrowserView {
  page: { status: number; html: string };
  document: { openapi: string; paths: Record<string, unknown> };
}

/** The API browser (/docs/) of one of the stack's servers, and the document it shows. */
export const apiBrowser = (server: Server): Question<ApiBrowserView> =>
  question(`the API browser of the ${server}`, {
    api: async (actor) => {
      const client = CallAnApi.as(actor)[server];
      const page = await fetch(`${client.baseUrl}/docs/`).then(async (r) => ({ status: r.status, html: await r.text() }));
      const document = await client.get<ApiBrowserView['document']>('/openapi.json');
      return { page, document };
    },
    page: undefined,
  });
