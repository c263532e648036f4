// The abilities an actor can be given (Serenity/JS `CallAnApi`, `BrowseTheWebWithPlaywright`).
// Tasks reach govsim only through these: `CallAnApi.as(actor).services.post(…)`,
// `BrowseTheWeb.as(actor).open('services', '/yst/login')`.
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { RUN_COOKIE } from '../../kernel/pages.js';
import type { StackUrls } from '../../services/stack.js';
import { browser } from './browser.js';
import { HttpClient, NoHarness, Refusal } from './client.js';
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

/** What a screen is sized as: a phone (the mobile apps) or a desktop (back offices, the console). */
export type Device = 'phone' | 'desktop';
const VIEWPORTS: Record<Device, { width: number; height: number }> = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
/** How long a page form waits for what it looks for before the step fails (the suite's pages answer in milliseconds). */
const PAGE_TIMEOUT_MS = 5_000;

/**
 * Browsing govsim's pages in the worker's Chromium (features/support/browser.ts), for a task's page
 * form. Each actor has a browser context of their own — their own cookies, so their own sessions —
 * made on first use, sized as a phone or a desktop, carrying the scenario's run key in the
 * govsim-run cookie every govsim server reads, and recording a Playwright trace that is kept (with
 * a screenshot) only when the scenario fails. Tasks find everything by role and Chinese label.
 */
export class BrowseTheWeb implements Ability {
  static at(urls: StackUrls, run: string, device: Device): BrowseTheWeb {
    return new BrowseTheWeb(urls, run, device);
  }

  /** The actor's ability to browse the web (for a task's page form). */
  static as(actor: Actor): BrowseTheWeb {
    return actor.abilityTo(BrowseTheWeb);
  }

  private context?: Promise<BrowserContext>;
  private readonly tabs = new Map<string, Page>();
  /** The tab used last: what the actor is looking at. */
  private current = 'app';
  private traceKept = false;

  private constructor(
    readonly urls: StackUrls,
    readonly run: string,
    readonly device: Device,
  ) {}

  /**
   * A tab of the actor's browser, by name ('app': where the apps are used; another for what the
   * person looks at beside it, as the SMS on their phone), sized as `device` (the actor's by default).
   */
  async tab(name = 'app', device: Device = this.device): Promise<Page> {
    this.current = name;
    let page = this.tabs.get(name);
    if (!page || page.isClosed()) {
      page = await (await this.browsing()).newPage();
      await page.setViewportSize(VIEWPORTS[device]);
      this.tabs.set(name, page);
    }
    return page;
  }

  /** Opens a page of one of the stack's servers in a tab; a page answered with a refusal throws it. */
  async open(server: keyof StackUrls, path: string, tab: { name?: string; device?: Device } = {}): Promise<Page> {
    const page = await this.tab(tab.name, tab.device);
    const response = await page.goto(`${this.urls[server]}${path}`);
    await refusalShown(page, response?.status() ?? 0);
    return page;
  }

  /**
   * Presses a button that sends its form and waits for the page the server answers; a refusal it
   * shows (role="alert": the message, then 错误码：CODE) is thrown as a Refusal with the answer's status.
   */
  async submit(button: Locator): Promise<void> {
    const page = button.page();
    const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
    await refusalShown(page, response?.status() ?? 0);
  }

  /** A cookie the actor's browser sends to a page of a server (an app's session, as the app set it). */
  async cookie(server: keyof StackUrls, path: string, name: string): Promise<string | undefined> {
    const cookies = await (await this.browsing()).cookies(`${this.urls[server]}${path}`);
    return cookies.find((c) => c.name === name)?.value;
  }

  /** Follows a link and waits for the page it opens; a refusal it shows is thrown as a Refusal (as `submit`). */
  async follow(link: Locator): Promise<void> {
    await this.submit(link);
  }

  /** What the actor is looking at (the tab used last), as a PNG. */
  async screen(): Promise<Buffer> {
    return (await this.tab(this.current)).screenshot({ fullPage: true });
  }

  /** Screenshots of the open tabs and the context's trace, under `folder` as `name…`: what a failed scenario keeps. */
  async keepEvidence(folder: string, name: string): Promise<{ screenshots: { file: string; png: Buffer }[]; trace?: string }> {
    if (!this.context) return { screenshots: [] };
    const context = await this.context;
    const screenshots = [];
    for (const [tab, page] of this.tabs) {
      if (page.isClosed()) continue;
      const file = path.join(folder, `${name}-${tab}.png`);
      screenshots.push({ file, png: await page.screenshot({ path: file, fullPage: true }) });
    }
    const trace = path.join(folder, `${name}.trace.zip`);
    await context.tracing.stop({ path: trace });
    this.traceKept = true;
    return { screenshots, trace };
  }

  /** Closes the actor's browser context, its trace dropped unless kept (stopping it removes its temporary files). */
  async close(): Promise<void> {
    if (!this.context) return;
    const context = await this.context;
    this.context = undefined;
    if (!this.traceKept) await context.tracing.stop();
    await context.close();
  }

  private browsing(): Promise<BrowserContext> {
    return (this.context ??= (async () => {
      const context = await (await browser()).newContext({ viewport: VIEWPORTS[this.device], locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      context.setDefaultTimeout(PAGE_TIMEOUT_MS);
      const hosts = [...new Set(Object.values(this.urls))];
      await context.addCookies(hosts.map((url) => ({ name: RUN_COOKIE, value: this.run, url })));
      await context.tracing.start({ snapshots: true });
      return context;
    })());
  }
}

/** The value a page lists under a term (kernel/widgets.ts `facts`: the cell of the row whose header is `term`). */
export async function factOf(scope: Page | Locator, term: string): Promise<string> {
  const page = 'page' in scope ? scope.page() : scope;
  const row = scope.getByRole('row').filter({ has: page.getByRole('rowheader', { name: term, exact: true }) });
  return ((await row.getByRole('cell').textContent()) ?? '').trim();
}

/** Throws the refusal a page shows, if it shows one. */
async function refusalShown(page: Page, status: number): Promise<void> {
  const alert = page.getByRole('alert');
  if (!(await alert.count())) return;
  const [message, code] = await alert.getByRole('paragraph').allTextContents();
  throw new Refusal(status, /错误码：(\S+)/.exec(code ?? '')?.[1] ?? 'UNKNOWN', message ?? '');
}
