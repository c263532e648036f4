// The World of one scenario: its own run key (its own clock, provider scripts, journal, outbox
// and data), its cast of actors, and cleanups run in reverse. Steps talk to actors; actors
// perform tasks (features/support/tasks); tasks are the only place that speaks HTTP.
import { After, AfterAll, Before, defineParameterType, setDefaultTimeout, setWorldConstructor, Status, World, type IWorldOptions } from '@cucumber/cucumber';
import { randomUUID } from 'node:crypto';
import { fakeEnterprise, fakePerson, Rng } from '../../services/world/generate.js';
import type { Enterprise, Person } from '../../services/world/store.js';
import { ApiError, HttpClient } from './client.js';
import { stackUrls, stopStack } from './stack.js';
import { businessFootprint } from './tasks/registry.js';

setDefaultTimeout(30_000);

export type Task = (actor: Actor) => Promise<void>;
export type Question<T> = (actor: Actor) => Promise<T>;

export class Actor {
  /** The session token of the app this actor is logged in to, if any. */
  token: string | undefined;
  /** Things the actor was handed along the way (links, codes, ids), by name. */
  readonly memory = new Map<string, unknown>();
  lastFailure: ApiError | undefined;

  constructor(
    readonly world: GovsimWorld,
    readonly person: Person,
  ) {}

  get name() {
    return this.person.name;
  }

  async attemptsTo(...tasks: Task[]): Promise<void> {
    for (const task of tasks) await task(this);
  }

  /** Performs a task expected to fail; the failure must then be checked by a step. */
  async tries(task: Task): Promise<void> {
    this.world.notes.set('business footprint before', await businessFootprint(this.world));
    try {
      await task(this);
      this.lastFailure = undefined;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.lastFailure = error;
      this.world.unchecked.add(this);
    }
  }

  /** The failure of the last `tries`, marked as checked. */
  failure(): ApiError {
    this.world.unchecked.delete(this);
    if (!this.lastFailure) throw new Error(`${this.name} did not fail`);
    return this.lastFailure;
  }

  asks<T>(question: Question<T>): Promise<T> {
    return question(this);
  }

  remember(key: string, value: unknown) {
    this.memory.set(key, value);
  }

  recall<T>(key: string): T {
    if (!this.memory.has(key)) throw new Error(`${this.name} has no ${key}`);
    return this.memory.get(key) as T;
  }
}

export class GovsimWorld extends World {
  readonly run = `w${process.env.CUCUMBER_WORKER_ID ?? '0'}-${randomUUID()}`;
  services!: HttpClient;
  providers!: HttpClient;
  control!: HttpClient;
  rng!: Rng;
  readonly cast = new Map<string, Actor>();
  readonly enterprises = new Map<string, Enterprise>();
  readonly unchecked = new Set<Actor>();
  readonly cleanups: (() => Promise<void>)[] = [];
  /** Anything a scenario notes for a later step (a footprint, another run's client …). */
  readonly notes = new Map<string, unknown>();

  constructor(options: IWorldOptions) {
    super(options);
  }

  /** The actor of this name; their ID number and mobile come from the scenario's seeded generator. */
  actor(name: string): Actor {
    let actor = this.cast.get(name);
    if (!actor) {
      actor = new Actor(this, { ...fakePerson(this.rng.child(`person ${name}`)), name });
      this.cast.set(name, actor);
    }
    return actor;
  }

  /** An enterprise of this name with this legal representative, made from the scenario's generator. */
  enterpriseNamed(name: string, legalRep: Actor): Enterprise {
    let enterprise = this.enterprises.get(name);
    if (!enterprise) {
      enterprise = { ...(fakeEnterprise(this.rng.child(`enterprise ${name}`), legalRep.person) as Enterprise), name };
      this.enterprises.set(name, enterprise);
    }
    return enterprise;
  }

  enterprise(name: string): Enterprise {
    const enterprise = this.enterprises.get(name);
    if (!enterprise) throw new Error(`no enterprise named ${name} in this scenario`);
    return enterprise;
  }

  /** A client of this stack under another run key (to show that runs do not see each other). */
  otherRun(): { control: HttpClient; services: HttpClient; providers: HttpClient; run: string } {
    const run = `${this.run}-other`;
    this.cleanups.push(async () => void (await new HttpClient(this.control.baseUrl, run).post('/harness/v1/reset')));
    return { run, control: new HttpClient(this.control.baseUrl, run), services: new HttpClient(this.services.baseUrl, run), providers: new HttpClient(this.providers.baseUrl, run) };
  }
}

setWorldConstructor(GovsimWorld);

defineParameterType({ name: 'actor', regexp: /[\u4e00-\u9fa5]{2,4}/, transformer(this: GovsimWorld, name: string) { return this.actor(name); }, useForSnippets: false });

/** Scenarios start at a fixed harness time, so every date in them is reproducible. */
export const SCENARIO_START = '2026-11-23T09:00:00';

Before(async function (this: GovsimWorld, { pickle }) {
  const urls = await stackUrls();
  this.services = new HttpClient(urls.services, this.run);
  this.providers = new HttpClient(urls.providers, this.run);
  this.control = new HttpClient(urls.control, this.run);
  this.rng = new Rng(20261123).child(pickle.name);
  await this.control.put('/harness/v1/clock', { at: SCENARIO_START });
  this.cleanups.push(async () => void (await this.control.post('/harness/v1/reset')));
});

After(async function (this: GovsimWorld, { result }) {
  const unchecked = [...this.unchecked].map((a) => `${a.name}: ${a.lastFailure?.status} ${a.lastFailure?.code} ${a.lastFailure?.message}`);
  if (result?.status === Status.FAILED || unchecked.length) {
    // Keep a failed scenario's data for inspection through the control API.
    this.attach(`run key ${this.run} kept: inspect with the header x-govsim-run: ${this.run}`);
  } else {
    for (const cleanup of this.cleanups.reverse()) await cleanup();
  }
  if (unchecked.length) throw new Error(`a failure no step checked:\n  ${unchecked.join('\n  ')}`);
});

AfterAll(async () => {
  await stopStack();
});
