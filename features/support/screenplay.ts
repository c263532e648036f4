// The screenplay of the tests: actors with abilities perform tasks and ask questions.
//
// A task or question has one signature and two forms: an API form (it calls the services with
// the CallAnApi ability) and a page form (it drives the pages in a browser with the BrowseTheWeb
// ability, finding everything by role and Chinese label). `actor.attemptsTo` / `actor.asks` pick the form from the World's interface, which comes
// from the Cucumber world parameter `interface` ('api' by default; the `ui` profile sets 'ui').
// (Serenity/JS `Task.where`, `Question`, `Actor.whoCan`; cucumber/screenplay.js interactions.)
import { Refusal } from './client.js';
import type { GovsimWorld } from './world.js';
import type { Person } from '../../services/world/store.js';

/** How a scenario drives govsim: through its HTTP API, or through its pages in a browser. */
export type Interface = 'api' | 'ui';
export const INTERFACES: readonly Interface[] = ['api', 'ui'];

/**
 * Something an actor can do to reach a system: call its API (CallAnApi), browse its pages
 * (BrowseTheWeb). The World gives actors their abilities with `actor.whoCan(…)`; a task gets one
 * with the ability's `as(actor)`, e.g. `CallAnApi.as(actor).services.post(…)`.
 */
export interface Ability {}

/** An ability's class, the key an actor finds the ability by (its constructor may be private). */
export type AbilityType<A extends Ability> = Function & { prototype: A };

/** One form of a task or question: what the actor does in one interface. */
export type Form<R> = (actor: Actor) => Promise<R>;

/** A task's or question's two forms: `page: undefined` until the page form is written; `api: undefined` for what only a page has (an inbox updating itself). */
export interface Forms<R> {
  api: Form<R> | undefined;
  page: Form<R> | undefined;
}

/**
 * The same form in every interface: for tasks made only of other tasks and questions (which
 * pick their own forms), and for setting up the world (registry, reset), which a tester does
 * through the control API whatever the interface.
 */
export const inAnyInterface = <R>(form: Form<R>): Forms<R> => ({ api: form, page: form });

abstract class Activity<R> {
  constructor(
    /** What the actor does, as a person would say it: "sign the warning of the week of 2026-11-23". */
    readonly description: string,
    private readonly forms: Forms<R>,
  ) {}

  protected formFor(actor: Actor): Form<R> {
    const chosen = actor.world.interface;
    const form = chosen === 'ui' ? this.forms.page : this.forms.api;
    if (!form) {
      throw new Error(
        `${actor.name} cannot ${this.description}: this ${this.kind} has no ${chosen === 'ui' ? 'page' : 'API'} form yet ` +
          `(interface '${chosen}'; write its ${chosen === 'ui' ? 'page' : 'api'} form in features/support/tasks/, or run the default profile)`,
      );
    }
    return form;
  }

  abstract readonly kind: 'task' | 'question';

  toString() {
    return this.description;
  }
}

/** Something an actor does (signs a warning, logs in). */
export class Task extends Activity<void> {
  readonly kind = 'task';

  performAs(actor: Actor): Promise<void> {
    return this.formFor(actor)(actor);
  }
}

/** Something an actor finds out (what the warnings page shows, the SMS they received). */
export class Question<T> extends Activity<T> {
  readonly kind = 'question';

  answeredBy(actor: Actor): Promise<T> {
    return this.formFor(actor)(actor);
  }
}

/** `export const signWarning = (week: string) => task(\`sign the warning of ${week}\`, { api: async (actor) => …, page: undefined })` */
export const task = (description: string, forms: Forms<void>): Task => new Task(description, forms);
export const question = <T>(description: string, forms: Forms<T>): Question<T> => new Question<T>(description, forms);

/** Looking at what a question shows, as a task (for "… tries to look at …"). */
export const lookAt = <T>(what: Question<T>): Task =>
  task(
    `look at ${what.description}`,
    inAnyInterface(async (actor) => void (await actor.asks(what))),
  );

/** What an actor was handed along the way and needs in a later step or task, by name. */
export interface Memory {
  /** The 登记注册身份验证 app's session (apart from any 粤商通 session, which is `actor.token`). */
  'sdreg token': string;
  /** The last face check of a 登记注册 face login (for FAQ 5's CTID remedy). */
  'sdreg face check': string;
  /** A 登记注册 session kept to show it no longer works later. */
  'earlier session': string;
  /** The id of the 粤商通 personal account before logging in again. */
  'previous account': string;
  /** What the 粤商通 app answered the last [获取验证码] (A2). */
  'login code answer': unknown;
  /** The 粤商通 session ended with [退出登录], to show it no longer works. */
  'yst session logged out of': string;
  /** The session of an officer of a reviewing authority (常州 licensing). */
  'officer token': string;
  /** The link (token) of an invitation to be an agent of the named enterprise. */
  [invitation: `invitation ${string}`]: string;
}

export class Actor {
  /** The session token of the 粤商通 app this actor is logged in to, if any (in page forms: the session cookie the app set). */
  token: string | undefined;
  lastFailure: Refusal | undefined;
  private readonly memory = new Map<keyof Memory, unknown>();
  private readonly abilities = new Map<AbilityType<Ability>, Ability>();

  constructor(
    readonly name: string,
    readonly world: GovsimWorld,
    /** The person this actor is (their ID number, mobile …); none for the tester. */
    private readonly who?: Person,
  ) {}

  get person(): Person {
    if (!this.who) throw new Error(`${this.name} is not a person of this scenario`);
    return this.who;
  }

  /** Gives the actor abilities (one of each kind; a later one replaces an earlier one). */
  whoCan(...abilities: Ability[]): this {
    for (const ability of abilities) this.abilities.set(ability.constructor as AbilityType<Ability>, ability);
    return this;
  }

  /** The actor's ability of this kind; tasks use `CallAnApi.as(actor)`, which calls this. */
  abilityTo<A extends Ability>(type: AbilityType<A>): A {
    const ability = this.abilities.get(type);
    if (!ability) throw new Error(`${this.name} has no ability to ${type.name} (the World gives abilities with actor.whoCan(…))`);
    return ability as A;
  }

  async attemptsTo(...tasks: Task[]): Promise<void> {
    for (const task of tasks) await task.performAs(this);
  }

  asks<T>(question: Question<T>): Promise<T> {
    return question.answeredBy(this);
  }

  /** Performs a task expected to fail; the failure must then be checked by a step (`failure()`). */
  async tries(task: Task): Promise<void> {
    await this.world.noteBusinessFootprint();
    try {
      await task.performAs(this);
      this.lastFailure = undefined;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.lastFailure = error;
      this.world.unchecked.add(this);
    }
  }

  /** The failure of the last `tries`, marked as checked. */
  failure(): Refusal {
    this.world.unchecked.delete(this);
    if (!this.lastFailure) throw new Error(`${this.name} did not fail`);
    return this.lastFailure;
  }

  remember<K extends keyof Memory>(key: K, value: Memory[K]) {
    this.memory.set(key, value);
  }

  remembers(key: keyof Memory): boolean {
    return this.memory.has(key);
  }

  recall<K extends keyof Memory>(key: K): Memory[K] {
    if (!this.memory.has(key)) throw new Error(`${this.name} has no ${key}`);
    return this.memory.get(key) as Memory[K];
  }
}
