// A typed client of govsim's control API (the control server, H1–H5), for tests that drive a
// running govsim: every call carries one run key (a new one unless given), so a test sees its own
// clock, provider scripts, journal, SMS outbox and registry, and its reset deletes nothing else.
// The providers are driven as with createProviders (govsim/mocks): the same ProviderControl, the
// same Script and ProviderCall, so a test reads alike in process and against a running govsim.
// Types come from the routes' own declarations; what JSON carries as text (times) is given back
// as a Date where the in-process types have one.
import { randomUUID } from 'node:crypto';
import { RUN_HEADER, RUN_KEY } from '../kernel/runs.js';
import type { ProviderView, ScriptRequest } from '../mocks/control.js';
import type { ProviderCall, Script } from '../mocks/core/store.js';
import type { ProviderControl, ProviderControls, ScriptOptions } from '../mocks/create-providers.js';
import type { SmsMessage, smsOutcomes } from '../mocks/sms/provider.js';
import type { ClockView, ScheduledJob } from '../services/harness/routes.js';
import type { NewEnterprise, NewPerson, RegistryEnterprise, RegistryPerson, SeededWorld } from '../services/world/control.js';

export interface ControlClientOptions {
  /** The control server, e.g. http://127.0.0.1:4102 (`npx govsim start` prints it). */
  url: string;
  /** The run key every call carries (default: a new one). */
  run?: string | undefined;
  /** How long a call may take (default 20 s). */
  timeoutMs?: number | undefined;
}

/** A refusal of the control API: its status, stable code and message. */
export class ControlError extends Error {
  override name = 'ControlError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface ControlClient extends ProviderControls {
  readonly run: string;
  readonly url: string;
  readonly clock: {
    get(): Promise<ClockView>;
    /** An ISO instant or a Shanghai local time ('2026-11-23T09:00'); frozen unless running. */
    set(at: string | Date, options?: { running?: boolean }): Promise<ClockView>;
    /** '90s', '5m', '2h', '3d', '1w' or milliseconds. */
    advance(by: string | number): Promise<ClockView>;
  };
  /** The run's scheduled jobs, soonest first. */
  jobs(): Promise<ScheduledJob[]>;
  /** Every provider with its documented outcomes and operations. */
  providers(): Promise<ProviderView[]>;
  readonly registry: {
    addPerson(person: NewPerson): Promise<RegistryPerson>;
    addEnterprise(enterprise: NewEnterprise): Promise<RegistryEnterprise>;
    persons(page?: { limit?: number; offset?: number }): Promise<RegistryPerson[]>;
    enterprises(filter?: { legalRepIdNumber?: string; limit?: number; offset?: number }): Promise<RegistryEnterprise[]>;
  };
  /** Seeds a deterministic world: enterprise i of a seed is always the same (H4). */
  seedWorld(seed: number, enterprises: number): Promise<SeededWorld>;
  /** Rows the run holds per table. */
  footprint(): Promise<Record<string, number>>;
  /** Deletes everything the run owns; answers the rows deleted per table. */
  reset(): Promise<Record<string, number>>;
  /** Base URLs of the stack's servers (services, providers, control). */
  stack(): Promise<Record<string, string>>;
}

type Wire<T> = T extends Date ? string : T extends (infer E)[] ? Wire<E>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  return search.size ? `?${search}` : '';
};
const callOf = (call: Wire<ProviderCall>): ProviderCall => ({ ...call, at: new Date(call.at) });
const messageOf = (message: Wire<SmsMessage>): SmsMessage => ({ ...message, sentAt: new Date(message.sentAt) });

/** A client of the control server at `url`, under one run key. */
export function controlClient(options: ControlClientOptions): ControlClient {
  const url = options.url.replace(/\/+$/, '');
  const run = options.run ?? randomUUID();
  if (!RUN_KEY.test(run)) throw new Error(`not a run key: ${run} (${RUN_KEY.source})`);
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { [RUN_HEADER]: run, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const answer = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ControlError(response.status, answer?.code ?? 'UNKNOWN', `${method} ${path}: ${response.status} ${answer?.message ?? text}`, answer);
    return answer as T;
  }

  const provider = <O extends string>(name: string): ProviderControl<O> => ({
    script: (subject: string, outcome: O | ScriptOptions, more: ScriptOptions = {}) => {
      const script: ScriptRequest = typeof outcome === 'string' ? { subject, outcome, ...more } : { subject, ...outcome };
      return call<Script>('POST', `/harness/v1/providers/${name}/scripts`, script);
    },
    scripts: (subject?: string) => call<Script[]>('GET', `/harness/v1/providers/${name}/scripts${query({ subject })}`),
    clearScripts: (subject?: string) => call('DELETE', `/harness/v1/providers/${name}/scripts${query({ subject })}`),
    journal: async (subject?: string) => (await call<Wire<ProviderCall>[]>('GET', `/harness/v1/journal${query({ provider: name, subject })}`)).map(callOf),
  });

  return {
    run,
    url,
    clock: {
      get: () => call('GET', '/harness/v1/clock'),
      set: (at, { running = false } = {}) => call('PUT', '/harness/v1/clock', { at: at instanceof Date ? at.toISOString() : at, running }),
      advance: (by) => call('POST', '/harness/v1/clock/advance', { by }),
    },
    jobs: async () => (await call<{ jobs: ScheduledJob[] }>('GET', '/harness/v1/jobs')).jobs,
    providers: () => call('GET', '/harness/v1/providers'),
    identity: provider('identity'),
    face: provider('face'),
    ctid: provider('ctid'),
    video: provider('video'),
    sms: {
      ...provider<keyof typeof smsOutcomes>('sms'),
      outbox: async (mobile?: string) => (await call<Wire<SmsMessage>[]>('GET', `/harness/v1/sms/outbox${query({ mobile })}`)).map(messageOf),
      latestCode: async (mobile: string) => {
        try {
          return (await call<{ code: string }>('GET', `/harness/v1/sms/outbox/${encodeURIComponent(mobile)}/latest-code`)).code;
        } catch (error) {
          if (error instanceof ControlError && error.code === 'NO_CODE') return undefined;
          throw error;
        }
      },
    },
    journal: async (filter = {}) => (await call<Wire<ProviderCall>[]>('GET', `/harness/v1/journal${query(filter)}`)).map(callOf),
    registry: {
      addPerson: (person) => call('POST', '/harness/v1/registry/persons', person),
      addEnterprise: (enterprise) => call('POST', '/harness/v1/registry/enterprises', enterprise),
      persons: (page = {}) => call('GET', `/harness/v1/registry/persons${query(page)}`),
      enterprises: (filter = {}) => call('GET', `/harness/v1/registry/enterprises${query(filter)}`),
    },
    seedWorld: (seed, enterprises) => call('POST', '/harness/v1/world', { seed, enterprises }),
    footprint: () => call('GET', '/harness/v1/footprint'),
    reset: async () => (await call<{ deleted: Record<string, number> }>('POST', '/harness/v1/reset')).deleted,
    stack: () => call('GET', '/harness/v1/stack'),
  };
}
