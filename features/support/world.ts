// The World of one scenario: its own run key (its own clock, provider scripts, journal, outbox
// and data), its interface ('api' or 'ui', from the world parameter `interface`), its cast of
// actors with their abilities, what its steps found out (typed), and cleanups run in reverse.
// Steps talk to actors; actors perform tasks (features/support/tasks); tasks are the only place
// that speaks HTTP, through the actor's CallAnApi ability.
import { After, AfterAll, Before, defineParameterType, setDefaultTimeout, setWorldConstructor, Status, World, type IWorldOptions } from '@cucumber/cucumber';
import { randomUUID } from 'node:crypto';
import { fakeEnterprise, fakePerson, Rng } from '../../services/world/generate.js';
import type { Enterprise } from '../../services/world/store.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BrowseTheWeb, CallAnApi, type Device } from './abilities.js';
import { closeBrowser } from './browser.js';
import { Actor, INTERFACES, type Interface } from './screenplay.js';
import { stackUrls, stopStack, type ConformanceParameters, type TestStack } from './stack.js';
import { CreditScenario } from './tasks/credit-repair.js';
import type { LicenceApplicationView } from './tasks/licensing.js';
import type { FilingView } from './tasks/registration.js';
import { businessFootprint, resetRun, startClockAt, type ApiBrowserView, type Footprint, type Server } from './tasks/registry.js';
import type { FanoutView, Overview, Period, VehicleView } from './tasks/risk.js';

setDefaultTimeout(30_000);

/** The world parameters (cucumber.js profiles, or `--world-parameters '{"interface":"ui"}'`). */
export interface GovsimParameters {
  interface?: Interface;
  /** Conformance mode (set by `govsim conform`): the services are another implementation (docs/conformance.md). */
  conformance?: ConformanceParameters;
  /** A folder the screens kept by `… is kept as "name"` are written to as name.png (the screenshots profile: docs/screenshots). */
  screenshots?: string;
}

/** Another run key of the same stack (to show that runs do not see each other); reset after the scenario. */
export interface OtherRun {
  readonly run: string;
  /** The tester of that run. */
  readonly tester: Actor;
  /** The same person as `actor`, acting in that run (one actor per person, kept for the scenario). */
  as(actor: Actor): Actor;
}

export class GovsimWorld extends World<GovsimParameters> {
  readonly run = `w${process.env.CUCUMBER_WORKER_ID ?? '0'}-${randomUUID()}`;
  /** How this scenario drives govsim; tasks and questions pick their form from it. */
  readonly interface: Interface;
  urls!: TestStack;
  rng!: Rng;
  readonly cast = new Map<string, Actor>();
  readonly enterprises = new Map<string, Enterprise>();
  readonly unchecked = new Set<Actor>();
  readonly cleanups: (() => Promise<void>)[] = [];
  /** Each actor's browser (interface 'ui'), by actor: closed after the scenario, their screens and traces kept when it fails. */
  readonly browsers = new Map<string, BrowseTheWeb>();

  // What the scenario's steps and tasks found out, for a later step --------------------------------
  /** The business tables before the last `actor.tries(…)` ("nothing was stored"). */
  businessFootprintBefore?: Footprint;
  /** Certification links sent to legal representatives, by enterprise name. */
  readonly certificationLinks = new Map<string, string>();
  /** What each weekly fan-out the scenario ran answered, in order. */
  readonly fanouts: FanoutView[] = [];
  /** The 风险预警 overview last looked at. */
  overview?: Overview;
  /** The warning period last opened. */
  period?: Period;
  /** The vehicle last opened. */
  vehicle?: VehicleView;
  /** The answer of the last filing check. */
  filing?: FilingView;
  /** The API browsers the tester opened, by server. */
  readonly apiBrowsers: Partial<Record<Server, ApiBrowserView>> = {};
  /** What the 信用修复 steps found out (applications, cases, to-do lists, sessions). */
  readonly credit = new CreditScenario();
  /** 危险化学品经营许可 applications the scenario made, by enterprise name (their ids). */
  readonly licenceApplications = new Map<string, string>();
  /** The licence application a step looked at last. */
  licenceApplication?: LicenceApplicationView;
  /** Another run of the same stack, once a step asked for one (`anotherRun()`). */
  otherRun?: OtherRun;

  private testerOfThisRun?: Actor;

  constructor(options: IWorldOptions<GovsimParameters>) {
    super(options);
    const chosen = options.parameters.interface ?? 'api';
    if (!INTERFACES.includes(chosen)) throw new Error(`world parameter interface must be one of ${INTERFACES.join(', ')}, not ${JSON.stringify(chosen)}`);
    this.interface = chosen;
  }

