// Tasks and questions on the world itself: the registry and the harness (clock, provider
// scripts, journal, outbox, footprint, seed and reset). What a tester does at the console — the
// clock (H1), provider scripts and the journal (H2), the SMS inbox (H3) — has a page form on the
// console's pages; setting up the world (registry, seed, reset) and reading what is stored go
// through the control API in every interface (`inAnyInterface`).
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { BrowseTheWeb, CallAnApi, factOf } from '../abilities.js';
import { eventually } from '../eventually.js';
import { inAnyInterface, question, task, type Actor, type Question, type Task } from '../screenplay.js';

const control = (actor: Actor) => CallAnApi.as(actor).control;
/** The harness of the services' own data (in conformance mode, the implementation under test's). */
const servicesControl = (actor: Actor) => CallAnApi.as(actor).servicesControl;

/** A page of the console (the control server), in the actor's 'console' tab at desktop size. */
const consolePage = (actor: Actor, path: string) => BrowseTheWeb.as(actor).open('control', path, { name: 'console', device: 'desktop' });
/** The rows of a table named `caption`, as their cells' texts (the header row and an empty table's one cell left out). */
export async function rowsOf(scope: Page | Locator, caption: string): Promise<string[][]> {
  const rows = await scope.getByRole('table', { name: caption, exact: true }).getByRole('row').all();
  const cells = await Promise.all(rows.slice(1).map((row) => row.getByRole('cell').allTextContents()));
  return cells.filter((row) => row.length > 1);
}
/** The mobile's messages as the console's inbox lists them (newest first there), oldest first. */
async function inbox(actor: Actor, mobile: string) {
  return consolePage(actor, `/console/sms?mobile=${encodeURIComponent(mobile)}`);
}
const NOTHING = '—';
/** A provider's panel of the console's 服务商脚本: its outcome table, its scripts, the form to add one. */
const providerPanel = async (actor: Actor, provider: string) => (await consolePage(actor, '/console/providers')).getByRole('region', { name: provider, exact: true });

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
export const scriptProvider = (provider: string, person: Actor, script: ProviderScript): Task => {
  const subject = provider === 'sms' ? person.person.mobile : person.person.idNumber;
  return task(`script the ${provider} provider for ${person.name}: ${JSON.stringify(script)}`, {
    api: async (actor) => void (await control(actor).post(`/harness/v1/providers/${provider}/scripts`, { subject, ...script })),
    page: async (actor) => {
      const form = (await providerPanel(actor, provider)).getByRole('form', { name: '添加脚本' });
      await form.getByLabel('对象（身份证号码或手机号码）', { exact: true }).fill(subject);
      if (script.outcome) await form.getByLabel('结果', { exact: true }).selectOption(script.outcome);
      if (script.fault) await form.getByLabel('故障', { exact: true }).selectOption(script.fault);
      if (script.operation) await form.getByLabel('操作', { exact: true }).selectOption(script.operation);
      if (script.latencyMs !== undefined) await form.getByLabel('延迟（毫秒）', { exact: true }).fill(String(script.latencyMs));
      if (script.times !== undefined) await form.getByLabel('次数', { exact: true }).fill(String(script.times));
      await BrowseTheWeb.as(actor).submit(form.getByRole('button', { name: '添加脚本' }));
    },
  });
};

/** The scripts of a provider not yet used up: who they are for and how many answers are left. */
export const providerScripts = (provider: string): Question<{ subject: string; remaining: number }[]> =>
  question(`the scripts of the ${provider} provider`, {
    api: async (actor) => (await control(actor).get<{ subject: string; remaining: number }[]>(`/harness/v1/providers/${provider}/scripts`)).map(({ subject, remaining }) => ({ subject, remaining })),
    page: async (actor) => (await rowsOf(await providerPanel(actor, provider), '脚本')).map(([subject, , , , , remaining]) => ({ subject: subject!, remaining: Number(remaining) })),
  });

/** Forgets a provider's scripts. */
export const clearScripts = (provider: string): Task =>
  task(`clear the scripts of the ${provider} provider`, {
    api: async (actor) => void (await control(actor).delete(`/harness/v1/providers/${provider}/scripts`)),
    page: async (actor) => BrowseTheWeb.as(actor).submit((await providerPanel(actor, provider)).getByRole('button', { name: '清除脚本' })),
  });

/** Sets up the run's clock (what every scenario starts from): through the control API in any interface. */
export const startClockAt = (at: string): Task => task(`start the clock at ${at}`, inAnyInterface(async (actor) => void (await control(actor).put('/harness/v1/clock', { at }))));

/** Sets the run's clock to a Shanghai local time (frozen there). */
export const setClock = (at: string): Task =>
  task(`set the clock to ${at}`, {
    api: async (actor) => void (await control(actor).put('/harness/v1/clock', { at })),
    page: async (actor) => {
      const page = await consolePage(actor, '/console/clock');
      await page.getByLabel('时间（上海时间）', { exact: true }).fill(at);
      await page.getByLabel('设置后', { exact: true }).selectOption({ label: '冻结' });
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '设置时间' }));
    },
  });
