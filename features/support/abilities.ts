// The abilities an actor can be given (Serenity/JS `CallAnApi`, `BrowseTheWebWithPlaywright`).
// Tasks reach govsim only through these: `CallAnApi.as(actor).services.post(…)`.
import type { StackUrls } from '../../services/stack.js';
import { HttpClient, NoHarness } from './client.js';
import type { Ability, Actor } from './screenplay.js';
import type { TestStack } from './stack.js';

/** Calling the stack's three servers (services, providers, control) under one run key. */
export class CallAnApi implements Ability {
  /** Clients of the stack that send the run key `run` with every request. */
  static at(stack: TestStack, run: string): CallAnApi {
    const control = new HttpClient(stack.control, run);
    if (!stack.servicesDocumentOf) {
      const servicesControl = stack.servicesControl === stack.control ? control : stack.servicesControl ? new HttpClient(stack.servicesControl, run) : undefined;
      return new CallAnApi(run, new HttpClient(stack.services, run), new HttpClient(stack.providers, run), control, servicesControl);
    }
    // Conformance: the services and the harness of their data are the implementation under test's, checked against govsim's documents.
    return new CallAnApi(
      run,
      new HttpClient(stack.services, run, { documentOf: stack.servicesDocumentOf, party: 'target' }),
      new HttpClient(stack.providers, run),
      control,
      stack.servicesControl ? new HttpClient(stack.servicesControl, run, { documentOf: stack.control, party: 'target harness' }) : undefined,
    );
  }

  /** The actor's ability to call the API (for a task's API form). */
  static as(actor: Actor): CallAnApi {
    return actor.abilityTo(CallAnApi);
  }

  private constructor(
    /** The run key every request carries (its own clock, provider scripts, journal, outbox, data). */
    readonly run: string,
    /** The reference services (粤商通, 登记注册, risk warnings, 信用修复, 常州 licensing). */
    readonly services: HttpClient,
    /** The provider mocks (face, identity, CTID, SMS, video) — what a phone's mini program would call. */
    readonly providers: HttpClient,
    /** The harness control API (clock, provider scripts, journal, outbox, registry, world, reset). */
    readonly control: HttpClient,
    private readonly ownData: HttpClient | undefined,
  ) {}

  /**
   * The harness endpoints for the services' own data — footprint, scheduled jobs, risk scope and
   * levels, 信用修复 offices, staff and records, the licensing register and officers, jobs run on
   * demand: the control server, or in conformance mode the implementation under test's. Where it
   * offers none, every call fails as NotRunnable.
   */
  get servicesControl(): HttpClient {
    return this.ownData ?? new NoHarness('', this.run);
  }

  /** Whether the services' own data can be looked at and set up (not in conformance mode without --target-control). */
  get hasServicesControl(): boolean {
    return this.ownData !== undefined;
  }

  /** Whether the services' own data has a harness apart from govsim's control server (conformance): a reset resets both. */
  get servicesControlApart(): boolean {
    return this.ownData !== undefined && this.ownData.baseUrl !== this.control.baseUrl;
  }
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
