// The abilities an actor can be given (Serenity/JS `CallAnApi`, `BrowseTheWebWithPlaywright`).
// Tasks reach govsim only through these: `CallAnApi.as(actor).services.post(…)`.
import type { StackUrls } from '../../services/stack.js';
import { HttpClient } from './client.js';
import type { Ability, Actor } from './screenplay.js';

/** Calling the stack's three servers (services, providers, control) under one run key. */
export class CallAnApi implements Ability {
  /** Clients of the stack at `urls` that send the run key `run` with every request. */
  static at(urls: StackUrls, run: string): CallAnApi {
    return new CallAnApi(run, new HttpClient(urls.services, run), new HttpClient(urls.providers, run), new HttpClient(urls.control, run));
  }

  /** The actor's ability to call the API (for a task's API form). */
  static as(actor: Actor): CallAnApi {
    return actor.abilityTo(CallAnApi);
  }

  private constructor(
    /** The run key every request carries (its own clock, provider scripts, journal, outbox, data). */
    readonly run: string,
    /** The reference services (粤商通, 登记注册, risk warnings). */
    readonly services: HttpClient,
    /** The provider mocks (face, identity, CTID, SMS) — what a phone's mini program would call. */
    readonly providers: HttpClient,
    /** The harness control API (clock, provider scripts, journal, outbox, world, reset). */
    readonly control: HttpClient,
  ) {}
}

/**
 * Browsing govsim's pages (for a task's page form). Declared so page forms have a seam to use;
 * govsim has no browser yet (no Playwright among the dependencies), so every use fails clearly.
 */
export class BrowseTheWeb implements Ability {
  /** The pages of the stack at `urls` (what the ui interface gives every actor). */
  static at(urls: StackUrls): BrowseTheWeb {
    return new BrowseTheWeb(urls.services);
  }

  /** The actor's ability to browse the web (for a task's page form). */
  static as(actor: Actor): BrowseTheWeb {
    return actor.abilityTo(BrowseTheWeb);
  }

  private constructor(readonly baseUrl: string) {}

  /** The browser page; none exists yet. */
  page(): never {
    throw new Error(
      `BrowseTheWeb is not implemented: govsim's tests have no browser yet (add Playwright and implement ` +
        `features/support/abilities.ts BrowseTheWeb before writing page forms; pages are found by role and Chinese label). Base URL: ${this.baseUrl}`,
    );
  }
}