export const advanceClock = (by: string): Task =>
  task(`advance the clock by ${by}`, {
    api: async (actor) => void (await control(actor).post('/harness/v1/clock/advance', { by })),
    page: async (actor) => {
      const page = await consolePage(actor, '/console/clock');
      await page.getByLabel('时长', { exact: true }).fill(by);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '快进' }));
    },
  });
export const readClock: Question<ClockView> = question('the clock', {
  api: (actor) => control(actor).get('/harness/v1/clock'),
  page: async (actor) => {
    const clock = (await consolePage(actor, '/console/clock')).getByRole('region', { name: '运行时钟' });
    return { now: await factOf(clock, 'ISO 时间'), shanghai: await factOf(clock, '当前时间'), day: await factOf(clock, '日期'), running: (await factOf(clock, '状态')) === '走动' };
  },
});

export const journal = (filter: { provider?: string; subject?: string; operation?: string } = {}): Question<JournalEntry[]> =>
  question(`the journal of ${JSON.stringify(filter)}`, {
    api: (actor) => control(actor).get(`/harness/v1/journal?${new URLSearchParams(filter as Record<string, string>)}`),
    page: async (actor) => {
      const page = await consolePage(actor, '/console/journal');
      if (filter.provider) await page.getByLabel('服务商', { exact: true }).selectOption(filter.provider);
      if (filter.subject) await page.getByLabel('对象', { exact: true }).fill(filter.subject);
      await BrowseTheWeb.as(actor).submit(page.getByRole('button', { name: '筛选' }));
      const entries = (await rowsOf(page, '调用日志')).map(([, provider, operation, subject, outcome, fault, latency, status]) => ({
        provider: provider!,
        operation: operation!,
        subject: subject!,
        outcome: outcome === NOTHING ? null : outcome!,
        fault: fault === NOTHING ? null : fault!,
        latencyMs: Number.parseInt(latency!, 10),
        status: status === NOTHING ? null : Number(status),
      }));
      return entries.filter((e) => !filter.operation || e.operation === filter.operation).reverse();
    },
  });
export const faceCallsFor = (person: Actor): Question<JournalEntry[]> => journal({ provider: 'face', subject: person.person.idNumber });

/** The SMS the actor's phone received: the harness outbox, or the console's SMS inbox (a tab beside the app). */
export const smsReceived: Question<{ text: string }[]> = question('the SMS received', {
  api: (actor) => control(actor).get(`/harness/v1/sms/outbox?mobile=${actor.person.mobile}`),
  page: async (actor) => {
    const messages = (await inbox(actor, actor.person.mobile)).getByRole('list', { name: '短信' }).getByRole('listitem');
    return (await messages.getByRole('paragraph').allTextContents()).map((text) => ({ text })).reverse();
  },
});
export const latestCode: Question<string> = question('the latest code received by SMS', {
  api: async (actor) => (await control(actor).get(`/harness/v1/sms/outbox/${actor.person.mobile}/latest-code`)).code,
  page: async (actor) => {
    const code = (await inbox(actor, actor.person.mobile)).getByRole('status', { name: '最新验证码' });
    if (!(await code.count())) throw new Error(`no code in the SMS inbox of ${actor.person.mobile} yet`);
    return ((await code.textContent()) ?? '').trim();
  },
});

/** What the actor is looking at, as a PNG (only a page has a screen). */
export const screen: Question<Buffer> = question('the screen', { api: undefined, page: (actor) => BrowseTheWeb.as(actor).screen() });

/** The tester keeps the console's SMS inbox of a person's mobile open (H3: it updates itself). */
export const watchSmsInbox = (person: Actor): Task =>
  task(`watch the SMS inbox of ${person.name}`, { api: undefined, page: async (actor) => void (await inbox(actor, person.person.mobile)) });
/** The latest code the inbox being watched shows now, the page never reloaded by the test (within the page timeout, while htmx polls). */
export const codeInWatchedInbox: Question<string> = question('the latest code in the SMS inbox being watched', {
  api: undefined,
  page: async (actor) => ((await (await BrowseTheWeb.as(actor).tab('console')).getByRole('status', { name: '最新验证码' }).textContent()) ?? '').trim(),
});

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
 * Rows of the services' business tables (harness, provider and registry tables left out, and the
 * scheduler's job_schedule, whose rows the schedulers of every process take and drop as jobs run),
 * once the jobs the run's clock has made due have run: what a job writes is not what a request stored.
 */
export const businessFootprint: Question<Footprint> = question(
  'the run’s business footprint',
  inAnyInterface(async (actor) => {
    await eventually(async () => {
      const pending = (await actor.asks(scheduledJobs)).filter((j) => j.due || j.running);
      assert.deepEqual(pending, [], 'jobs due on the run’s clock have not run yet');
    });
    const all = await actor.asks(servicesFootprint);
    return Object.fromEntries(Object.entries(all).filter(([table]) => !/^(harness_|provider_|registry_|face_sessions|sms_messages|video_|job_schedule$)/.test(table)));
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