  /**
   * Abilities for this scenario's interface, under a run key: the API always (setting up the world
   * goes through the control API), and under 'ui' a browser of the actor's own — a phone for people,
   * a desktop for the tester at the console.
   */
  private abilitiesFor(run: string, who: string, device: Device) {
    if (this.interface !== 'ui') return [CallAnApi.at(this.urls, run)];
    const browsing = BrowseTheWeb.at(this.urls, run, device);
    this.browsers.set(`${who}${run === this.run ? '' : ' (another run)'}`, browsing);
    return [CallAnApi.at(this.urls, run), browsing];
  }

  /** The actor of this name; their ID number and mobile come from the scenario's seeded generator. */
  actor(name: string): Actor {
    let actor = this.cast.get(name);
    if (!actor) {
      actor = new Actor(name, this, { ...fakePerson(this.rng.child(`person ${name}`)), name }).whoCan(...this.abilitiesFor(this.run, name, 'phone'));
      this.cast.set(name, actor);
    }
    return actor;
  }

  /** The tester: sets up and inspects the run through the harness (clock, scripts, journal, footprint). */
  get tester(): Actor {
    return (this.testerOfThisRun ??= new Actor('the tester', this).whoCan(...this.abilitiesFor(this.run, 'the tester', 'desktop')));
  }

  /** The actor of the cast who is the legal representative of the enterprise. */
  legalRepresentativeOf(enterpriseName: string): Actor {
    const { legalRepIdNumber } = this.enterprise(enterpriseName);
    const legalRep = [...this.cast.values()].find((a) => a.person.idNumber === legalRepIdNumber);
    if (!legalRep) throw new Error(`the legal representative of ${enterpriseName} is not in this scenario's cast`);
    return legalRep;
  }

  /** Someone of the cast who is logged in to 粤商通 (to look at what any user would see). */
  someoneLoggedIn(): Actor {
    const viewer = [...this.cast.values()].find((a) => a.token);
    if (!viewer) throw new Error('nobody of the cast is logged in to 粤商通');
    return viewer;
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

  /** Another run of this stack (the same one for the whole scenario), reset after the scenario. */
  anotherRun(): OtherRun {
    if (this.otherRun) return this.otherRun;
    const run = `${this.run}-other`;
    const tester = new Actor('the tester of another run', this).whoCan(...this.abilitiesFor(run, 'the tester', 'desktop'));
    const people = new Map<string, Actor>();
    this.otherRun = {
      run,
      tester,
      as: (actor) => {
        let there = people.get(actor.name);
        if (!there) people.set(actor.name, (there = new Actor(actor.name, this, actor.person).whoCan(...this.abilitiesFor(run, actor.name, 'phone'))));
        return there;
      },
    };
    this.cleanups.push(() => tester.attemptsTo(resetRun));
    return this.otherRun;
  }

  /**
   * Before an `actor.tries(…)`: the business tables now, for "nothing was stored" (not where the
   * implementation under test offers no footprint: a step that checks it is then not runnable).
   */
  async noteBusinessFootprint(): Promise<void> {
    this.businessFootprintBefore = CallAnApi.as(this.tester).hasServicesControl ? await this.tester.asks(businessFootprint) : undefined;
  }
}

setWorldConstructor(GovsimWorld);

defineParameterType({ name: 'actor', regexp: /[\u4e00-\u9fa5]{2,4}/, transformer(this: GovsimWorld, name: string) { return this.actor(name); }, useForSnippets: false });

/** Scenarios start at a fixed harness time, so every date in them is reproducible. */
export const SCENARIO_START = '2026-11-23T09:00:00';

Before(async function (this: GovsimWorld, { pickle }) {
  this.urls = await stackUrls(this.parameters.conformance);
  this.rng = new Rng(20261123).child(pickle.name);
  await this.tester.attemptsTo(startClockAt(SCENARIO_START));
  this.cleanups.push(() => this.tester.attemptsTo(resetRun));
});

/** Where a failed scenario's screens and browser traces go (linked from the HTML report beside them). */
const EVIDENCE = 'reports/evidence';

After(async function (this: GovsimWorld, { result }) {
  if (result?.status === Status.FAILED) {
    await mkdir(EVIDENCE, { recursive: true });
    for (const [who, browsing] of this.browsers) {
      const kept = await browsing.keepEvidence(EVIDENCE, `${this.run}-${who.replace(/\s+/g, '_')}`);
      for (const { file, png } of kept.screenshots) {
        this.attach(png, { mediaType: 'image/png', fileName: path.basename(file) });
        this.link(path.relative('reports', file));
      }
      if (kept.trace) {
        this.attach(`${who}: Playwright trace ${kept.trace} (npx playwright-core show-trace ${kept.trace})`);
        this.link(path.relative('reports', kept.trace));
      }
    }
  }
  for (const browsing of this.browsers.values()) await browsing.close();
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
  await closeBrowser();
  await stopStack();
});
